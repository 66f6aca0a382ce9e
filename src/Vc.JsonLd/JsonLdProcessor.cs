using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using JList = System.Collections.Generic.List<object?>;

namespace Vc.JsonLd;

/// <summary>
/// JSON-LD 1.1 processing: parse (bounded), expand, toRdf, and RDFC-1.0 canonicalization of a JSON-LD document.
/// All methods are thread-safe; pass a shared <see cref="ContextCache"/> in <see cref="JsonLdOptions"/> to process
/// each distinct context once.
/// </summary>
public static class JsonLdProcessor
{
    /// <summary>Parses JSON within <paramref name="limits"/>: size, depth, no duplicate keys, UTF-8 and no lone
    /// surrogates (I-JSON; errors: SizeLimitExceeded, MaxDepthExceeded, InvalidJson). Dispose the result.</summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8, JsonLdLimits? limits = null)
    {
        limits ??= JsonLdLimits.Default;
        if (utf8.Length > limits.MaxDocumentBytes)
            throw new JsonLdException(JsonLdErrorCode.SizeLimitExceeded,
                $"document of {utf8.Length} bytes exceeds {limits.MaxDocumentBytes}");
        if (IJson.Violation(utf8.Span) is { } notIJson)
            throw new JsonLdException(JsonLdErrorCode.InvalidJson, "not I-JSON: " + notIJson);
        try
        {
            return JsonDocument.Parse(utf8, new JsonDocumentOptions
            {
                MaxDepth = limits.MaxDepth,
                AllowDuplicateProperties = false,
            });
        }
        catch (JsonException e) when (e.Message.Contains("depth", StringComparison.OrdinalIgnoreCase))
        {
            throw new JsonLdException(JsonLdErrorCode.MaxDepthExceeded, $"JSON nested more than {limits.MaxDepth} deep", e);
        }
        catch (JsonException e)
        {
            throw new JsonLdException(JsonLdErrorCode.InvalidJson, e.Message, e);
        }
    }

    /// <summary>Parses a JSON string (see <see cref="Parse(ReadOnlyMemory{byte}, JsonLdLimits?)"/>).</summary>
    public static JsonDocument Parse(string json, JsonLdLimits? limits = null)
    {
        limits ??= JsonLdLimits.Default;
        if (json.Length > limits.MaxDocumentBytes)
            throw new JsonLdException(JsonLdErrorCode.SizeLimitExceeded,
                $"document of {json.Length} characters exceeds {limits.MaxDocumentBytes}");
        return Parse(Encoding.UTF8.GetBytes(json), limits);
    }

    /// <summary>Expands a document (JSON-LD 1.1 API §5.1) and returns the expanded form (an array).</summary>
    public static JsonArray Expand(JsonElement document, JsonLdOptions? options = null) => Guard(() =>
    {
        var p = new Processor(options ?? JsonLdOptions.Default);
        return (JsonArray)ToNode(p.ExpandDocument(document))!;
    });

    private const string LoneSurrogate = "a string holds a lone UTF-16 surrogate (I-JSON, RFC 7493 §2.1)";

    // A document parsed elsewhere may hold an escaped lone surrogate, which System.Text.Json throws on only when the
    // string is read: that is bad input, reported as such.
    private static T Guard<T>(Func<T> body)
    {
        try { return body(); }
        catch (InvalidOperationException e) when (e.TargetSite?.DeclaringType?.Assembly == typeof(JsonDocument).Assembly)
        {
            throw new JsonLdException(JsonLdErrorCode.InvalidJson, LoneSurrogate + ": " + e.Message, e);
        }
    }

    /// <summary>Converts a document to an RDF dataset (expansion, node map generation, §8.1 Deserialize JSON-LD to
    /// RDF). Blank nodes are labelled b0, b1, …</summary>
    public static IReadOnlyList<RdfQuad> ToRdf(JsonElement document, JsonLdOptions? options = null)
    {
        var quads = ToRdfWithDuplicates(document, options);
        var seen = new HashSet<RdfQuad>(quads.Count);
        var unique = new List<RdfQuad>(quads.Count);
        foreach (var q in quads)
            if (seen.Add(q)) unique.Add(q);
        return unique;
    }

    // Expansion then toRdf (see CanonicalizeOmitting for the omitted entry and the @context read in its place).
    private static List<RdfQuad> ToRdfWithDuplicates(JsonElement document, JsonLdOptions? options,
        string? omittedProperty = null, JsonElement? context = null) => Guard(() =>
    {
        var p = new Processor(options ?? JsonLdOptions.Default);
        return p.ToRdf(p.ExpandDocument(document, omittedProperty, context));
    });

    /// <summary>toRdf followed by RDFC-1.0: the canonical N-Quads of a JSON-LD document.</summary>
    public static RdfcResult Canonicalize(JsonElement document, JsonLdOptions? options = null, RdfcOptions? rdfc = null) =>
        Rdfc10.Canonicalize(DatasetForCanonicalization(document, null, null, options), rdfc);

    /// <summary>The document's dataset as RDFC-1.0 reads it (blank node labels and duplicates do not matter there):
    /// straight from the JSON for plain node objects, else through expansion and toRdf.</summary>
    internal static List<RdfQuad> DatasetForCanonicalization(JsonElement document, string? omittedProperty,
        JsonElement? context, JsonLdOptions? options)
    {
        options ??= JsonLdOptions.Default;
        return new Processor(options).TryToRdfDirect(document, omittedProperty, context)
               ?? ToRdfWithDuplicates(document, options, omittedProperty, context);
    }

    /// <summary>
    /// Canonicalizes <paramref name="document"/> (an object) as if it had no top-level entry named
    /// <paramref name="omittedProperty"/>: e.g. a Data Integrity secured document read as its unsecured document
    /// (VC Data Integrity §4.4 step 2, "proof" removed) without building and re-parsing a copy. The omitted entry may
    /// not be a keyword.
    /// </summary>
    public static RdfcResult CanonicalizeOmitting(JsonElement document, string omittedProperty, JsonLdOptions? options = null, RdfcOptions? rdfc = null) =>
        CanonicalizeOmitting(document, omittedProperty, null, options, rdfc);

    /// <summary>
    /// The same, with <paramref name="context"/> read as the document's top-level @context in place of its own:
    /// e.g. a Data Integrity proof read as its proof configuration ("proofValue" omitted, the secured document's
    /// @context; eddsa-rdfc-2022 §3.2.5), straight from the parsed secured document.
    /// </summary>
    public static RdfcResult CanonicalizeOmitting(JsonElement document, string omittedProperty, JsonElement? context, JsonLdOptions? options = null, RdfcOptions? rdfc = null)
        => Rdfc10.Canonicalize(OmittingDataset(document, omittedProperty, context, options), rdfc);

    /// <summary>The hash of what <see cref="CanonicalizeOmitting(JsonElement, string, JsonElement?, JsonLdOptions?, RdfcOptions?)"/>
    /// returns, without keeping the canonical document: what Data Integrity's rdfc cryptosuites sign.</summary>
    public static byte[] HashCanonicalOmitting(JsonElement document, string omittedProperty, JsonElement? context,
        HashAlgorithmName hash, JsonLdOptions? options = null, RdfcOptions? rdfc = null)
        => Rdfc10.HashCanonical(OmittingDataset(document, omittedProperty, context, options), hash, rdfc);

    private static List<RdfQuad> OmittingDataset(JsonElement document, string omittedProperty, JsonElement? context, JsonLdOptions? options)
    {
        ArgumentNullException.ThrowIfNull(omittedProperty);
        if (omittedProperty.StartsWith('@'))
            throw new ArgumentException("A keyword entry cannot be omitted.", nameof(omittedProperty));
        return DatasetForCanonicalization(document, omittedProperty, context, options);
    }

    /// <summary>Parses (bounded) and canonicalizes a JSON-LD document given as UTF-8 bytes.</summary>
    public static RdfcResult Canonicalize(ReadOnlyMemory<byte> utf8Json, JsonLdOptions? options = null, RdfcOptions? rdfc = null)
    {
        using var doc = Parse(utf8Json, (options ?? JsonLdOptions.Default).Limits);
        return Canonicalize(doc.RootElement, options, rdfc);
    }

    internal static JsonNode? ToNode(object? v) => v switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        double d => d % 1 == 0 && Math.Abs(d) < 1e15 ? JsonValue.Create((long)d) : JsonValue.Create(d),
        JsonLiteral j => JsonNode.Parse(j.Value.GetRawText()) ?? JsonValue.Create((string?)null),
        JList l => ToArray(l),
        JMap m => ToObject(m),
        _ => throw new InvalidOperationException("unexpected " + v.GetType()),
    };

    private static JsonArray ToArray(JList l)
    {
        var a = new JsonArray();
        foreach (var item in l) a.Add(ToNode(item));
        return a;
    }

    private static JsonObject ToObject(JMap m)
    {
        var o = new JsonObject();
        foreach (var (k, v) in m) o[k] = ToNode(v);
        return o;
    }
}
