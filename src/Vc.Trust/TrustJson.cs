using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vc.Trust;

// JSON forms of the registry's value types, so decisions, entries and audit events serialise with the default
// System.Text.Json options into what a CLI prints: "KEN", "0x…", "did:…"/"kid:…", ["ICVP","DCC"], "Active".

internal sealed class CountryCodeJsonConverter : JsonConverter<CountryCode>
{
    public override CountryCode Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        CountryCode.Parse(reader.GetString() ?? "");
    public override void Write(Utf8JsonWriter writer, CountryCode value, JsonSerializerOptions options) => writer.WriteStringValue(value.Alpha3);
}

internal sealed class Bytes32JsonConverter : JsonConverter<Bytes32>
{
    public override Bytes32 Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Bytes32.Parse(reader.GetString() ?? "");
    public override void Write(Utf8JsonWriter writer, Bytes32 value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}

internal sealed class IssuerRefJsonConverter : JsonConverter<IssuerRef>
{
    public override IssuerRef Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        IssuerRef.Parse(reader.GetString() ?? "");
    public override void Write(Utf8JsonWriter writer, IssuerRef value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}

internal sealed class TrustDomainsJsonConverter : JsonConverter<TrustDomains>
{
    public override TrustDomains Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new TrustRegistryException(TrustRegistryError.InvalidDomains, "trust domains are a JSON array of GDHCN codes");
        var codes = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            codes.Add(reader.GetString() ?? "");
        return TrustDomainCodes.Parse(string.Join(',', codes));
    }

    public override void Write(Utf8JsonWriter writer, TrustDomains value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var code in TrustDomainCodes.ToCodes(value)) writer.WriteStringValue(code);
        writer.WriteEndArray();
    }
}
