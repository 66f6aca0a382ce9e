using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Vc.Interop.Pki;
using Vc.Interop.Revocation;
using Vc.Interop.TrustLists;
using Vc.TestSupport;
using Vc.TestSupport.Gateway;

namespace Vc.Interop.Tests;

/// <summary>
/// The gateway's CMS-signed downloads: validation rule lists (each rule signed by an UPLOAD certificate of its country)
/// and revocation batches, accepted only when the signature holds, the signer is an UPLOAD certificate of the
/// anchor-signed trust list, and the content is of the signer's country (the rules: of the rule schema too).
/// </summary>
public sealed class GatewaySignedImportTests : IDisposable
{
    private readonly TestGateway _gateway = new("DE", "AT");

    public void Dispose() => _gateway.Dispose();

    private static List<JsonObject> Rules(string country) =>
        Vc.Rules.DccRuleSet.Load(TestPaths.TestData("dcc-business-rules/" + country)).Rules.Select(r => (JsonObject)r.Json.DeepClone()).ToList();

    private static byte[] Bytes(JsonNode json) => Encoding.UTF8.GetBytes(json.ToJsonString());

    [Fact]
    public void The_trust_list_yields_the_anchor_signed_UPLOAD_certificates_by_country()
    {
        var uploads = _gateway.Uploads();
        Assert.Equal(["AT", "DE"], uploads.Certificates.Select(u => u.Country).Order(StringComparer.Ordinal));
        Assert.Equal("DE", uploads.CountryOf(_gateway.Upload("DE")));
        // Items signed by another anchor give no UPLOAD certificate, and say why.
        using var rogue = CountryPki.CreateTrustAnchor("rogue anchor");
        var foreign = EuGatewayTrustList.UploadCertificates(_gateway.TrustList(signedBy: rogue), _gateway.Anchor);
        Assert.Empty(foreign.Certificates);
        Assert.All(foreign.Rejected, r => Assert.Equal(TrustListFailure.Signature, r.Failure));
    }

    [Fact]
    public void A_signed_rule_list_opens_to_every_rule_with_its_signer()
    {
        var rules = Rules("DE");
        var opened = GatewayRuleList.Open(Bytes(_gateway.RuleList("DE", rules)), _gateway.Uploads());
        Assert.Equal(rules.Select(r => (string)r["Identifier"]!).Order(StringComparer.Ordinal), opened.Select(r => r.Rule.Identifier).Order(StringComparer.Ordinal));
        Assert.All(opened, r =>
        {
            Assert.Equal("DE", r.SignerCountry);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(_gateway.Upload("DE").RawData)), r.SignerThumbprint);
        });
        // The other accepted shapes: an array of items, and one item.
        Assert.Equal(2, GatewayRuleList.Open(Bytes(new JsonArray(TestGateway.RuleItem(rules[0], _gateway.Upload("DE")), TestGateway.RuleItem(rules[1], _gateway.Upload("DE")))), _gateway.Uploads()).Count);
        Assert.Single(GatewayRuleList.Open(Bytes(TestGateway.RuleItem(rules[0], _gateway.Upload("DE"))), _gateway.Uploads()));
    }

    [Fact]
    public void A_tampered_rule_is_refused_and_so_is_the_whole_list()
    {
        var rules = Rules("DE");
        var list = _gateway.RuleList("DE", rules);
        var id = (string)rules[0]["Identifier"]!;
        var item = list[id]![0]!;
        // A changed validity end (2030 → 2099) in the signed content: the signature no longer holds.
        item["cms"] = TestGateway.Tampered((string)item["cms"]!, "2030-06-01", "2099-06-01");
        var e = Assert.Throws<TrustListException>(() => GatewayRuleList.Open(Bytes(list), _gateway.Uploads()));
        Assert.Equal(TrustListFailure.Signature, e.Failure);
        Assert.Contains(id, e.Message);
        Assert.Contains("does not verify", e.Message);
    }

    [Fact]
    public void A_rule_signed_by_another_countrys_UPLOAD_certificate_or_by_no_UPLOAD_certificate_is_refused()
    {
        var rule = Rules("DE")[0];
        var byAustria = Assert.Throws<TrustListException>(() =>
            GatewayRuleList.Open(Bytes(TestGateway.RuleItem(rule, _gateway.Upload("AT"))), _gateway.Uploads()));
        Assert.Contains("signed by an UPLOAD certificate of AT", byAustria.Message);

        using var stranger = CountryPki.Create("DE");
        using var strangerUpload = stranger.IssueUpload();
        var unknown = Assert.Throws<TrustListException>(() =>
            GatewayRuleList.Open(Bytes(TestGateway.RuleItem(rule, strangerUpload)), _gateway.Uploads()));
        Assert.Equal(TrustListFailure.Signature, unknown.Failure);
        Assert.Contains("not an UPLOAD certificate", unknown.Message);
    }

    [Fact]
    public void A_signed_rule_that_breaks_the_rule_schema_or_is_not_CertLogic_is_refused()
    {
        var rule = Rules("DE")[0];
        var noDescription = (JsonObject)rule.DeepClone();
        noDescription.Remove("Description");
        var e = Assert.Throws<TrustListException>(() => GatewayRuleList.Open(Bytes(TestGateway.RuleItem(noDescription, _gateway.Upload("DE"))), _gateway.Uploads()));
        Assert.Equal(TrustListFailure.Malformed, e.Failure);
        Assert.Contains("Description", e.Message);

        var notCertLogic = (JsonObject)rule.DeepClone();
        notCertLogic["Logic"] = JsonNode.Parse("""{"all": [1]}""");
        var logic = Assert.Throws<TrustListException>(() => GatewayRuleList.Open(Bytes(TestGateway.RuleItem(notCertLogic, _gateway.Upload("DE"))), _gateway.Uploads()));
        Assert.Contains("unrecognised operator", logic.Message);
    }

    [Theory]
    [InlineData("not base64 !")]
    [InlineData("AAAA")]
    public void A_cms_that_is_not_CMS_is_refused_as_malformed(string cms)
    {
        var e = Assert.Throws<TrustListException>(() => GatewayRuleList.Open(Bytes(new JsonObject { ["cms"] = cms }), _gateway.Uploads()));
        Assert.Equal(TrustListFailure.Malformed, e.Failure);
    }

    [Fact]
    public void A_detached_signature_or_one_without_its_certificate_is_refused()
    {
        var content = Bytes(Rules("DE")[0]);
        var detached = Convert.ToBase64String(EuGatewayTrustList.SignDetached(content, _gateway.Upload("DE")));
        Assert.Throws<TrustListException>(() => GatewaySignedMessage.Open(detached, _gateway.Uploads()));

        var cms = new System.Security.Cryptography.Pkcs.SignedCms(new System.Security.Cryptography.Pkcs.ContentInfo(content));
        cms.ComputeSignature(new System.Security.Cryptography.Pkcs.CmsSigner(_gateway.Upload("DE")) { IncludeOption = System.Security.Cryptography.X509Certificates.X509IncludeOption.None });
        var noCertificate = Assert.Throws<TrustListException>(() => GatewaySignedMessage.Open(Convert.ToBase64String(cms.Encode()), _gateway.Uploads()));
        Assert.Contains("exactly one certificate", noCertificate.Message);
    }

    private static JsonObject Batch(string country) => new()
    {
        ["country"] = country, ["expires"] = "2030-01-01T00:00:00Z", ["kid"] = Convert.ToBase64String([1, 2, 3, 4, 5, 6, 7, 8]), ["hashType"] = "UCI",
        ["entries"] = new JsonArray(new JsonObject { ["hash"] = Convert.ToBase64String(SHA256.HashData("x"u8)[..16]) }),
    };

    [Fact]
    public void Signed_revocation_downloads_open_to_their_batches()
    {
        var one = TestGateway.SignedBatch(Batch("DE"), _gateway.Upload("DE"));
        Assert.True(SignedRevocationBatches.LooksSigned(Encoding.UTF8.GetBytes(one)));
        var (batches, countries) = SignedRevocationBatches.Open(Encoding.UTF8.GetBytes(one), _gateway.Uploads());
        Assert.Equal(["DE"], countries);
        Assert.Equal(1, DccRevocationList.Parse(batches).EntryCount);

        var two = new JsonArray(one, TestGateway.SignedBatch(Batch("AT"), _gateway.Upload("AT"))).ToJsonString();
        Assert.True(SignedRevocationBatches.LooksSigned(Encoding.UTF8.GetBytes(two)));
        var (both, signers) = SignedRevocationBatches.Open(Encoding.UTF8.GetBytes(two), _gateway.Uploads());
        Assert.Equal(["DE", "AT"], signers);
        Assert.Equal(2, DccRevocationList.Parse(both).Chunks.Count);

        Assert.False(SignedRevocationBatches.LooksSigned(Bytes(Batch("DE"))));
        Assert.False(SignedRevocationBatches.LooksSigned(Bytes(new JsonArray(Batch("DE")))));
    }

    [Fact]
    public void A_tampered_or_foreign_revocation_download_is_refused()
    {
        var signed = TestGateway.SignedBatch(Batch("DE"), _gateway.Upload("DE"));
        var tampered = TestGateway.Tampered(signed, "2030-01-01", "2099-01-01");
        var e = Assert.Throws<DccRevocationException>(() => SignedRevocationBatches.Open(Encoding.UTF8.GetBytes(tampered), _gateway.Uploads()));
        Assert.Contains("does not verify", e.Message);

        var foreign = TestGateway.SignedBatch(Batch("DE"), _gateway.Upload("AT"));
        var f = Assert.Throws<DccRevocationException>(() => SignedRevocationBatches.Open(Encoding.UTF8.GetBytes(foreign), _gateway.Uploads()));
        Assert.Contains("signed by an UPLOAD certificate of AT", f.Message);

        // One bad download refuses the file.
        var mixed = new JsonArray(signed, tampered).ToJsonString();
        Assert.Throws<DccRevocationException>(() => SignedRevocationBatches.Open(Encoding.UTF8.GetBytes(mixed), _gateway.Uploads()));
    }
}
