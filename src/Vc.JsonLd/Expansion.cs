using System.Text.Json;
using JList = System.Collections.Generic.List<object?>;

namespace Vc.JsonLd;

/// <summary>The value of an @json-typed @value (kept as JSON until it is canonicalized into an rdf:JSON literal).</summary>
internal sealed class JsonLiteral(JsonElement value)
{
    public JsonElement Value { get; } = value;
}

internal sealed partial class Processor
{
    // ---------------------------------------------------------------- expansion entry point (§9.1 expand())

    /// <param name="document">The document (already parsed, bounded).</param>
    /// <param name="omittedTopLevel">A top-level entry read as absent (see JsonLdProcessor.CanonicalizeOmitting).</param>
    /// <param name="contextOverride">Read as the document's top-level @context, in place of its own (if any).</param>
    public JList ExpandDocument(JsonElement document, string? omittedTopLevel = null, JsonElement? contextOverride = null)
    {
        var ac = BeginDocument(omittedTopLevel, contextOverride);
        var baseIri = _options.Base;
        _root = document.ValueKind == JsonValueKind.Object && (omittedTopLevel is not null || contextOverride is not null);
        var r = Expand(ac, null, document, baseIri, false, 0);
        if (r is JMap m && m.Count == 1 && m.TryGetValue("@graph", out var g)) r = g;
        return r switch
        {
            null => new JList(),
            JList l => l,
            _ => new JList { r },
        };
    }

    // The context a document starts in (§9.1 expand() steps 5–6: the initial context, then the expandContext
    // option), with the top-level entry to omit and the @context to read in place of the document's own.
    private ActiveContext BeginDocument(string? omittedTopLevel, JsonElement? contextOverride)
    {
        _omittedTopLevel = omittedTopLevel;
        _contextOverride = contextOverride;
        var baseIri = _options.Base;
        var ac = InitialContext(baseIri);
        if (_options.ExpandContext is { } ec)
        {
            var ctx = ec.ValueKind == JsonValueKind.Object && ec.TryGetProperty("@context", out var inner) ? inner : ec;
            ac = ProcessContext(ac, ctx, baseIri, "expandContext:" + ctx.GetRawText());
        }
        return ac;
    }

    private string? _omittedTopLevel;
    private JsonElement? _contextOverride;
    private bool _root;

    private void SafeDrop(string what)
    {
        if (_options.SafeMode)
            throw Err(JsonLdErrorCode.TermWouldBeDropped, what);
    }

    private void CheckString(string s)
    {
        if (s.Length > _limits.MaxStringLength)
            throw Err(JsonLdErrorCode.SizeLimitExceeded, $"a string of {s.Length} characters exceeds {_limits.MaxStringLength}");
    }

    private object? Scalar(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                var s = e.GetString()!;
                CheckString(s);
                return s;
            case JsonValueKind.Number:
                if (!e.TryGetDouble(out var d) || !double.IsFinite(d))
                    throw Err(JsonLdErrorCode.InvalidJson, $"number {e.GetRawText()} is out of range");
                return d;
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    private static bool IsScalar(JsonElement e) =>
        e.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False;

    internal static JList AsList(object? v) => v switch
    {
        null => new JList(),
        JList l => l,
        _ => new JList { v },
    };

    internal static void AddValue(JMap obj, string key, object? value)
    {
        if (!obj.TryGetValue(key, out var existing) || existing is not JList list)
        {
            list = existing is null && !obj.ContainsKey(key) ? new JList() : new JList { existing };
            obj[key] = list;
        }
        if (value is JList vl) list.AddRange(vl);
        else list.Add(value);
    }

    private static bool IsGraphObject(JMap m)
    {
        if (!m.ContainsKey("@graph")) return false;
        foreach (var k in m.Keys)
            if (k is not ("@graph" or "@id" or "@index" or "@context")) return false;
        return true;
    }

    // ---------------------------------------------------------------- expansion algorithm (§5.1.2)

    private object? Expand(ActiveContext ac, string? activeProperty, JsonElement element, string? baseUrl, bool fromMap, int depth) =>
        Expand(ac, activeProperty, ac.Get(activeProperty), element, baseUrl, fromMap, depth);

    // apDef: the active property's term definition in ac (the caller has it already).
    private object? Expand(ActiveContext ac, string? activeProperty, TermDefinition? apDef, JsonElement element, string? baseUrl, bool fromMap, int depth)
    {
        if (depth > _limits.MaxDepth)
            throw Err(JsonLdErrorCode.MaxDepthExceeded, $"JSON nested more than {_limits.MaxDepth} deep");
        if (element.ValueKind == JsonValueKind.Null) return null;

        if (IsScalar(element))
        {
            if (activeProperty is null or "@graph")
            {
                SafeDrop("free-floating value " + element.GetRawText());
                return null;
            }
            EnterScalar(ref ac, ref apDef, activeProperty);
            return ExpandValue(ac, activeProperty, apDef, Scalar(element));
        }

        if (element.ValueKind == JsonValueKind.Array)
        {
            var result = new JList(element.GetArrayLength());
            bool listContainer = apDef is not null && (apDef.Container & Container.List) != 0;
            foreach (var item in element.EnumerateArray())
            {
                var e = Expand(ac, activeProperty, apDef, item, baseUrl, fromMap, depth + 1);
                if (listContainer && e is JList el) e = new JMap { ["@list"] = el };
                if (e is JList l2) result.AddRange(l2);
                else if (e is not null) result.Add(e);
            }
            return result;
        }

        // element is a map
        var (props, typeScoped, inputType) = EnterNode(ref ac, apDef, element, baseUrl, fromMap);

        var res = new JMap(props.Length);
        ExpandEntries(ac, typeScoped, activeProperty, props, baseUrl, (inputType, ac), res, depth);

        // value objects, lists and sets (steps 15–19)
        if (res.TryGetValue("@value", out var val))
        {
            foreach (var k in res.Keys)
                if (k is not ("@direction" or "@index" or "@language" or "@type" or "@value"))
                    throw Err(JsonLdErrorCode.InvalidValueObject, $"value object has '{k}'");
            bool hasType = res.TryGetValue("@type", out var typ);
            if (hasType && (res.ContainsKey("@language") || res.ContainsKey("@direction")))
                throw Err(JsonLdErrorCode.InvalidValueObject, "value object with @type and @language/@direction");
            if (hasType && typ is "@json")
            {
                // any JSON value
            }
            else if (val is null)
            {
                return null;
            }
            else if (val is not string && res.ContainsKey("@language"))
                throw Err(JsonLdErrorCode.InvalidLanguageTaggedValue, "@language on a non-string @value");
            else if (hasType && (typ is not string ts || !Iri.IsWellFormed(ts)))
                throw Err(JsonLdErrorCode.InvalidTypedValue, "@type of a value object must be an IRI");
        }
        else if (res.TryGetValue("@type", out var tv) && tv is not JList)
        {
            res["@type"] = new JList { tv };
        }
        else if (res.ContainsKey("@set") || res.ContainsKey("@list"))
        {
            if (res.Count > 2 || (res.Count == 2 && !res.ContainsKey("@index")))
                throw Err(JsonLdErrorCode.InvalidSetOrListObject, "@set/@list with other entries");
            if (res.TryGetValue("@set", out var sv)) return sv;
        }
        if (res.Count == 1 && res.ContainsKey("@language")) return null;
        if (activeProperty is null or "@graph")
        {
            if (res.Count == 0) return null;
            if (res.ContainsKey("@value") || res.ContainsKey("@list"))
            {
                SafeDrop("free-floating value or list");
                return null;
            }
            if (res.Count == 1 && res.ContainsKey("@id")) return null;
        }
        return res;
    }

    /// <summary>The context a map is expanded in (§5.1.2 steps 7–11: reverting a non-propagated context, the
    /// property-scoped, embedded and type-scoped contexts) and its entries; shared by expansion and the direct RDF
    /// path so both read a map the same way. InputType: the last @type value as written (expanded only where a
    /// value object needs it).</summary>
    private ((string Name, JsonElement Value)[] Props, ActiveContext TypeScoped, string? InputType) EnterNode(
        ref ActiveContext ac, TermDefinition? apDef, JsonElement element, string? baseUrl, bool fromMap)
    {
        JsonElement? rootContext = null;
        (string Name, JsonElement Value)[] props;
        if (_root)
        {
            // The document itself, read without its omitted entry and with its @context replaced when asked to
            // (see JsonLdProcessor.CanonicalizeOmitting).
            _root = false;
            rootContext = _contextOverride;
            props = Properties(element, _omittedTopLevel, rootContext is not null);
        }
        else props = Properties(element);
        if (ac.Previous is not null && !fromMap)
        {
            bool revert = true;
            int count = 0;
            bool hasId = false;
            foreach (var p in props)
            {
                count++;
                if (ac.ExpandsTo(p.Name, "@value")) { revert = false; break; }
                if (ac.ExpandsTo(p.Name, "@id")) hasId = true;
            }
            if (revert && count == 1 && hasId) revert = false;
            if (revert) ac = ac.Previous;
        }
        if (apDef is { HasLocalContext: true })
            ac = ProcessContext(ac, apDef.LocalContext, apDef.BaseUrl, apDef, overrideProtected: true);
        if (rootContext is { } rc)
            ac = ProcessContext(ac, rc, baseUrl, rc.GetRawText());
        else
            foreach (var (name, lc) in props)
                if (name == "@context")
                {
                    ac = ProcessContext(ac, lc, baseUrl, lc.GetRawText());
                    break;
                }
        var typeScoped = ac;

        // type-scoped contexts, keys and values in lexicographic order
        List<(string Key, JsonElement Value)>? typeKeys = null;
        foreach (var p in props)
            if (ac.ExpandsTo(p.Name, "@type"))
                (typeKeys ??= new()).Add((p.Name, p.Value));
        string? inputType = null;
        if (typeKeys is not null)
        {
            if (typeKeys.Count > 1) typeKeys.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
            foreach (var (_, v) in typeKeys)
            {
                if (v.ValueKind == JsonValueKind.String)
                {
                    ApplyTypeScoped(ref ac, typeScoped, v.GetString()!);
                    continue;
                }
                if (v.ValueKind != JsonValueKind.Array) continue;
                var terms = new List<string>();
                foreach (var t in v.EnumerateArray())
                    if (t.ValueKind == JsonValueKind.String) terms.Add(t.GetString()!);
                if (terms.Count > 1) terms.Sort(StringComparer.Ordinal);
                foreach (var term in terms) ApplyTypeScoped(ref ac, typeScoped, term);
            }
            var first = typeKeys[0].Value;
            JsonElement last = first;
            if (first.ValueKind == JsonValueKind.Array)
            {
                int n = first.GetArrayLength();
                if (n > 0) last = first[n - 1];
            }
            if (last.ValueKind == JsonValueKind.String) inputType = last.GetString();
        }

        return (props, typeScoped, inputType);
    }

    private void ApplyTypeScoped(ref ActiveContext ac, ActiveContext typeScoped, string type)
    {
        if (typeScoped.Get(type) is { HasLocalContext: true } td)
            ac = ProcessContext(ac, td.LocalContext, td.BaseUrl, td, propagate: false);
    }

    private (string Name, JsonElement Value)[] Properties(JsonElement element, string? omitted = null, bool omitContext = false)
    {
        var props = new (string, JsonElement)[element.GetPropertyCount()];
        int i = 0;
        foreach (var p in element.EnumerateObject())
        {
            var name = _cache.Names.Name(p);
            if (string.Equals(name, omitted, StringComparison.Ordinal) || (omitContext && name == "@context")) continue;
            props[i++] = (name, p.Value);
        }
        return i == props.Length ? props : props[..i];
    }

    /// <summary>IRI expansion of a key (vocab-relative), memoized on the immutable active context.</summary>
    private string? ExpandKey(ActiveContext ac, string key) => ExpandKey(ac, key, out _);

    // definition: the key's term definition, when it is a term.
    private string? ExpandKey(ActiveContext ac, string key, out TermDefinition? definition)
    {
        // §5.2.2 steps 4–5 (vocab-relative): a term expands to its IRI mapping, with no memo needed.
        definition = key.Length > 0 && key[0] == '@' ? null : ac.Get(key);
        if (definition is not null) return Keyword(definition.Iri);
        var memo = ac.KeyMemo;
        if (memo is not null && memo.TryGetValue(key, out var hit)) return hit;
        var r = Keyword(ExpandIri(ac, key, false, true));
        if (memo is not null && memo.Count < ActiveContext.MaxMemo) memo.TryAdd(key, r);
        return r;
    }

    private void ExpandEntries(ActiveContext ac, ActiveContext typeScoped, string? activeProperty,
        (string Name, JsonElement Value)[] props, string? baseUrl, (string? Last, ActiveContext Context) inputType, JMap result, int depth)
    {
        List<(string, JsonElement)>? nests = null;
        foreach (var (key, value) in props)
        {
            if (key == "@context") continue;
            CheckString(key);
            var ep = ExpandKey(ac, key, out var td);
            if (ep is null || (!ep.Contains(':') && !IsKeyword(ep)))
            {
                SafeDrop($"property '{key}' does not expand to an IRI");
                continue;
            }
            if (IsKeyword(ep))
            {
                if (activeProperty == "@reverse")
                    throw Err(JsonLdErrorCode.InvalidReversePropertyMap, $"keyword '{key}' in a reverse property map");
                if (result.ContainsKey(ep) && ep is not ("@included" or "@type"))
                    throw Err(JsonLdErrorCode.CollidingKeywords, $"'{ep}'");
                object? ev;
                switch (ep)
                {
                    case "@id":
                    {
                        if (value.ValueKind != JsonValueKind.String)
                            throw Err(JsonLdErrorCode.InvalidAtIdValue, $"'{key}' must be a string");
                        var s = value.GetString()!;
                        CheckString(s);
                        ev = ExpandIri(ac, s, true, false);
                        if (ev is null) SafeDrop($"@id '{s}'");
                        break;
                    }
                    case "@type":
                    {
                        JList? types = null;
                        if (value.ValueKind == JsonValueKind.String)
                            ev = ExpandType(typeScoped, value.GetString()!);
                        else if (value.ValueKind == JsonValueKind.Array)
                        {
                            types = new JList();
                            foreach (var t in value.EnumerateArray())
                            {
                                if (t.ValueKind != JsonValueKind.String)
                                    throw Err(JsonLdErrorCode.InvalidTypeValue, "@type values must be strings");
                                var x = ExpandType(typeScoped, t.GetString()!);
                                if (x is not null) types.Add(x);
                            }
                            ev = types;
                        }
                        else throw Err(JsonLdErrorCode.InvalidTypeValue, "@type must be a string or an array of strings");
                        if (result.TryGetValue("@type", out var existing))
                        {
                            var merged = new JList(AsList(existing));
                            merged.AddRange(AsList(ev));
                            ev = merged;
                        }
                        break;
                    }
                    case "@graph":
                        ev = AsList(Expand(ac, "@graph", value, baseUrl, false, depth + 1));
                        break;
                    case "@included":
                    {
                        if (_mode10) continue;
                        var inc = AsList(Expand(ac, "@included", value, baseUrl, false, depth + 1));
                        foreach (var i in inc)
                            if (i is not JMap im || im.ContainsKey("@value") || im.ContainsKey("@list") || im.ContainsKey("@set"))
                                throw Err(JsonLdErrorCode.InvalidAtIncludedValue, "@included values must be node objects");
                        if (result.TryGetValue("@included", out var prevInc))
                        {
                            var merged = new JList(AsList(prevInc));
                            merged.AddRange(inc);
                            inc = merged;
                        }
                        ev = inc;
                        break;
                    }
                    case "@value":
                        // §5.1.2 step 13.4.7.1: the input type (the last @type value, expanded) decides @json
                        if (inputType.Last is not null && ExpandIri(inputType.Context, inputType.Last, false, true) == "@json") ev = new JsonLiteral(value.Clone());
                        else if (value.ValueKind == JsonValueKind.Null)
                        {
                            result["@value"] = null;
                            continue;
                        }
                        else if (IsScalar(value)) ev = Scalar(value);
                        else throw Err(JsonLdErrorCode.InvalidValueObjectValue, "@value must be a scalar or null");
                        break;
                    case "@language":
                        if (value.ValueKind != JsonValueKind.String)
                            throw Err(JsonLdErrorCode.InvalidLanguageTaggedString, "@language must be a string");
                        ev = value.GetString();
                        break;
                    case "@direction":
                        if (value.ValueKind != JsonValueKind.String || value.GetString() is not ("ltr" or "rtl"))
                            throw Err(JsonLdErrorCode.InvalidBaseDirection, "@direction must be \"ltr\" or \"rtl\"");
                        ev = value.GetString();
                        break;
                    case "@index":
                        if (value.ValueKind != JsonValueKind.String)
                            throw Err(JsonLdErrorCode.InvalidAtIndexValue, "@index must be a string");
                        ev = value.GetString();
                        break;
                    case "@list":
                        if (activeProperty is null or "@graph")
                        {
                            SafeDrop("free-floating @list");
                            continue;
                        }
                        ev = AsList(Expand(ac, activeProperty, value, baseUrl, false, depth + 1));
                        break;
                    case "@set":
                        ev = Expand(ac, activeProperty, value, baseUrl, false, depth + 1);
                        break;
                    case "@reverse":
                    {
                        if (value.ValueKind != JsonValueKind.Object)
                            throw Err(JsonLdErrorCode.InvalidAtReverseValue, "@reverse must be an object");
                        var r = Expand(ac, "@reverse", value, baseUrl, false, depth + 1) as JMap;
                        if (r is null) continue;
                        if (r.TryGetValue("@reverse", out var rr) && rr is JMap rrm)
                            foreach (var (p, item) in rrm) AddValue(result, p, item);
                        JMap? reverseMap = null;
                        foreach (var (p, items) in r)
                        {
                            if (p == "@reverse") continue;
                            if (reverseMap is null)
                            {
                                if (result.TryGetValue("@reverse", out var rm) && rm is JMap rmm) reverseMap = rmm;
                                else result["@reverse"] = reverseMap = new JMap();
                            }
                            foreach (var item in AsList(items))
                            {
                                if (item is JMap im && (im.ContainsKey("@value") || im.ContainsKey("@list")))
                                    throw Err(JsonLdErrorCode.InvalidReversePropertyValue, $"'{p}'");
                                AddValue(reverseMap, p, item);
                            }
                        }
                        continue;
                    }
                    case "@nest":
                        (nests ??= new()).Add((key, value));
                        continue;
                    default:
                        // framing keywords and the like have no meaning in expansion
                        SafeDrop($"keyword '{ep}' is not used in expansion");
                        continue;
                }
                if (ev is null && ep != "@id") continue;
                result[ep] = ev;
                continue;
            }

            var container = td?.Container ?? Container.None;
            object? expanded;
            if (td?.TypeMapping == "@json")
                expanded = new JMap { ["@value"] = new JsonLiteral(value.Clone()), ["@type"] = "@json" };
            else if ((container & Container.Language) != 0 && value.ValueKind == JsonValueKind.Object)
                expanded = ExpandLanguageMap(ac, td!, value);
            else if ((container & (Container.Index | Container.Type | Container.Id)) != 0 && value.ValueKind == JsonValueKind.Object)
                expanded = ExpandIndexMap(ac, key, td!, value, baseUrl, depth);
            else
                expanded = Expand(ac, key, td, value, baseUrl, false, depth + 1);
            if (expanded is null) continue;
            if ((container & Container.List) != 0 && !(expanded is JMap em && em.ContainsKey("@list")))
                expanded = new JMap { ["@list"] = AsList(expanded) };
            if ((container & Container.Graph) != 0 && (container & (Container.Id | Container.Index)) == 0)
            {
                var wrapped = new JList();
                foreach (var ev in AsList(expanded)) wrapped.Add(new JMap { ["@graph"] = AsList(ev) });
                expanded = wrapped;
            }
            if (td is { Reverse: true })
            {
                JMap reverseMap;
                if (result.TryGetValue("@reverse", out var rm) && rm is JMap rmm) reverseMap = rmm;
                else result["@reverse"] = reverseMap = new JMap();
                foreach (var item in AsList(expanded))
                {
                    if (item is JMap im && (im.ContainsKey("@value") || im.ContainsKey("@list")))
                        throw Err(JsonLdErrorCode.InvalidReversePropertyValue, $"'{key}'");
                    AddValue(reverseMap, ep, item);
                }
            }
            else AddValue(result, ep, expanded);
        }

        if (nests is null) return;
        foreach (var (nestingKey, nv) in nests)
        {
            IEnumerable<JsonElement> items = nv.ValueKind == JsonValueKind.Array ? nv.EnumerateArray() : new[] { nv };
            var nestContext = ac;
            if (ac.Get(nestingKey) is { HasLocalContext: true } ntd)
                nestContext = ProcessContext(ac, ntd.LocalContext, ntd.BaseUrl, ntd, overrideProtected: true);
            foreach (var nested in items)
            {
                if (nested.ValueKind != JsonValueKind.Object)
                    throw Err(JsonLdErrorCode.InvalidAtNestValue, $"'{nestingKey}' must hold objects");
                var nestedProps = Properties(nested);
                foreach (var p in nestedProps)
                    if (ExpandKey(ac, p.Name) == "@value")
                        throw Err(JsonLdErrorCode.InvalidAtNestValue, $"'{nestingKey}' holds a value object");
                ExpandEntries(nestContext, typeScoped, activeProperty, nestedProps, baseUrl, inputType, result, depth + 1);
            }
        }
    }

    private string? ExpandType(ActiveContext typeScoped, string t)
    {
        CheckString(t);
        var x = ExpandIri(typeScoped, t, true, true);
        if (x is null) SafeDrop($"@type '{t}'");
        return x;
    }

    private JList ExpandLanguageMap(ActiveContext ac, TermDefinition td, JsonElement value)
    {
        var ev = new JList();
        var direction = td.HasDirection ? td.Direction : ac.DefaultDirection;
        foreach (var p in value.EnumerateObject())
        {
            var language = p.Name;
            IEnumerable<JsonElement> items = p.Value.ValueKind == JsonValueKind.Array ? p.Value.EnumerateArray() : new[] { p.Value };
            foreach (var item in items)
            {
                if (item.ValueKind == JsonValueKind.Null) continue;
                if (item.ValueKind != JsonValueKind.String)
                    throw Err(JsonLdErrorCode.InvalidLanguageMapValue, $"language '{language}'");
                var s = item.GetString()!;
                CheckString(s);
                var v = new JMap { ["@value"] = s };
                if (language != "@none" && ExpandIri(ac, language, false, true) != "@none") v["@language"] = language;
                if (direction is not null) v["@direction"] = direction;
                ev.Add(v);
            }
        }
        return ev;
    }

    private JList ExpandIndexMap(ActiveContext ac, string key, TermDefinition td, JsonElement value, string? baseUrl, int depth)
    {
        var ev = new JList();
        var container = td.Container;
        var indexKey = td.Index ?? "@index";
        foreach (var p in value.EnumerateObject())
        {
            var index = p.Name;
            CheckString(index);
            ActiveContext mapContext = ac;
            if ((container & Container.Type) != 0)
            {
                mapContext = ac.Previous ?? ac;
                if (mapContext.Get(index) is { HasLocalContext: true } itd)
                    mapContext = ProcessContext(mapContext, itd.LocalContext, itd.BaseUrl, itd, propagate: false);
            }
            var expandedIndex = ExpandIri(ac, index, false, true);
            var items = AsList(Expand(mapContext, key, p.Value, baseUrl, true, depth + 1));
            foreach (var it in items)
            {
                object? item = it;
                if ((container & Container.Graph) != 0 && !(item is JMap gm && IsGraphObject(gm)))
                    item = new JMap { ["@graph"] = AsList(item) };
                if (item is not JMap m)
                {
                    ev.Add(item);
                    continue;
                }
                if ((container & Container.Index) != 0 && indexKey != "@index" && expandedIndex != "@none")
                {
                    var reExpanded = ExpandValue(ac, indexKey, ac.Get(indexKey), index);
                    var eik = ExpandIri(ac, indexKey, false, true)!;
                    var ipv = new JList { reExpanded };
                    if (m.TryGetValue(eik, out var existing)) ipv.AddRange(AsList(existing));
                    m[eik] = ipv;
                    if (m.ContainsKey("@value"))
                        throw Err(JsonLdErrorCode.InvalidValueObject, $"property-valued index on a value object ('{key}')");
                }
                else if ((container & Container.Index) != 0 && !m.ContainsKey("@index") && expandedIndex != "@none")
                    m["@index"] = index;
                else if ((container & Container.Id) != 0 && !m.ContainsKey("@id") && expandedIndex != "@none")
                    m["@id"] = ExpandIri(ac, index, true, false);
                else if ((container & Container.Type) != 0 && expandedIndex != "@none")
                {
                    var types = new JList { expandedIndex };
                    if (m.TryGetValue("@type", out var et)) types.AddRange(AsList(et));
                    m["@type"] = types;
                }
                ev.Add(m);
            }
        }
        return ev;
    }

    // ---------------------------------------------------------------- value expansion (§5.3.2)

    private object? ExpandValue(ActiveContext ac, string activeProperty, TermDefinition? td, object? value)
    {
        var v = ValueParts(ac, td, value);
        if (v.IsReference)
        {
            if (v.Id is null) SafeDrop($"'{activeProperty}' value '{value}' is a reserved keyword form");
            return new JMap { ["@id"] = v.Id };
        }
        var result = new JMap { ["@value"] = value };
        if (v.Type is not null) result["@type"] = v.Type;
        if (v.Language is not null) result["@language"] = v.Language;
        if (v.Direction is not null) result["@direction"] = v.Direction;
        return result;
    }

    // §5.3.2 Value Expansion as its parts (what expansion writes as a value object and the direct RDF path turns
    // into a term): a node reference for an @id/@vocab-typed string, else the value's @type, @language, @direction.
    private readonly record struct ExpandedValue(bool IsReference, string? Id, string? Type, string? Language, string? Direction);

    private ExpandedValue ValueParts(ActiveContext ac, TermDefinition? td, object? value)
    {
        var tm = td?.TypeMapping;
        if (value is string s && tm is "@id" or "@vocab")
            return new ExpandedValue(true, ExpandIri(ac, s, true, tm == "@vocab"), null, null, null);
        if (tm is not null && tm is not ("@id" or "@vocab" or "@none"))
            return new ExpandedValue(false, null, tm, null, null);
        if (value is not string) return default;
        return new ExpandedValue(false, null, null,
            td is { HasLanguage: true } ? td.Language : ac.DefaultLanguage,
            td is { HasDirection: true } ? td.Direction : ac.DefaultDirection);
    }

    // A scalar is expanded in its property's scoped context, if it has one (§5.1.2 step 4.2).
    private void EnterScalar(ref ActiveContext ac, ref TermDefinition? td, string activeProperty)
    {
        if (td is not { HasLocalContext: true }) return;
        ac = ProcessContext(ac, td.LocalContext, td.BaseUrl, td, overrideProtected: true);
        td = ac.Get(activeProperty);
    }
}
