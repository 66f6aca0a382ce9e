using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vc.Interop.Tests;

/// <summary>Throwaway PKI for tests: a signing CA (CSCA/SCA) and DSCs issued by it, made with real keys.</summary>
internal static class TestPki
{
    // Tests that pass their own clock use dates in 2025 (inside the window from NotBefore); tests that hand an HCERT
    // to a tool reading the real clock (the JS SDK) need "now" inside it too: the end is relative to the run, never fixed.
    public static readonly DateTimeOffset NotBefore = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset NotAfter = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddYears(3);

    public const string EkuTest = "1.3.6.1.4.1.1847.2021.1.1";
    public const string EkuVaccination = "1.3.6.1.4.1.1847.2021.1.2";
    public const string EkuRecovery = "1.3.6.1.4.1.1847.2021.1.3";

    public static X509Certificate2 CreateCa(string name, string country = "XA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest($"C={country}, CN={name}", key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        return req.CreateSelfSigned(NotBefore.AddYears(-1), NotAfter.AddYears(2));
    }

    /// <summary>A P-256 (or RSA-3072 when <paramref name="rsa"/>) DSC issued by <paramref name="ca"/>, with its private key.</summary>
    public static X509Certificate2 CreateDsc(X509Certificate2 ca, string name = "Test DSC", string country = "XA", string[]? ekus = null, bool rsa = false,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        AsymmetricAlgorithm key = rsa ? RSA.Create(3072) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = key is RSA r
            ? new CertificateRequest($"C={country}, CN={name}", r, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest($"C={country}, CN={name}", (ECDsa)key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        if (ekus is { Length: > 0 })
        {
            var oids = new OidCollection();
            foreach (var e in ekus) oids.Add(new Oid(e));
            req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(oids, false));
        }
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using var caKey = ca.GetECDsaPrivateKey()!;
        var cert = req.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), notBefore ?? NotBefore, notAfter ?? NotAfter, serial);
        return key is RSA rk ? cert.CopyWithPrivateKey(rk) : cert.CopyWithPrivateKey((ECDsa)key);
    }

    public static X509Certificate2 PublicOnly(X509Certificate2 c) => X509CertificateLoader.LoadCertificate(c.RawData);
}
