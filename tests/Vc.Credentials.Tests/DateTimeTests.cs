using System.Globalization;
using System.Text.RegularExpressions;
using CsCheck;
using Vc.Credentials.Json;

namespace Vc.Credentials.Tests;

/// <summary>XML Schema dateTime / dateTimeStamp reading (VC DM 2.0 §4.9, DI proof created/expires).</summary>
public class DateTimeTests
{
    // The definition: the XML Schema lexical pattern, then .NET's invariant parser (what the fast path must agree with).
    private static bool Reference(string text, bool requireZone, out DateTimeOffset value)
    {
        value = default;
        var pattern = @"^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})" + (requireZone ? "$" : "?$");
        return Regex.IsMatch(text, pattern) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            requireZone ? DateTimeStyles.AssumeUniversal : DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    private static readonly Gen<string> Texts = Gen.OneOf(
        // well-formed shapes with values in and out of range
        Gen.Select(Gen.Int[0, 10001], Gen.Int[0, 13], Gen.Int[0, 32], Gen.Int[0, 25], Gen.Int[0, 61], Gen.Int[0, 61],
            Gen.OneOf<string>("", ".5", ".123", ".1234567", ".12345678", "."),
            Gen.OneOf<string>("Z", "", "+01:00", "-05:30", "+14:00", "-00:00", "+1:00", "Z ", "+01:60"))
            .Select((y, mo, d, h, mi, s, f, z) => $"{y:0000}-{mo:00}-{d:00}T{h:00}:{mi:00}:{s:00}{f}{z}"),
        // arbitrary near-misses
        Gen.Char["+-.:0123456789TZ "].Array[15, 32].Select(c => new string(c)));

    [Fact]
    public void Both_readers_agree_with_the_pattern_and_the_invariant_parser()
    {
        Texts.Sample(text =>
        {
            foreach (var requireZone in new[] { true, false })
            {
                var expected = Reference(text, requireZone, out var expectedValue);
                var actual = requireZone ? JsonInput.TryParseDateTimeStamp(text, out var v) : JsonInput.TryParseDateTime(text, out v);
                Assert.Equal(expected, actual);
                if (expected)
                {
                    Assert.Equal(expectedValue, v);
                    Assert.Equal(expectedValue.Offset, v.Offset);
                }
            }
        }, iter: 20_000);
    }

    [Theory]
    [InlineData("2025-10-11T00:00:00Z", true)]
    [InlineData("2025-10-11T00:00:00.123+02:00", true)]
    [InlineData("2025-02-29T00:00:00Z", false)] // not a leap year
    [InlineData("2025-10-11T00:00:00", false)] // a dateTimeStamp needs a zone
    [InlineData("2025-10-11 00:00:00Z", false)]
    public void A_dateTimeStamp_needs_a_real_date_and_a_zone(string text, bool valid) =>
        Assert.Equal(valid, JsonInput.TryParseDateTimeStamp(text, out _));
}
