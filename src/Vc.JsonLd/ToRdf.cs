using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using JList = System.Collections.Generic.List<object?>;

namespace Vc.JsonLd;

internal sealed partial class Processor
{
    internal const string Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    internal const string Xsd = "http://www.w3.org/2001/XMLSchema#";
    private static readonly RdfTerm s_rdfType = RdfTerm.Iri(Rdf + "type");
    private static readonly RdfTerm s_rdfFirst = RdfTerm.Iri(Rdf + "first");
    private static readonly RdfTerm s_rdfRest = RdfTerm.Iri(Rdf + "rest");
    private static readonly RdfTerm s_rdfNil = RdfTerm.Iri(Rdf + "nil");

    private int _bnodeCounter;
    private Dictionary<string, string>? _bnodeMap;
    private Dictionary<string, string>? _nodeIndexes;
    private List<RdfQuad>? _quads;

    // One term per blank node label of the document; IRI terms are shared by all documents (ContextCache.IriTerm).
    private Dictionary<string, RdfTerm>? _blanks;

    private RdfTerm? WellFormedIri(string iri) => _cache.IriTerm(iri);

    private RdfTerm BlankTerm(string id)
    {
        _blanks ??= new Dictionary<string, RdfTerm>(StringComparer.Ordinal);
        if (!_blanks.TryGetValue(id, out var term)) _blanks[id] = term = RdfTerm.Blank(id.Substring(2));
        return term;
    }

    // A blank node no identifier refers to (a node object without @id): labelled from the same counter, never looked up.
    private RdfTerm FreshBlank() => RdfTerm.Blank("b" + (_bnodeCounter++).ToString(CultureInfo.InvariantCulture));

    private string IssueBlank(string? existing)
    {
        _bnodeMap ??= new Dictionary<string, string>(StringComparer.Ordinal);
        if (existing is not null && _bnodeMap.TryGetValue(existing, out var id)) return id;
        id = "_:b" + _bnodeCounter.ToString(CultureInfo.InvariantCulture);
        _bnodeCounter++;
        if (existing is not null) _bnodeMap[existing] = id;
        return id;
    }

    // ---------------------------------------------------------------- deserialize JSON-LD to RDF (§7.2 + §8.1)
    //
    // Node map generation followed by §8.1 yields, as a set of quads, exactly the triples of each node object with
    // its (relabelled) subject in its graph: merging nodes that share an @id only deduplicates. So the quads are
    // emitted straight from the expanded form; blank node identifiers are relabelled as node map generation does,
    // @index conflicts are still detected, and duplicates are left to the consumer (RDFC-1.0 removes them).

    public List<RdfQuad> ToRdf(JList expanded)
    {
        _quads = new List<RdfQuad>(32);
        foreach (var item in expanded)
            if (item is JMap m) EmitTop(m, RdfTerm.DefaultGraph);
        return _quads;
    }

    private void EmitTop(JMap m, RdfTerm? graph)
    {
        if (m.ContainsKey("@value")) return;
        if (m.TryGetValue("@list", out var lv))
        {
            // a free-floating list still makes its node objects
            foreach (var item in AsList(lv)) ObjectToRdf(item, graph);
            return;
        }
        EmitNode(m, graph);
    }

    /// <summary>Emits the triples of a node object into <paramref name="graph"/> (null: a graph that cannot be
    /// named, whose triples are dropped) and returns its subject term (null when it has none).</summary>
    private RdfTerm? EmitNode(JMap node, RdfTerm? graph)
    {
        string id;
        if (node.TryGetValue("@id", out var idv))
        {
            if (idv is null) return null; // {"@id": null}: reserved keyword form, ignored
            var ids = (string)idv;
            id = Iri.IsBlank(ids) ? IssueBlank(ids) : ids;
        }
        else id = IssueBlank(null);
        var s = ToNode(id);
        bool emit = s is not null && graph is not null;

        foreach (var (key, value) in node)
        {
            switch (key)
            {
                case "@id":
                    continue;
                case "@type":
                    foreach (var t in AsList(value))
                    {
                        if (t is not string ts) continue;
                        var tt = ToNode(Iri.IsBlank(ts) ? IssueBlank(ts) : ts);
                        if (emit && tt is not null) Emit(s!, s_rdfType, tt, graph!);
                    }
                    continue;
                case "@index":
                {
                    _nodeIndexes ??= new Dictionary<string, string>(StringComparer.Ordinal);
                    var ix = (string)value!;
                    if (_nodeIndexes.TryGetValue(id, out var existing) && existing != ix)
                        throw Err(JsonLdErrorCode.ConflictingIndexes, $"node '{id}' has @index '{existing}' and '{ix}'");
                    _nodeIndexes[id] = ix;
                    continue;
                }
                case "@reverse":
                    if (value is JMap rev)
                        foreach (var (p, values) in rev)
                        {
                            var pt = PropertyTerm(p);
                            foreach (var v in AsList(values))
                            {
                                if (v is not JMap vm) continue;
                                var o = EmitNode(vm, graph);
                                if (o is not null && emit && pt is not null) Emit(o, pt, s!, graph!);
                            }
                        }
                    continue;
                case "@graph":
                {
                    RdfTerm? g = s;
                    foreach (var item in AsList(value))
                        if (item is JMap gm) EmitTop(gm, g);
                    continue;
                }
                case "@included":
                    foreach (var item in AsList(value))
                        if (item is JMap im) EmitNode(im, graph);
                    continue;
            }
            if (IsKeyword(key)) continue;
            var pterm = PropertyTerm(key);
            foreach (var item in AsList(value))
            {
                var o = ObjectToRdf(item, graph);
                if (o is not null && emit && pterm is not null) Emit(s!, pterm, o, graph!);
            }
        }
        return s;
    }

    private RdfTerm? PropertyTerm(string property)
    {
        if (Iri.IsBlank(property))
        {
            SafeDrop($"blank node property '{property}' (generalized RDF)");
            return null;
        }
        if (WellFormedIri(property) is { } term) return term;
        SafeDrop($"property '{property}' is not an absolute IRI");
        return null;
    }

    private void Emit(RdfTerm s, RdfTerm p, RdfTerm o, RdfTerm g)
    {
        if (_quads!.Count >= _limits.MaxQuads)
            throw Err(JsonLdErrorCode.SizeLimitExceeded, $"more than {_limits.MaxQuads} quads");
        _quads.Add(new RdfQuad(s, p, o, g));
    }

    private RdfTerm? ToNode(string id)
    {
        if (Iri.IsBlank(id)) return BlankTerm(id);
        if (WellFormedIri(id) is { } term) return term;
        SafeDrop($"'{id}' is not an absolute IRI (relative IRIs cannot be converted to RDF without a base)");
        return null;
    }

    private RdfTerm? ObjectToRdf(object? item, RdfTerm? graph)
    {
        if (item is not JMap m) return null;
        if (m.TryGetValue("@list", out var lv)) return ListToRdf(AsList(lv), graph);
        if (!m.TryGetValue("@value", out var value)) return EmitNode(m, graph);

        string? datatype = m.TryGetValue("@type", out var dt) ? dt as string : null;
        string? language = m.TryGetValue("@language", out var lg) ? lg as string : null;
        string? direction = m.TryGetValue("@direction", out var dir) ? dir as string : null;
        return LiteralTerm(value, datatype, language, direction);
    }

    /// <summary>§8.1.5 Object to RDF Conversion of a value object's @value, @type, @language and @direction (null:
    /// no literal, the triple is dropped).</summary>
    private RdfTerm? LiteralTerm(object? value, string? datatype, string? language, string? direction)
    {
        if (datatype is not null && datatype != "@json" && WellFormedIri(datatype) is null)
        {
            SafeDrop($"datatype '{datatype}' is not an absolute IRI");
            return null;
        }
        if (language is not null && !IsWellFormedLanguage(language))
        {
            SafeDrop($"language tag '{language}' is not well-formed");
            return null;
        }
        string lexical;
        if (datatype == "@json")
        {
            lexical = value is JsonLiteral jl ? Jcs(jl.Value) : "null";
            datatype = Rdf + "JSON";
        }
        else if (value is bool b)
        {
            lexical = b ? "true" : "false";
            datatype ??= Xsd + "boolean";
        }
        else if (value is double d)
        {
            if (d % 1 != 0 || Math.Abs(d) >= 1e21 || datatype == Xsd + "double")
            {
                lexical = CanonicalDouble(d);
                datatype ??= Xsd + "double";
            }
            else
            {
                lexical = d == 0 ? "0" : new BigInteger(d).ToString(CultureInfo.InvariantCulture);
                datatype ??= Xsd + "integer";
            }
        }
        else if (value is string s)
        {
            lexical = s;
            datatype ??= language is not null ? RdfTerm.RdfLangString : RdfTerm.XsdString;
        }
        else return null;
        if (_options.RdfDirection == "i18n-datatype" && direction is string ds && value is string)
            return RdfTerm.Literal(lexical,
                "https://www.w3.org/ns/i18n#" + (language?.ToLowerInvariant() ?? "") + "_" + ds);
        return RdfTerm.Literal(lexical, language is null ? datatype : null, language);
    }

    private RdfTerm ListToRdf(JList list, RdfTerm? graph)
    {
        if (list.Count == 0) return s_rdfNil;
        var nodes = new RdfTerm[list.Count];
        for (int i = 0; i < nodes.Length; i++) nodes[i] = RdfTerm.Blank(IssueBlank(null).Substring(2));
        for (int i = 0; i < nodes.Length; i++)
        {
            var o = ObjectToRdf(list[i], graph);
            if (graph is null) continue;
            if (o is not null) Emit(nodes[i], s_rdfFirst, o, graph);
            Emit(nodes[i], s_rdfRest, i + 1 < nodes.Length ? nodes[i + 1] : s_rdfNil, graph);
        }
        return nodes[0];
    }

    internal static bool IsWellFormedLanguage(string s)
    {
        // BCP47-shaped: alpha 1–8, then -alphanum 1–8 subtags
        int i = 0, n = s.Length, seg = 0;
        bool first = true;
        for (; i <= n; i++)
        {
            if (i == n || s[i] == '-')
            {
                if (seg == 0 || seg > 8) return false;
                seg = 0;
                first = false;
                continue;
            }
            char c = s[i];
            if (first ? !char.IsAsciiLetter(c) : !char.IsAsciiLetterOrDigit(c)) return false;
            seg++;
        }
        return n > 0;
    }

    // ---------------------------------------------------------------- numbers

    /// <summary>Shortest round-trip decimal digits of |d| (no leading/trailing zeros) and the position of the decimal
    /// point: |d| = 0.DIGITS × 10^point.</summary>
    internal static void ShortestDigits(double d, out string digits, out int point)
    {
        var s = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        int e = 0;
        int ei = s.IndexOfAny(['E', 'e']);
        if (ei >= 0)
        {
            e = int.Parse(s.AsSpan(ei + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            s = s.Substring(0, ei);
        }
        int dot = s.IndexOf('.');
        string intPart = dot < 0 ? s : s.Substring(0, dot);
        string frac = dot < 0 ? "" : s.Substring(dot + 1);
        var all = intPart + frac;
        point = intPart.Length + e;
        int lead = 0;
        while (lead < all.Length && all[lead] == '0') lead++;
        all = all.Substring(lead);
        point -= lead;
        digits = all.TrimEnd('0');
    }

    /// <summary>Canonical xsd:double lexical form of §8.6 Object to RDF Conversion (step 10, "canonical lexical form of
    /// an xsd:double") as jsonld.js, pyld and RDF.rb write it: ECMAScript Number.prototype.toExponential(15)
    /// (ECMA-262 §21.1.3.2: the 16 significant digits nearest the exact binary value, the larger on a tie), then the
    /// mantissa's trailing zeros removed keeping one digit after the point, and the exponent without "+" or leading
    /// zeros: 1.1E0, 1.0E21, 7.999999999999999E23 (8e23), 4.940656458412465E-324. A zero, also -0 (toExponential
    /// writes no sign for it, nor does jsonld.js), is 0.0E0. The one formatter of both the expansion + toRdf path and
    /// the direct path (DirectRdf.cs, through LiteralTerm).</summary>
    internal static string CanonicalDouble(double d)
    {
        if (double.IsNaN(d)) return "NaN";
        if (double.IsInfinity(d)) return d > 0 ? "INF" : "-INF";
        if (d == 0) return "0.0E0";
        double a = Math.Abs(d);
        // .NET's "E15" is the exact value correctly rounded to 16 significant digits, but a tie goes to the even digit
        // where toExponential (ECMA-262 §21.1.3.2 step 10.a, "pick the e and n for which n × 10^(e–f) is larger")
        // rounds up. A tie is an exact value of 17 significant digits ending in 5: "E16" then shows it exactly.
        Span<char> digits = stackalloc char[17];
        int exponent;
        Span<char> buf = stackalloc char[32];
        if (!a.TryFormat(buf, out int len, "E16", CultureInfo.InvariantCulture)) throw new InvalidOperationException("E16");
        if (buf[17] == '5' && IsExactly17Digits(a, buf[..len]))
        {
            // d.dddddddddddddddd5E±x: the first 16 digits plus one unit in the last place (carry through 9s)
            digits[0] = buf[0];
            buf.Slice(2, 15).CopyTo(digits[1..]);
            exponent = ParseExponent(buf[19..len]);
            int i = 15;
            while (i >= 0 && digits[i] == '9') digits[i--] = '0';
            if (i >= 0) digits[i]++;
            else { digits[0] = '1'; exponent++; }
        }
        else
        {
            if (!a.TryFormat(buf, out len, "E15", CultureInfo.InvariantCulture)) throw new InvalidOperationException("E15");
            digits[0] = buf[0];
            buf.Slice(2, 15).CopyTo(digits[1..]);
            exponent = ParseExponent(buf[18..len]);
        }
        int last = 15;
        while (last > 1 && digits[last] == '0') last--;
        var sb = new StringBuilder(24);
        if (d < 0) sb.Append('-');
        sb.Append(digits[0]).Append('.').Append(digits[1..(last + 1)]).Append('E').Append(exponent.ToString(CultureInfo.InvariantCulture));
        return sb.ToString();

        static int ParseExponent(ReadOnlySpan<char> s) => int.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    }

    /// <summary>Whether the positive finite <paramref name="a"/> equals the 17-digit decimal <paramref name="e16"/>
    /// ("d.ddddddddddddddddE±x", as .NET's "E16" writes it) exactly: m × 2^q = M × 10^k, compared as integers.</summary>
    private static bool IsExactly17Digits(double a, ReadOnlySpan<char> e16)
    {
        long bits = BitConverter.DoubleToInt64Bits(a);
        int biased = (int)(bits >> 52) & 0x7FF;
        long m = bits & 0xF_FFFF_FFFF_FFFFL;
        int q;
        if (biased == 0) q = -1074; // subnormal
        else { m |= 1L << 52; q = biased - 1075; }
        Span<char> mantissa = stackalloc char[17];
        mantissa[0] = e16[0];
        e16.Slice(2, 16).CopyTo(mantissa[1..]);
        var bigM = BigInteger.Parse(mantissa, NumberStyles.None, CultureInfo.InvariantCulture);
        int k = int.Parse(e16[19..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) - 16;
        // m × 2^q × 10^(-k) = M, every power moved to the side where it is non-negative
        var left = new BigInteger(m) << Math.Max(q, 0);
        if (k < 0) left *= BigInteger.Pow(10, -k);
        var right = bigM << Math.Max(-q, 0);
        if (k > 0) right *= BigInteger.Pow(10, k);
        return left == right;
    }

    /// <summary>ECMAScript Number::toString (what JCS, RFC 8785, uses for numbers).</summary>
    internal static string EcmaNumber(double d)
    {
        if (double.IsNaN(d) || double.IsInfinity(d))
            throw Err(JsonLdErrorCode.InvalidJsonLiteral, "NaN/Infinity in a JSON literal");
        return EcmaScriptNumber.Format(d);
    }

    // ---------------------------------------------------------------- JSON Canonicalization Scheme (RFC 8785)

    internal static string Jcs(JsonElement e)
    {
        var sb = new StringBuilder();
        WriteJcs(sb, e);
        return sb.ToString();
    }

    private static void WriteJcs(StringBuilder sb, JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
            {
                var props = new List<(string, JsonElement)>();
                foreach (var p in e.EnumerateObject()) props.Add((p.Name, p.Value));
                props.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1));
                sb.Append('{');
                for (int i = 0; i < props.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    WriteJcsString(sb, props[i].Item1);
                    sb.Append(':');
                    WriteJcs(sb, props[i].Item2);
                }
                sb.Append('}');
                break;
            }
            case JsonValueKind.Array:
            {
                sb.Append('[');
                bool first = true;
                foreach (var item in e.EnumerateArray())
                {
                    if (!first) sb.Append(',');
                    first = false;
                    WriteJcs(sb, item);
                }
                sb.Append(']');
                break;
            }
            case JsonValueKind.String:
                WriteJcsString(sb, e.GetString()!);
                break;
            case JsonValueKind.Number:
                sb.Append(EcmaNumber(e.GetDouble()));
                break;
            case JsonValueKind.True:
                sb.Append("true");
                break;
            case JsonValueKind.False:
                sb.Append("false");
                break;
            default:
                sb.Append("null");
                break;
        }
    }

    private static void WriteJcsString(StringBuilder sb, string s)
    {
        if (!JcsString.TryAppend(sb, s))
            throw Err(JsonLdErrorCode.InvalidJsonLiteral, "a JSON literal holds a lone UTF-16 surrogate");
    }
}
