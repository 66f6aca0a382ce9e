using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

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
}
