using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using JList = System.Collections.Generic.List<object?>;
using JMap = System.Collections.Generic.Dictionary<string, object?>;

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
    private Dictionary<(JMap, string), HashSet<string>>? _seen;
    private List<RdfQuad>? _quads;

    private string IssueBlank(string? existing)
    {
        _bnodeMap ??= new Dictionary<string, string>(StringComparer.Ordinal);
        if (existing is not null && _bnodeMap.TryGetValue(existing, out var id)) return id;
        id = "_:b" + _bnodeCounter.ToString(CultureInfo.InvariantCulture);
        _bnodeCounter++;
        if (existing is not null) _bnodeMap[existing] = id;
        return id;
    }

    // ---------------------------------------------------------------- node map generation (§7.2.2)

    private void NodeMap(object? element, Dictionary<string, Dictionary<string, JMap>> nodeMap, string activeGraph,
        object? activeSubject, string? activeProperty, JList? list)
    {
        if (element is JList l)
        {
            foreach (var item in l) NodeMap(item, nodeMap, activeGraph, activeSubject, activeProperty, list);
            return;
        }
        if (element is not JMap el) return;
        if (!nodeMap.TryGetValue(activeGraph, out var graph)) nodeMap[activeGraph] = graph = new Dictionary<string, JMap>(StringComparer.Ordinal);
        JMap? subjectNode = activeSubject is string sid ? graph[sid] : null;

        if (el.ContainsKey("@value"))
        {
            if (list is null) AddUnique(subjectNode!, activeProperty!, el, ValueKey(el));
            else list.Add(el);
            return;
        }
        if (el.TryGetValue("@list", out var lv))
        {
            var inner = new JList();
            var result = new JMap { ["@list"] = inner };
            NodeMap(lv, nodeMap, activeGraph, activeSubject, activeProperty, inner);
            if (list is null) AddValue(subjectNode!, activeProperty!, result);
            else list.Add(result);
            return;
        }

        if (el.TryGetValue("@id", out var nullId) && nullId is null) return; // {"@id": null}: reserved value, ignored
        string id = el.TryGetValue("@id", out var idv) && idv is string ids
            ? (Iri.IsBlank(ids) ? IssueBlank(ids) : ids)
            : IssueBlank(null);
        if (!graph.TryGetValue(id, out var node)) graph[id] = node = new JMap { ["@id"] = id };

        if (activeSubject is JMap reference)
            AddUnique(node, activeProperty!, reference, "r|" + (string)reference["@id"]!);
        else if (activeProperty is not null)
        {
            var r = new JMap { ["@id"] = id };
            if (list is null) AddUnique(subjectNode!, activeProperty, r, "r|" + id);
            else list.Add(r);
        }
        if (el.TryGetValue("@type", out var types))
            foreach (var t in AsList(types))
                if (t is string ts)
                {
                    var ty = Iri.IsBlank(ts) ? IssueBlank(ts) : ts;
                    AddUnique(node, "@type", ty, ty);
                }
        if (el.TryGetValue("@index", out var ix))
        {
            if (node.TryGetValue("@index", out var existing) && !Equals(existing, ix))
                throw Err(JsonLdErrorCode.ConflictingIndexes, $"node '{id}'");
            node["@index"] = ix;
        }
        if (el.TryGetValue("@reverse", out var rev) && rev is JMap revMap)
        {
            var referenced = new JMap { ["@id"] = id };
            foreach (var (p, values) in revMap)
                foreach (var v in AsList(values))
                    NodeMap(v, nodeMap, activeGraph, referenced, p, null);
        }
        if (el.TryGetValue("@graph", out var g)) NodeMap(g, nodeMap, id, null, null, null);
        if (el.TryGetValue("@included", out var inc)) NodeMap(inc, nodeMap, activeGraph, null, null, null);
        foreach (var (p, v) in el)
        {
            if (p is "@id" or "@type" or "@index" or "@reverse" or "@graph" or "@included") continue;
            var prop = Iri.IsBlank(p) ? IssueBlank(p) : p;
            if (!node.ContainsKey(prop)) node[prop] = new JList();
            NodeMap(v, nodeMap, activeGraph, id, prop, null);
        }
    }

    private void AddUnique(JMap node, string property, object value, string key)
    {
        _seen ??= new Dictionary<(JMap, string), HashSet<string>>();
        if (!_seen.TryGetValue((node, property), out var set))
        {
            _seen[(node, property)] = set = new HashSet<string>(StringComparer.Ordinal);
            if (node.TryGetValue(property, out var existing))
                foreach (var e in AsList(existing))
                    if (e is JMap em) set.Add(em.ContainsKey("@value") ? ValueKey(em) : em.TryGetValue("@id", out var i) && em.Count == 1 ? "r|" + i : "x|" + set.Count);
                    else if (e is string es) set.Add(es);
        }
        if (set.Add(key)) AddValue(node, property, value);
    }

    private static string ValueKey(JMap v)
    {
        var sb = new StringBuilder("v|");
        var val = v["@value"];
        sb.Append(val switch
        {
            string s => "s" + s,
            double d => "n" + d.ToString("R", CultureInfo.InvariantCulture),
            bool b => b ? "t" : "f",
            JsonLiteral j => "j" + Jcs(j.Value),
            _ => "0",
        });
        foreach (var k in new[] { "@type", "@language", "@direction", "@index" })
            sb.Append('|').Append(v.TryGetValue(k, out var x) ? x as string ?? "?" : "\0");
        return sb.ToString();
    }

    // ---------------------------------------------------------------- deserialize JSON-LD to RDF (§8.1.2)

    public List<RdfQuad> ToRdf(JList expanded)
    {
        var nodeMap = new Dictionary<string, Dictionary<string, JMap>>(StringComparer.Ordinal)
        {
            ["@default"] = new Dictionary<string, JMap>(StringComparer.Ordinal),
        };
        NodeMap(expanded, nodeMap, "@default", null, null, null);
        _quads = new List<RdfQuad>();
        foreach (var (graphName, graph) in nodeMap)
        {
            RdfTerm g;
            if (graphName == "@default") g = RdfTerm.DefaultGraph;
            else if (ToNode(graphName) is { } gt) g = gt;
            else continue;
            foreach (var (subject, node) in graph)
            {
                var s = ToNode(subject);
                if (s is null) continue;
                foreach (var (property, values) in node)
                {
                    if (property == "@type")
                    {
                        foreach (var t in AsList(values))
                            if (t is string ts && ToNode(ts) is { } tt) Emit(s, s_rdfType, tt, g);
                        continue;
                    }
                    if (IsKeyword(property)) continue;
                    if (Iri.IsBlank(property))
                    {
                        SafeDrop($"blank node property '{property}' (generalized RDF)");
                        continue;
                    }
                    if (!Iri.IsWellFormed(property))
                    {
                        SafeDrop($"property '{property}' is not an absolute IRI");
                        continue;
                    }
                    var p = RdfTerm.Iri(property);
                    foreach (var item in AsList(values))
                        if (ObjectToRdf(item, g) is { } o) Emit(s, p, o, g);
                }
            }
        }
        return _quads;
    }

    private void Emit(RdfTerm s, RdfTerm p, RdfTerm o, RdfTerm g)
    {
        if (_quads!.Count >= _limits.MaxQuads)
            throw Err(JsonLdErrorCode.SizeLimitExceeded, $"more than {_limits.MaxQuads} quads");
        _quads.Add(new RdfQuad(s, p, o, g));
    }

    private RdfTerm? ToNode(string id)
    {
        if (Iri.IsBlank(id)) return RdfTerm.Blank(id.Substring(2));
        if (Iri.IsWellFormed(id)) return RdfTerm.Iri(id);
        SafeDrop($"'{id}' is not an absolute IRI (relative IRIs cannot be converted to RDF without a base)");
        return null;
    }

    private RdfTerm? ObjectToRdf(object? item, RdfTerm graph)
    {
        if (item is not JMap m) return null;
        if (m.TryGetValue("@list", out var lv)) return ListToRdf(AsList(lv), graph);
        if (!m.TryGetValue("@value", out var value))
            return m.TryGetValue("@id", out var id) && id is string ids ? ToNode(ids) : null;

        string? datatype = m.TryGetValue("@type", out var dt) ? dt as string : null;
        if (datatype is not null && datatype != "@json" && !Iri.IsWellFormed(datatype))
        {
            SafeDrop($"datatype '{datatype}' is not an absolute IRI");
            return null;
        }
        string? language = m.TryGetValue("@language", out var lg) ? lg as string : null;
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
        return RdfTerm.Literal(lexical, language is null ? datatype : null, language);
    }

    private RdfTerm ListToRdf(JList list, RdfTerm graph)
    {
        if (list.Count == 0) return s_rdfNil;
        var nodes = new RdfTerm[list.Count];
        for (int i = 0; i < nodes.Length; i++) nodes[i] = RdfTerm.Blank(IssueBlank(null).Substring(2));
        for (int i = 0; i < nodes.Length; i++)
        {
            if (ObjectToRdf(list[i], graph) is { } o) Emit(nodes[i], s_rdfFirst, o, graph);
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
    private static void ShortestDigits(double d, out string digits, out int point)
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

    /// <summary>Canonical xsd:double lexical form (e.g. 1.1E0, 1.0E21, -5.0E-7).</summary>
    internal static string CanonicalDouble(double d)
    {
        if (double.IsNaN(d)) return "NaN";
        if (double.IsInfinity(d)) return d > 0 ? "INF" : "-INF";
        if (d == 0) return "0.0E0";
        ShortestDigits(d, out var digits, out var point);
        var sb = new StringBuilder();
        if (d < 0) sb.Append('-');
        sb.Append(digits[0]).Append('.');
        sb.Append(digits.Length > 1 ? digits.AsSpan(1) : "0");
        sb.Append('E').Append((point - 1).ToString(CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    /// <summary>ECMAScript Number::toString (what JCS, RFC 8785, uses for numbers).</summary>
    internal static string EcmaNumber(double d)
    {
        if (d == 0) return "0";
        if (double.IsNaN(d) || double.IsInfinity(d))
            throw Err(JsonLdErrorCode.InvalidJsonLiteral, "NaN/Infinity in a JSON literal");
        ShortestDigits(d, out var digits, out var n);
        int k = digits.Length;
        var sb = new StringBuilder();
        if (d < 0) sb.Append('-');
        if (k <= n && n <= 21) sb.Append(digits).Append('0', n - k);
        else if (0 < n && n <= 21) sb.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        else if (-6 < n && n <= 0) sb.Append("0.").Append('0', -n).Append(digits);
        else
        {
            sb.Append(digits[0]);
            if (k > 1) sb.Append('.').Append(digits, 1, k - 1);
            sb.Append('e').Append(n - 1 >= 0 ? "+" : "-").Append(Math.Abs(n - 1).ToString(CultureInfo.InvariantCulture));
        }
        return sb.ToString();
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
        sb.Append('"');
        foreach (char c in s)
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
