using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace Vc.Interop.TrustLists;

/// <summary>The gateway's UPLOAD certificates (trust-anchor-signed trust list items) by country, and the items refused.</summary>
public sealed record GatewayUploadCertificates(IReadOnlyList<(string Country, X509Certificate2 Certificate)> Certificates,
    IReadOnlyList<TrustListRejection> Rejected)
{
    /// <summary>The country whose UPLOAD certificate this is, or null when it is none of them.</summary>
    public string? CountryOf(X509Certificate2 certificate) =>
        Certificates.FirstOrDefault(u => u.Certificate.RawData.AsSpan().SequenceEqual(certificate.RawData)).Country;
}

/// <summary>What a verified gateway message carried: the signed content and its signer (an UPLOAD certificate of Country).</summary>
public sealed record GatewaySignedContent(byte[] Content, string Country, X509Certificate2 Signer);

/// <summary>
/// The EU DCC gateway's CMS-signed messages (validation rules: the <c>cms</c> of each <c>GET /rules/{country}</c>
/// item; revocation batches: the body of <c>GET /revocation-list/{batchId}</c>): base64 of a CMS SignedData (RFC 5652)
/// encapsulating the JSON as id-data, carrying exactly one certificate and one signer (dgc-lib's signed message
/// format). The message is accepted only when the signature verifies with that certificate and the certificate is
/// one of the gateway's UPLOAD certificates, whose trust list items the trust anchor signed.
/// </summary>
public static class GatewaySignedMessage
{
    /// <summary>Bound on one message (a revocation batch holds at most 1,000 entries; a rule a few KB).</summary>
    public const int MaxMessageChars = 4 * 1024 * 1024;

    private static readonly Oid IdData = new("1.2.840.113549.1.7.1");

    /// <summary>Verifies a base64 CMS message against the UPLOAD certificates.</summary>
    /// <exception cref="TrustListException">Signature: not base64 CMS, not one signer and one certificate, a signature
    /// that does not verify, or a signer that is not an UPLOAD certificate.</exception>
    public static GatewaySignedContent Open(string base64Cms, GatewayUploadCertificates uploads)
    {
        if (base64Cms.Length > MaxMessageChars)
            throw new TrustListException(TrustListFailure.Malformed, $"signed message longer than {MaxMessageChars} characters");
        var cms = new SignedCms();
        try { cms.Decode(Convert.FromBase64String(base64Cms.Trim())); }
        catch (FormatException e) { throw new TrustListException(TrustListFailure.Malformed, "the signed message is not base64", e); }
        catch (CryptographicException e) { throw new TrustListException(TrustListFailure.Malformed, "the signed message is not CMS SignedData: " + e.Message, e); }
        if (cms.Detached || cms.ContentInfo.ContentType.Value != IdData.Value)
            throw new TrustListException(TrustListFailure.Malformed, "the signed message does not encapsulate its content as id-data");
        if (cms.Certificates.Count != 1 || cms.SignerInfos.Count != 1)
            throw new TrustListException(TrustListFailure.Signature,
                $"a gateway message carries exactly one certificate and one signer (it has {cms.Certificates.Count} and {cms.SignerInfos.Count})");
        var signer = cms.Certificates[0];
        var country = uploads.CountryOf(signer)
            ?? throw new TrustListException(TrustListFailure.Signature, $"signed by {signer.Subject}, which is not an UPLOAD certificate of the gateway trust list");
        try
        {
            // The signer must be that certificate (not another one named by the SignerInfo), and the signature hold.
            cms.SignerInfos[0].CheckSignature(new X509Certificate2Collection(signer), verifySignatureOnly: true);
            if (cms.SignerInfos[0].Certificate is { } named && !named.RawData.AsSpan().SequenceEqual(signer.RawData))
                throw new CryptographicException("the SignerInfo names another certificate");
        }
        catch (CryptographicException e)
        {
            throw new TrustListException(TrustListFailure.Signature, "the signature does not verify: " + e.Message, e);
        }
        return new GatewaySignedContent(cms.ContentInfo.Content, country, signer);
    }

    /// <summary>Signs content as a gateway message (what a country uploads): base64 CMS with the content
    /// encapsulated and the signer's certificate included.</summary>
    public static string Sign(byte[] content, X509Certificate2 upload) =>
        Convert.ToBase64String(EuGatewayTrustList.Sign(content, upload, detached: false));
}
