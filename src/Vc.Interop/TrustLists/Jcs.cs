using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Vc.Interop.TrustLists;

/// <summary>JSON Canonicalization Scheme (RFC 8785) for the documents this library signs and checks.</summary>
public static class Jcs
{
    public static byte[] Canonicalize(JsonElement element)
    {
        var sb = new StringBuilder();
        Write(element, sb, 0);
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static void Write(JsonElement e, StringBuilder sb, int depth)
    {
        if (depth > 64) throw new TrustListException(TrustListFailure.Malformed, "JSON nested too deeply");
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                sb.Append('{');
                var first = true;
                // RFC 8785 §3.2.3: members sorted by the UTF-16 code units of their names.
                foreach (var p in e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (!first) sb.Append(',');
                    first = false;
                    WriteString(p.Name, sb);
                    sb.Append(':');
                    Write(p.Value, sb, depth + 1);
                }
                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                var i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    if (i++ > 0) sb.Append(',');
                    Write(item, sb, depth + 1);
                }
                sb.Append(']');
                break;
            case JsonValueKind.String: WriteString(e.GetString()!, sb); break;
            case JsonValueKind.Number:
                // RFC 8785 §3.2.2.3: ECMAScript number serialization; integers (all these documents hold) print plainly.
                var d = e.GetDouble();
                sb.Append(d == Math.Floor(d) && Math.Abs(d) < 1e21 ? ((decimal)d).ToString(CultureInfo.InvariantCulture) : d.ToString("R", CultureInfo.InvariantCulture));
                break;
            case JsonValueKind.True: sb.Append("true"); break;
            case JsonValueKind.False: sb.Append("false"); break;
            default: sb.Append("null"); break;
        }
    }

    private static void WriteString(string s, StringBuilder sb)
    {
        // RFC 8785 §3.2.2.2: only ", \, and control characters are escaped.
        sb.Append('"');
        foreach (var c in s)
        {
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
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
