using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.JsonLd;
using Vc.TestSupport;
using Xunit.Abstractions;

namespace Vc.JsonLd.Tests;

/// <summary>JSON-LD 1.1 toRdf §8.6 Object to RDF Conversion: the canonical xsd:double form is jsonld.js's
/// (toExponential(15), trailing zeros trimmed), on both the expansion + toRdf path and the direct path.</summary>
public class DoubleLexicalTests(ITestOutputHelper output)
{
    private const string XsdDouble = "http://www.w3.org/2001/XMLSchema#double";

    [Theory]
    [InlineData("8e23", "7.999999999999999E23")]
    [InlineData("76083.54", "7.608353999999999E4")]
    [InlineData("9e25", "9.000000000000001E25")]
    [InlineData("5e-324", "4.940656458412465E-324")] // smallest subnormal
    [InlineData("2.2250738585072014e-308", "2.225073858507201E-308")] // smallest normal
    [InlineData("1.7976931348623157e308", "1.797693134862316E308")] // largest
    [InlineData("0.1", "1.0E-1")]
    [InlineData("1e21", "1.0E21")]
    [InlineData("1e308", "1.0E308")]
    [InlineData("1.5", "1.5E0")]
    [InlineData("-1.5e-7", "-1.5E-7")]
    [InlineData("1000000000000000.5", "1.000000000000001E15")] // exact tie at 16 digits: up (.NET E15 rounds to even)
    [InlineData("1234567890123456.5", "1.234567890123457E15")] // tie, up
    [InlineData("1000000000000001.5", "1.000000000000002E15")] // tie, up (also the even digit)
    [InlineData("1000000000000009.5", "1.00000000000001E15")] // tie, up with a carry, trailing zero trimmed
    [InlineData("4503599627370495.5", "4.503599627370496E15")] // tie, 2^52 - 0.5
    [InlineData("0.00000762939453125", "7.62939453125E-6")] // 2^-17, exact, short
    public void Hard_cases(string json, string expected)
    {
        Assert.Equal(expected, Typed(json));
        Assert.Equal($"\"{expected}\"^^<{XsdDouble}>", Plain(json).ToRdf);
        Assert.Equal(Plain(json).ToRdf, Plain(json).Direct);
    }

    [Fact]
    public void Negative_zero_is_0_0E0_as_in_jsonld_js()
    {
        // toExponential writes no sign for -0 (ECMA-262 §21.1.3.2 step 6 tests x < 0), so jsonld.js gives 0.0E0;
        // a bare -0 has no fractional part: xsd:integer 0 (§8.6 step 10).
        Assert.Equal("0.0E0", Typed("-0"));
        Assert.Equal("0.0E0", Typed("-0.0"));
        Assert.Equal("\"0\"^^<http://www.w3.org/2001/XMLSchema#integer>", Plain("-0.0").ToRdf);
    }

    /// <summary>Random doubles across the whole range (random bit patterns), exact ties at 16 digits, powers of ten,
    /// subnormals and short decimals, compared with jsonld.js through tests/js/jsonld/doubles.mjs.</summary>
    [Fact]
    public async Task Same_lexical_forms_as_jsonld_js_on_random_doubles()
    {
        var values = Sample(new Random(20261207));
        Assert.True(values.Count >= 3000);
        var reference = await RunNodeAsync(values);
        Assert.Equal(values.Count, reference.Count);
        int deviations = 0;
        var mismatches = new List<string>();
        for (int i = 0; i < values.Count; i++)
        {
            var json = values[i].ToString("R", CultureInfo.InvariantCulture);
            var theirs = reference[i]!.AsObject();
            var ours = Typed(json);
            if (ours != (string)theirs["typed"]!) mismatches.Add($"{json}: ours {ours}, jsonld.js {theirs["typed"]}");
            var (toRdf, direct) = Plain(json);
            if (toRdf != direct) mismatches.Add($"{json}: toRdf {toRdf}, direct {direct}");
            double v = values[i];
            if (v % 1 != 0 && Math.Abs(v) < 1e21 && !EcmaScriptNumber.Format(v).Contains('.'))
            {
                // jsonld.js decides "double" by a '.' in String(v) (types.isDouble), so a non-integer written
                // like 1e-7 becomes xsd:integer "0" there; §8.6 step 10 (non-zero fractional part) makes it a double.
                deviations++;
                Assert.Equal($"\"{ours}\"^^<{XsdDouble}>", toRdf);
                continue;
            }
            if (toRdf != (string)theirs["plain"]!) mismatches.Add($"{json} (bare): ours {toRdf}, jsonld.js {theirs["plain"]}");
        }
        output.WriteLine($"{values.Count} doubles compared with jsonld.js, {mismatches.Count} mismatches, {deviations} bare numbers jsonld.js calls integers");
        Assert.Empty(mismatches);
        Assert.InRange(deviations, 1, values.Count / 10); // the sample has a few (1e-7, 5e-324…), not many
    }

    internal static List<double> Sample(Random rnd)
    {
        var values = new List<double> { 8e23, 76083.54, 9e25, 5e-324, -5e-324, 0.1, -0.0, 1e21, 1e308, 1.7976931348623157e308, 2.2250738585072014e-308, 1e-7, 1.5 };
        // random bit patterns: every exponent, both signs, subnormals (NaN and infinities have no JSON form)
        while (values.Count < 2013)
        {
            double d = BitConverter.Int64BitsToDouble(rnd.NextInt64(long.MinValue, long.MaxValue));
            if (double.IsFinite(d)) values.Add(d);
        }
        for (int i = 0; i < 100; i++) // subnormals
            values.Add(BitConverter.Int64BitsToDouble(rnd.NextInt64(1, 1L << 52)));
        for (int e = 21; e <= 308; e++) values.Add(double.Parse($"1e{e}", CultureInfo.InvariantCulture));
        for (int e = 1; e <= 323; e += 7) values.Add(double.Parse($"1e-{e}", CultureInfo.InvariantCulture));
        // exact ties: n + f/2^j with 17 significant digits ending in 5 (n of 17 - j digits, below 2^(53-j))
        for (int i = 0; i < 300; i++)
        {
            int j = rnd.Next(1, 8);
            long lo = (long)Math.Pow(10, 16 - j), hi = Math.Min(lo * 10, 1L << (52 - j));
            if (lo >= hi) continue;
            long n = rnd.NextInt64(lo, hi), f = rnd.NextInt64(0, 1L << (j - 1)) * 2 + 1;
            values.Add(n + (double)f / (1L << j));
        }
        // exact ties below 1: f / 2^j with f × 5^j of 17 digits
        for (int i = 0; i < 200; i++)
        {
            int j = rnd.Next(17, 24);
            var p5 = BigInteger.Pow(5, j);
            long lo = (long)(BigInteger.Pow(10, 16) / p5) + 1, hi = (long)(BigInteger.Pow(10, 17) / p5);
            if (lo >= hi) continue;
            long f = rnd.NextInt64(lo, hi) | 1;
            values.Add(Math.ScaleB(f, -j));
        }
        // short and 15–17 digit decimals at random exponents
        for (int i = 0; i < 500; i++)
        {
            int digits = rnd.Next(1, 18);
            var mantissa = new StringBuilder().Append((char)('1' + rnd.Next(9)));
            for (int k = 1; k < digits; k++) mantissa.Append((char)('0' + rnd.Next(10)));
            var d = double.Parse($"{(rnd.Next(2) == 0 ? "-" : "")}{mantissa}e{rnd.Next(-330, 300)}", CultureInfo.InvariantCulture);
            if (double.IsFinite(d)) values.Add(d);
        }
        return values;
    }

    private static string Typed(string json)
    {
        using var doc = JsonDocument.Parse("{\"@id\":\"urn:s\",\"urn:p\":{\"@value\":" + json + ",\"@type\":\"" + XsdDouble + "\"}}");
        var q = Assert.Single(JsonLdProcessor.ToRdf(doc.RootElement));
        var term = q.Object.ToString();
        Assert.EndsWith($"\"^^<{XsdDouble}>", term);
        return term[1..term.IndexOf("\"^^", StringComparison.Ordinal)];
    }

    private static (string ToRdf, string Direct) Plain(string json)
    {
        var text = $$"""{"@id":"urn:s","urn:p":{{json}}}""";
        using var doc = JsonDocument.Parse(text);
        var q = Assert.Single(JsonLdProcessor.ToRdf(doc.RootElement));
        var direct = JsonLdProcessor.Canonicalize(Encoding.UTF8.GetBytes(text)).CanonicalNQuads;
        Assert.StartsWith("<urn:s> <urn:p> ", direct);
        return (q.Object.ToString(), direct["<urn:s> <urn:p> ".Length..^" .\n".Length]);
    }

    private static async Task<JsonArray> RunNodeAsync(List<double> values)
    {
        var script = Path.Combine(TestPaths.RepoRoot, "tests", "js", "jsonld", "doubles.mjs");
        return (JsonArray)await NodeScript.RunAsync(script, "[" + string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]");
    }
}
