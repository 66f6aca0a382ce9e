using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Vc.Did.Tests.Web;
using Vc.Did.Web;
using Vc.Interop.TrustLists;
using Vc.Trust.Bridge;

namespace Vc.Trust.Tests.Bridge;

/// <summary>
/// The trust bridge reads GDHCN trust lists as GDHCN publishes them — did:web documents — through the did:web
/// resolver (https, bounded; offline from held documents), over a local HTTPS server standing in for WHO's host.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class GdhcnDidWebBridgeTests(RegistryFixture f, DidWebServer server) : IClassFixture<DidWebServer>
{
    private const string WhoDevDid = "did:web:" + DidWebServer.WhoDevHost + ":trustlist";
    private static readonly GdhcnImportOptions DevList = new() { AllowUnverifiedProof = true };
    private static byte[] V1List => File.ReadAllBytes(BridgePki.GdhcnDev("trustlist/did.json"));

    private static RequestDelegate Serve(string json) => http =>
    {
        http.Response.ContentType = "application/did+json";
        return http.Response.WriteAsync(json);
    };

    [Fact]
    public async Task WHO_s_DEV_list_is_imported_from_its_did_web_DID_with_the_same_keys_as_from_the_file()
    {
        // did:web:tng-cdn-dev.who.int:trustlist → https://tng-cdn-dev.who.int/trustlist/did.json (TLS checks that name).
        server.Route("/trustlist/did.json", Serve(File.ReadAllText(BridgePki.GdhcnDev("trustlist/did.json"))));
        using var didWeb = new DidWebResolver(server.HandlerForAnyHost());
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Dcc);

        var report = await new PkiTrustImporter(f.Client, f.Reader, new InMemoryCertificateSource())
            .ImportGdhcnAsync(WhoDevDid, didWeb, DevList, country, admin, sourceParticipant: "NZL");

        Assert.Equal((32, 0, WhoDevDid), (report.Imported, report.Rejected, report.Source));
        var fromFile = GdhcnDidTrustList.Load(V1List).Entries.Where(e => e.Country == "NZL").Select(e => Convert.ToBase64String(e.Kid)).Order();
        Assert.Equal(fromFile, report.Keys.Select(k => k.Kid).Order());
        Assert.Equal(32, (await f.Reader.ListIssuersAsync(country)).Count);

        // The v1 list is a did:web document but not a DID Core one (string entries in verificationMethod): read for the
        // bridge, it is refused as a DID to verify credentials against.
        var resolved = await didWeb.ResolveAsync(WhoDevDid);
        Assert.Equal(Vc.Did.Core.DidResolutionErrors.InternalError, resolved.DidResolutionMetadata.Error);
        Assert.Contains("is not a DID document", resolved.DidResolutionMetadata.Message);
    }

    [Fact]
    public async Task A_registry_exported_as_a_did_web_list_and_published_is_imported_back_through_its_DID_and_its_proof_checked()
    {
        // Ledger → PKI: participant A's keys as a signed GDHCN document, published at the DID it names.
        var (a, adminA, _) = await f.OnboardAsync(TrustDomains.Dcc);
        var certificates = new InMemoryCertificateSource();
        await new PkiTrustImporter(f.Client, f.Reader, certificates).ImportGdhcnAsync(V1List, DevList, a, adminA, "NZL");
        using var anchor = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var did = server.Did("trust", a.Alpha3.ToLowerInvariant());
        var export = await new LedgerTrustExporter(f.Reader, certificates).ExportGdhcnAsync(did, TrustDomains.Dcc, a, anchor, did + "#anchor");
        server.Route($"/trust/{a.Alpha3.ToLowerInvariant()}/did.json", Serve(export.Document));

        // PKI → ledger: participant B imports A's published list by its DID, checking the proof with A's anchor key.
        var (b, adminB, _) = await f.OnboardAsync(TrustDomains.Dcc);
        using var didWeb = new DidWebResolver(server.TrustingHandler());
        var importer = new PkiTrustImporter(f.Client, f.Reader, new InMemoryCertificateSource());
        var verified = new GdhcnImportOptions { ProofVerifier = new JwsDetachedProofVerifier(anchor) };
        var report = await importer.ImportGdhcnAsync(did, didWeb, verified, b, adminB, a.Alpha3);
        Assert.Equal((ProofStatus.Verified, 32, 0), (report.Proof, report.Imported, report.Rejected));

        // The server now publishes an altered list (one key dropped): its proof no longer verifies, nothing is written.
        var forged = JsonNode.Parse(export.Document)!.AsObject();
        forged["verificationMethod"]!.AsArray().RemoveAt(0);
        server.Route($"/trust/{a.Alpha3.ToLowerInvariant()}/did.json", Serve(forged.ToJsonString()));
        var (c, adminC, _) = await f.OnboardAsync(TrustDomains.Dcc);
        var e = await Assert.ThrowsAsync<TrustBridgeException>(() => importer.ImportGdhcnAsync(did, didWeb, verified, c, adminC, a.Alpha3));
        Assert.Equal(TrustBridgeError.ProofInvalid, e.Error);
        Assert.Empty(await f.Reader.ListIssuersAsync(c));
    }

    [Fact]
    public async Task A_list_that_cannot_be_read_as_its_DID_s_document_is_a_typed_error_and_nothing_is_written()
    {
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Dcc);
        var importer = new PkiTrustImporter(f.Client, f.Reader, new InMemoryCertificateSource());
        using var didWeb = new DidWebResolver(server.TrustingHandler());

        // Not published (404).
        var e = await Assert.ThrowsAsync<TrustBridgeException>(() => importer.ImportGdhcnAsync(server.Did("nowhere"), didWeb, DevList, country, admin, "NZL"));
        Assert.Equal(TrustBridgeError.DidNotResolved, e.Error);
        Assert.Contains("notFound", e.Message);

        // WHO's document served at another DID's address: did:web §3.2 refuses a document of another DID.
        server.Route("/elsewhere/did.json", Serve(File.ReadAllText(BridgePki.GdhcnDev("trustlist/did.json"))));
        e = await Assert.ThrowsAsync<TrustBridgeException>(() => importer.ImportGdhcnAsync(server.Did("elsewhere"), didWeb, DevList, country, admin, "NZL"));
        Assert.Equal(TrustBridgeError.DidNotResolved, e.Error);
        Assert.Contains(WhoDevDid, e.Message);

        // Plain http is refused: did:web is https only.
        using var plain = new DidWebResolver(server.TrustingHandler());
        e = await Assert.ThrowsAsync<TrustBridgeException>(() => importer.ImportGdhcnAsync("did:web:127.0.0.1%3A" + server.HttpPort + ":elsewhere", plain, DevList, country, admin, "NZL"));
        Assert.Equal(TrustBridgeError.DidNotResolved, e.Error);
        Assert.Empty(await f.Reader.ListIssuersAsync(country));
    }

    [Fact]
    public async Task Offline_the_list_is_imported_from_the_document_the_trust_store_holds_and_nothing_is_fetched()
    {
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Dcc);
        using var offline = new DidWebResolver(options: new DidWebOptions { Offline = true, HeldDocuments = [V1List] });
        var importer = new PkiTrustImporter(f.Client, f.Reader, new InMemoryCertificateSource());
        var report = await importer.ImportGdhcnAsync(WhoDevDid, offline, DevList, country, admin, "NZL");
        Assert.Equal(32, report.Imported);

        var e = await Assert.ThrowsAsync<TrustBridgeException>(() => importer.ImportGdhcnAsync(server.Did("trust", "other"), offline, DevList, country, admin, "NZL"));
        Assert.Equal(TrustBridgeError.DidNotResolved, e.Error);
        Assert.Contains("offline", e.Message);
    }
}
