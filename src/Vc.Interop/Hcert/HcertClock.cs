using System.Globalization;
using System.Text.RegularExpressions;

namespace Vc.Interop.Hcert;

/// <summary>Parses the clock formats seen in verifier configuration and test vectors: ISO 8601 / RFC 3339 with or
/// without offset (no offset = UTC), offsets with or without a colon, up to 9 fractional digits, a bare date, or
/// Unix seconds.</summary>
public static partial class HcertClock
{
    [GeneratedRegex(@"^(?<date>\d{4}-\d{2}-\d{2})(?:[Tt ](?<hm>\d{2}:\d{2})(?::(?<s>\d{2}))?(?:[.,](?<f>\d{1,9}))?)?\s*(?<z>[Zz]|[+-]\d{2}(?::?\d{2})?)?$")]
    private static partial Regex Iso();

    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && text.Length > 8)
        {
            if (seconds > 253402300799) return false;
            value = DateTimeOffset.FromUnixTimeSeconds(seconds);
            return true;
        }
        var m = Iso().Match(text);
        if (!m.Success) return false;
        var fraction = m.Groups["f"].Success ? m.Groups["f"].Value.PadRight(7, '0')[..7] : "0000000";
        var offset = TimeSpan.Zero;
        if (m.Groups["z"].Success && m.Groups["z"].Value is not ("Z" or "z"))
        {
            var z = m.Groups["z"].Value.Replace(":", "");
            var hours = int.Parse(z.AsSpan(1, 2), CultureInfo.InvariantCulture);
            var minutes = z.Length >= 5 ? int.Parse(z.AsSpan(3, 2), CultureInfo.InvariantCulture) : 0;
            if (hours > 14 || minutes > 59) return false;
            offset = new TimeSpan(hours, minutes, 0) * (z[0] == '-' ? -1 : 1);
        }
        var local = $"{m.Groups["date"].Value}T{(m.Groups["hm"].Success ? m.Groups["hm"].Value : "00:00")}:{(m.Groups["s"].Success ? m.Groups["s"].Value : "00")}.{fraction}";
        if (!DateTime.TryParseExact(local, "yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dt))
            return false;
        value = new DateTimeOffset(dt, offset);
        return true;
    }

    public static DateTimeOffset Parse(string text) =>
        TryParse(text, out var v) ? v : throw new FormatException($"'{text}' is not a recognised date-time");
}
