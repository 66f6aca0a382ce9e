namespace Vc.JsonLd;

/// <summary>
/// I-JSON (RFC 7493) rules that JSON parsers let through. §2.1: strings must not hold lone surrogates — JSON's
/// "\uD800" escape can write one, and System.Text.Json then parses the document but throws when the string is read.
/// </summary>
public static class IJson
{
    /// <summary>Why the UTF-8 JSON text is not I-JSON at the byte level, or null: it must be UTF-8 (RFC 8259 §8.1,
    /// RFC 7493 §2.1; System.Text.Json parses invalid bytes inside a string and throws only when it is read — found
    /// by fuzzing the trust-list loaders) and escape no lone surrogate.</summary>
    public static string? Violation(ReadOnlySpan<byte> json) =>
        !System.Text.Unicode.Utf8.IsValid(json) ? "not UTF-8 (RFC 8259 §8.1)"
        : HasLoneSurrogateEscape(json) ? "a string holds a lone UTF-16 surrogate" : null;

    /// <summary>Whether the UTF-8 JSON text escapes a UTF-16 surrogate that is not half of a pair.</summary>
    public static bool HasLoneSurrogateEscape(ReadOnlySpan<byte> json)
    {
        // In JSON text a backslash only occurs inside strings, always starting an escape.
        int i = json.IndexOf((byte)'\\');
        while (i >= 0 && i + 1 < json.Length)
        {
            if (json[i + 1] != (byte)'u') i += 2;
            else
            {
                int unit = Hex4(json, i + 2);
                if (unit is >= 0xD800 and <= 0xDBFF)
                {
                    bool paired = i + 11 < json.Length && json[i + 6] == (byte)'\\' && json[i + 7] == (byte)'u'
                                  && Hex4(json, i + 8) is >= 0xDC00 and <= 0xDFFF;
                    if (!paired) return true;
                    i += 12;
                }
                else if (unit is >= 0xDC00 and <= 0xDFFF) return true;
                else i += 6;
            }
            if (i >= json.Length) break;
            int next = json[i..].IndexOf((byte)'\\');
            i = next < 0 ? -1 : i + next;
        }
        return false;
    }

    private static int Hex4(ReadOnlySpan<byte> s, int at)
    {
        if (at + 4 > s.Length) return -1;
        int value = 0;
        for (int k = at; k < at + 4; k++)
        {
            int d = s[k] switch
            {
                >= (byte)'0' and <= (byte)'9' => s[k] - '0',
                >= (byte)'a' and <= (byte)'f' => s[k] - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => s[k] - 'A' + 10,
                _ => -1,
            };
            if (d < 0) return -1;
            value = value * 16 + d;
        }
        return value;
    }
}
