using Microsoft.AspNetCore.Http;
using Vc.Did.Core;
using Vc.Did.Web;
using Vc.TestSupport;

namespace Vc.Did.Tests.Web;

/// <summary>did:web caching (Cache-Control max-age, capped, on the injected clock), offline resolution from held
/// documents, and WHO's GDHCN DEV did:web documents served by a local HTTPS server under their own host name.</summary>
public sealed class DidWebCacheAndOfflineTests(DidWebServer server) : IClassFixture<DidWebServer>
{
    private const string Ed25519Multikey = "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";

    private sealed class ManualTime(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly DateTimeOffset Start = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    // A document route that counts its fetches and answers with the given Cache-Control.
    private Func<int> CountingDocument(string path, string did, string? cacheControl)
    {
        var count = 0;
        server.Route(path, http =>
        {
            Interlocked.Increment(ref count);
            if (cacheControl is not null) http.Response.Headers.CacheControl = cacheControl;
            http.Response.ContentType = "application/did+ld+json";
            return http.Response.WriteAsync($$"""
                {"@context":["https://www.w3.org/ns/did/v1","https://w3id.org/security/multikey/v1"],"id":"{{did}}",
                 "verificationMethod":[{"id":"#key-1","type":"Multikey","controller":"{{did}}","publicKeyMultibase":"{{Ed25519Multikey}}"}],
                 "assertionMethod":["#key-1"]}
                """);
        });
        return () => Volatile.Read(ref count);
    }

    [Fact]
    public async Task A_document_is_reused_for_its_max_age_and_fetched_again_once_it_expires()
    {
        var did = server.Did("cache", "max-age");
        var fetches = CountingDocument("/cache/max-age/did.json", did, "public, max-age=60");
        var time = new ManualTime(Start);
        using var resolver = new DidWebResolver(server.TrustingHandler(), time: time);

        Assert.True((await resolver.ResolveAsync(did)).IsSuccess);
        time.Now = Start.AddSeconds(59);
        Assert.True((await resolver.ResolveAsync(did)).IsSuccess);
        Assert.Equal(1, fetches());
        time.Now = Start.AddSeconds(61);
        Assert.True((await resolver.ResolveAsync(did)).IsSuccess);
        Assert.Equal(2, fetches());
    }

    [Fact]
    public async Task A_long_max_age_is_capped_and_no_store_or_no_max_age_is_never_reused()
    {
        var capped = server.Did("cache", "capped");
        var cappedFetches = CountingDocument("/cache/capped/did.json", capped, "max-age=86400");
        var noStore = server.Did("cache", "no-store");
        var noStoreFetches = CountingDocument("/cache/no-store/did.json", noStore, "no-store, max-age=600");
        var bare = server.Did("cache", "bare");
        var bareFetches = CountingDocument("/cache/bare/did.json", bare, null);
        var time = new ManualTime(Start);
        using var resolver = new DidWebResolver(server.TrustingHandler(), new DidWebOptions { MaxCacheAge = TimeSpan.FromMinutes(5) }, time);

        foreach (var did in new[] { capped, noStore, bare, capped, noStore, bare }) Assert.True((await resolver.ResolveAsync(did)).IsSuccess);
        time.Now = Start.AddMinutes(5).AddSeconds(1);
        Assert.True((await resolver.ResolveAsync(capped)).IsSuccess);

        Assert.Equal(2, cappedFetches());
        Assert.Equal(2, noStoreFetches());
        Assert.Equal(2, bareFetches());
    }

    [Fact]
    public async Task Offline_only_held_documents_are_answered_and_nothing_is_fetched()
    {
        var did = server.Did("offline", "held");
        var fetches = CountingDocument("/offline/held/did.json", did, "max-age=60");
        var held = System.Text.Encoding.UTF8.GetBytes($$"""
            {"@context":["https://www.w3.org/ns/did/v1"],"id":"{{did}}",
             "verificationMethod":[{"id":"{{did}}#key-1","type":"Multikey","controller":"{{did}}","publicKeyMultibase":"{{Ed25519Multikey}}"}],
             "assertionMethod":["{{did}}#key-1"]}
            """);
        using var resolver = new DidWebResolver(server.TrustingHandler(), new DidWebOptions { Offline = true, HeldDocuments = [held] });

        var answered = await resolver.ResolveAsync(did + "#key-1");
        var unknown = await resolver.ResolveAsync(server.Did("offline", "unknown"));

        Assert.True(answered.IsSuccess, answered.DidResolutionMetadata.Message);
        Assert.NotNull(answered.DidDocument!.Authorized(VerificationRelationship.AssertionMethod, did + "#key-1"));
        Assert.Equal(DidResolutionErrors.NotFound, unknown.DidResolutionMetadata.Error);
        Assert.Equal(0, fetches());
        Assert.Throws<FormatException>(() => new DidWebResolver(options: new DidWebOptions
        {
            HeldDocuments = [System.Text.Encoding.UTF8.GetBytes("""{"id":"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}""")],
        }));
    }

    // ---- WHO GDHCN DEV did:web documents (shared/testdata/who/gdhcn-trustlist-dev), as published under their host

    private static IEnumerable<(string Did, string File)> WhoDocuments()
    {
        var root = TestPaths.TestData(Path.Combine("who", "gdhcn-trustlist-dev"));
        foreach (var file in Directory.EnumerateFiles(root, "did.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var path = Path.GetRelativePath(root, Path.GetDirectoryName(file)!).Replace(Path.DirectorySeparatorChar, ':');
            yield return ($"did:web:{DidWebServer.WhoDevHost}:{path}", file);
        }
    }

    // DID Core §5.2: verificationMethod entries are maps; WHO's trust list and trustlist-ref documents also list DID
    // URL strings there (references to other documents), so they are not DID documents this model reads.
    private static bool Conforming(string file) =>
        System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!["verificationMethod"]!.AsArray().All(m => m is System.Text.Json.Nodes.JsonObject);

    [Fact]
    public async Task WHOs_GDHCN_DEV_documents_resolve_over_HTTPS_at_their_path_and_offline_from_the_same_files()
    {
        var all = WhoDocuments().ToArray();
        var documents = all.Where(d => Conforming(d.File)).ToArray();
        var references = all.Where(d => !Conforming(d.File)).ToArray();
        Assert.True(documents.Length >= 6 && references.Length >= 4, $"{documents.Length} conforming, {references.Length} with references");
        foreach (var (did, file) in all)
        {
            var relative = "/" + did[$"did:web:{DidWebServer.WhoDevHost}:".Length..].Replace(':', '/') + "/did.json";
            var bytes = await File.ReadAllBytesAsync(file);
            server.Route(relative, http =>
            {
                http.Response.ContentType = "application/did+json";
                http.Response.Headers.CacheControl = "max-age=300";
                return http.Response.Body.WriteAsync(bytes).AsTask();
            });
        }
        using var online = new DidWebResolver(server.HandlerForAnyHost());
        using var offline = new DidWebResolver(options: new DidWebOptions
        {
            Offline = true,
            HeldDocuments = documents.Select(d => (ReadOnlyMemory<byte>)File.ReadAllBytes(d.File)).ToArray(),
        });

        foreach (var (did, _) in documents)
        {
            var fetched = await online.ResolveAsync(did);
            var held = await offline.ResolveAsync(did);
            Assert.True(fetched.IsSuccess, $"{did}: {fetched.DidResolutionMetadata.Error} {fetched.DidResolutionMetadata.Message}");
            Assert.Equal(did, fetched.DidDocument!.Id);
            Assert.True(held.IsSuccess, $"{did}: {held.DidResolutionMetadata.Message}");
            Assert.Equal(fetched.DidDocument.VerificationMethod.Count, held.DidDocument!.VerificationMethod.Count);
        }
        // Fetched but refused, with the reason: fail closed on a document the DID Core model does not read.
        foreach (var (did, _) in references)
        {
            var refused = await online.ResolveAsync(did);
            Assert.Equal(DidResolutionErrors.InternalError, refused.DidResolutionMetadata.Error);
            Assert.Contains("must be objects", refused.DidResolutionMetadata.Message);
        }
        // The DCC / XXA document lists the keys of that participant's trust domain.
        var xxa = await online.ResolveAsync($"did:web:{DidWebServer.WhoDevHost}:v2:trustlist:DCC:XXA");
        Assert.Equal(7, xxa.DidDocument!.VerificationMethod.Count);
    }
}
