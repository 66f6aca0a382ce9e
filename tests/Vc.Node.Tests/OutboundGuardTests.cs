using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Vc.Did.Net;

namespace Vc.Node.Tests;

/// <summary>
/// Fetches named by input go through one guard (issue #15, finding 3): https only (http only to loopback with the
/// development switch), private, loopback, link-local and metadata addresses refused at connect time unless
/// allow-listed, redirects bounded and re-checked, size and time caps, Cache-Control honoured up to a maximum age,
/// and a per-host concurrency cap. Local servers stand for the hosts.
/// </summary>
public sealed class OutboundGuardTests
{
    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    /// <summary>A local HTTP server answering by a function; counts requests and the most in flight at once.</summary>
    private sealed class LocalServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Func<HttpListenerContext, Task> _answer;
        private int _inFlight;
        public int Requests;
        public int MaxInFlight;
        public Uri Url { get; }

        public LocalServer(Func<HttpListenerContext, Task> answer)
        {
            _answer = answer;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                Url = new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/");
            }
            _listener.Prefixes.Add(Url.ToString());
            _listener.Start();
            _ = LoopAsync();
        }

        private async Task LoopAsync()
        {
            while (true)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
                _ = Task.Run(async () =>
                {
                    Interlocked.Increment(ref Requests);
                    var now = Interlocked.Increment(ref _inFlight);
                    lock (_listener) MaxInFlight = Math.Max(MaxInFlight, now);
                    try { await _answer(context); }
                    catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException) { }
                    finally { Interlocked.Decrement(ref _inFlight); try { context.Response.Close(); } catch (ObjectDisposedException) { } }
                });
            }
        }

        public void Dispose() => _listener.Close();
    }

    private static async Task Write(HttpListenerContext c, string body, string? cacheControl = null)
    {
        if (cacheControl is not null) c.Response.Headers["Cache-Control"] = cacheControl;
        c.Response.ContentType = "application/json";
        await c.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(body));
    }

    private static readonly OutboundPolicy Dev = OutboundPolicy.Default with { AllowLoopbackHttp = true, MaxConnectionsPerHost = 2, MaxResponseBytes = 4096 };

    [Fact]
    public async Task Http_private_loopback_and_metadata_addresses_are_refused_without_a_connection_unless_allowed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var production = new OutboundFetcher(OutboundPolicy.Default);
        foreach (var url in new[] { $"http://127.0.0.1:{port}/list", $"https://127.0.0.1:{port}/list", $"https://localhost:{port}/list",
                     $"https://[::ffff:127.0.0.1]:{port}/list", "https://169.254.169.254/latest/meta-data", "https://10.1.2.3/list",
                     "https://192.168.0.1/list", "https://[fd00:ec2::254]/list", "https://user:pw@example.org/list", "ftp://example.org/list" })
        {
            var e = await Assert.ThrowsAnyAsync<Exception>(() => production.GetAsync(new Uri(url), "application/json"));
            var refusal = e as OutboundRefusedException ?? e.InnerException as OutboundRefusedException;
            Assert.True(refusal is not null, $"{url}: {e.GetType().Name}: {e.Message}");
        }
        Assert.False(listener.Pending(), "a refused address was connected to");

        // Allow-listed, the same loopback host is reached (https is still required: the handshake fails, after connecting).
        using var allowed = new OutboundFetcher(OutboundPolicy.Default with { AllowedNetworks = [IPNetwork.Parse("127.0.0.0/8")] });
        var fetch = allowed.GetAsync(new Uri($"https://127.0.0.1:{port}/list"), "application/json");
        using (var connection = await listener.AcceptTcpClientAsync()) { }
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => fetch);
    }

    [Fact]
    public async Task Redirects_are_bounded_and_rechecked_bodies_capped_and_cache_control_honoured_up_to_the_maximum_age()
    {
        var hops = 0;
        var counter = 0;
        string ServedCount() => Interlocked.Increment(ref counter).ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var server = new LocalServer(async c =>
        {
            switch (c.Request.Url!.AbsolutePath)
            {
                case "/loop": c.Response.StatusCode = 302; c.Response.RedirectLocation = "/loop?" + Interlocked.Increment(ref hops); break;
                case "/metadata": c.Response.StatusCode = 302; c.Response.RedirectLocation = "http://169.254.169.254/latest/meta-data"; break;
                case "/big": await Write(c, "\"" + new string('x', 10_000) + "\""); break;
                case "/cached": await Write(c, "{\"n\":" + ServedCount() + "}", "max-age=600"); break;
                case "/nostore": await Write(c, "{\"n\":" + ServedCount() + "}", "no-store, max-age=600"); break;
                default: await Write(c, "{}"); break;
            }
        });

        var clock = TestClock.Standing(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var fetcher = new OutboundFetcher(Dev, clock);
        var loop = await Assert.ThrowsAsync<OutboundRefusedException>(() => fetcher.GetAsync(new Uri(server.Url, "/loop"), "application/json"));
        Assert.Contains("redirects", loop.Message);
        Assert.Equal(Dev.MaxRedirects + 1, hops); // the first request and the redirects followed, then refused
        var metadata = await Assert.ThrowsAsync<OutboundRefusedException>(() => fetcher.GetAsync(new Uri(server.Url, "/metadata"), "application/json"));
        Assert.Contains("only https", metadata.Message);
        var big = await Assert.ThrowsAsync<OutboundRefusedException>(() => fetcher.GetAsync(new Uri(server.Url, "/big"), "application/json"));
        Assert.Contains("larger than 4096", big.Message);

        // max-age=600 is cut to the policy's 5 minutes: cached within them, asked again after.
        var first = Encoding.UTF8.GetString(await fetcher.GetAsync(new Uri(server.Url, "/cached"), "application/json"));
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(first, Encoding.UTF8.GetString(await fetcher.GetAsync(new Uri(server.Url, "/cached"), "application/json")));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.NotEqual(first, Encoding.UTF8.GetString(await fetcher.GetAsync(new Uri(server.Url, "/cached"), "application/json")));
        // no-store is never cached.
        var a = Encoding.UTF8.GetString(await fetcher.GetAsync(new Uri(server.Url, "/nostore"), "application/json"));
        Assert.NotEqual(a, Encoding.UTF8.GetString(await fetcher.GetAsync(new Uri(server.Url, "/nostore"), "application/json")));
    }

    [Fact]
    public async Task At_most_the_per_host_cap_of_requests_reach_one_host_at_once()
    {
        var release = new TaskCompletionSource();
        var capReached = new TaskCompletionSource();
        var arrived = 0;
        using var server = new LocalServer(async c =>
        {
            if (Interlocked.Increment(ref arrived) == Dev.MaxConnectionsPerHost) capReached.TrySetResult();
            await release.Task;
            await Write(c, "{}");
        });
        using var fetcher = new OutboundFetcher(Dev with { Timeout = TimeSpan.FromMinutes(2) });
        var fetches = Enumerable.Range(0, 10).Select(i => fetcher.GetAsync(new Uri(server.Url, "/slow?" + i), "application/json")).ToArray();
        // Waits for the cap-th request to arrive (the event), not for time to pass; the bound only stops a broken run.
        await capReached.Task.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(Dev.MaxConnectionsPerHost, Volatile.Read(ref server.Requests));
        release.SetResult();
        await Task.WhenAll(fetches);
        Assert.Equal(10, server.Requests);
        Assert.True(server.MaxInFlight <= Dev.MaxConnectionsPerHost, $"{server.MaxInFlight} requests at once");
    }

    [Fact]
    public async Task A_production_node_never_connects_to_a_loopback_status_list_or_did_web_host()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var node = new NodeFixture { Outbound = OutboundPolicy.Default };
        await node.InitializeAsync();
        try
        {
            using var admin = node.With(node.AdminKey);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/issuers", new { id = "guarded", method = "key" })).StatusCode);
            using var issuer = node.With(node.IssueKey);
            foreach (var url in new[] { $"http://127.0.0.1:{port}/status/1", $"https://127.0.0.1:{port}/status/1", "https://169.254.169.254/latest/meta-data" })
            {
                var issued = await issuer.PostAsync("/issuers/guarded/credentials/issue", Json(new JsonObject
                {
                    ["credential"] = new JsonObject
                    {
                        ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"),
                        ["type"] = new JsonArray("VerifiableCredential", "ExampleAlumniCredential"),
                        ["credentialSubject"] = new JsonObject { ["id"] = "did:example:holder", ["alumniOf"] = "Example University" },
                        ["credentialStatus"] = new JsonObject
                        {
                            ["type"] = "BitstringStatusListEntry", ["statusPurpose"] = "revocation", ["statusListIndex"] = "7", ["statusListCredential"] = url,
                        },
                    },
                }));
                var vc = (await issued.Content.ReadFromJsonAsync<JsonObject>())!["verifiableCredential"]!;
                var answer = await node.Anonymous.PostAsync("/credentials/verify", Json(new JsonObject { ["verifiableCredential"] = vc.DeepClone() }));
                Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
                var text = await answer.Content.ReadAsStringAsync();
                Assert.Contains("STATUS_RETRIEVAL_ERROR", text);
                Assert.True(text.Contains("only https", StringComparison.Ordinal) || text.Contains("metadata address", StringComparison.Ordinal), text);
            }
            using var resolved = await node.Anonymous.GetAsync($"/1.0/identifiers/did:web:127.0.0.1%253A{port}");
            Assert.NotEqual(HttpStatusCode.OK, resolved.StatusCode);
            Assert.NotEqual(HttpStatusCode.InternalServerError, resolved.StatusCode);
            Assert.False(listener.Pending(), "the node connected to a loopback address named by input");
        }
        finally { await node.DisposeAsync(); }
    }

    [Fact]
    public async Task A_status_list_that_is_not_utf8_is_a_typed_status_retrieval_error()
    {
        // A status list credential whose id string holds the byte FF: JSON in form, not UTF-8 (RFC 8259 §8.1).
        byte[] list = [.. "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"id\":\"urn:"u8, 0xFF, .. "\",\"type\":[\"VerifiableCredential\",\"BitstringStatusListCredential\"]}"u8];
        using var server = new LocalServer(async c =>
        {
            c.Response.ContentType = "application/vc+ld+json";
            await c.Response.OutputStream.WriteAsync(list);
        });
        var node = new NodeFixture { Outbound = Dev };
        await node.InitializeAsync();
        try
        {
            using var admin = node.With(node.AdminKey);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/issuers", new { id = "utf8", method = "key" })).StatusCode);
            using var issuer = node.With(node.IssueKey);
            var issued = await issuer.PostAsync("/issuers/utf8/credentials/issue", Json(new JsonObject
            {
                ["credential"] = new JsonObject
                {
                    ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"),
                    ["type"] = new JsonArray("VerifiableCredential", "ExampleAlumniCredential"),
                    ["credentialSubject"] = new JsonObject { ["id"] = "did:example:holder", ["alumniOf"] = "Example University" },
                    ["credentialStatus"] = new JsonObject
                    {
                        ["type"] = "BitstringStatusListEntry", ["statusPurpose"] = "revocation", ["statusListIndex"] = "7",
                        ["statusListCredential"] = new Uri(server.Url, "status/1").ToString(),
                    },
                },
            }));
            Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
            var vc = (await issued.Content.ReadFromJsonAsync<JsonObject>())!["verifiableCredential"]!;
            var answer = await node.Anonymous.PostAsync("/credentials/verify", Json(new JsonObject { ["verifiableCredential"] = vc.DeepClone() }));
            var text = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.StatusCode == HttpStatusCode.BadRequest, text);
            Assert.Contains("STATUS_RETRIEVAL_ERROR", text);
            Assert.Contains("not UTF-8", text);
            Assert.Equal(1, server.Requests);
        }
        finally { await node.DisposeAsync(); }
    }
}
