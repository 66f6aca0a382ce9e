using System.Text.Json;

namespace Vc.Trust.Tests;

public sealed class JsonShapeTests
{
    [Fact]
    public void A_decision_serialises_to_plain_codes_and_hex()
    {
        var kid = IssuerRef.KidBase64("q83vASNFZ4k=");
        var entry = new IssuerEntry(CountryCode.Parse("KEN"), kid, kid.Id, Bytes32.Parse(new string('b', 64)),
            TrustDomains.Dcc | TrustDomains.Icvp, DateTimeOffset.FromUnixTimeSeconds(0), null, EntryStatus.Suspended);
        var decision = new TrustDecision(false, TrustReason.IssuerSuspended, DateTimeOffset.FromUnixTimeSeconds(1_800_000_000), 42,
            null, null, entry, 40, "0xabc");

        var json = JsonDocument.Parse(JsonSerializer.Serialize(decision)).RootElement;

        Assert.Equal("IssuerSuspended", json.GetProperty("Reason").GetString());
        var e = json.GetProperty("Entry");
        Assert.Equal("KEN", e.GetProperty("Country").GetString());
        Assert.Equal("kid:q83vASNFZ4k=", e.GetProperty("Issuer").GetString());
        Assert.Equal(kid.Id.ToString(), e.GetProperty("IssuerId").GetString());
        Assert.Equal(["ICVP", "DCC"], e.GetProperty("Domains").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("Suspended", e.GetProperty("Status").GetString());
        Assert.Equal(entry, JsonSerializer.Deserialize<IssuerEntry>(e.GetRawText()));
    }

    [Fact]
    public void Audit_events_carry_their_event_name()
    {
        TrustRegistryEvent ev = new IssuerStatusChanged(7, 0, "0x01", DateTimeOffset.UnixEpoch, "0xactor",
            CountryCode.Parse("BRA"), IssuerRef.Did("did:web:x.example").Id, EntryStatus.Removed);
        var json = JsonDocument.Parse(JsonSerializer.Serialize(ev)).RootElement;
        Assert.Equal("IssuerStatusChanged", json.GetProperty("event").GetString());
        Assert.Equal("Removed", json.GetProperty("Status").GetString());
        Assert.Equal("BRA", json.GetProperty("Country").GetString());
    }

    [Fact]
    public void Malformed_json_values_give_typed_errors()
    {
        Assert.Equal(TrustRegistryError.InvalidCountryCode,
            Assert.Throws<TrustRegistryException>(() => JsonSerializer.Deserialize<CountryCode>("\"kenya\"")).Error);
        Assert.Equal(TrustRegistryError.InvalidDomains,
            Assert.Throws<TrustRegistryException>(() => JsonSerializer.Deserialize<TrustDomains>("[\"YF\"]")).Error);
    }
}
