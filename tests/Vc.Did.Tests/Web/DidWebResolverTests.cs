using Microsoft.AspNetCore.Http;
using Vc.Did.Core;
using Vc.Did.Keys;
using Vc.Did.Web;

namespace Vc.Did.Tests.Web;

/// <summary>did:web (W3C CCG did:web §3.2 Read) against a real HTTPS server on 127.0.0.1.</summary>
public sealed class DidWebResolverTests(DidWebServer server) : IClassFixture<DidWebServer>
{
    // The Ed25519 key of the did:key specification's first example.
    private const string Ed25519Multikey = "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";

    private DidWebResolver Resolver(DidWebOptions? options = null) => new(server.TrustingHandler(), options);

    [Fact]
    public async Task A_DID_without_a_path_is_read_from_the_well_known_location()
    {
        var did = server.Did();
        server.Document("/.well-known/did.json", did, Ed25519Multikey);
        using var resolver = Resolver();

        var result = await resolver.ResolveAsync(did + "#key-1");

        Assert.True(result.IsSuccess, result.DidResolutionMetadata.Message);
        Assert.Equal("application/did+ld+json", result.DidResolutionMetadata.ContentType);
        var document = result.DidDocument!;
        Assert.Equal(did, document.Id);
        // The relative "#key-1" of the published document is an absolute DID URL in the model.
        var method = document.Authorized(VerificationRelationship.AssertionMethod, did + "#key-1");
        Assert.NotNull(method);
        Assert.Equal(KeyType.Ed25519, method.Key?.KeyType);
        Assert.Null(document.Authorized(VerificationRelationship.Authentication, "#key-1"));
    }

    [Fact]
    public async Task A_DID_with_a_path_is_read_from_that_path()
    {
        var did = server.Did("users", "alice");
        server.Document("/users/alice/did.json", did, Ed25519Multikey);
        using var resolver = Resolver();

        var result = await resolver.ResolveAsync(did, new DidResolutionOptions { Accept = "application/did+json" });

        Assert.True(result.IsSuccess, result.DidResolutionMetadata.Message);
        Assert.Null(result.DidDocument!.Context);
        Assert.Equal("application/did+json", result.DidResolutionMetadata.ContentType);
    }

    [Fact]
    public async Task The_composite_resolver_reaches_did_web_only_when_it_is_given()
    {
        var did = server.Did("composite");
        server.Document("/composite/did.json", did, Ed25519Multikey);
        using var web = Resolver();

        Assert.True((await CompositeDidResolver.Create(web: web).ResolveAsync(did)).IsSuccess);
        Assert.Equal(DidResolutionErrors.MethodNotSupported, (await CompositeDidResolver.Create().ResolveAsync(did)).DidResolutionMetadata.Error);
    }

    [Theory]
    [InlineData(404, DidResolutionErrors.NotFound)]
    [InlineData(410, DidResolutionErrors.NotFound)]
    [InlineData(500, DidResolutionErrors.InternalError)]
    [InlineData(403, DidResolutionErrors.InternalError)]
    public async Task HTTP_failures_are_typed_errors(int status, string error)
    {
        var did = server.Did("status", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        server.Route($"/status/{status}/did.json", http =>
        {
            http.Response.StatusCode = status;
            return Task.CompletedTask;
        });
        using var resolver = Resolver();

        var result = await resolver.ResolveAsync(did);

        Assert.Null(result.DidDocument);
        Assert.Equal(error, result.DidResolutionMetadata.Error);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), result.DidResolutionMetadata.Message);
    }

    [Fact]
    public async Task A_document_of_another_DID_is_refused()
    {
        var did = server.Did("impostor");
        server.Document("/impostor/did.json", "did:web:example.com", Ed25519Multikey);
        using var resolver = Resolver();

        var result = await resolver.ResolveAsync(did);

        Assert.Null(result.DidDocument);
        Assert.Equal(DidResolutionErrors.InternalError, result.DidResolutionMetadata.Error);
        Assert.Contains("holds the document of did:web:example.com", result.DidResolutionMetadata.Message);
    }

    [Theory]
    [InlineData("not json", "is not JSON")]
    // The DID's own id (DID is replaced by it), but a verificationMethod entry that is no map (DID Core §5.2).
    [InlineData("""{"id":"DID","verificationMethod":["DID#1"]}""", "is not a DID document")]
    public async Task A_body_that_is_not_a_DID_document_is_refused(string body, string message)
    {
        var did = server.Did("garbage", message.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        server.Route($"/garbage/{message.Length}/did.json", http => http.Response.WriteAsync(body.Replace("DID", did, StringComparison.Ordinal)));
        using var resolver = Resolver();

        var result = await resolver.ResolveAsync(did);

        Assert.Equal(DidResolutionErrors.InternalError, result.DidResolutionMetadata.Error);
        Assert.Contains(message, result.DidResolutionMetadata.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_the_size_cap_is_refused_with_or_without_a_Content_Length(bool declared)
    {
        var did = server.Did("large", declared ? "declared" : "chunked");
        var body = System.Text.Encoding.ASCII.GetBytes($$"""{"id":"{{did}}","padding":"{{new string('x', 4096)}}"}""");
        server.Route($"/large/{(declared ? "declared" : "chunked")}/did.json", async http =>
        {
            if (declared) http.Response.ContentLength = body.Length;
            // Written in pieces and flushed: without a Content-Length the body arrives chunked.
            for (var i = 0; i < body.Length; i += 1000)
            {
                await http.Response.Body.WriteAsync(body.AsMemory(i, Math.Min(1000, body.Length - i)));
                await http.Response.Body.FlushAsync();
            }
        });
        using var small = Resolver(new DidWebOptions { MaxDocumentBytes = 2048 });
        using var large = Resolver(new DidWebOptions { MaxDocumentBytes = 8192 });

        var refused = await small.ResolveAsync(did);
        Assert.Equal(DidResolutionErrors.InternalError, refused.DidResolutionMetadata.Error);
        Assert.Contains("larger than 2048 bytes", refused.DidResolutionMetadata.Message);
        // The same document under a cap it fits is read.
        Assert.True((await large.ResolveAsync(did)).IsSuccess);
    }

    [Fact]
    public async Task A_redirect_on_the_same_host_is_followed_and_one_to_another_host_is_refused()
    {
        var did = server.Did("moved");
        server.Route("/moved/did.json", http =>
        {
            http.Response.StatusCode = StatusCodes.Status301MovedPermanently;
            http.Response.Headers.Location = "/moved-here/did.json";
            return Task.CompletedTask;
        });
        server.Document("/moved-here/did.json", did, Ed25519Multikey);
        var elsewhere = server.Did("elsewhere");
        server.Route("/elsewhere/did.json", http =>
        {
            // Same server, same certificate, but another host name: not the DID's host.
            http.Response.StatusCode = StatusCodes.Status302Found;
            http.Response.Headers.Location = $"https://localhost:{server.HttpsPort}/moved-here/did.json";
            return Task.CompletedTask;
        });
        using var resolver = Resolver();

        Assert.True((await resolver.ResolveAsync(did)).IsSuccess);
        var refused = await resolver.ResolveAsync(elsewhere);
        Assert.Equal(DidResolutionErrors.InternalError, refused.DidResolutionMetadata.Error);
        Assert.Contains($"redirects to https://localhost:{server.HttpsPort}", refused.DidResolutionMetadata.Message);
    }

    [Fact]
    public async Task A_handler_that_follows_redirects_itself_is_caught_answering_from_another_host()
    {
        var did = server.Did("followed");
        var target = server.Did("followed-target").Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        server.Route("/followed/did.json", http =>
        {
            http.Response.StatusCode = StatusCodes.Status302Found;
            http.Response.Headers.Location = $"https://localhost:{server.HttpsPort}/followed-target/did.json";
            return Task.CompletedTask;
        });
        server.Document("/followed-target/did.json", target, Ed25519Multikey);
        var handler = server.TrustingHandler();
        handler.AllowAutoRedirect = true;
        using var resolver = new DidWebResolver(handler);

        var result = await resolver.ResolveAsync(did);

        Assert.Equal(DidResolutionErrors.InternalError, result.DidResolutionMetadata.Error);
        Assert.Contains("was redirected to https://localhost", result.DidResolutionMetadata.Message);
        handler.Dispose();
    }

    [Fact]
    public async Task A_server_slower_than_the_timeout_is_an_internal_error()
    {
        var did = server.Did("slow");
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Route("/slow/did.json", async http =>
        {
            held.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, http.RequestAborted); // answers only when the client gives up
        });
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero));
        using var resolver = new DidWebResolver(server.TrustingHandler(), new DidWebOptions { Timeout = TimeSpan.FromMilliseconds(300) }, time);

        var resolving = resolver.ResolveAsync(did);
        await held.Task; // the server holds the request: now the resolver's clock passes its timeout
        time.Advance(TimeSpan.FromMilliseconds(300));
        var result = await resolving;

        Assert.Equal(DidResolutionErrors.InternalError, result.DidResolutionMetadata.Error);
        Assert.Contains("did not answer within 0.3 s", result.DidResolutionMetadata.Message);
    }

    [Fact]
    public async Task A_certificate_the_client_does_not_trust_fails_the_resolution()
    {
        var did = server.Did("untrusted");
        server.Document("/untrusted/did.json", did, Ed25519Multikey);
        // The default handler trusts the system's roots only.
        using var resolver = new DidWebResolver();

        var result = await resolver.ResolveAsync(did);

        Assert.Null(result.DidDocument);
        Assert.Equal(DidResolutionErrors.InternalError, result.DidResolutionMetadata.Error);
    }

    [Fact]
    public async Task Plain_http_is_used_only_for_a_loopback_host_and_only_when_the_test_option_allows_it()
    {
        var did = "did:web:127.0.0.1%3A" + server.HttpPort + ":plain";
        server.Document("/plain/did.json", did, Ed25519Multikey);
        using var httpsOnly = Resolver();
        using var loopbackHttp = Resolver(new DidWebOptions { AllowHttpLoopback = true });

        // https to a plain http port: no TLS handshake, no document.
        Assert.Equal(DidResolutionErrors.InternalError, (await httpsOnly.ResolveAsync(did)).DidResolutionMetadata.Error);
        Assert.True((await loopbackHttp.ResolveAsync(did)).IsSuccess);
        Assert.True(DidWebResolver.TryDocumentUrl("did:web:example.com", allowHttpLoopback: true, out var url, out _));
        Assert.Equal("https", url.Scheme);
    }

    [Theory]
    [InlineData("did:web:w3c-ccg.github.io", "https://w3c-ccg.github.io/.well-known/did.json")]
    [InlineData("did:web:w3c-ccg.github.io:user:alice", "https://w3c-ccg.github.io/user/alice/did.json")]
    [InlineData("did:web:example.com%3A3000:user:alice", "https://example.com:3000/user/alice/did.json")]
    [InlineData("did:web:tng-cdn.who.int:v2:trustlist:DCC:XXA:DSC", "https://tng-cdn.who.int/v2/trustlist/DCC/XXA/DSC/did.json")]
    public void The_spec_examples_map_to_their_URLs(string did, string expected)
    {
        Assert.True(DidWebResolver.TryDocumentUrl(did, allowHttpLoopback: false, out var url, out var error), error);
        Assert.Equal(expected, url.AbsoluteUri);
    }

    [Theory]
    [InlineData("did:web:")]
    [InlineData("did:web:exa mple.com")]
    [InlineData("did:web:user@example.com")]
    [InlineData("did:web:example.com%3A0")]
    [InlineData("did:web:example.com%3A70000")]
    [InlineData("did:web:example.com%3Ax")]
    [InlineData("did:web:example.com:..:secret")]
    [InlineData("did:web:example.com::alice")]
    [InlineData("did:web:example.com:a%2Fb")]
    [InlineData("did:web:example.com:a?b")]
    [InlineData("did:web:-example.com")]
    [InlineData("did:web:example.com/path")]
    public async Task Malformed_did_webs_are_invalidDid_without_a_request(string did)
    {
        using var resolver = Resolver();
        var result = await resolver.ResolveAsync(did);
        Assert.Equal(DidResolutionErrors.InvalidDid, result.DidResolutionMetadata.Error);
    }

    [Fact]
    public async Task Another_method_is_not_supported_here()
    {
        using var resolver = Resolver();
        Assert.Equal(DidResolutionErrors.MethodNotSupported, (await resolver.ResolveAsync(Vc.Did.Key.DidKey.Prefix + Ed25519Multikey)).DidResolutionMetadata.Error);
    }
}
