using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.Interop.TrustLists;

namespace Vc.Interop.Tests;

/// <summary>The CMS signatures (RFC 5652) of EU gateway trust-list items: which signatures make a DSC trusted.</summary>
public sealed class GatewayCmsTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly X509Certificate2 Anchor = TestPki.CreateCa("DCCG Trust Anchor", "EU");
    private static readonly X509Certificate2 Csca = TestPki.CreateCa("CSCA XA");
    private static readonly X509Certificate2 UploadCa = TestPki.CreateCa("XA NB");
    private static readonly X509Certificate2 Upload = TestPki.CreateDsc(UploadCa, "XA UPLOAD");
    private static readonly X509Certificate2 Dsc = TestPki.CreateDsc(Csca, "XA DSC");

    /// <summary>Loads CSCA + UPLOAD (signed by the anchor) and the DSC item with <paramref name="signature"/> in place
    /// of its own, or as made by <paramref name="upload"/>.</summary>
    private static TrustListLoadResult Load(byte[]? signature = null, X509Certificate2? upload = null)
    {
        var dscItem = JsonNode.Parse(EuGatewayTrustList.CreateItem(TestPki.PublicOnly(Dsc), "XA", "DSC", upload ?? Upload, Now).GetRawText())!;
        if (signature is not null)
            dscItem["signature"] = Convert.ToBase64String(signature);
        var json = JsonSerializer.SerializeToUtf8Bytes(new JsonNode[]
        {
            JsonNode.Parse(EuGatewayTrustList.CreateItem(Csca, "XA", "CSCA", Anchor, Now).GetRawText())!,
            JsonNode.Parse(EuGatewayTrustList.CreateItem(TestPki.PublicOnly(upload ?? Upload), "XA", "UPLOAD", Anchor, Now).GetRawText())!,
            dscItem,
        });
        return EuGatewayTrustList.Load(json, TestPki.PublicOnly(Anchor));
    }

    private static byte[] Sign(byte[] content, X509Certificate2 signer, bool detached)
    {
        var cms = new SignedCms(new ContentInfo(content), detached);
        cms.ComputeSignature(new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, signer) { IncludeOption = X509IncludeOption.EndCertOnly }, silent: true);
        return cms.Encode();
    }

    [Fact]
    public void A_detached_signature_by_the_UPLOAD_certificate_makes_the_DSC_trusted()
    {
        var result = Load();
        Assert.Empty(result.Rejected);
        Assert.Equal(TrustEntry.KidOf(Dsc), Assert.Single(result.Entries).Kid);
    }

    [Fact]
    public void An_encapsulated_signature_counts_only_over_the_items_own_certificate()
    {
        Assert.Single(Load(Sign(Dsc.RawData, Upload, detached: false)).Entries);
        var other = Load(Sign(TestPki.CreateDsc(Csca, "other").RawData, Upload, detached: false));
        Assert.Empty(other.Entries);
        Assert.Equal(TrustListFailure.Signature, Assert.Single(other.Rejected).Failure);
    }

    [Fact]
    public void A_signer_embedding_its_own_certificate_under_the_UPLOAD_certificates_issuer_and_serial_is_refused()
    {
        // Same issuer name and serial number as the UPLOAD certificate, another key: the CMS SignerIdentifier matches.
        using var impostorCaKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest(Upload.SubjectName, key, HashAlgorithmName.SHA256);
        var impostor = req.Create(UploadCa.SubjectName, X509SignatureGenerator.CreateForECDsa(impostorCaKey), Now.AddYears(-1), Now.AddYears(1),
            Upload.SerialNumberBytes.ToArray()).CopyWithPrivateKey(key);
        var result = Load(Sign(Dsc.RawData, impostor, detached: true));
        Assert.Empty(result.Entries);
        Assert.Equal(TrustListFailure.Signature, Assert.Single(result.Rejected).Failure);
    }

    [Fact]
    public void A_signature_that_is_not_CMS_or_is_changed_is_a_rejection_not_an_exception()
    {
        var genuine = Sign(Dsc.RawData, Upload, detached: true);
        var flipped = (byte[])genuine.Clone();
        flipped[^1] ^= 0x01; // inside the signature value
        foreach (var signature in new[] { "not CMS"u8.ToArray(), flipped, genuine[..(genuine.Length / 2)] })
        {
            var result = Load(signature);
            Assert.Empty(result.Entries);
            Assert.Equal(TrustListFailure.Signature, Assert.Single(result.Rejected).Failure);
        }
    }

    [Fact]
    public void An_RSA_UPLOAD_certificate_signs_and_verifies()
    {
        var rsaUpload = TestPki.CreateDsc(UploadCa, "XA UPLOAD RSA", rsa: true);
        var result = Load(upload: rsaUpload);
        Assert.Empty(result.Rejected);
        Assert.Single(result.Entries);
    }
}
