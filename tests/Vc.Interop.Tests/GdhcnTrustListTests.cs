using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.Interop.Hcert;
using Vc.Interop.TrustLists;
using Vc.TestSupport;

namespace Vc.Interop.Tests;

/// <summary>WHO GDHCN DEV trust lists as did:web DID documents (shared/testdata/who/gdhcn-trustlist-dev).</summary>
public sealed class GdhcnTrustListTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly string Dir = TestPaths.TestData("who/gdhcn-trustlist-dev");

    private static byte[] Read(string relative) => File.ReadAllBytes(Path.Combine(Dir, relative));

    [Fact]
    public void The_v1_DEV_trust_list_loads_and_every_accepted_kid_is_SHA256_of_x5c0_truncated_to_8_bytes()
    {
        var result = GdhcnDidTrustList.Load(Read("trustlist/did.json"));
        using var doc = JsonDocument.Parse(Read("trustlist/did.json"));
        var methods = doc.RootElement.GetProperty("verificationMethod").EnumerateArray().ToList();
        var keyMethods = methods.Where(m => m.ValueKind == JsonValueKind.Object).ToList();
        output.WriteLine($"{result.Entries.Count} keys accepted, {result.Rejected.Count} rejected, {result.References.Count} references");
        foreach (var r in result.Rejected) output.WriteLine($"rejected {r.Item}: {r.Failure} {r.Reason}");
        Assert.Equal(keyMethods.Count, result.Entries.Count + result.Rejected.Count);
        Assert.Equal(methods.Count - keyMethods.Count, result.References.Count);
        Assert.True(result.Entries.Count > 300, $"only {result.Entries.Count} keys accepted");
        foreach (var entry in result.Entries)
        {
            Assert.Equal(SHA256.HashData(entry.Certificate.RawData)[..8], entry.Kid);
            Assert.Equal(TrustSource.GdhcnDid, entry.Source);
            Assert.False(string.IsNullOrEmpty(entry.Country));
        }
        // The DEV list holds one deliberately wrong key ("#ABCDEFGH"): it must be refused for its kid.
        var wrong = Assert.Single(result.Rejected, r => r.Item.EndsWith("#ABCDEFGH", StringComparison.Ordinal));
        Assert.Equal(TrustListFailure.Kid, wrong.Failure);
        Assert.All(result.Rejected, r => Assert.NotEqual(TrustListFailure.Malformed, r.Failure));
        Assert.Equal(ProofStatus.NotChecked, result.Proof); // WHO's DEV signing key is not in shared/
    }

    [Fact]
    public void Every_v2_DEV_document_loads_with_its_domain_participant_and_key_usage()
    {
        var files = Directory.EnumerateFiles(Path.Combine(Dir, "v2"), "did.json", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(files);
        var keys = 0;
        foreach (var file in files)
        {
            var result = GdhcnDidTrustList.Load(File.ReadAllBytes(file), new GdhcnLoadOptions { RejectDocumentOnBadEntry = true });
            keys += result.Entries.Count;
            if (file.Contains("trustlist-ref", StringComparison.Ordinal))
                Assert.NotEmpty(result.References);
            foreach (var e in result.Entries)
            {
                Assert.Equal("XXA", e.Country);
                Assert.Contains(e.Domain, new[] { "DCC", "DDCC" });
                Assert.Equal(SHA256.HashData(e.Certificate.RawData)[..8], e.Kid);
            }
        }
        Assert.True(keys > 0);
        var dsc = Assert.Single(GdhcnDidTrustList.Load(Read("v2/trustlist/DCC/XXA/DSC/did.json")).Entries);
        Assert.Equal(("DCC", "XXA", "DSC"), (dsc.Domain, dsc.Country, dsc.KeyUsages[0]));
        Assert.Equal("XPjhL9Znd1M=", Convert.ToBase64String(dsc.Kid));
    }

    [Fact]
    public void A_key_whose_x5c_chain_is_broken_is_rejected_and_a_strict_load_rejects_the_document()
    {
        var doc = JsonNode.Parse(Read("v2/trustlist/DCC/XXA/DSC/did.json"))!;
        // Replace the SCA by another CA: x5c[0] is no longer issued by x5c[1].
        doc["verificationMethod"]![0]!["publicKeyJwk"]!["x5c"]![1] = Convert.ToBase64String(TestPki.CreateCa("Not the SCA").RawData);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(doc);
        var lenient = GdhcnDidTrustList.Load(bytes);
        Assert.Empty(lenient.Entries);
        Assert.Equal(TrustListFailure.Chain, Assert.Single(lenient.Rejected).Failure);
        var e = Assert.Throws<TrustListException>(() => GdhcnDidTrustList.Load(bytes, new GdhcnLoadOptions { RejectDocumentOnBadEntry = true }));
        Assert.Equal(TrustListFailure.Chain, e.Failure);
    }

    [Fact]
    public void A_JWK_that_disagrees_with_x5c0_is_rejected()
    {
        var doc = JsonNode.Parse(Read("v2/trustlist/DCC/XXA/DSC/did.json"))!;
        doc["verificationMethod"]![0]!["publicKeyJwk"]!["x"] = DidDocumentSigner.B64Url(RandomNumberGenerator.GetBytes(32));
        var result = GdhcnDidTrustList.Load(JsonSerializer.SerializeToUtf8Bytes(doc));
        Assert.Equal(TrustListFailure.Kid, Assert.Single(result.Rejected).Failure);
    }

    [Fact]
    public void WHO_proofs_are_rejected_by_a_proof_verifier_holding_any_other_key()
    {
        using var notWho = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var e = Assert.Throws<TrustListException>(() => GdhcnDidTrustList.Load(Read("v2/trustlist/DCC/XXA/DSC/did.json"),
            new GdhcnLoadOptions { ProofVerifier = new JwsDetachedProofVerifier(notWho) }));
        Assert.Equal(TrustListFailure.Proof, e.Failure);
    }

    [Fact]
    public void Our_exported_DSC_document_loads_with_a_verified_proof_and_verifies_our_HCERTs()
    {
        var sca = TestPki.CreateCa("XXA SCA");
        var dsc = TestPki.CreateDsc(sca, ekus: [TestPki.EkuVaccination]);
        using var anchor = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        const string did = "did:web:example.org:v2:trustlist:ICVP:XXA:DSC";
        var created = new DateTimeOffset(2025, 9, 1, 8, 0, 0, TimeSpan.Zero);
        var json = GdhcnDidTrustList.Export(did, [new GdhcnExportKey(TestPki.PublicOnly(dsc), sca, "XXA", "ICVP")], anchor, "did:web:example.org:signer#k1",
            time: new FixedTime(created));
        var result = GdhcnDidTrustList.Load(System.Text.Encoding.UTF8.GetBytes(json), new GdhcnLoadOptions { ProofVerifier = new JwsDetachedProofVerifier(anchor), RejectDocumentOnBadEntry = true });
        Assert.Equal(ProofStatus.Verified, result.Proof);
        Assert.Equal(created, DateTimeOffset.Parse(System.Text.Json.Nodes.JsonNode.Parse(json)!["proof"]!["created"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        var entry = Assert.Single(result.Entries);
        Assert.Equal(("ICVP", "XXA"), (entry.Domain, entry.Country));
        Assert.Equal(TrustEntry.KidOf(dsc), entry.Kid);
        var hc1 = new HcertSigner(dsc).SignIcvp(HcertCodec.Decode(File.ReadAllText(TestPaths.TestData("who/icvp/icvp-yf-HC1.txt")).Trim()).Icvp!,
            "XXA", new DateTimeOffset(2025, 10, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.True(new HcertVerifier(new TrustStore(result.Entries)).Verify(hc1, new DateTimeOffset(2025, 11, 1, 0, 0, 0, TimeSpan.Zero)).IsValid);
    }

    [Fact]
    public void A_tampered_document_or_a_foreign_anchor_fails_the_proof()
    {
        var sca = TestPki.CreateCa("XXA SCA");
        var dsc = TestPki.CreateDsc(sca);
        using var anchor = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var json = GdhcnDidTrustList.Export("did:web:example.org:v2:trustlist:DCC:XXA:DSC", [new GdhcnExportKey(TestPki.PublicOnly(dsc), sca, "XXA", "DCC")], anchor);
        var tampered = json.Replace("\"#XXA\"", "\"#XXB\"");
        Assert.NotEqual(json, tampered);
        Assert.Equal(TrustListFailure.Proof, Assert.Throws<TrustListException>(() =>
            GdhcnDidTrustList.Load(System.Text.Encoding.UTF8.GetBytes(tampered), new GdhcnLoadOptions { ProofVerifier = new JwsDetachedProofVerifier(anchor) })).Failure);
        Assert.Equal(TrustListFailure.Proof, Assert.Throws<TrustListException>(() =>
            GdhcnDidTrustList.Load(System.Text.Encoding.UTF8.GetBytes(json), new GdhcnLoadOptions { ProofVerifier = new JwsDetachedProofVerifier(other) })).Failure);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"id\":\"did:web:x\",\"verificationMethod\":{}}")]
    [InlineData("not json")]
    [InlineData("{\"id\":\"did:web:\\ud800\",\"verificationMethod\":[]}")] // I-JSON: no lone surrogates
    public void Malformed_documents_are_a_typed_failure(string text)
    {
        var e = Assert.Throws<TrustListException>(() => GdhcnDidTrustList.Load(System.Text.Encoding.UTF8.GetBytes(text)));
        Assert.Equal(TrustListFailure.Malformed, e.Failure);
    }
}

/// <summary>The EU gateway trust list with its CMS signature chain: trust anchor → CSCA/UPLOAD → DSC.</summary>
public sealed class EuGatewayTrustListTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private sealed record Pki(X509Certificate2 Anchor, X509Certificate2 Csca, X509Certificate2 Upload, X509Certificate2 Dsc);

    private static Pki CreatePki()
    {
        var anchor = TestPki.CreateCa("DCCG Trust Anchor", "EU");
        var csca = TestPki.CreateCa("CSCA XA");
        var upload = TestPki.CreateDsc(TestPki.CreateCa("XA NB"), "XA UPLOAD");
        var dsc = TestPki.CreateDsc(csca, "XA DSC", ekus: [TestPki.EkuVaccination]);
        return new Pki(anchor, csca, upload, dsc);
    }

    private static byte[] List(params JsonElement[] items) => JsonSerializer.SerializeToUtf8Bytes(items);

    [Fact]
    public void A_DSC_signed_by_its_UPLOAD_certificate_and_issued_by_its_CSCA_is_trusted_and_verifies_HCERTs()
    {
        var p = CreatePki();
        var json = List(
            EuGatewayTrustList.CreateItem(p.Csca, "XA", "CSCA", p.Anchor, Now),
            EuGatewayTrustList.CreateItem(TestPki.PublicOnly(p.Upload), "XA", "UPLOAD", p.Anchor, Now),
            EuGatewayTrustList.CreateItem(TestPki.PublicOnly(p.Dsc), "XA", "DSC", p.Upload, Now));
        var result = EuGatewayTrustList.Load(json, TestPki.PublicOnly(p.Anchor));
        Assert.Empty(result.Rejected);
        var entry = Assert.Single(result.Entries);
        Assert.Equal(("XA", "DCC", TrustSource.EuGateway), (entry.Country, entry.Domain, entry.Source));
        var dcc = TestJson.Parse("""{"ver":"1.3.0","nam":{"fnt":"DOE"},"dob":"1970-01-01","v":[{"tg":"840539006","vp":"1119349007","mp":"EU/1/20/1528","ma":"ORG-100030215","dn":1,"sd":2,"dt":"2025-05-01","co":"AT","is":"MoH","ci":"URN:UVCI:01:AT:1#1"}]}""");
        var hc1 = new HcertSigner(p.Dsc).SignEuDcc(dcc, "XA", Now, Now.AddDays(10));
        Assert.True(new HcertVerifier(new TrustStore(result.Entries)).Verify(hc1, Now.AddDays(1)).IsValid);
    }

    [Fact]
    public void Entries_whose_signature_chain_or_thumbprint_does_not_hold_are_dropped_with_the_reason()
    {
        var p = CreatePki();
        var strangerCa = TestPki.CreateCa("Stranger");
        var foreignDsc = TestPki.CreateDsc(strangerCa, "not from the CSCA");
        var dscByAnchor = EuGatewayTrustList.CreateItem(TestPki.PublicOnly(TestPki.CreateDsc(p.Csca, "signed by TA")), "XA", "DSC", p.Anchor, Now);
        var badThumb = JsonNode.Parse(EuGatewayTrustList.CreateItem(TestPki.PublicOnly(TestPki.CreateDsc(p.Csca, "bad thumb")), "XA", "DSC", p.Upload, Now).GetRawText())!;
        badThumb["thumbprint"] = new string('0', 64);
        var json = List(
            EuGatewayTrustList.CreateItem(p.Csca, "XA", "CSCA", p.Anchor, Now),
            EuGatewayTrustList.CreateItem(TestPki.PublicOnly(p.Upload), "XA", "UPLOAD", p.Anchor, Now),
            EuGatewayTrustList.CreateItem(strangerCa, "XB", "CSCA", strangerCa, Now),           // not signed by the anchor
            EuGatewayTrustList.CreateItem(TestPki.PublicOnly(foreignDsc), "XA", "DSC", p.Upload, Now), // wrong issuer
            dscByAnchor,                                                                       // not signed by UPLOAD
            JsonSerializer.SerializeToElement(badThumb),
            EuGatewayTrustList.CreateItem(TestPki.PublicOnly(p.Dsc), "XA", "DSC", p.Upload, Now));
        var result = EuGatewayTrustList.Load(json, TestPki.PublicOnly(p.Anchor));
        Assert.Equal(TrustEntry.KidOf(p.Dsc), Assert.Single(result.Entries).Kid);
        Assert.Equal(4, result.Rejected.Count);
        Assert.Contains(result.Rejected, r => r.Failure == TrustListFailure.Signature && r.Item.StartsWith("CSCA XB", StringComparison.Ordinal));
        Assert.Contains(result.Rejected, r => r.Failure == TrustListFailure.Chain);
        Assert.Contains(result.Rejected, r => r.Failure == TrustListFailure.Signature && r.Item.StartsWith("DSC", StringComparison.Ordinal));
        Assert.Contains(result.Rejected, r => r.Failure == TrustListFailure.Thumbprint);
    }

    [Fact]
    public void A_list_checked_against_another_trust_anchor_yields_no_DSC()
    {
        var p = CreatePki();
        var json = List(
            EuGatewayTrustList.CreateItem(p.Csca, "XA", "CSCA", p.Anchor, Now),
            EuGatewayTrustList.CreateItem(TestPki.PublicOnly(p.Upload), "XA", "UPLOAD", p.Anchor, Now),
            EuGatewayTrustList.CreateItem(TestPki.PublicOnly(p.Dsc), "XA", "DSC", p.Upload, Now));
        var result = EuGatewayTrustList.Load(json, TestPki.CreateCa("Other anchor"));
        Assert.Empty(result.Entries);
        Assert.Equal(3, result.Rejected.Count);
    }

    [Fact]
    public void Our_DSC_export_is_a_gateway_list_that_loads_back()
    {
        var p = CreatePki();
        var exported = EuGatewayTrustList.ExportDscs([TestPki.PublicOnly(p.Dsc)], "XA", p.Upload, Now);
        var parties = List(
            EuGatewayTrustList.CreateItem(p.Csca, "XA", "CSCA", p.Anchor, Now),
            EuGatewayTrustList.CreateItem(TestPki.PublicOnly(p.Upload), "XA", "UPLOAD", p.Anchor, Now));
        var merged = JsonSerializer.SerializeToUtf8Bytes(JsonNode.Parse(parties)!.AsArray().Concat(JsonNode.Parse(exported)!.AsArray()).Select(n => n!.DeepClone()).ToList());
        var result = EuGatewayTrustList.Load(merged, TestPki.PublicOnly(p.Anchor));
        Assert.Equal(TrustEntry.KidOf(p.Dsc), Assert.Single(result.Entries).Kid);
    }

    [Fact]
    public void The_trust_file_loader_recognises_certificates_gateway_lists_and_DID_documents()
    {
        var p = CreatePki();
        var pem = System.Text.Encoding.ASCII.GetBytes(p.Dsc.ExportCertificatePem());
        Assert.Equal(TrustSource.Certificate, Assert.Single(TrustFiles.Load(pem).Entries).Source);
        Assert.Equal(TrustSource.Certificate, Assert.Single(TrustFiles.Load(p.Dsc.RawData).Entries).Source);
        var did = File.ReadAllBytes(TestPaths.TestData("who/icvp/test-trustlist-ICVP-XXA-DSC.did.json"));
        Assert.Equal(TrustSource.GdhcnDid, Assert.Single(TrustFiles.Load(did).Entries).Source);
        var gateway = List(EuGatewayTrustList.CreateItem(p.Csca, "XA", "CSCA", p.Anchor, Now));
        Assert.Equal(TrustListFailure.Signature, Assert.Throws<TrustListException>(() => TrustFiles.Load(gateway)).Failure);
        Assert.Empty(TrustFiles.Load(gateway, new TrustFileOptions { GatewayTrustAnchor = p.Anchor }).Rejected);
        Assert.Equal(TrustListFailure.UnknownFormat, Assert.Throws<TrustListException>(() => TrustFiles.Load("hello"u8.ToArray())).Failure);
    }
}
