using System.Globalization;
using System.Text;

namespace Vc.JsonLd;

/// <summary>
/// The string form of the JSON Canonicalization Scheme (RFC 8785 §3.2.2.2), which is ECMAScript's QuoteJSONString
/// (ECMA-262 §25.5.2.3): quotes, with only '"', '\' and the control characters escaped (the short escapes where JSON
/// has them, else \u00xx in lower case). Used for rdf:JSON literals here, by the Data Integrity JCS suites and for
/// DID documents printed as the reference resolver prints them.
/// </summary>
public static class JcsString
{
    /// <summary>Appends <paramref name="s"/> in canonical form; false (and nothing certain appended) when it holds a
    /// lone UTF-16 surrogate, which has no UTF-8 form and so no canonical one (RFC 8785) — unless
    /// <paramref name="escapeLoneSurrogates"/>, where it is written \uXXXX as JSON.stringify does (ECMA-262).</summary>
    public static bool TryAppend(StringBuilder sb, string s, bool escapeLoneSurrogates = false)
    {
        sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) sb.Append(c).Append(s[++i]);
                    else if (char.IsSurrogate(c))
                    {
                        if (!escapeLoneSurrogates) return false;
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
        return true;
    }
}
