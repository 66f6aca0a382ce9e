using System.Text.Json;

namespace Vc.JsonLd;

/// <summary>One JSON-LD operation's state (not shared between threads): options, cache and the algorithms.</summary>
internal sealed partial class Processor
{
    private readonly JsonLdOptions _options;
    private readonly JsonLdLimits _limits;
    private readonly ContextCache _cache;
    private readonly DocumentLoader _loader;

    /// <summary>processingMode json-ld-1.0: only the 1.0 restrictions (1.1-only features are errors) are applied.</summary>
    private readonly bool _mode10;

    public Processor(JsonLdOptions options)
    {
        _options = options;
        _limits = options.Limits;
        _loader = options.DocumentLoader;
        _cache = options.ContextCache ?? new ContextCache();
        if (options.ProcessingMode == "json-ld-1.0") _mode10 = true;
        else if (options.ProcessingMode != "json-ld-1.1")
            throw Unsupported($"processingMode '{options.ProcessingMode}'");
        if (options.RdfDirection is not (null or "i18n-datatype"))
            throw Unsupported($"rdfDirection '{options.RdfDirection}' (only i18n-datatype)");
        if (options.ProduceGeneralizedRdf)
            throw Unsupported("produceGeneralizedRdf");
    }

    internal static JsonLdException Err(JsonLdErrorCode code, string detail) => new(code, detail);

    internal static JsonLdException Unsupported(string feature) =>
        new(JsonLdErrorCode.UnsupportedFeature, "unsupported JSON-LD feature " + feature);

    public ActiveContext InitialContext(string? baseIri) => _cache.Initial(_loader, baseIri, _mode10);

    // ---------------------------------------------------------------- keywords

    private static readonly HashSet<string> s_keywords = new(StringComparer.Ordinal)
    {
        "@base", "@container", "@context", "@default", "@direction", "@embed", "@explicit", "@first", "@graph",
        "@id", "@import", "@included", "@index", "@json", "@language", "@list", "@nest", "@none", "@omitDefault",
        "@prefix", "@preserve", "@protected", "@propagate", "@requireAll", "@reverse", "@set", "@type", "@value",
        "@version", "@vocab",
    };

    internal static bool IsKeyword(string? s) => s is not null && s.Length > 1 && s[0] == '@' && s_keywords.Contains(s);

    /// <summary>The one instance of a keyword (expanded-form maps are keyed by them and looked up with literals,
    /// which then match by reference); any other string as it is.</summary>
    internal static string? Keyword(string? s) =>
        s is { Length: > 1 } && s[0] == '@' && s_keywords.TryGetValue(s, out var keyword) ? keyword : s;

    internal static bool HasKeywordForm(string s)
    {
        if (s.Length < 2 || s[0] != '@') return false;
        for (int i = 1; i < s.Length; i++)
            if (!char.IsAsciiLetter(s[i])) return false;
        return true;
    }

    // ---------------------------------------------------------------- context processing (§4.1.2)

    /// <summary>Context processing through the cache. <paramref name="source"/> identifies the context value
    /// (raw JSON text or the owning TermDefinition).</summary>
    public ActiveContext ProcessContext(ActiveContext active, JsonElement local, string? baseUrl, object source,
        bool overrideProtected = false, bool propagate = true)
    {
        if (source is string text && text.Length > ContextCache.MaxCachedContextText)
        {
            CountProcessing();
            return ProcessCore(active, local, baseUrl, new List<string>(), overrideProtected, propagate, true, 0).Freeze();
        }
        var key = new ContextCache.Key(active, source, baseUrl, (overrideProtected ? 1 : 0) | (propagate ? 2 : 0));
        if (_cache.TryGet(key, out var cached)) return cached;
        CountProcessing();
        var result = ProcessCore(active, local, baseUrl, new List<string>(), overrideProtected, propagate, true, 0).Freeze();
        _cache.Add(key, result);
        return result;
    }

    private int _processings;

    private void CountProcessing()
    {
        if (++_processings > _limits.MaxContextProcessings)
            throw Err(JsonLdErrorCode.SizeLimitExceeded,
                $"more than {_limits.MaxContextProcessings} contexts had to be processed for one document");
    }

    private ActiveContext ProcessCore(ActiveContext active, JsonElement local, string? baseUrl, List<string> remote,
        bool overrideProtected, bool propagate, bool validateScoped, int depth)
    {
        if (depth > _limits.MaxContextDepth)
            throw Err(JsonLdErrorCode.ContextDepthExceeded, $"contexts nested more than {_limits.MaxContextDepth} deep");
        var result = active.Clone();
        if (local.ValueKind == JsonValueKind.Object && local.TryGetProperty("@propagate", out var prop))
        {
            if (prop.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                throw Err(JsonLdErrorCode.InvalidAtPropagateValue, "@propagate must be true or false");
            propagate = prop.ValueKind == JsonValueKind.True;
        }
        if (!propagate && result.Previous is null) result.Previous = active;

        if (local.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in local.EnumerateArray())
                result = ProcessOne(result, active, item, baseUrl, remote, overrideProtected, propagate, validateScoped, depth);
        }
        else result = ProcessOne(result, active, local, baseUrl, remote, overrideProtected, propagate, validateScoped, depth);
        result.InvalidateProtected();
        return result;
    }

    private ActiveContext ProcessOne(ActiveContext result, ActiveContext active, JsonElement context, string? baseUrl,
        List<string> remote, bool overrideProtected, bool propagate, bool validateScoped, int depth)
    {
        switch (context.ValueKind)
        {
            case JsonValueKind.Null:
            {
                result.InvalidateProtected();
                if (!overrideProtected && result.HasProtected)
                    throw Err(JsonLdErrorCode.InvalidContextNullification, "cannot nullify a context with protected terms");
                var fresh = new ActiveContext(active.OriginalBaseUrl);
                if (!propagate) fresh.Previous = result;
                return fresh;
            }
            case JsonValueKind.String:
            {
                var s = context.GetString()!;
                var url = Iri.Resolve(baseUrl, s);
                if (!validateScoped && remote.Contains(url)) return result;
                if (remote.Count >= _limits.MaxRemoteContexts)
                    throw Err(JsonLdErrorCode.ContextOverflow, $"more than {_limits.MaxRemoteContexts} remote contexts (at '{url}')");
                remote.Add(url);
                var doc = _loader.Load(url);
                var root = doc.Document.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("@context", out var loaded))
                    throw Err(JsonLdErrorCode.InvalidRemoteContext, $"'{url}' has no top-level @context");
                return ProcessCore(result, loaded, doc.DocumentUrl, new List<string>(remote), overrideProtected, true,
                    validateScoped, depth + 1);
            }
            case JsonValueKind.Object when _options.UnwrapEmbeddedContext && context.TryGetProperty("@context", out var inner):
                // jsonld.js compatibility (JsonLdOptions.UnwrapEmbeddedContext): the inner map of a wrapped embedded context.
                if (inner.ValueKind != JsonValueKind.Object)
                    throw Err(JsonLdErrorCode.InvalidLocalContext, "a wrapped embedded @context must be an object");
                return ProcessDefinition(result, inner, baseUrl, remote, overrideProtected, validateScoped, depth);
            case JsonValueKind.Object:
                return ProcessDefinition(result, context, baseUrl, remote, overrideProtected, validateScoped, depth);
            default:
                throw Err(JsonLdErrorCode.InvalidLocalContext, $"a context must be null, a string or an object, not {context.ValueKind}");
        }
    }

    private ActiveContext ProcessDefinition(ActiveContext result, JsonElement contextElement, string? baseUrl,
        List<string> remote, bool overrideProtected, bool validateScoped, int depth)
    {
        var ctx = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in contextElement.EnumerateObject()) ctx[p.Name] = p.Value;

        if (ctx.TryGetValue("@version", out var version))
        {
            if (version.ValueKind != JsonValueKind.Number || version.GetDouble() != 1.1)
                throw Err(JsonLdErrorCode.InvalidAtVersionValue, "@version must be 1.1");
            if (_mode10) throw Err(JsonLdErrorCode.ProcessingModeConflict, "@version 1.1 in json-ld-1.0 mode");
        }
        if (_mode10)
            foreach (var k in new[] { "@import", "@propagate", "@direction" })
                if (ctx.ContainsKey(k)) throw Err(JsonLdErrorCode.InvalidContextEntry, $"{k} in json-ld-1.0 mode");
        if (ctx.TryGetValue("@import", out var import))
        {
            if (import.ValueKind != JsonValueKind.String)
                throw Err(JsonLdErrorCode.InvalidAtImportValue, "@import must be a string");
            var url = Iri.Resolve(baseUrl, import.GetString()!);
            var doc = _loader.Load(url);
            var root = doc.Document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("@context", out var imported)
                || imported.ValueKind != JsonValueKind.Object)
                throw Err(JsonLdErrorCode.InvalidRemoteContext, $"@import '{url}' has no top-level @context object");
            var merged = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var p in imported.EnumerateObject())
            {
                if (p.Name == "@import")
                    throw Err(JsonLdErrorCode.InvalidContextEntry, $"imported context '{url}' has @import");
                merged[p.Name] = p.Value;
            }
            foreach (var (k, v) in ctx) merged[k] = v;
            ctx = merged;
        }
        if (ctx.TryGetValue("@base", out var b) && remote.Count == 0)
        {
            if (b.ValueKind == JsonValueKind.Null) result.BaseIri = null;
            else if (b.ValueKind == JsonValueKind.String)
            {
                var s = b.GetString()!;
                if (Iri.IsAbsolute(s)) result.BaseIri = s;
                else if (result.BaseIri is not null) result.BaseIri = Iri.Resolve(result.BaseIri, s);
                else throw Err(JsonLdErrorCode.InvalidBaseIri, $"relative @base '{s}' without a base IRI");
            }
            else throw Err(JsonLdErrorCode.InvalidBaseIri, "@base must be a string or null");
        }
        if (ctx.TryGetValue("@vocab", out var vocab))
        {
            if (vocab.ValueKind == JsonValueKind.Null) result.Vocab = null;
            else if (vocab.ValueKind == JsonValueKind.String)
            {
                var s = vocab.GetString()!;
                var v = ExpandIri(result, s, documentRelative: true, vocab: true);
                if (v is null || !(Iri.IsAbsolute(v) || Iri.IsBlank(v) || v.Length == 0 || !IsKeyword(v)))
                    throw Err(JsonLdErrorCode.InvalidVocabMapping, $"@vocab '{s}'");
                result.Vocab = v;
            }
            else throw Err(JsonLdErrorCode.InvalidVocabMapping, "@vocab must be a string or null");
        }
        if (ctx.TryGetValue("@language", out var lang))
        {
            if (lang.ValueKind == JsonValueKind.Null) result.DefaultLanguage = null;
            else if (lang.ValueKind == JsonValueKind.String) result.DefaultLanguage = lang.GetString();
            else throw Err(JsonLdErrorCode.InvalidDefaultLanguage, "@language must be a string or null");
        }
        if (ctx.TryGetValue("@direction", out var dir))
        {
            if (dir.ValueKind == JsonValueKind.Null) result.DefaultDirection = null;
            else if (dir.ValueKind == JsonValueKind.String && dir.GetString() is "ltr" or "rtl")
                result.DefaultDirection = dir.GetString();
            else throw Err(JsonLdErrorCode.InvalidBaseDirection, "@direction must be \"ltr\", \"rtl\" or null");
        }
        if (ctx.TryGetValue("@propagate", out var prop) && prop.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            throw Err(JsonLdErrorCode.InvalidAtPropagateValue, "@propagate must be true or false");
        bool protectedDefault = false;
        if (ctx.TryGetValue("@protected", out var prot))
        {
            if (prot.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                throw Err(JsonLdErrorCode.InvalidAtProtectedValue, "@protected must be true or false");
            protectedDefault = prot.ValueKind == JsonValueKind.True;
        }

        var defined = new Defined
        {
            BaseUrl = baseUrl, ProtectedDefault = protectedDefault, OverrideProtected = overrideProtected,
            Remote = remote, ValidateScoped = validateScoped, Depth = depth,
        };
        foreach (var key in ctx.Keys)
        {
            switch (key)
            {
                case "@base": case "@direction": case "@import": case "@language": case "@propagate":
                case "@protected": case "@version": case "@vocab":
                    continue;
            }
            CreateTermDefinition(result, ctx, key, defined, baseUrl, protectedDefault, overrideProtected, remote,
                validateScoped, depth);
        }
        return result;
    }

    // ---------------------------------------------------------------- create term definition (§4.2.2)

    private void CreateTermDefinition(ActiveContext active, Dictionary<string, JsonElement> local, string term,
        Defined defined, string? baseUrl, bool protectedDefault, bool overrideProtected,
        List<string> remote, bool validateScoped, int depth)
    {
        if (defined.TryGetValue(term, out var done))
        {
            if (done) return;
            throw Err(JsonLdErrorCode.CyclicIriMapping, $"term '{term}'");
        }
        if (term.Length == 0) throw Err(JsonLdErrorCode.InvalidTermDefinition, "empty term");
        defined[term] = false;
        var value = local[term];

        if (term == "@type" && _mode10) throw Err(JsonLdErrorCode.KeywordRedefinition, "@type in json-ld-1.0 mode");
        if (term == "@type")
        {
            bool ok = value.ValueKind == JsonValueKind.Object;
            int n = 0;
            if (ok)
                foreach (var p in value.EnumerateObject())
                {
                    n++;
                    if (p.Name == "@container") ok &= p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() == "@set";
                    else if (p.Name != "@protected") ok = false;
                }
            if (!ok || n == 0) throw Err(JsonLdErrorCode.KeywordRedefinition, "@type may only be given @container: @set and @protected");
        }
        else if (IsKeyword(term)) throw Err(JsonLdErrorCode.KeywordRedefinition, $"'{term}'");
        else if (HasKeywordForm(term))
        {
            defined[term] = true; // ignored (reserved form)
            return;
        }

        var previous = active.Get(term);
        active.Terms.Remove(term);

        bool simpleTerm = false;
        JsonElement? idValue = null, reverseValue = null, typeValue = null, containerValue = null, contextValue = null,
            languageValue = null, directionValue = null, nestValue = null, prefixValue = null, indexValue = null,
            protectedValue = null;
        bool idNull = false;
        if (value.ValueKind == JsonValueKind.Null) idNull = true;
        else if (value.ValueKind == JsonValueKind.String)
        {
            idValue = value;
            simpleTerm = true;
        }
        else if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in value.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "@id": if (p.Value.ValueKind == JsonValueKind.Null) idNull = true; else idValue = p.Value; break;
                    case "@reverse": reverseValue = p.Value; break;
                    case "@type": typeValue = p.Value; break;
                    case "@container": containerValue = p.Value; break;
                    case "@context": contextValue = p.Value; break;
                    case "@language": languageValue = p.Value; break;
                    case "@direction": directionValue = p.Value; break;
                    case "@nest": nestValue = p.Value; break;
                    case "@prefix": prefixValue = p.Value; break;
                    case "@index": indexValue = p.Value; break;
                    case "@protected": protectedValue = p.Value; break;
                    default:
                        throw Err(JsonLdErrorCode.InvalidTermDefinition, $"term '{term}' has unknown entry '{p.Name}'");
                }
            }
        }
        else throw Err(JsonLdErrorCode.InvalidTermDefinition, $"term '{term}' must be a string, object or null");

        if (_mode10)
        {
            if (protectedValue is not null || indexValue is not null || contextValue is not null || nestValue is not null
                || prefixValue is not null || directionValue is not null)
                throw Err(JsonLdErrorCode.InvalidTermDefinition, $"term '{term}' uses a 1.1 feature in json-ld-1.0 mode");
            if (containerValue is { } c10 && (c10.ValueKind != JsonValueKind.String
                || c10.GetString() is "@graph" or "@id" or "@type"))
                throw Err(JsonLdErrorCode.InvalidContainerMapping, $"term '{term}' container in json-ld-1.0 mode");
            if (typeValue is { ValueKind: JsonValueKind.String } t10 && t10.GetString() is "@json" or "@none")
                throw Err(JsonLdErrorCode.InvalidTypeMapping, $"term '{term}' @type in json-ld-1.0 mode");
        }
        var def = new TermDefinition();
        if (protectedValue is { } pv)
        {
            if (pv.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                throw Err(JsonLdErrorCode.InvalidAtProtectedValue, $"term '{term}'");
            def.Protected = pv.ValueKind == JsonValueKind.True;
        }
        else if (protectedDefault) def.Protected = true;

        if (typeValue is { } tv)
        {
            if (tv.ValueKind != JsonValueKind.String) throw Err(JsonLdErrorCode.InvalidTypeMapping, $"term '{term}'");
            var type = ExpandIri(active, tv.GetString(), false, true, local, defined);
            if (type is not ("@id" or "@vocab" or "@json" or "@none") && (type is null || !Iri.IsAbsolute(type)))
                throw Err(JsonLdErrorCode.InvalidTypeMapping, $"term '{term}' has @type '{tv.GetString()}'");
            def.TypeMapping = type;
        }

        if (reverseValue is { } rv)
        {
            if (idValue is not null || idNull || nestValue is not null)
                throw Err(JsonLdErrorCode.InvalidReverseProperty, $"term '{term}' has @reverse with @id or @nest");
            if (rv.ValueKind != JsonValueKind.String) throw Err(JsonLdErrorCode.InvalidIriMapping, $"term '{term}' @reverse");
            var rs = rv.GetString()!;
            if (HasKeywordForm(rs))
            {
                defined[term] = true;
                return;
            }
            var iri = ExpandIri(active, rs, false, true, local, defined);
            if (iri is null || !(Iri.IsAbsolute(iri) || Iri.IsBlank(iri)))
                throw Err(JsonLdErrorCode.InvalidIriMapping, $"term '{term}' @reverse '{rs}'");
            def.Iri = iri;
            if (containerValue is { } rc)
            {
                if (!(rc.ValueKind == JsonValueKind.Null
                      || (rc.ValueKind == JsonValueKind.String && rc.GetString() is "@set" or "@index")))
                    throw Err(JsonLdErrorCode.InvalidReverseProperty, $"term '{term}' reverse container");
                if (rc.ValueKind == JsonValueKind.String) def.Container = rc.GetString() == "@set" ? Container.Set : Container.Index;
            }
            def.Reverse = true;
            if (indexValue is { } rix) def.Index = ParseIndex(active, local, defined, term, def, rix);
            FinishTerm(active, term, def, previous, overrideProtected, defined);
            return;
        }

        if (idNull || (idValue is { } iv0 && iv0.ValueKind == JsonValueKind.String && iv0.GetString() != term))
        {
            if (idNull) def.Iri = null;
            else
            {
                var ids = idValue!.Value.GetString()!;
                if (!IsKeyword(ids) && HasKeywordForm(ids))
                {
                    defined[term] = true;
                    return;
                }
                var iri = ExpandIri(active, ids, false, true, local, defined);
                if (iri is null || !(IsKeyword(iri) || Iri.IsAbsolute(iri) || Iri.IsBlank(iri)))
                    throw Err(JsonLdErrorCode.InvalidIriMapping, $"term '{term}' @id '{ids}'");
                if (iri == "@context") throw Err(JsonLdErrorCode.InvalidKeywordAlias, $"term '{term}' aliases @context");
                def.Iri = iri;
                int colon = term.IndexOf(':', 1);
                bool innerColon = colon > 0 && colon < term.Length - 1;
                if (innerColon || term.Contains('/'))
                {
                    defined[term] = true;
                    var expandedTerm = ExpandIri(active, term, false, true, local, defined);
                    if (expandedTerm != iri)
                        throw Err(JsonLdErrorCode.InvalidIriMapping, $"term '{term}' does not expand to its @id '{iri}'");
                }
                if (!term.Contains(':') && !term.Contains('/') && simpleTerm
                    && (Iri.IsBlank(iri) || (iri.Length > 0 && ":/?#[]@".Contains(iri[^1]))))
                    def.Prefix = true;
            }
        }
        else if (idValue is { } iv1 && iv1.ValueKind != JsonValueKind.String)
            throw Err(JsonLdErrorCode.InvalidIriMapping, $"term '{term}' @id must be a string");
        else if (term.IndexOf(':', 1) > 0)
        {
            int colon = term.IndexOf(':', 1);
            var prefix = term.Substring(0, colon);
            var suffix = term.Substring(colon + 1);
            if (local.ContainsKey(prefix))
                CreateTermDefinition(active, local, prefix, defined, baseUrl, protectedDefault, overrideProtected, remote,
                    validateScoped, depth);
            if (active.Get(prefix) is { } pdef && !suffix.StartsWith("//", StringComparison.Ordinal) && prefix != "_")
                def.Iri = pdef.Iri + suffix;
            else def.Iri = term;
        }
        else if (term.Contains('/'))
        {
            var iri = ExpandIri(active, term, false, true);
            if (iri is null || !Iri.IsAbsolute(iri))
                throw Err(JsonLdErrorCode.InvalidIriMapping, $"term '{term}' is a relative IRI");
            def.Iri = iri;
        }
        else if (term == "@type") def.Iri = "@type";
        else if (active.Vocab is not null) def.Iri = active.Vocab + term;
        else throw Err(JsonLdErrorCode.InvalidIriMapping, $"term '{term}' has no IRI and there is no @vocab");

        if (containerValue is { } cv)
        {
            def.Container = ParseContainer(cv, term);
            if ((def.Container & Container.Type) != 0)
            {
                def.TypeMapping ??= "@id";
                if (def.TypeMapping is not ("@id" or "@vocab"))
                    throw Err(JsonLdErrorCode.InvalidTypeMapping, $"term '{term}': @type container needs @type @id or @vocab");
            }
        }

        if (indexValue is { } ixv) def.Index = ParseIndex(active, local, defined, term, def, ixv);

        if (contextValue is { } ctxv)
        {
            // validate the scoped context now (errors surface as invalid scoped context)
            try
            {
                ProcessCore(active, ctxv, baseUrl, new List<string>(remote), true, true, false, depth + 1);
            }
            catch (JsonLdException e) when (e.Code is not (JsonLdErrorCode.ContextDepthExceeded or JsonLdErrorCode.ContextOverflow
                                                or JsonLdErrorCode.LoadingRemoteContextFailed))
            {
                throw new JsonLdException(JsonLdErrorCode.InvalidScopedContext, $"term '{term}': {e.Message}", e);
            }
            def.HasLocalContext = true;
            def.LocalContext = ctxv;
            def.BaseUrl = baseUrl;
        }

        if (languageValue is { } lv && typeValue is null)
        {
            if (lv.ValueKind == JsonValueKind.Null) def.Language = null;
            else if (lv.ValueKind == JsonValueKind.String) def.Language = lv.GetString();
            else throw Err(JsonLdErrorCode.InvalidLanguageMapping, $"term '{term}'");
            def.HasLanguage = true;
        }
        if (directionValue is { } dv && typeValue is null)
        {
            if (dv.ValueKind == JsonValueKind.Null) def.Direction = null;
            else if (dv.ValueKind == JsonValueKind.String && dv.GetString() is "ltr" or "rtl") def.Direction = dv.GetString();
            else throw Err(JsonLdErrorCode.InvalidBaseDirection, $"term '{term}'");
            def.HasDirection = true;
        }
        if (nestValue is { } nv)
        {
            if (nv.ValueKind != JsonValueKind.String || (IsKeyword(nv.GetString()) && nv.GetString() != "@nest"))
                throw Err(JsonLdErrorCode.InvalidAtNestValue, $"term '{term}'");
            def.Nest = nv.GetString();
        }
        if (prefixValue is { } pfv)
        {
            if (term.Contains(':') || term.Contains('/'))
                throw Err(JsonLdErrorCode.InvalidTermDefinition, $"term '{term}' cannot have @prefix");
            if (pfv.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                throw Err(JsonLdErrorCode.InvalidAtPrefixValue, $"term '{term}'");
            def.Prefix = pfv.ValueKind == JsonValueKind.True;
            if (def.Prefix && IsKeyword(def.Iri))
                throw Err(JsonLdErrorCode.InvalidTermDefinition, $"term '{term}' is a keyword alias and a prefix");
        }
        FinishTerm(active, term, def, previous, overrideProtected, defined);
    }

    private string ParseIndex(ActiveContext active, Dictionary<string, JsonElement> local, Defined defined, string term,
        TermDefinition def, JsonElement ixv)
    {
        if ((def.Container & Container.Index) == 0)
            throw Err(JsonLdErrorCode.InvalidTermDefinition, $"term '{term}' has @index without an @index container");
        if (ixv.ValueKind != JsonValueKind.String)
            throw Err(JsonLdErrorCode.InvalidTermDefinition, $"term '{term}' @index must be a string");
        var ix = ixv.GetString()!;
        var ie = ExpandIri(active, ix, false, true, local, defined);
        if (ie is null || IsKeyword(ie) || !Iri.IsAbsolute(ie))
            throw Err(JsonLdErrorCode.InvalidTermDefinition, $"term '{term}' @index '{ix}'");
        return ix;
    }

    private static void FinishTerm(ActiveContext active, string term, TermDefinition def, TermDefinition? previous,
        bool overrideProtected, Defined defined)
    {
        if (!overrideProtected && previous is { Protected: true })
        {
            if (!def.SameAs(previous))
                throw Err(JsonLdErrorCode.ProtectedTermRedefinition, $"protected term '{term}' redefined");
            def = previous;
        }
        active.Terms[term] = def;
        defined[term] = true;
    }

    private static Container ParseContainer(JsonElement cv, string term)
    {
        var c = Container.None;
        int count = 0;
        void Add(JsonElement e)
        {
            if (e.ValueKind != JsonValueKind.String) throw Err(JsonLdErrorCode.InvalidContainerMapping, $"term '{term}'");
            var f = e.GetString() switch
            {
                "@list" => Container.List,
                "@set" => Container.Set,
                "@index" => Container.Index,
                "@language" => Container.Language,
                "@graph" => Container.Graph,
                "@id" => Container.Id,
                "@type" => Container.Type,
                _ => throw Err(JsonLdErrorCode.InvalidContainerMapping, $"term '{term}' container '{e.GetString()}'"),
            };
            if ((c & f) == 0) count++;
            c |= f;
        }
        if (cv.ValueKind == JsonValueKind.Null) return Container.None;
        if (cv.ValueKind == JsonValueKind.Array) foreach (var e in cv.EnumerateArray()) Add(e);
        else Add(cv);
        if (count <= 1) return c;
        bool ok;
        if ((c & Container.List) != 0) ok = false;
        else if ((c & Container.Graph) != 0 && (c & (Container.Id | Container.Index)) != 0)
            ok = (c & ~(Container.Graph | Container.Id | Container.Index | Container.Set)) == 0
                 && (c & (Container.Id | Container.Index)) != (Container.Id | Container.Index);
        else ok = (c & Container.Set) != 0 && count == 2;
        if (!ok) throw Err(JsonLdErrorCode.InvalidContainerMapping, $"term '{term}' container combination");
        return c;
    }

    /// <summary>The "defined" map of context processing, carrying the arguments of the running processing so that
    /// term definitions created on demand (from IRI expansion) get the same ones.</summary>
    internal sealed class Defined : Dictionary<string, bool>
    {
        public Defined() : base(StringComparer.Ordinal) { }
        public string? BaseUrl;
        public bool ProtectedDefault;
        public bool OverrideProtected;
        public List<string> Remote = new();
        public bool ValidateScoped = true;
        public int Depth;
    }

    // ---------------------------------------------------------------- IRI expansion (§5.2.2)

    public string? ExpandIri(ActiveContext active, string? value, bool documentRelative, bool vocab,
        Dictionary<string, JsonElement>? local = null, Defined? defined = null)
    {
        if (value is null || IsKeyword(value)) return value;
        if (HasKeywordForm(value)) return null;
        if (local is not null && local.ContainsKey(value) && (!defined!.TryGetValue(value, out var d) || !d))
            CreateTermDefinition(active, local, value, defined!, defined!.BaseUrl, defined.ProtectedDefault,
                defined.OverrideProtected, defined.Remote, defined.ValidateScoped, defined.Depth);
        var def = active.Get(value);
        if (def is not null && IsKeyword(def.Iri)) return def.Iri;
        if (vocab && def is not null) return def.Iri;
        int colon = value.IndexOf(':', 1 < value.Length ? 1 : 0);
        if (colon > 0)
        {
            var prefixSpan = value.AsSpan(0, colon);
            var suffixSpan = value.AsSpan(colon + 1);
            if (prefixSpan is "_" || suffixSpan.StartsWith("//", StringComparison.Ordinal)) return value;
            TermDefinition? pdef;
            if (local is not null)
            {
                var prefix = value.Substring(0, colon);
                if (local.ContainsKey(prefix) && (!defined!.TryGetValue(prefix, out var pd) || !pd))
                    CreateTermDefinition(active, local, prefix, defined!, defined!.BaseUrl, defined.ProtectedDefault,
                        defined.OverrideProtected, defined.Remote, defined.ValidateScoped, defined.Depth);
                pdef = active.Get(prefix);
            }
            else active.Terms.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(prefixSpan, out pdef);
            if (pdef is { Iri: not null, Prefix: true }) return string.Concat(pdef.Iri, suffixSpan);
            if (Iri.IsAbsolute(value)) return value;
        }
        if (vocab && active.Vocab is not null) return active.Vocab + value;
        if (documentRelative) return Iri.Resolve(active.BaseIri, value);
        return value;
    }
}
