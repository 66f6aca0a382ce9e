using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vc.Credentials.Jcs;

/// <summary>The JSON Canonicalization Scheme (RFC 8785).</summary>
public static class JsonCanonicalizer
{
    /// <summary>Maximum nesting depth accepted (deeper input is rejected, not recursed into).</summary>
    public const int MaxDepth = 64;

    /// <summary>The canonical UTF-8 bytes of a JSON value.</summary>
    /// <exception cref="JcsException">The value cannot be canonicalized (NaN/∞, lone surrogate, too deep).</exception>
    public static byte[] Canonicalize(JsonNode? node) => System.Text.Encoding.UTF8.GetBytes(CanonicalizeToString(node));

    /// <summary>The canonical form as a string.</summary>
    public static string CanonicalizeToString(JsonNode? node)
    {
        var sb = new StringBuilder(256);
        Write(sb, node, 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, JsonNode? node, int depth)
    {
        if (depth > MaxDepth) throw new JcsException($"JSON nesting deeper than {MaxDepth}.");
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject obj:
                // RFC 8785 §3.2.3: properties sorted by their UTF-16 code units.
                var props = obj.ToArray();
                Array.Sort(props, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
                sb.Append('{');
                for (var i = 0; i < props.Length; i++)
                {
                    if (i > 0) sb.Append(',');
                    WriteString(sb, props[i].Key);
                    sb.Append(':');
                    Write(sb, props[i].Value, depth + 1);
                }
                sb.Append('}');
                break;
            case JsonArray arr:
                sb.Append('[');
                for (var i = 0; i < arr.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    Write(sb, arr[i], depth + 1);
                }
                sb.Append(']');
                break;
            case JsonValue value:
                WriteValue(sb, value);
                break;
        }
    }

    private static void WriteValue(StringBuilder sb, JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String: WriteString(sb, value.GetValue<string>()); break;
            case JsonValueKind.True: sb.Append("true"); break;
            case JsonValueKind.False: sb.Append("false"); break;
            case JsonValueKind.Null: sb.Append("null"); break;
            case JsonValueKind.Number:
                double d;
                if (value.TryGetValue<JsonElement>(out var el)) d = el.GetDouble();
                else if (!value.TryGetValue(out d)) d = Convert.ToDouble(value.GetValue<object>(), CultureInfo.InvariantCulture);
                sb.Append(SerializeNumber(d));
                break;
            default: throw new JcsException("Unsupported JSON value kind.");
        }
    }

    /// <summary>RFC 8785 §3.2.2.2 strings (one implementation, in Vc.JsonLd).</summary>
    private static void WriteString(StringBuilder sb, string s)
    {
        if (!Vc.JsonLd.JcsString.TryAppend(sb, s)) throw new JcsException("A string holds a lone UTF-16 surrogate.");
    }

    /// <summary>RFC 8785 §3.2.2.3: ECMAScript Number::toString of the IEEE 754 double (one implementation, in Vc.JsonLd).</summary>
    public static string SerializeNumber(double value) =>
        double.IsNaN(value) || double.IsInfinity(value)
            ? throw new JcsException("NaN and Infinity have no JSON form.")
            : Vc.JsonLd.EcmaScriptNumber.Format(value);
}

/// <summary>JSON canonicalization failed.</summary>
public sealed class JcsException(string message) : Exception(message);
