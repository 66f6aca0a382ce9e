using System.Text.Json;
using Vc.Interop.Hcert;
using Vc.TestSupport;

namespace Vc.Interop.Tests;

public sealed class HcertClockTests
{
    public static IEnumerable<object[]> ClocksInTheTestData() =>
        Directory.EnumerateFiles(TestPaths.TestData("dgc-testdata", "VCHEALTH_DGC_TESTDATA"), "*.json", SearchOption.AllDirectories)
            .Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement)
            .Where(t => t.ValueKind == JsonValueKind.Object && t.TryGetProperty("TESTCTX", out var c) && c.TryGetProperty("VALIDATIONCLOCK", out _))
            .Select(t => t.GetProperty("TESTCTX").GetProperty("VALIDATIONCLOCK").GetString()!)
            .Distinct()
            .Select(c => new object[] { c });

    [Theory]
    [MemberData(nameof(ClocksInTheTestData))]
    public void Every_clock_shape_of_the_test_data_parses(string clock) => Assert.True(HcertClock.TryParse(clock, out _), clock);

    [Theory]
    [InlineData("2021-06-09T15:15:35+0200", "2021-06-09T13:15:35Z")]
    [InlineData("2021-06-09T15:15:35+02:00", "2021-06-09T13:15:35Z")]
    [InlineData("2021-05-17T18:21:22", "2021-05-17T18:21:22Z")]          // no offset = UTC
    [InlineData("2021-06-08T20:17:27.990629312Z", "2021-06-08T20:17:27.9906293Z")] // 9 fractional digits
    [InlineData("2021-06-16T15:33:59.7342+03:00", "2021-06-16T12:33:59.7342Z")]
    [InlineData("2021-05-20T15:21:42+00:00", "2021-05-20T15:21:42Z")]
    [InlineData("2021-05-20", "2021-05-20T00:00:00Z")]
    [InlineData("1622548800", "2021-06-01T12:00:00Z")]                     // Unix seconds
    public void Clock_formats_mean_the_same_instant(string text, string utc) =>
        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), HcertClock.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("2021-13-01T00:00:00Z")]
    [InlineData("2021-06-01T25:00:00Z")]
    [InlineData("2021-06-01T12:00:00+1500")]
    public void Nonsense_clocks_do_not_parse(string text) => Assert.False(HcertClock.TryParse(text, out _));
}
