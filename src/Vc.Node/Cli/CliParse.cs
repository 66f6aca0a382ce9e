using System.Globalization;

namespace Vc.Node.Cli;

/// <summary>Typed parsing of option values, each failure a usage error naming the option.</summary>
public static class CliParse
{
    public static int PositiveInt(string text, string option) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new UsageException($"{option} must be a positive integer, got '{text}'");

    /// <summary>ISO 8601 date-time (offset optional: UTC) or Unix seconds.</summary>
    public static DateTimeOffset Time(string text, string option)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var unix))
            return DateTimeOffset.FromUnixTimeSeconds(unix);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : throw new UsageException($"{option} must be an ISO 8601 time or Unix seconds, got '{text}'");
    }
}
