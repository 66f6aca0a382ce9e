using System.Globalization;
using System.Text.Json;

namespace Vc.Interop.Dcc;

/// <summary>The EU verifier's entry checks (dgca-verifier-app "entry" rules): dates not in the future, a test result
/// "not detected", a recovery certificate inside its df..du window.</summary>
public static class DccEntryChecks
{
    /// <summary>SNOMED CT 260415000 "Not detected" (covid-19-lab-result).</summary>
    public const string NotDetected = "260415000";

    public static IReadOnlyList<string> Check(JsonElement dcc, DateTimeOffset clock)
    {
        var problems = new List<string>();
        // Certificate dates are calendar dates of the issuing country: a date is "in the future" only if it is
        // after today everywhere (UTC+14), and a window has ended only when it has ended everywhere (UTC-12).
        var latestToday = DateOnly.FromDateTime(clock.UtcDateTime.AddHours(14));
        var earliestToday = DateOnly.FromDateTime(clock.UtcDateTime.AddHours(-12));
        foreach (var v in Entries(dcc, "v"))
            if (Date(v, "dt") is { } dt && dt > latestToday)
                problems.Add($"vaccination date {dt:yyyy-MM-dd} is in the future");
        foreach (var t in Entries(dcc, "t"))
        {
            if (t.TryGetProperty("sc", out var sc) && sc.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(sc.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var scTime) && scTime > clock)
                problems.Add($"test sample time {sc.GetString()} is in the future");
            if (t.TryGetProperty("tr", out var tr) && tr.ValueKind == JsonValueKind.String && tr.GetString() != NotDetected)
                problems.Add($"test result '{tr.GetString()}' is not 'not detected' ({NotDetected})");
        }
        foreach (var r in Entries(dcc, "r"))
        {
            if (Date(r, "fr") is { } fr && fr > latestToday)
                problems.Add($"first positive result {fr:yyyy-MM-dd} is in the future");
            if (Date(r, "df") is { } df && latestToday < df)
                problems.Add($"recovery certificate valid from {df:yyyy-MM-dd}");
            if (Date(r, "du") is { } du && earliestToday > du)
                problems.Add($"recovery certificate valid until {du:yyyy-MM-dd}");
        }
        return problems;
    }

    private static IEnumerable<JsonElement> Entries(JsonElement dcc, string group) =>
        dcc.ValueKind == JsonValueKind.Object && dcc.TryGetProperty(group, out var a) && a.ValueKind == JsonValueKind.Array
            ? a.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object)
            : [];

    private static DateOnly? Date(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
        && DateOnly.TryParseExact(v.GetString()!.Length >= 10 ? v.GetString()![..10] : v.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d : null;
}
