using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Vc.Did.Core;

namespace Vc.Did.Web;

/// <summary>Limits of <see cref="DidWebResolver"/>: a DID document is fetched from a server the DID names, so every fetch is bounded.</summary>
public sealed record DidWebOptions
{
    /// <summary>The largest document read (bytes); a longer body is refused without being read further.</summary>
    public int MaxDocumentBytes { get; init; } = 1 << 20;

    /// <summary>How long one resolution may take, redirects and body included.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Redirects followed, each to the same scheme, host and port only.</summary>
    public int MaxRedirects { get; init; } = 3;

    /// <summary>
    /// For tests only: fetch loopback hosts (localhost, 127.0.0.0/8) over plain http. Every other host is
    /// always fetched over https, as did:web §3.2.2 requires.
    /// </summary>
    public bool AllowHttpLoopback { get; init; }

    /// <summary>The longest a fetched document is reused: a server's Cache-Control max-age is honoured up to this
    /// cap (no max-age, no-cache or no-store: not reused). Zero turns caching off.</summary>
    public TimeSpan MaxCacheAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Most documents kept in the cache (the cache starts over when full).</summary>
    public int MaxCachedDocuments { get; init; } = 256;

    /// <summary>Never fetch: resolve only from <see cref="HeldDocuments"/> (e.g. GDHCN DID documents of the trust
    /// store); any other did:web DID is notFound.</summary>
    public bool Offline { get; init; }

    /// <summary>did:web documents held locally (JSON bytes, each keyed by its did:web id; read as DID documents when resolved). Used
    /// instead of fetching in <see cref="Offline"/> mode.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> HeldDocuments { get; init; } = [];
}

/// <summary>
/// What <see cref="DidWebResolver.ReadAsync"/> gives: the published JSON whose id is the DID (did:web §3.2), as read,
/// or the resolution failure. Whether it is also a DID Core document is <see cref="DidWebResolver.ResolveAsync"/>'s concern.
/// </summary>
public sealed record DidWebRead
{
    public ReadOnlyMemory<byte> Json { get; private init; }
    /// <summary>The DID Resolution error when nothing was read (invalidDid, notFound, internalError…).</summary>
    public DidResolutionResult? Failure { get; private init; }

    public static implicit operator DidWebRead(DidResolutionResult failure) => new() { Failure = failure };
    internal static DidWebRead Of(ReadOnlyMemory<byte> json) => new() { Json = json };
}

/// <summary>
/// did:web (W3C CCG did:web method, §3.2 Read): <c>did:web:host[%3Aport][:path…]</c> is read from
/// <c>https://host[:port]/path…/did.json</c>, or <c>https://host[:port]/.well-known/did.json</c> without a path.
/// The document's id must be the DID. A web server keeps no history: DID URL versions are not supported, and the
/// options' versionTime (the credential verifier's proof time) is answered with the current document. Fetched
/// documents are reused for their Cache-Control max-age (capped, on the injected clock); offline, only documents
/// held locally (the trust store's) are answered.
/// </summary>
/// <remarks>
/// Errors (DID Resolution §7.1.2): invalidDid for a malformed identifier, methodNotSupported for another method,
/// notFound for HTTP 404/410, internalError for anything else the server or network does (timeout, TLS failure,
/// another status, a redirect elsewhere, a body too large, not a DID document, a document of another DID).
/// </remarks>
public sealed class DidWebResolver : IDidMethodResolver, IDisposable
{
    private const string Prefix = "did:web:";
    private const int MaxDidLength = 2048;
    // Built on the first did:web resolution: most callers (a one-shot command, a did:key verification) never make one,
    // and setting up the HTTP stack costs a short-lived process tens of milliseconds.
    private readonly Lazy<HttpClient> _http;
    private readonly DidWebOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Published> _held = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (Published Document, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    // A published document as read (a proof over it, e.g. a GDHCN trust list's, is checked on these bytes, not on a
    // re-serialization), read as a DID Core document once, on its first resolution. GDHCN's v1 trust list is a
    // did:web document but not DID Core (string entries in verificationMethod): the bridge reads it, resolution refuses it.
    private sealed class Published(ReadOnlyMemory<byte> json, string source)
    {
        public ReadOnlyMemory<byte> Json { get; } = json;
        private readonly Lazy<DidResolutionResult> _resolved = new(() =>
        {
            try
            {
                using var parsed = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
                return new DidResolutionResult(DidJson.ParseDocument(parsed.RootElement), DidDocumentMetadata.Empty, new DidResolutionMetadata());
            }
            catch (FormatException e) { return DidResolutionResult.Failure(DidResolutionErrors.InternalError, $"{source} is not a DID document: {e.Message}"); }
        });
        public DidResolutionResult Resolved => _resolved.Value;
    }

    // did:web §3.2: the document must be the DID's own, or any server could speak for any DID. The id of a JSON
    // object, or null.
    private static string? IdOf(ReadOnlyMemory<byte> json)
    {
        using var parsed = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        return parsed.RootElement.ValueKind == JsonValueKind.Object && parsed.RootElement.TryGetProperty("id", out var id)
            && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
    }

    /// <param name="handler">
    /// The HTTP handler (e.g. one trusting a test certificate); null for a handler that does not follow redirects
    /// itself. A given handler that does follow them is checked after the fact: an answer from another host is refused.
    /// </param>
    /// <param name="options">Limits; null for the defaults (1 MB, 10 s, https only).</param>
    /// <param name="time">The clock of the timeout.</param>
    public DidWebResolver(HttpMessageHandler? handler = null, DidWebOptions? options = null, TimeProvider? time = null)
    {
        _options = options ?? new DidWebOptions();
        _time = time ?? TimeProvider.System;
        var timeout = _options.Timeout;
        _http = new Lazy<HttpClient>(() => CreateClient(handler, timeout));
        foreach (var held in _options.HeldDocuments)
        {
            // Checked now, so a bad trust-store file fails at start-up rather than at a verification.
            var id = IdOf(held) ?? throw new FormatException("a held did:web document must be a JSON object with an id");
            if (!id.StartsWith(Prefix, StringComparison.Ordinal) || !TryDocumentUrl(id, false, out _, out _))
                throw new FormatException($"a held did:web document must have a did:web id, not {CompositeDidResolver.Truncate(id)}");
            _held[id] = new Published(held, "the held document of " + CompositeDidResolver.Truncate(id));
        }
    }

    /// <summary>The DIDs of the held documents.</summary>
    public IReadOnlyCollection<string> Held => _held.Keys;

    // The one place did:web's HTTP client is built (an outbound-fetch guard wraps the handler here).
    private static HttpClient CreateClient(HttpMessageHandler? handler, TimeSpan connectTimeout) => new(handler is null
        ? new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = connectTimeout, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }
        : handler, disposeHandler: handler is null)
    {
        // The resolution's own deadline (on the injected clock) bounds the whole exchange instead.
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    };

    public string Method => "web";

    public async Task<DidResolutionResult> ResolveAsync(string did, DidResolutionOptions? options = null, CancellationToken ct = default)
    {
        var accept = options?.Accept;
        if (accept is not null && accept != "application/did+ld+json" && accept != "application/did+json")
            return DidResolutionResult.Failure(DidResolutionErrors.UnsupportedFormat, $"The DID resolver does not support the requested 'accept' format: {accept}");
        var (published, failure) = await ReadPublishedAsync(did, ct).ConfigureAwait(false);
        if (published is null) return failure!;
        return published.Resolved.DidDocument is { } document ? Answer(document, accept) : published.Resolved;
    }

    /// <summary>
    /// The JSON published for the DID, as read (held, cached or fetched under the same checks and limits as
    /// <see cref="ResolveAsync"/>): for callers that check a proof over the document itself, such as the trust bridge
    /// importing a GDHCN did:web trust list.
    /// </summary>
    public async Task<DidWebRead> ReadAsync(string did, CancellationToken ct = default)
    {
        var (published, failure) = await ReadPublishedAsync(did, ct).ConfigureAwait(false);
        return published is null ? failure! : DidWebRead.Of(published.Json);
    }

    private async Task<(Published? Published, DidResolutionResult? Failure)> ReadPublishedAsync(string did, CancellationToken ct)
    {
        if (!DidUrl.TryParse(did, out var didUrl, out var error))
            return (null, DidResolutionResult.Failure(DidResolutionErrors.InvalidDid, error));
        if (didUrl.Method != Method)
            return (null, DidResolutionResult.Failure(DidResolutionErrors.MethodNotSupported, $"not a did:web DID: {CompositeDidResolver.Truncate(did)}"));
        // A fragment names a part of the document; a path or query would ask the server for something else.
        if (didUrl.Path.Length > 0 || didUrl.Query is not null)
            return (null, DidResolutionResult.Failure(DidResolutionErrors.InvalidDid, $"did:web resolves DIDs, not DID URLs with a path or query: {CompositeDidResolver.Truncate(did)}"));
        var bare = didUrl.Did;
        if (!TryDocumentUrl(bare, _options.AllowHttpLoopback, out var url, out error))
            return (null, DidResolutionResult.Failure(DidResolutionErrors.InvalidDid, error));

        if (_options.Offline)
            return _held.TryGetValue(bare, out var held)
                ? (held, null)
                : (null, DidResolutionResult.Failure(DidResolutionErrors.NotFound, $"offline: no held document for {CompositeDidResolver.Truncate(bare)}"));
        if (_cache.TryGetValue(bare, out var cached))
        {
            if (_time.GetUtcNow() < cached.Expires) return (cached.Document, null);
            _cache.TryRemove(bare, out _);
        }

        using var deadline = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        byte[] body;
        TimeSpan? maxAge;
        try
        {
            var fetched = await FetchAsync(url, linked.Token).ConfigureAwait(false);
            if (fetched.Error is not null) return (null, DidResolutionResult.Failure(fetched.Error, fetched.Message!));
            body = fetched.Body!;
            maxAge = fetched.MaxAge;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The deadline, or the handler's own connect timeout: the caller did not cancel.
            return (null, DidResolutionResult.Failure(DidResolutionErrors.InternalError, $"{url} did not answer within {_options.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s"));
        }
        catch (HttpRequestException e)
        {
            // Connection refused, DNS, TLS (an untrusted or mismatched certificate), a broken response.
            return (null, DidResolutionResult.Failure(DidResolutionErrors.InternalError, $"{url}: {e.Message}"));
        }

        string? id;
        try { id = IdOf(body); }
        catch (JsonException e) { return (null, DidResolutionResult.Failure(DidResolutionErrors.InternalError, $"{url} is not JSON: {e.Message}")); }
        if (id is null) return (null, DidResolutionResult.Failure(DidResolutionErrors.InternalError, $"{url} is not a DID document: no id"));
        // did:web §3.2: the document must be the DID's own, or any server could speak for any DID.
        if (!string.Equals(id, bare, StringComparison.Ordinal))
            return (null, DidResolutionResult.Failure(DidResolutionErrors.InternalError,
                $"{url} holds the document of {CompositeDidResolver.Truncate(id)}, not of {CompositeDidResolver.Truncate(bare)}"));

        var published = new Published(body, url.ToString());
        // RFC 9111 §5.2.2.1 max-age, capped: a document is reused until then (the cache holds the checked document).
        if (maxAge is { } age && age > TimeSpan.Zero && _options.MaxCacheAge > TimeSpan.Zero)
        {
            if (_cache.Count >= _options.MaxCachedDocuments) _cache.Clear();
            _cache[bare] = (published, _time.GetUtcNow() + (age < _options.MaxCacheAge ? age : _options.MaxCacheAge));
        }
        return (published, null);
    }

    private static DidResolutionResult Answer(DidDocument document, string? accept)
    {
        if (accept == "application/did+json") document = document with { Context = null };
        return new DidResolutionResult(document, DidDocumentMetadata.Empty,
            new DidResolutionMetadata { ContentType = document.Context is null ? "application/did+json" : "application/did+ld+json" });
    }

    private sealed record Fetched(byte[]? Body, string? Error = null, string? Message = null, TimeSpan? MaxAge = null);

    private async Task<Fetched> FetchAsync(Uri url, CancellationToken ct)
    {
        var current = url;
        for (var redirects = 0; ; redirects++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            request.Headers.Accept.ParseAdd("application/did+ld+json, application/did+json;q=0.9, application/json;q=0.8");
            using var response = await _http.Value.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            // A caller's handler may follow redirects itself: the answer must still come from the DID's own origin.
            if (response.RequestMessage?.RequestUri is { } answered && !SameOrigin(answered, url))
                return new(null, DidResolutionErrors.InternalError, $"{url} was redirected to {answered.GetLeftPart(UriPartial.Authority)}");
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                var next = new Uri(current, location);
                if (!SameOrigin(next, url))
                    return new(null, DidResolutionErrors.InternalError, $"{url} redirects to {next.GetLeftPart(UriPartial.Authority)}: redirects leave the DID's host only at its own risk, not ours");
                if (redirects >= _options.MaxRedirects)
                    return new(null, DidResolutionErrors.InternalError, $"{url}: more than {_options.MaxRedirects} redirects");
                current = next;
                continue;
            }
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
                return new(null, DidResolutionErrors.NotFound, $"{current} answered {status}");
            if (!response.IsSuccessStatusCode)
                return new(null, DidResolutionErrors.InternalError, $"{current} answered {status}");
            if (response.Content.Headers.ContentLength > _options.MaxDocumentBytes)
                return new(null, DidResolutionErrors.InternalError, $"{current}: the document is larger than {_options.MaxDocumentBytes} bytes");
            var body = await ReadBoundedAsync(response.Content, ct).ConfigureAwait(false);
            var cacheControl = response.Headers.CacheControl;
            // no-store / no-cache: never reused. Age (RFC 9111 §5.1) is what shared caches on the way already spent.
            var maxAge = cacheControl is { NoStore: false, NoCache: false, MaxAge: { } m } ? m - (response.Headers.Age ?? TimeSpan.Zero) : (TimeSpan?)null;
            return body is null
                ? new(null, DidResolutionErrors.InternalError, $"{current}: the document is larger than {_options.MaxDocumentBytes} bytes")
                : new(body, MaxAge: maxAge);
        }
    }

    /// <summary>The body, or null once it passes the size cap (a missing or false Content-Length does not help a server).</summary>
    private async Task<byte[]?> ReadBoundedAsync(HttpContent content, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > _options.MaxDocumentBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    /// <summary>
    /// did:web §3.2.1 steps 1–5: the method-specific id's ':' become '/', a percent-encoded port colon is decoded,
    /// https:// goes in front, /.well-known when there is no path, /did.json at the end.
    /// </summary>
    internal static bool TryDocumentUrl(string did, bool allowHttpLoopback, [NotNullWhen(true)] out Uri? url, [NotNullWhen(false)] out string? error)
    {
        url = null;
        if (did.Length > MaxDidLength || !did.StartsWith(Prefix, StringComparison.Ordinal))
        {
            error = $"not a did:web DID: {CompositeDidResolver.Truncate(did)}";
            return false;
        }
        var segments = did[Prefix.Length..].Split(':');
        var authority = segments[0];
        string host = authority;
        int? port = null;
        var portAt = authority.IndexOf("%3A", StringComparison.OrdinalIgnoreCase);
        if (portAt >= 0)
        {
            host = authority[..portAt];
            if (!int.TryParse(authority.AsSpan(portAt + 3), NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
            {
                error = $"did:web port is not a number from 1 to 65535: {CompositeDidResolver.Truncate(did)}";
                return false;
            }
            port = p;
        }
        if (!IsHostName(host))
        {
            error = $"did:web domain name is not a host name: {CompositeDidResolver.Truncate(did)}";
            return false;
        }
        var path = segments.AsSpan(1);
        foreach (var segment in path)
        {
            // did:web idchar (ALPHA / DIGIT / "." / "-" / "_" / pct-encoded); "." and ".." would climb the server's tree.
            if (segment.Length == 0 || segment is "." or ".." || !IsPathSegment(segment))
            {
                error = $"did:web path segment '{(segment.Length <= 40 ? segment : segment[..40] + "…")}' is not allowed";
                return false;
            }
        }
        var http = allowHttpLoopback && IsLoopback(host);
        var text = (http ? "http://" : "https://") + host + (port is { } n ? ":" + n.ToString(CultureInfo.InvariantCulture) : "")
            + (path.IsEmpty ? "/.well-known" : "/" + string.Join('/', path.ToArray())) + "/did.json";
        if (!Uri.TryCreate(text, UriKind.Absolute, out url))
        {
            error = $"did:web does not give a URL: {CompositeDidResolver.Truncate(did)}";
            return false;
        }
        error = null;
        return true;
    }

    // A DNS name (RFC 1123 labels) or an IPv4 address; did:web names no user info, IPv6 literal or other syntax.
    private static bool IsHostName(string host)
    {
        if (host.Length is 0 or > 253) return false;
        foreach (var label in host.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-') return false;
            foreach (var c in label)
                if (!char.IsAsciiLetterOrDigit(c) && c != '-') return false;
        }
        return true;
    }

    private static bool IsPathSegment(string segment)
    {
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_') continue;
            if (c == '%' && i + 2 < segment.Length && char.IsAsciiHexDigit(segment[i + 1]) && char.IsAsciiHexDigit(segment[i + 2]))
            {
                // An encoded '/' or '\' would add a path level the DID does not show.
                if (segment[i + 1] is '2' && segment[i + 2] is 'f' or 'F' || segment[i + 1] is '5' && segment[i + 2] is 'c' or 'C') return false;
                i += 2;
                continue;
            }
            return false;
        }
        return true;
    }

    private static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));

    public void Dispose()
    {
        if (_http.IsValueCreated) _http.Value.Dispose();
    }
}
