using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.Credentials.Contexts;
using Vc.Credentials.Verification;
using Vc.JsonLd;

namespace Vc.Credentials.DataIntegrity;

/// <summary>
/// <see cref="IRdfCanonicalizer"/> over Vc.JsonLd: safe-mode expansion with the bundled contexts (W3C + this
/// library's ICVP context), toRdf with a null base, RDFC-1.0. Processed contexts are cached per instance;
/// share one instance (it is thread-safe).
/// </summary>
public sealed class JsonLdRdfCanonicalizer : IRdfCanonicalizer
{
    private readonly JsonLdOptions _options;
    private readonly RdfcOptions _sha256 = new() { HashAlgorithm = HashAlgorithmName.SHA256 };
    private readonly RdfcOptions _sha384 = new() { HashAlgorithm = HashAlgorithmName.SHA384 };

    /// <summary>A canonicalizer serving <paramref name="loader"/> (default: <see cref="BundledContexts.Loader"/>).</summary>
    public JsonLdRdfCanonicalizer(DocumentLoader? loader = null)
    {
        _options = new JsonLdOptions
        {
            DocumentLoader = loader ?? BundledContexts.Loader,
            ContextCache = new ContextCache(),
            SafeMode = true,
            Base = null,
            // Documents signed with jsonld.js (the W3C Data Integrity suites' fixtures) may wrap an embedded context.
            UnwrapEmbeddedContext = true,
        };
    }

    /// <inheritdoc/>
    public DocumentLoader? DocumentLoader => _options.DocumentLoader;

    /// <summary>The processed-context cache (hit/miss counters for diagnostics).</summary>
    public ContextCache ContextCache => _options.ContextCache!;

    /// <inheritdoc/>
    public string CanonicalizeJsonLd(JsonObject document, HashAlgorithmName hash)
    {
        ArgumentNullException.ThrowIfNull(document);
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var writer = new Utf8JsonWriter(buffer)) document.WriteTo(writer);
        return CanonicalizeJsonLd(buffer.WrittenMemory, hash);
    }

    /// <inheritdoc/>
    public string CanonicalizeJsonLd(ReadOnlyMemory<byte> utf8Json, HashAlgorithmName hash) =>
        Canonicalize(hash, rdfc => JsonLdProcessor.Canonicalize(utf8Json, _options, rdfc)).CanonicalNQuads;

    /// <inheritdoc/>
    public string CanonicalizeUnsecured(JsonElement securedDocument, HashAlgorithmName hash) =>
        Canonicalize(hash, rdfc => Unsecured(securedDocument, rdfc)).CanonicalNQuads;

    /// <inheritdoc/>
    public byte[] HashCanonicalJsonLd(ReadOnlyMemory<byte> utf8Json, HashAlgorithmName hash) =>
        Cryptosuite.Hash(hash, Canonicalize(hash, rdfc => JsonLdProcessor.Canonicalize(utf8Json, _options, rdfc)).CanonicalUtf8.Span);

    /// <inheritdoc/>
    public byte[] HashCanonicalUnsecured(JsonElement securedDocument, HashAlgorithmName hash) =>
        // DI §4.4 step 2 without a copy: expansion skips the top-level "proof" entry.
        Canonicalize(hash, rdfc => JsonLdProcessor.HashCanonicalOmitting(securedDocument, "proof", null, hash, _options, rdfc));

    /// <inheritdoc/>
    public byte[] HashCanonicalProofConfig(JsonElement proof, JsonElement documentContext, HashAlgorithmName hash) =>
        // Read straight from the parsed proof: no configuration object is built, written or parsed.
        Canonicalize(hash, rdfc => JsonLdProcessor.HashCanonicalOmitting(proof, "proofValue", documentContext, hash, _options, rdfc));

    /// <inheritdoc/>
    public IReadOnlyList<RdfQuad> ToRdf(JsonElement document) =>
        Canonicalize(HashAlgorithmName.SHA256, _ => JsonLdProcessor.ToRdf(document, _options));

    /// <inheritdoc/>
    public RdfcResult CanonicalizeDataset(IReadOnlyList<RdfQuad> dataset) =>
        Canonicalize(HashAlgorithmName.SHA256, rdfc => Rdfc10.Canonicalize(dataset, rdfc));

    // DI §4.4 step 2 without a copy: expansion skips the top-level "proof" entry.
    private RdfcResult Unsecured(JsonElement securedDocument, RdfcOptions rdfc) =>
        JsonLdProcessor.CanonicalizeOmitting(securedDocument, "proof", _options, rdfc);

    // One canonicalization with this instance's options, its failures as typed CanonicalizationExceptions.
    private T Canonicalize<T>(HashAlgorithmName hash, Func<RdfcOptions, T> canonicalize)
    {
        try { return canonicalize(Rdfc(hash)); }
        catch (Exception e) when (Translate(e) is { } translated) { throw translated; }
    }

    private RdfcOptions Rdfc(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA384 ? _sha384 : hash == HashAlgorithmName.SHA256 ? _sha256 : new RdfcOptions { HashAlgorithm = hash };

    // The typed Vc.JsonLd failures as CanonicalizationException; null for anything else (left to propagate).
    private static CanonicalizationException? Translate(Exception exception) => exception switch
    {
        JsonLdException e => new CanonicalizationException(e.Code switch
        {
            JsonLdErrorCode.LoadingRemoteContextFailed or JsonLdErrorCode.LoadingDocumentFailed => ProblemCode.UnknownContext,
            JsonLdErrorCode.TermWouldBeDropped => ProblemCode.UndefinedTerm,
            _ => ProblemCode.ProofTransformationError,
        }, $"JSON-LD {e.SpecCode}: {e.Detail}", e),
        JsonException e => new CanonicalizationException(ProblemCode.ProofTransformationError, "The document is not valid JSON: " + e.Message, e),
        RdfcException e => new CanonicalizationException(ProblemCode.ProofTransformationError, $"RDFC-1.0 {e.Code}: {e.Message}", e),
        _ => null,
    };
}
