using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Vc.Credentials.Verification;

namespace Vc.Credentials.Json;

/// <summary>Bounded JSON parsing and small typed accessors shared by the credential code.</summary>
public static partial class JsonInput
{
    /// <summary>Default maximum input size (credentials are small; status lists are ≈ 20 KB).</summary>
    public const int DefaultMaxBytes = 4 * 1024 * 1024;

    /// <summary>Default maximum JSON nesting depth.</summary>
    public const int DefaultMaxDepth = 64;

    /// <summary>Parses a JSON object with size and depth limits.</summary>
    /// <exception cref="CredentialException">ParsingError: not JSON, not an object, too large or too deep.</exception>
    public static JsonObject ParseObject(ReadOnlySpan<byte> utf8, int maxBytes = DefaultMaxBytes, int maxDepth = DefaultMaxDepth)
    {
        if (utf8.Length > maxBytes) throw new CredentialException(ProblemCode.ParsingError, $"The input has {utf8.Length} bytes; the limit is {maxBytes}.");
        RefuseNonIJson(utf8);
        try
        {
            // Duplicate names are rejected while parsing (I-JSON, RFC 7493 §2.3): JsonObject would otherwise throw lazily.
            return JsonNode.Parse(utf8, new JsonNodeOptions { PropertyNameCaseInsensitive = false },
                       new JsonDocumentOptions { MaxDepth = maxDepth, AllowDuplicateProperties = false, CommentHandling = JsonCommentHandling.Disallow }) as JsonObject
                   ?? throw new CredentialException(ProblemCode.ParsingError, "The input is not a JSON object.");
        }
        catch (JsonException e) { throw new CredentialException(ProblemCode.ParsingError, "The input is not valid JSON: " + e.Message, e); }
    }

    /// <summary>The same bounded parse as <see cref="ParseObject(string, int, int)"/>, as a document whose root is an
    /// object: the verifiers read the element in place. The caller disposes it.</summary>
    internal static JsonDocument ParseDocument(string json, int maxBytes = DefaultMaxBytes, int maxDepth = DefaultMaxDepth)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > maxBytes) throw new CredentialException(ProblemCode.ParsingError, $"The input exceeds {maxBytes} bytes.");
        var utf8 = System.Text.Encoding.UTF8.GetBytes(json);
        if (utf8.Length > maxBytes) throw new CredentialException(ProblemCode.ParsingError, $"The input has {utf8.Length} bytes; the limit is {maxBytes}.");
        RefuseNonIJson(utf8);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = maxDepth, AllowDuplicateProperties = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e) { throw new CredentialException(ProblemCode.ParsingError, "The input is not valid JSON: " + e.Message, e); }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new CredentialException(ProblemCode.ParsingError, "The input is not a JSON object.");
        }
        return document;
    }

    // I-JSON (RFC 7493 §2.1): System.Text.Json parses invalid UTF-8 inside a string, and an escaped lone surrogate,
    // but throws when the string is read, deep inside whichever check reads it first.
    private static void RefuseNonIJson(ReadOnlySpan<byte> utf8)
    {
        if (Vc.JsonLd.IJson.Violation(utf8) is { } notIJson)
            throw new CredentialException(ProblemCode.ParsingError, $"The input is not I-JSON: {notIJson}.");
    }

    /// <summary>Parses a JSON object from text.</summary>
    public static JsonObject ParseObject(string json, int maxBytes = DefaultMaxBytes, int maxDepth = DefaultMaxDepth)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > maxBytes) throw new CredentialException(ProblemCode.ParsingError, $"The input exceeds {maxBytes} bytes.");
        return ParseObject(System.Text.Encoding.UTF8.GetBytes(json), maxBytes, maxDepth);
    }

    /// <summary>A string property, or null when absent or not a string.</summary>
    public static string? GetString(this JsonObject o, string name) =>
        o.TryGetPropertyValue(name, out var n) && n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>True when the node is a JSON string.</summary>
    public static bool IsString(this JsonNode? n, out string value)
    {
        if (n is JsonValue v && v.GetValueKind() == JsonValueKind.String) { value = v.GetValue<string>(); return true; }
        value = "";
        return false;
    }

    /// <summary>A value or array of values, as a sequence.</summary>
    public static IEnumerable<JsonNode?> Items(JsonNode? node) => node switch
    {
        null => Array.Empty<JsonNode?>(),
        JsonArray a => a,
        _ => new[] { node },
    };

    /// <summary>The strings of a string-or-array property (non-strings are skipped).</summary>
    public static IReadOnlyList<string> Strings(JsonNode? node)
    {
        switch (node)
        {
            case null: return [];
            case JsonArray array:
                var strings = new List<string>(array.Count);
                foreach (var item in array)
                    if (item.IsString(out var s)) strings.Add(s);
                return strings.ToArray();
            default:
                return node.IsString(out var one) ? [one] : [];
        }
    }

    // ---- the same accessors over a parsed element (what the verifiers read: no node view is built)

    /// <summary>A property of an object by its name's UTF-8 bytes (a literal like "issuer"u8, compared without
    /// transcoding), or an undefined element when absent or null (as a node tree reads a JSON null: no node), or when
    /// <paramref name="o"/> is not an object.</summary>
    public static JsonElement Get(this JsonElement o, ReadOnlySpan<byte> utf8Name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(utf8Name, out var v) && v.ValueKind != JsonValueKind.Null ? v : default;

    /// <summary>A string property by its name's UTF-8 bytes, or null when absent or not a string.</summary>
    public static string? GetString(this JsonElement o, ReadOnlySpan<byte> utf8Name) => o.Get(utf8Name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    /// <summary>Whether the element is present (not undefined).</summary>
    public static bool Exists(this JsonElement e) => e.ValueKind != JsonValueKind.Undefined;

    /// <summary>True when the element is a JSON string.</summary>
    public static bool IsString(this JsonElement e, out string value)
    {
        value = e.ValueKind == JsonValueKind.String ? e.GetString()! : "";
        return e.ValueKind == JsonValueKind.String;
    }

    /// <summary>A value or array of values, as a sequence (nothing when undefined).</summary>
    public static IEnumerable<JsonElement> Items(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Undefined => [],
        JsonValueKind.Array => e.EnumerateArray(),
        _ => [e],
    };

    /// <summary>The strings of a string-or-array value (non-strings are skipped).</summary>
    public static IReadOnlyList<string> Strings(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.String: return [e.GetString()!];
            case JsonValueKind.Array:
                var strings = new List<string>(e.GetArrayLength());
                foreach (var item in e.EnumerateArray())
                    if (item.ValueKind == JsonValueKind.String) strings.Add(item.GetString()!);
                return strings;
            default: return [];
        }
    }

    /// <summary>A node tree as a parsed document (for the element-reading verifiers); the caller disposes it.</summary>
    /// <exception cref="CredentialException">ParsingError: the tree holds text that is not valid UTF-16.</exception>
    public static JsonDocument ToDocument(JsonNode node)
    {
        try { return JsonSerializer.SerializeToDocument(node); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new CredentialException(ProblemCode.ParsingError, "The input cannot be written as JSON: " + e.Message, e);
        }
    }

    /// <summary>XML Schema dateTimeStamp (VC DM 2.0 §4.9): a dateTime with a mandatory time zone.</summary>
    public static bool TryParseDateTimeStamp(string? text, out DateTimeOffset value)
    {
        value = default;
        if (text is null) return false;
        if (TryParseCommonDateTime(text, requireZone: true, out value, out var decided)) return true;
        return !decided && DateTimeStampPattern().IsMatch(text)
               && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    /// <summary>XML Schema dateTime; a missing zone means UTC (used for proof created/expires).</summary>
    public static bool TryParseDateTime(string? text, out DateTimeOffset value)
    {
        value = default;
        if (text is null) return false;
        if (TryParseCommonDateTime(text, requireZone: false, out value, out var decided))
        {
            value = value.ToUniversalTime();
            return true;
        }
        return !decided && DateTimePattern().IsMatch(text)
               && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    // The forms every credential carries (YYYY-MM-DDThh:mm:ss[.f{1,7}][Z|±hh:mm], year 0002–9998, hour < 24, second
    // < 60) read directly: they are on every verify's path, where regex + culture parsing cost a microsecond each.
    // `decided` is true when the text is certainly not a dateTime; anything unusual (other years, 24:00:00, leap
    // seconds, odd offsets) is left to the general pattern and parser.
    private static bool TryParseCommonDateTime(string s, bool requireZone, out DateTimeOffset value, out bool decided)
    {
        value = default;
        decided = false;
        if (s.Length < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return false;
        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second))
            return false;
        if (year is < 2 or > 9998 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
            return false;
        int i = 19;
        long fractionTicks = 0;
        if (i < s.Length && s[i] == '.')
        {
            int start = ++i;
            long scale = TimeSpan.TicksPerSecond;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                scale /= 10;
                fractionTicks += (s[i] - '0') * scale;
                i++;
            }
            if (i == start) { decided = true; return false; }
            if (i - start > 7) return false; // finer than a tick: the general parser decides
        }
        TimeSpan offset;
        if (i == s.Length)
        {
            if (requireZone) { decided = true; return false; }
            offset = TimeSpan.Zero;
        }
        else if (s[i] == 'Z' && i + 1 == s.Length) offset = TimeSpan.Zero;
        else if (i + 6 == s.Length && s[i] is '+' or '-' && s[i + 3] == ':' && Digits(s, i + 1, 2, out var oh) && Digits(s, i + 4, 2, out var om)
                 && oh < 14 && om < 60)
            offset = (s[i] == '-' ? -1 : 1) * new TimeSpan(oh, om, 0);
        else return false;
        value = new DateTimeOffset(year, month, day, hour, minute, second, offset).AddTicks(fractionTicks);
        return true;
    }

    private static bool Digits(string s, int start, int count, out int value)
    {
        value = 0;
        for (int i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(s[i])) return false;
            value = value * 10 + (s[i] - '0');
        }
        return true;
    }

    /// <summary>The form the library writes: UTC, whole seconds, 'Z'.</summary>
    public static string FormatDateTime(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A URL in the RFC 3986 sense (scheme ':' …), which includes DIDs and URNs.</summary>
    public static bool IsUrl(string? s)
    {
        // RFC 3986 §3.1 scheme, ':', then no white space (char.IsWhiteSpace is exactly .NET's \s): the pattern
        // \A[A-Za-z][A-Za-z0-9+.\-]*:[^\s]*\z, written out because it is on every verify's path (ids, issuer, methods).
        if (s is not { Length: > 0 and < 4096 } || !char.IsAsciiLetter(s[0])) return false;
        var i = 1;
        while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] is '+' or '.' or '-')) i++;
        if (i == s.Length || s[i] != ':') return false;
        for (i++; i < s.Length; i++)
            if (char.IsWhiteSpace(s[i])) return false;
        return true;
    }

    [GeneratedRegex(@"^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$")]
    private static partial Regex DateTimeStampPattern();

    [GeneratedRegex(@"^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$")]
    private static partial Regex DateTimePattern();

}
