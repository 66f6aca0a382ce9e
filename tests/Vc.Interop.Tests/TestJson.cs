using System.Globalization;
using System.Text.Json;
using Vc.Interop.Hcert;

namespace Vc.Interop.Tests;

/// <summary>Compares JSON the way the dgc-testdata README asks (note 3): member order ignored, numbers by value,
/// date-times by instant (CBOR tag-0 values are normalised to YYYY-MM-DDTHH:MM:SSZ before comparing).</summary>
internal static class TestJson
{
    public static bool Equivalent(JsonElement a, JsonElement b)
    {
        if (a.ValueKind != b.ValueKind)
            return a.ValueKind is JsonValueKind.Number && b.ValueKind is JsonValueKind.Number;
        switch (a.ValueKind)
        {
            case JsonValueKind.Object:
                var pa = a.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
                var pb = b.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
                return pa.Count == pb.Count && pa.All(p => pb.TryGetValue(p.Key, out var v) && Equivalent(p.Value, v));
            case JsonValueKind.Array:
                var la = a.EnumerateArray().ToList();
                var lb = b.EnumerateArray().ToList();
                return la.Count == lb.Count && la.Zip(lb).All(p => Equivalent(p.First, p.Second));
            case JsonValueKind.Number:
                return a.GetDecimal() == b.GetDecimal();
            case JsonValueKind.String:
                var sa = a.GetString()!;
                var sb = b.GetString()!;
                if (sa == sb) return true;
                return sa.Contains('T') && sb.Contains('T') && HcertClock.TryParse(sa, out var ta) && HcertClock.TryParse(sb, out var tb)
                       && ta.ToUnixTimeSeconds() == tb.ToUnixTimeSeconds();
            default:
                return true;
        }
    }

    public static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static string Hex(byte[] data) => Convert.ToHexStringLower(data);

    public static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
