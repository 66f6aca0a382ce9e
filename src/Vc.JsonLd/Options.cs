using System.Collections.Concurrent;
using System.Text.Json;

namespace Vc.JsonLd;

/// <summary>Bounds on what one JSON-LD operation may consume; exceeding one raises a typed <see cref="JsonLdException"/>.</summary>
public sealed class JsonLdLimits
{
    public static readonly JsonLdLimits Default = new();

    /// <summary>Deepest JSON nesting accepted (arrays and objects).</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Most remote contexts dereferenced in one chain ("context overflow" beyond it).</summary>
    public int MaxRemoteContexts { get; init; } = 32;

    /// <summary>Deepest nesting of context processing (scoped contexts inside contexts).</summary>
    public int MaxContextDepth { get; init; } = 32;

    /// <summary>Most contexts processed (not found in the cache) for one document: bounds the work an attacker can
    /// cause with many distinct inline contexts.</summary>
    public int MaxContextProcessings { get; init; } = 1000;

    /// <summary>Largest document accepted by the byte/string entry points.</summary>
    public int MaxDocumentBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Longest JSON string (literal, IRI or key) accepted.</summary>
    public int MaxStringLength { get; init; } = 1024 * 1024;

    /// <summary>Most quads toRdf may produce.</summary>
    public int MaxQuads { get; init; } = 100_000;
}

/// <summary>Options for expansion and toRdf.</summary>
public sealed class JsonLdOptions
{
    internal static readonly JsonLdOptions Default = new();

    /// <summary>Serves remote contexts. Default: the bundled contexts only.</summary>
    public DocumentLoader DocumentLoader { get; init; } = DocumentLoader.Bundled;

    /// <summary>Processed-context cache to reuse across calls (thread-safe; share one per loader). Null: a fresh
    /// cache per call (contexts are still processed only once within that call).</summary>
    public ContextCache? ContextCache { get; init; }

    /// <summary>Safe mode (default on): a property, type, @id or value that would be dropped, or an IRI that would
    /// not become an RDF term, raises <see cref="JsonLdErrorCode.TermWouldBeDropped"/> instead of vanishing.</summary>
    public bool SafeMode { get; init; } = true;

    /// <summary>The document's base IRI (null for Data Integrity: relative IRIs then fail in safe mode).</summary>
    public string? Base { get; init; }

    /// <summary>A context applied before the document's own (the API's expandContext option).</summary>
    public JsonElement? ExpandContext { get; init; }

    /// <summary>Only "json-ld-1.1" is supported; anything else raises UnsupportedFeature.</summary>
    public string ProcessingMode { get; init; } = "json-ld-1.1";

    /// <summary>null (default: @direction is not represented in RDF, as in jsonld.js) or "i18n-datatype"
    /// (direction and language in the datatype IRI https://www.w3.org/ns/i18n#lang_dir). "compound-literal" is
    /// unsupported.</summary>
    public string? RdfDirection { get; init; }

    /// <summary>Only false is supported.</summary>
    public bool ProduceGeneralizedRdf { get; init; }

    /// <summary>
    /// jsonld.js compatibility (default off: the JSON-LD 1.1 rule, a keyword redefinition error, W3C test er56): an
    /// embedded context wrapped as {"@context": {…}} is read as its inner map, as jsonld.js does ("dereference @context
    /// key if present"). Data Integrity fixtures signed with jsonld.js use that shape, so the VC stack turns it on.
    /// </summary>
    public bool UnwrapEmbeddedContext { get; init; }

    /// <summary>Resource limits.</summary>
    public JsonLdLimits Limits { get; init; } = JsonLdLimits.Default;
}

/// <summary>
/// Cache of processed contexts: the active context that results from applying a context value (a document's
/// @context, or a type-/property-scoped context) to a given active context. Verifying many credentials with the same
/// contexts then processes them once. Thread-safe; the caller owns and shares the instance. Entries hold only
/// immutable data; when <see cref="Capacity"/> is reached the cache is cleared.
/// </summary>
public sealed class ContextCache
{
    private readonly ConcurrentDictionary<Key, ActiveContext> _processed = new();
    private readonly ConcurrentDictionary<(DocumentLoader, string, bool), ActiveContext> _initial = new();
    private long _hits;
    private long _misses;

    /// <summary>Inline contexts whose JSON text is longer than this are processed but not cached (bounds memory).</summary>
    public const int MaxCachedContextText = 64 * 1024;

    public ContextCache(int capacity = 1024) => Capacity = capacity;

    /// <summary>Most processed contexts kept.</summary>
    public int Capacity { get; }

    /// <summary>Processed contexts held.</summary>
    public int Count => _processed.Count;

    /// <summary>Lookups answered from the cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Lookups that had to process the context.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    public void Clear()
    {
        _processed.Clear();
        _initial.Clear();
        _iris.Clear();
        Names.Clear();
    }

    /// <summary>JSON keys as shared strings (see <see cref="PropertyNames"/>).</summary>
    internal PropertyNames Names { get; } = new();

    private readonly ConcurrentDictionary<string, RdfTerm> _iris = new(StringComparer.Ordinal);
    private int _irisAdded;

    /// <summary>Most IRI terms kept (vocabulary IRIs repeat in every document; one-off IRIs are dropped in bulk).</summary>
    public const int MaxIriTerms = 16_384;

    /// <summary>The term for a well-formed absolute IRI, shared by every document processed with this cache, so its
    /// check, its hash and its N-Quads bytes are computed once; null when <paramref name="iri"/> is not one.</summary>
    internal RdfTerm? IriTerm(string iri)
    {
        if (_iris.TryGetValue(iri, out var term)) return term;
        if (!Iri.IsWellFormed(iri)) return null;
        if (Interlocked.Increment(ref _irisAdded) > MaxIriTerms)
        {
            _iris.Clear();
            Interlocked.Exchange(ref _irisAdded, 0);
        }
        return _iris.GetOrAdd(iri, static i => RdfTerm.Iri(i));
    }

    internal ActiveContext Initial(DocumentLoader loader, string? baseIri, bool mode10)
    {
        // ConcurrentDictionary.Count takes every lock: look up first, count only when adding.
        var key = (loader, baseIri ?? "\0null", mode10);
        if (_initial.TryGetValue(key, out var initial)) return initial;
        if (_initial.Count >= Capacity) _initial.Clear();
        return _initial.GetOrAdd(key, _ => new ActiveContext(baseIri).Freeze());
    }

    internal bool TryGet(in Key key, out ActiveContext ctx)
    {
        if (_processed.TryGetValue(key, out ctx!))
        {
            Interlocked.Increment(ref _hits);
            return true;
        }
        Interlocked.Increment(ref _misses);
        return false;
    }

    internal void Add(in Key key, ActiveContext ctx)
    {
        if (_processed.Count >= Capacity) _processed.Clear();
        _processed.TryAdd(key, ctx);
    }

    /// <summary>Source is the raw JSON text of an inline/URL context, or the TermDefinition owning a scoped context
    /// (compared by reference).</summary>
    internal readonly record struct Key(ActiveContext Active, object Source, string? BaseUrl, int Flags);
}
