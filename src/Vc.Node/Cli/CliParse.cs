using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Vc.Node.Cli;

/// <summary>
/// Typed options and arguments for the command declarations, each parse failure a usage error naming the option
/// (reported by <see cref="CliApp"/> before any command body runs).
/// </summary>
public static class CliParse
{
    public static Option<string> Text(string name, string description, string helpName, bool required = false) =>
        new(name) { Description = description, HelpName = helpName, Required = required };

    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    /// <summary>An option that may repeat (`--trust A --trust B`), one value per occurrence.</summary>
    public static Option<string[]> Many(string name, string description, string helpName) =>
        new(name) { Description = description, HelpName = helpName, AllowMultipleArgumentsPerToken = false };

    /// <summary>One of a fixed set of words, listed in the help and offered to shell completion (the body checks the value).</summary>
    public static Option<string> Choice(string name, string description, string helpName, params string[] values)
    {
        var option = new Option<string>(name) { Description = $"{description}: {string.Join(", ", values)}", HelpName = helpName };
        option.CompletionSources.Add(values);
        return option;
    }

    public static Option<int?> PositiveInt(string name, string description, string helpName) => new(name)
    {
        Description = description, HelpName = helpName,
        CustomParser = r => int.TryParse(Single(r), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : Fail<int?>(r, $"{name} must be a positive integer, got '{Single(r)}'"),
    };

    /// <summary>A duration: seconds, or a number with s, m, h or d (e.g. 90, 10m, 2h), at most <paramref name="max"/>.</summary>
    public static Option<TimeSpan?> Duration(string name, string description, TimeSpan max) => new(name)
    {
        Description = description + $" (e.g. 30s, 10m, 2h; at most {max.TotalSeconds:0} s)", HelpName = "DURATION",
        CustomParser = r =>
        {
            var text = Single(r) ?? "";
            var (digits, scale) = text.Length > 0 && char.IsAsciiLetter(text[^1])
                ? (text[..^1], text[^1] switch { 's' => 1L, 'm' => 60L, 'h' => 3600L, 'd' => 86400L, _ => 0L })
                : (text, 1L);
            return scale > 0 && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                && n <= (long)max.TotalSeconds / scale
                ? TimeSpan.FromSeconds(n * scale)
                : Fail<TimeSpan?>(r, $"{name} must be a duration such as 30s, 10m or 2h, at most {max.TotalSeconds:0} s; got '{text}'");
        },
    };

    /// <summary>ISO 8601 date-time (offset optional: UTC) or Unix seconds.</summary>
    public static Option<DateTimeOffset?> Time(string name, string description) => new(name)
    {
        Description = description + " (ISO 8601 or Unix seconds)", HelpName = "TIME",
        CustomParser = r => TryTime(Single(r), out var t) ? t : Fail<DateTimeOffset?>(r, $"{name} must be an ISO 8601 time or Unix seconds, got '{Single(r)}'"),
    };

    public static Argument<string> Required(string name, string description) => new(name) { Description = description };

    public static Argument<string?> Optional(string name, string description) =>
        new(name) { Description = description, Arity = ArgumentArity.ZeroOrOne };

    internal static Uri? HttpUrl(ArgumentResult r) =>
        Uri.TryCreate(Single(r), UriKind.Absolute, out var uri) && (uri.Scheme == "http" || uri.Scheme == "https")
            ? uri
            : Fail<Uri>(r, $"--rpc must be an http(s) URL, got '{Single(r)}'");

    internal static string? PostgresUrl(ArgumentResult r)
    {
        try
        {
            Vc.Agent.Storage.NodeStore.CheckDatabaseUrl(Single(r));
            return Single(r);
        }
        catch (Vc.Agent.Storage.StoreException e) { return Fail<string>(r, e.Message[("store: ".Length)..]); }
    }

    private static bool TryTime(string text, out DateTimeOffset time)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var unix) && unix <= 253402300799)
        {
            time = DateTimeOffset.FromUnixTimeSeconds(unix);
            return true;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }

    private static string Single(ArgumentResult r) => r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";

    private static T? Fail<T>(ArgumentResult r, string message)
    {
        r.AddError(message);
        return default;
    }
}
