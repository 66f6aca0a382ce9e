using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.Interop.TrustLists;
using Vc.Trust.Bridge;

namespace Vc.Trust.Tests.Bridge;

[Collection(RegistryCollection.Name)]
public sealed class GdhcnBridgeTests(RegistryFixture f)
{
    private static readonly GdhcnImportOptions DevList = new() { AllowUnverifiedProof = true };

    private static byte[] V1List => File.ReadAllBytes(BridgePki.GdhcnDev("trustlist/did.json"));

    [Fact]
    public async Task GDHCN_DEV_list_to_registry_to_exported_did_web_document_keeps_the_same_keys_and_kids_and_its_proof_verifies()
    {
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Dcc);
        var certificates = new InMemoryCertificateSource();
        var importer = new PkiTrustImporter(f.Client, f.Reader, certificates);

        // WHO's DEV v1 list: New Zealand's 32 DSCs (all valid until 2032/2033), imported into a test participant.
        var report = await importer.ImportGdhcnAsync(V1List, DevList, country, admin, sourceParticipant: "NZL");
        Assert.Equal(ProofStatus.NotChecked, report.Proof);
        Assert.True(report.Imported == 32, string.Join("\n", report.Keys.Select(k => $"{k.Kid} {k.Outcome} {k.Error} {k.Reason}")));
        Assert.Equal(0, report.Rejected);
        var source = GdhcnDidTrustList.Load(V1List).Entries.Where(e => e.Country == "NZL").ToList();
        Assert.Equal(32, source.Count);

        using var proofKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var did = LedgerTrustExporter.GdhcnDid("trust.vchealth.example", TrustDomains.Dcc, country);
        var export = await new LedgerTrustExporter(f.Reader, certificates)
            .ExportGdhcnAsync(did, TrustDomains.Dcc, country, proofKey, "did:web:trust.vchealth.example#anchor");
        Assert.Empty(export.Skipped);

        // An unmodified GDHCN reader, checking the proof with our anchor key, reads back the same keys and kids.
        var back = GdhcnDidTrustList.Load(System.Text.Encoding.UTF8.GetBytes(export.Document),
            new GdhcnLoadOptions { ProofVerifier = new JwsDetachedProofVerifier(proofKey), RejectDocumentOnBadEntry = true });
        Assert.Equal(ProofStatus.Verified, back.Proof);
        Assert.Equal(did, back.Id);
        Assert.Equal(source.Select(e => Convert.ToBase64String(e.Kid)).Order(), back.Entries.Select(e => Convert.ToBase64String(e.Kid)).Order());
        Assert.Equal(source.Select(e => e.Thumbprint).Order(), back.Entries.Select(e => e.Thumbprint).Order());
        Assert.Equal(export.Kids.Order(), back.Entries.Select(e => Convert.ToBase64String(e.Kid)).Order());
        Assert.All(back.Entries, e => Assert.Equal(("DCC", country.Alpha3, true), (e.Domain, e.Country, e.IsDocumentSigner)));
    }

    [Fact]
    public async Task A_v2_document_imports_its_DSC_with_the_SCA_chain_and_exports_x5c_with_both()
    {
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Dcc);
        var certificates = new InMemoryCertificateSource();
        var json = File.ReadAllBytes(BridgePki.GdhcnDev("v2/trustlist/DCC/XXA/DSC/did.json"));
        // The DEV DSC expires 2026-08-02: judged at a time inside its validity.
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var report = await new PkiTrustImporter(f.Client, f.Reader, certificates)
            .ImportGdhcnAsync(json, DevList, country, admin, "XXA", new PkiImportOptions { At = at });
        var key = Assert.Single(report.Keys);
        Assert.Equal((ImportOutcome.Imported, "XPjhL9Znd1M="), (key.Outcome, key.Kid));

        using var proofKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var export = await new LedgerTrustExporter(f.Reader, certificates)
            .ExportGdhcnAsync(LedgerTrustExporter.GdhcnDid("x.example", TrustDomains.Dcc, country), TrustDomains.Dcc, country, proofKey, "did:web:x.example#k", at);
        var method = JsonNode.Parse(export.Document)!["verificationMethod"]![0]!;
        var original = JsonNode.Parse(json)!["verificationMethod"]![0]!;
        Assert.Equal(original["publicKeyJwk"]!["x5c"]!.ToJsonString(), method["publicKeyJwk"]!["x5c"]!.ToJsonString());
        Assert.EndsWith("#XPjhL9Znd1M=", (string)method["id"]!);

        // After the DSC's notAfter the entry no longer goes out.
        var later = await new LedgerTrustExporter(f.Reader, certificates)
            .ExportGdhcnAsync(LedgerTrustExporter.GdhcnDid("x.example", TrustDomains.Dcc, country), TrustDomains.Dcc, country, proofKey, "did:web:x.example#k",
                new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(TrustBridgeError.DscExpired, Assert.Single(later.Skipped).Error);

        // Asked now (after 2026-08-02), the registry entry has expired with its DSC; with the certificate in hand
        // the DSC's own dates answer first.
        var service = new TrustService(f.Reader, certificates);
        Assert.Equal(TrustVerdictReason.Expired,
            (await service.CheckKeyAsync(TrustSubject.ForKid(Convert.FromBase64String("XPjhL9Znd1M=")), TrustDomains.Dcc, country)).Reason);
        var stored = await certificates.FindAsync(key.Thumbprint!.Value);
        Assert.Equal(TrustVerdictReason.DscExpired, (await service.CheckKeyAsync(TrustSubject.ForDsc(stored!.Dsc), TrustDomains.Dcc, country)).Reason);
    }

    [Fact]
    public async Task Expired_DSCs_are_rejected_on_import_with_their_typed_reason()
    {
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Dcc);
        var report = await new PkiTrustImporter(f.Client, f.Reader, new InMemoryCertificateSource())
            .ImportGdhcnAsync(V1List, DevList, country, admin, "XXA", new PkiImportOptions { At = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) });
        // WHO's XXA test keys in v1: eight expired before November 2026, and one (valid until 2027-05) whose x5c[1]
        // did not issue its x5c[0].
        Assert.Equal(0, report.Imported);
        Assert.Equal(8, report.Keys.Count(k => k.Error == TrustBridgeError.DscExpired));
        var broken = Assert.Single(report.Keys, k => k.Error != TrustBridgeError.DscExpired);
        Assert.Equal((ImportOutcome.Rejected, TrustBridgeError.ChainInvalid, "jZE6VQPyctc="), (broken.Outcome, broken.Error, broken.Kid));
        Assert.Empty(await f.Reader.ListIssuersAsync(country));
    }

    [Fact]
    public async Task An_unverified_list_is_refused_unless_explicitly_allowed_and_nothing_is_written()
    {
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Dcc);
        var importer = new PkiTrustImporter(f.Client, f.Reader, new InMemoryCertificateSource());
        var e = await Assert.ThrowsAsync<TrustBridgeException>(() => importer.ImportGdhcnAsync(V1List, new GdhcnImportOptions(), country, admin, "NZL"));
        Assert.Equal(TrustBridgeError.ProofNotVerified, e.Error);
        Assert.Empty(await f.Reader.ListIssuersAsync(country));
    }

    [Fact]
    public async Task A_forged_document_or_a_wrong_anchor_key_is_rejected_as_ProofInvalid()
    {
        // A document we signed, then altered: one key swapped for another participant's DSC.
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Dcc);
        var certificates = new InMemoryCertificateSource();
        await new PkiTrustImporter(f.Client, f.Reader, certificates).ImportGdhcnAsync(V1List, DevList, country, admin, "NZL");
        using var anchor = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var export = await new LedgerTrustExporter(f.Reader, certificates)
            .ExportGdhcnAsync(LedgerTrustExporter.GdhcnDid("x.example", TrustDomains.Dcc, country), TrustDomains.Dcc, country, anchor, "did:web:x.example#k");
        var forged = JsonNode.Parse(export.Document)!.AsObject();
        var methods = forged["verificationMethod"]!.AsArray();
        methods.RemoveAt(0);
        var (target, targetAdmin, _) = await f.OnboardAsync(TrustDomains.Dcc);
        var importer = new PkiTrustImporter(f.Client, f.Reader, new InMemoryCertificateSource());
        var options = new GdhcnImportOptions { ProofVerifier = new JwsDetachedProofVerifier(anchor) };

        var e = await Assert.ThrowsAsync<TrustBridgeException>(() =>
            importer.ImportGdhcnAsync(System.Text.Encoding.UTF8.GetBytes(forged.ToJsonString()), options, target, targetAdmin, country.Alpha3));
        Assert.Equal(TrustBridgeError.ProofInvalid, e.Error);

        using var wrongAnchor = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        e = await Assert.ThrowsAsync<TrustBridgeException>(() => importer.ImportGdhcnAsync(System.Text.Encoding.UTF8.GetBytes(export.Document),
            new GdhcnImportOptions { ProofVerifier = new JwsDetachedProofVerifier(wrongAnchor) }, target, targetAdmin, country.Alpha3));
        Assert.Equal(TrustBridgeError.ProofInvalid, e.Error);
        Assert.Empty(await f.Reader.ListIssuersAsync(target));

        // The genuine document, checked with the right anchor, imports: PKI → ledger → PKI → ledger.
        var again = await importer.ImportGdhcnAsync(System.Text.Encoding.UTF8.GetBytes(export.Document), options, target, targetAdmin, country.Alpha3);
        Assert.Equal((ProofStatus.Verified, 32), (again.Proof, again.Imported));
    }

    [Fact]
    public async Task A_key_with_a_broken_x5c_chain_or_a_false_kid_is_rejected_with_its_reason_and_the_rest_imports()
    {
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Dcc);
        var doc = JsonNode.Parse(File.ReadAllText(BridgePki.GdhcnDev("trustlist/did.json")))!.AsObject();
        var nzl = doc["verificationMethod"]!.AsArray().OfType<JsonObject>().Where(m => ((string)m["controller"]!).EndsWith(":nzl")).ToList();
        // Claim another key's kid for the first key: a kid that is not SHA-256(x5c[0])[0..8].
        nzl[0]["publicKeyJwk"]!["kid"] = (string)nzl[1]["publicKeyJwk"]!["kid"]!;
        nzl[0]["id"] = (string)nzl[1]["id"]!;
        var report = await new PkiTrustImporter(f.Client, f.Reader, new InMemoryCertificateSource())
            .ImportGdhcnAsync(System.Text.Encoding.UTF8.GetBytes(doc.ToJsonString()), DevList, country, admin, "NZL");
        Assert.Equal(31, report.Imported);
        Assert.Contains(report.Keys, k => k.Outcome == ImportOutcome.Rejected && k.Error == TrustBridgeError.KidMismatch);
    }


    [Fact]
    public async Task Export_refuses_a_non_did_web_id_and_several_domains_at_once()
    {
        var exporter = new LedgerTrustExporter(f.Reader, new InMemoryCertificateSource());
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Equal(TrustBridgeError.InvalidInput, (await Assert.ThrowsAsync<TrustBridgeException>(() =>
            exporter.ExportGdhcnAsync("did:ethr:0x1234", TrustDomains.Dcc, null, key, "x"))).Error);
        Assert.Equal(TrustBridgeError.InvalidInput, (await Assert.ThrowsAsync<TrustBridgeException>(() =>
            exporter.ExportGdhcnAsync("did:web:x.example", TrustDomains.Dcc | TrustDomains.Icvp, null, key, "x"))).Error);
    }

    [Fact]
    public async Task A_malformed_trust_list_is_a_typed_error()
    {
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Dcc);
        var importer = new PkiTrustImporter(f.Client, f.Reader, new InMemoryCertificateSource());
        var e = await Assert.ThrowsAsync<TrustBridgeException>(() => importer.ImportGdhcnAsync("{\"id\": 5}"u8.ToArray(), DevList, country, admin));
        Assert.Equal(TrustBridgeError.MalformedTrustList, e.Error);
        e = await Assert.ThrowsAsync<TrustBridgeException>(() => importer.ImportGdhcnAsync("not json"u8.ToArray(), DevList, country, admin));
        Assert.Equal(TrustBridgeError.MalformedTrustList, e.Error);
        _ = JsonDocument.Parse(V1List); // the real list parses: the errors above are about the inputs
    }
}
