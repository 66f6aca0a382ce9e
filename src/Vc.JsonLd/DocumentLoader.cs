using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text.Json;

namespace Vc.JsonLd;

/// <summary>A loaded JSON-LD document: its final URL and parsed JSON (immutable, safe to share across threads).</summary>
public sealed class RemoteDocument
{
    internal RemoteDocument(string documentUrl, JsonDocument document, string sha256, ReadOnlyMemory<byte> content)
    {
        DocumentUrl = documentUrl;
        Document = document;
        Sha256 = sha256;
        Content = content;
    }

    /// <summary>The document's bytes as served (what resource-integrity digests are computed over).</summary>
    public ReadOnlyMemory<byte> Content { get; }

    /// <summary>The URL the document is served under (used as base URL of the context).</summary>
    public string DocumentUrl { get; }

    /// <summary>The parsed document. Never dispose it: the loader owns it.</summary>
    public JsonDocument Document { get; }

    /// <summary>Lower-case hex SHA-256 of the document bytes.</summary>
    public string Sha256 { get; }
}

/// <summary>
/// An offline document loader: it serves only contexts it was given (the bundled W3C/DI contexts and any the caller
/// adds), never the network. Immutable: <see cref="With(string, byte[], string?)"/> returns a new loader, so one
/// instance can be shared by many threads.
/// </summary>
public sealed class DocumentLoader
{
    private static readonly Lazy<DocumentLoader> s_bundled = new(LoadBundled, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly FrozenDictionary<string, RemoteDocument> _docs;

    private DocumentLoader(FrozenDictionary<string, RemoteDocument> docs)
    {
        _docs = docs;
    }

    /// <summary>A loader with the contexts bundled in this library (shared/contexts), each verified against the
    /// sha256 in its index.json when first built. The instance is immutable.</summary>
    public static DocumentLoader Bundled => s_bundled.Value;

    /// <summary>A loader that serves nothing.</summary>
    public static DocumentLoader Empty { get; } = new(FrozenDictionary<string, RemoteDocument>.Empty);

    /// <summary>The URLs this loader serves.</summary>
    public IEnumerable<string> Urls => _docs.Keys;

    /// <summary>A new loader serving everything this one does plus <paramref name="url"/>. When
    /// <paramref name="sha256"/> (hex) is given the bytes must hash to it, else an <see cref="InvalidDataException"/>
    /// names the URL. The bytes must be a JSON object (a JSON-LD document with @context for a context).</summary>
    public DocumentLoader With(string url, byte[] content, string? sha256 = null) =>
        WithMany(new[] { (url, content, sha256) });

    /// <summary>Adds several documents at once (see <see cref="With(string, byte[], string?)"/>).</summary>
    public DocumentLoader WithMany(IEnumerable<(string Url, byte[] Content, string? Sha256)> documents)
    {
        var d = new Dictionary<string, RemoteDocument>(_docs, StringComparer.Ordinal);
        foreach (var (url, content, sha) in documents)
            d[url] = Make(url, content, sha);
        return new DocumentLoader(d.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>Loads <paramref name="url"/>, or throws a <see cref="JsonLdException"/>
    /// (LoadingRemoteContextFailed) naming the URL: there is no network access.</summary>
    public RemoteDocument Load(string url)
    {
        if (_docs.TryGetValue(url, out var doc)) return doc;
        throw new JsonLdException(JsonLdErrorCode.LoadingRemoteContextFailed,
            $"context URL '{url}' is not bundled (only bundled contexts are served; no network access)");
    }

    /// <summary>True when <paramref name="url"/> is served.</summary>
    public bool Contains(string url) => _docs.ContainsKey(url);

    private static RemoteDocument Make(string url, byte[] content, string? expectedSha)
    {
        var actual = Convert.ToHexStringLower(SHA256.HashData(content));
        if (expectedSha is not null && !string.Equals(actual, expectedSha, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"context '{url}' has sha256 {actual}, expected {expectedSha}");
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(content, new JsonDocumentOptions { MaxDepth = 64, AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"context '{url}' is not valid JSON: {e.Message}", e);
        }
        return new RemoteDocument(url, json, actual, content);
    }

    private static DocumentLoader LoadBundled()
    {
        var asm = typeof(DocumentLoader).Assembly;
        using var idx = JsonDocument.Parse(ReadResource(asm, "index.json"));
        var list = new List<(string, byte[], string?)>();
        foreach (var p in idx.RootElement.EnumerateObject())
        {
            var file = p.Value.GetProperty("file").GetString()!;
            var sha = p.Value.GetProperty("sha256").GetString()!;
            list.Add((p.Name, ReadResource(asm, file), sha));
        }
        return Empty.WithMany(list);
    }

    private static byte[] ReadResource(System.Reflection.Assembly asm, string file)
    {
        using var s = asm.GetManifestResourceStream("Vc.JsonLd.Contexts." + file)
            ?? throw new InvalidDataException("bundled context resource missing: " + file);
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }
}
