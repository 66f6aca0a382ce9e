using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Vc.Did.Net;

/// <summary>
/// What an outbound fetch named by input (a status list URL, a did:web host) may reach, and how much of it.
/// One policy for every such fetch; <see cref="OutboundHandler"/> enforces the addresses at connect time.
/// </summary>
public sealed record OutboundPolicy
{
    public static OutboundPolicy Default { get; } = new();

    /// <summary>The development switch: VCHEALTH_DEV_HTTP=loopback allows plain http to loopback (local test nodes).</summary>
    public const string DevEnvironmentVariable = "VCHEALTH_DEV_HTTP";

    /// <summary>The default policy, with loopback http only when the development switch is set.</summary>
    public static OutboundPolicy FromEnvironment() =>
        Environment.GetEnvironmentVariable(DevEnvironmentVariable) == "loopback" ? Default with { AllowLoopbackHttp = true } : Default;

    /// <summary>Development only: plain http to loopback hosts (and loopback addresses) is allowed.</summary>
    public bool AllowLoopbackHttp { get; init; }
    /// <summary>Networks allowed although private, link-local or loopback (e.g. an intranet status list host).</summary>
    public IReadOnlyList<IPNetwork> AllowedNetworks { get; init; } = [];
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>The whole fetch, redirects included.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
    public long MaxResponseBytes { get; init; } = 1024 * 1024;
    public int MaxRedirects { get; init; } = 3;
    /// <summary>Connections (so requests in flight) to one host at a time; more wait their turn.</summary>
    public int MaxConnectionsPerHost { get; init; } = 4;
    /// <summary>Longest a response is cached, whatever its Cache-Control says (zero: no cache).</summary>
    public TimeSpan MaxCacheAge { get; init; } = TimeSpan.FromMinutes(5);
    public int MaxCacheEntries { get; init; } = 1024;

    // Never reachable from input unless allow-listed: "this" network, private (RFC 1918, RFC 4193), shared/CGNAT
    // (RFC 6598, also Alibaba's metadata 100.100.100.200), loopback, link-local (RFC 3927 / RFC 4291: cloud metadata
    // 169.254.169.254, fe80::/10), IETF protocol assignments, benchmarking, multicast and reserved ranges.
    private static readonly IPNetwork[] Refused =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("224.0.0.0/3"),
        IPNetwork.Parse("::/128"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("ff00::/8"),
        IPNetwork.Parse("64:ff9b:1::/48"),
    ];

    /// <summary>Whether a resolved address may be connected to.</summary>
    public bool Permits(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (AllowedNetworks.Any(n => n.Contains(address))) return true;
        if (AllowLoopbackHttp && IPAddress.IsLoopback(address)) return true;
        return !Refused.Any(n => n.Contains(address));
    }

    /// <summary>Why a URL may not be fetched at all (scheme, credentials), or null.</summary>
    public string? RefusesUrl(Uri url)
    {
        if (!url.IsAbsoluteUri) return $"{url} is not an absolute URL";
        if (url.UserInfo.Length > 0) return $"{url.Scheme}://…@{url.Host}: URLs with credentials are not fetched";
        if (url.Scheme == Uri.UriSchemeHttps) return null;
        if (url.Scheme == Uri.UriSchemeHttp && AllowLoopbackHttp && url.IsLoopback) return null;
        return $"{url.GetLeftPart(UriPartial.Authority)}: only https is fetched" + (url.Scheme == Uri.UriSchemeHttp ? " (http only to loopback, in development)" : "");
    }
}

/// <summary>A fetch the outbound policy refused (which rule, which host or address).</summary>
public sealed class OutboundRefusedException(string message) : Exception(message);

/// <summary>
/// The HTTP handler of every fetch named by input: no automatic redirects (each hop is the caller's, re-checked),
/// connect timeout, connections per host capped, and the host's resolved addresses checked at connect time — the
/// addresses actually connected to, so a DNS answer that changes between a check and the connection (rebinding)
/// cannot reach a refused address.
/// </summary>
public static class OutboundHandler
{
    public static SocketsHttpHandler Create(OutboundPolicy policy) => new()
    {
        AllowAutoRedirect = false,
        ConnectTimeout = policy.ConnectTimeout,
        MaxConnectionsPerServer = policy.MaxConnectionsPerHost,
        MaxResponseHeadersLength = 64, // KB
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        UseProxy = false,
        ConnectCallback = async (context, ct) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);
            if (addresses.Length == 0) throw new OutboundRefusedException($"{host} has no address");
            if (addresses.FirstOrDefault(a => !policy.Permits(a)) is { } refused)
                throw new OutboundRefusedException($"{host} resolves to {refused}, a private, loopback, link-local or metadata address: not fetched");
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}

/// <summary>
/// GETs of URLs named by input under the <see cref="OutboundPolicy"/>: https only, addresses checked at connect time,
/// redirects bounded and each re-checked, size and time caps, a cache honouring Cache-Control (max-age, no-store,
/// no-cache) up to the policy's maximum age. Failures are <see cref="HttpRequestException"/>,
/// <see cref="OutboundRefusedException"/> or <see cref="OperationCanceledException"/> (time cap).
/// </summary>
public sealed class OutboundFetcher : IDisposable
{
    private readonly OutboundPolicy _policy;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly ConcurrentDictionary<string, (byte[] Body, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    public OutboundFetcher(OutboundPolicy? policy = null, TimeProvider? time = null)
    {
        _policy = policy ?? OutboundPolicy.Default;
        _time = time ?? TimeProvider.System;
        // The fetch's own deadline (on the injected clock) bounds the whole exchange.
        _http = new HttpClient(OutboundHandler.Create(_policy)) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    public OutboundPolicy Policy => _policy;

    public async Task<byte[]> GetAsync(Uri url, string accept, CancellationToken ct = default)
    {
        var key = accept + " " + url.AbsoluteUri;
        if (_cache.TryGetValue(key, out var hit) && hit.Expires > _time.GetUtcNow()) return hit.Body;

        using var deadline = new CancellationTokenSource(_policy.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        var current = url;
        for (var redirects = 0; ; redirects++)
        {
            if (_policy.RefusesUrl(current) is { } refusal) throw new OutboundRefusedException(refusal);
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            request.Headers.Accept.ParseAdd(accept);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                if (redirects >= _policy.MaxRedirects) throw new OutboundRefusedException($"{url}: more than {_policy.MaxRedirects} redirects");
                current = new Uri(current, location);
                continue;
            }
            response.EnsureSuccessStatusCode();
            if (response.Content.Headers.ContentLength > _policy.MaxResponseBytes)
                throw new OutboundRefusedException($"{current} is larger than {_policy.MaxResponseBytes} bytes");
            var body = await ReadBoundedAsync(response.Content, current, linked.Token).ConfigureAwait(false);
            if (CacheFor(response.Headers.CacheControl) is { } age && age > TimeSpan.Zero)
            {
                if (_cache.Count >= _policy.MaxCacheEntries)
                    foreach (var stale in _cache.Where(e => e.Value.Expires <= _time.GetUtcNow()).Select(e => e.Key).ToList()) _cache.TryRemove(stale, out _);
                if (_cache.Count < _policy.MaxCacheEntries) _cache[key] = (body, _time.GetUtcNow() + age);
            }
            return body;
        }
    }

    /// <summary>RFC 9111 §5.2.2: max-age (or s-maxage) bounded by the policy; no-store and no-cache are not cached.</summary>
    private TimeSpan? CacheFor(CacheControlHeaderValue? cc)
    {
        if (cc is null || cc.NoStore || cc.NoCache || cc.Private) return null;
        var age = cc.SharedMaxAge ?? cc.MaxAge;
        return age is { } a ? (a < _policy.MaxCacheAge ? a : _policy.MaxCacheAge) : null;
    }

    private async Task<byte[]> ReadBoundedAsync(HttpContent content, Uri url, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > _policy.MaxResponseBytes) throw new OutboundRefusedException($"{url} is larger than {_policy.MaxResponseBytes} bytes");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    public void Dispose() => _http.Dispose();
}
