using System.Text.Json;

namespace Vc.JsonLd;

[Flags]
internal enum Container : byte
{
    None = 0,
    List = 1,
    Set = 2,
    Index = 4,
    Language = 8,
    Graph = 16,
    Id = 32,
    Type = 64,
}

/// <summary>A term definition (JSON-LD 1.1 API §4.1). Immutable once its active context is complete.</summary>
internal sealed class TermDefinition
{
    public string? Iri;
    public bool Prefix;
    public bool Protected;
    public bool Reverse;
    public string? TypeMapping;
    public bool HasLanguage;
    public string? Language;
    public bool HasDirection;
    public string? Direction;
    public Container Container;
    public string? Index;
    public string? Nest;
    public bool HasLocalContext;
    public JsonElement LocalContext;
    public string? BaseUrl;

    /// <summary>The RDF term of <see cref="Iri"/> when it is a well-formed absolute IRI (set on first use; the
    /// definition is immutable, so every reader computes the same term). Used as a predicate and as a type.</summary>
    public RdfTerm? IriTerm;

    public bool SameAs(TermDefinition o) =>
        Iri == o.Iri && Prefix == o.Prefix && Reverse == o.Reverse && TypeMapping == o.TypeMapping
        && HasLanguage == o.HasLanguage && Language == o.Language && HasDirection == o.HasDirection
        && Direction == o.Direction && Container == o.Container && Index == o.Index && Nest == o.Nest
        && HasLocalContext == o.HasLocalContext
        && (!HasLocalContext || JsonElement.DeepEquals(LocalContext, o.LocalContext));
}

/// <summary>An active context. Built by context processing, then never changed (shared through the cache).</summary>
internal sealed class ActiveContext
{
    public Dictionary<string, TermDefinition> Terms;
    public string? BaseIri;
    public string? OriginalBaseUrl;
    public string? Vocab;
    public string? DefaultLanguage;
    public string? DefaultDirection;
    public ActiveContext? Previous;
    private int _hasProtected = -1;

    /// <summary>Set once the context is complete (returned by context processing): only then is
    /// <see cref="KeyMemo"/> available.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, string?>? KeyMemo { get; private set; }

    public const int MaxMemo = 512;

    public ActiveContext Freeze()
    {
        KeyMemo ??= new System.Collections.Concurrent.ConcurrentDictionary<string, string?>(StringComparer.Ordinal);
        return this;
    }

    public ActiveContext(string? baseIri)
    {
        Terms = new Dictionary<string, TermDefinition>(StringComparer.Ordinal);
        BaseIri = baseIri;
        OriginalBaseUrl = baseIri;
    }

    private ActiveContext(ActiveContext o)
    {
        Terms = new Dictionary<string, TermDefinition>(o.Terms, StringComparer.Ordinal);
        BaseIri = o.BaseIri;
        OriginalBaseUrl = o.OriginalBaseUrl;
        Vocab = o.Vocab;
        DefaultLanguage = o.DefaultLanguage;
        DefaultDirection = o.DefaultDirection;
        Previous = o.Previous;
    }

    public ActiveContext Clone() => new(this);

    public TermDefinition? Get(string? term) =>
        term is not null && Terms.TryGetValue(term, out var d) ? d : null;

    public bool HasProtected
    {
        get
        {
            if (_hasProtected < 0)
            {
                int v = 0;
                foreach (var d in Terms.Values)
                    if (d.Protected) { v = 1; break; }
                _hasProtected = v;
            }
            return _hasProtected == 1;
        }
    }

    public void InvalidateProtected() => _hasProtected = -1;

    private (string Keyword, string[] Terms)[]? _keywordAliases;

    /// <summary>Whether <paramref name="key"/> expands (vocab-relative) to <paramref name="keyword"/>: it is the keyword
    /// or a term aliasing it. Answered from the aliases (a context has a handful), found once per (complete,
    /// immutable) context, so expansion tests every key of every object without a term lookup.</summary>
    public bool ExpandsTo(string key, string keyword)
    {
        if (string.Equals(key, keyword, StringComparison.Ordinal)) return true;
        foreach (var (aliased, terms) in _keywordAliases ??= FindKeywordAliases())
        {
            if (!string.Equals(aliased, keyword, StringComparison.Ordinal)) continue;
            foreach (var term in terms)
                if (string.Equals(term, key, StringComparison.Ordinal)) return true;
            return false;
        }
        return false;
    }

    private (string, string[])[] FindKeywordAliases()
    {
        var aliases = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (term, definition) in Terms)
            if (definition.Iri is { Length: > 1 } iri && iri[0] == '@')
            {
                if (!aliases.TryGetValue(iri, out var list)) aliases[iri] = list = [];
                list.Add(term);
            }
        return aliases.Select(a => (a.Key, a.Value.ToArray())).ToArray();
    }
}
