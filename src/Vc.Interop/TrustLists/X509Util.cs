using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Security;

namespace Vc.Interop.TrustLists;

internal static class X509Util
{
    public const int MaxCertificateBytes = 64 * 1024;

    public static X509Certificate2 Parse(byte[] der, string what)
    {
        if (der.Length == 0 || der.Length > MaxCertificateBytes)
            throw new TrustListException(TrustListFailure.Certificate, $"{what}: certificate size {der.Length} is outside 1..{MaxCertificateBytes}");
        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException e)
        {
            throw new TrustListException(TrustListFailure.Certificate, $"{what}: not an X.509 certificate ({e.Message})", e);
        }
    }

    public static byte[] Base64(string? text, string what)
    {
        if (string.IsNullOrEmpty(text))
            throw new TrustListException(TrustListFailure.Malformed, $"{what} is missing");
        try { return Convert.FromBase64String(text); }
        catch (FormatException e) { throw new TrustListException(TrustListFailure.Malformed, $"{what} is not base64", e); }
    }

    /// <summary>Whether <paramref name="issuer"/>'s key signed <paramref name="subject"/> (RFC 5280 §6.1.3 (a)(1)),
    /// with the issuer name matching. Validity dates are not checked here: trust lists keep expired DSCs so that
    /// old certificates can still be told apart from forged ones.</summary>
    public static bool IsIssuedBy(X509Certificate2 subject, X509Certificate2 issuer)
    {
        if (!subject.IssuerName.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData)
            && subject.IssuerName.Name != issuer.SubjectName.Name)
            return false;
        try
        {
            var bcSubject = new Org.BouncyCastle.X509.X509Certificate(subject.RawData);
            var bcIssuer = new Org.BouncyCastle.X509.X509Certificate(issuer.RawData);
            bcSubject.Verify(bcIssuer.GetPublicKey());
            return true;
        }
        catch (Exception e) when (e is GeneralSecurityException or Org.BouncyCastle.Security.Certificates.CertificateException or InvalidKeyException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
