using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vc.Rules;

/// <summary>
/// CertLogic's run-time values. Evaluation works on plain CLR objects so that JSON values from the data context and
/// values made by operations share one representation: <c>null</c>, <see cref="bool"/>, <see cref="double"/> (JSON
/// numbers, as in JavaScript), <see cref="string"/>, <see cref="JsonObject"/> / <see cref="JsonArray"/> (drilled into
/// from the data context), <c>object?[]</c> (an evaluated array expression), <see cref="CertLogicDateTime"/> (made by
/// plusTime / dccDateOfBirth only), and the <see cref="ReduceScope"/> a reduce lambda sees.
/// </summary>
internal static class CertLogicValues
{
    /// <summary>A JSON node as a run-time value (numbers become doubles, like JavaScript's one number type).</summary>
    public static object? FromNode(JsonNode? node)
    {
        switch (node)
        {
            case null: return null;
            case JsonObject or JsonArray: return node;
            case JsonValue v:
                switch (v.GetValueKind())
                {
                    case JsonValueKind.String: return v.GetValue<string>();
                    case JsonValueKind.True: return true;
                    case JsonValueKind.False: return false;
                    case JsonValueKind.Null: return null;
                    case JsonValueKind.Number:
                        if (v.TryGetValue<double>(out var d)) return d;
                        if (v.TryGetValue<long>(out var l)) return (double)l;
                        if (v.TryGetValue<int>(out var i)) return (double)i;
                        if (v.TryGetValue<decimal>(out var m)) return (double)m;
                        if (v.TryGetValue<ulong>(out var u)) return (double)u;
                        return double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture);
                    default: return null;
                }
            default: return null;
        }
    }

    public static bool IsInt(object? value) => value is double d && double.IsFinite(d) && Math.Floor(d) == d;

    /// <summary>A JSON node that is an integer number (a valid CertLogic integer literal).</summary>
    public static bool IsIntNode(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && IsInt(FromNode(v));

    /// <summary>Spec "Truthy and falsy values": true / false, or null when a value is neither (e.g. a date-time, a
    /// number literal is always one of them).</summary>
    public static bool? Boolsiness(object? value) => value switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0,
        double d => double.IsNaN(d) ? null : d != 0,
        JsonArray a => a.Count > 0,
        object?[] a => a.Length > 0,
        JsonObject o => o.Count > 0,
        ReduceScope => true,
        _ => null,
    };

    /// <summary>JavaScript's <c>===</c>: value equality on primitives, identity on objects, arrays and date-times.</summary>
    public static bool StrictEquals(object? l, object? r) => (l, r) switch
    {
        (null, null) => true,
        (double a, double b) => a == b,
        (string a, string b) => string.Equals(a, b, StringComparison.Ordinal),
        (bool a, bool b) => a == b,
        _ => l is not null && r is not null && !(l is double or string or bool) && ReferenceEquals(l, r),
    };

    /// <summary>The items of an array value, or null when the value is not an array.</summary>
    public static IEnumerable<object?>? Items(object? value) => value switch
    {
        object?[] a => a,
        JsonArray a => a.Select(FromNode),
        _ => null,
    };

    /// <summary>JavaScript's <c>String(value)</c>, for the reference implementation's messages.</summary>
    public static string JsString(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        double d => JsNumber(d),
        string s => s,
        object?[] a => string.Join(",", a.Select(x => x is null ? "" : JsString(x))),
        JsonArray a => string.Join(",", a.Select(x => x is null ? "" : JsString(FromNode(x)))),
        CertLogicDateTime t => t.ToString(),
        _ => "[object Object]",
    };

    /// <summary>JavaScript's Number::toString (ECMA-262 §6.1.6.1.20); the finite case is Vc.JsonLd's (one
    /// implementation for JCS, rdf:JSON and CertLogic), the non-finite ones (a "+" can overflow) are JavaScript's names.</summary>
    public static string JsNumber(double d) =>
        double.IsNaN(d) ? "NaN"
        : double.IsPositiveInfinity(d) ? "Infinity"
        : double.IsNegativeInfinity(d) ? "-Infinity"
        : Vc.JsonLd.EcmaScriptNumber.Format(d);

    /// <summary>A run-time value as JSON (date-times as their ISO 8601 form, JavaScript's Date.toJSON).</summary>
    public static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        bool b => JsonValue.Create(b),
        double d => IsInt(d) && Math.Abs(d) < 9e15 ? JsonValue.Create((long)d) : JsonValue.Create(d),
        string s => JsonValue.Create(s),
        JsonNode n => n.DeepClone(),
        object?[] a => new JsonArray(a.Select(ToNode).ToArray()),
        CertLogicDateTime t => JsonValue.Create(t.ToString()),
        ReduceScope s => new JsonObject { ["accumulator"] = ToNode(s.Accumulator), ["current"] = ToNode(s.Current) },
        _ => throw new InvalidOperationException("not a CertLogic value"),
    };

    /// <summary>Spec "Data access (var)": drills into the data along the path's fragments, as the reference
    /// implementation does (an integer fragment indexes; anything missing is null).</summary>
    public static object? Access(object? data, string[] fragments)
    {
        var current = data;
        foreach (var fragment in fragments)
        {
            if (current is null) return null;
            current = Property(current, fragment);
        }
        return current;
    }

    private static object? Property(object value, string fragment)
    {
        // JavaScript: parseInt(fragment, 10), then value[index] — an object's key is then the index's own text.
        var index = JsParseInt(fragment);
        var key = index is { } i ? i.ToString(CultureInfo.InvariantCulture) : fragment;
        switch (value)
        {
            case JsonObject o:
                return o.TryGetPropertyValue(key, out var n) ? FromNode(n) : null;
            case JsonArray a:
                if (index is { } ai) return ai >= 0 && ai < a.Count ? FromNode(a[(int)ai]) : null;
                return key == "length" ? (double)a.Count : null;
            case object?[] a:
                if (index is { } bi) return bi >= 0 && bi < a.Length ? a[bi] : null;
                return key == "length" ? (double)a.Length : null;
            case string s:
                if (index is { } si) return si >= 0 && si < s.Length ? s[(int)si].ToString() : null;
                return key == "length" ? (double)s.Length : null;
            case ReduceScope scope:
                return key switch { "accumulator" => scope.Accumulator, "current" => scope.Current, _ => null };
            default:
                return null;
        }
    }

    /// <summary>JavaScript's parseInt(s, 10): optional whitespace and sign, then the leading decimal digits.</summary>
    private static long? JsParseInt(string s)
    {
        var i = 0;
        while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
        var negative = false;
        if (i < s.Length && (s[i] == '+' || s[i] == '-')) { negative = s[i] == '-'; i++; }
        var start = i;
        long value = 0;
        while (i < s.Length && s[i] is >= '0' and <= '9')
        {
            if (value > int.MaxValue) return negative ? long.MinValue : long.MaxValue; // beyond any index or key we hold
            value = value * 10 + (s[i] - '0');
            i++;
        }
        if (i == start) return null;
        return negative ? -value : value;
    }
}

/// <summary>The data context a reduce lambda sees: <c>{ "accumulator": …, "current": … }</c> (spec "Reduction").</summary>
internal sealed record ReduceScope(object? Accumulator, object? Current);
