using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Vc.Interop.TrustLists;
using Vc.TestSupport;

namespace Vc.Trust.Tests.Bridge;

/// <summary>Throwaway PKI for the bridge tests (real keys and signatures) and the shared GDHCN/ICVP files.</summary>
internal static class BridgePki
{
    public static readonly DateTimeOffset NotBefore = DateTimeOffset.UtcNow.AddDays(-30);
    public static readonly DateTimeOffset NotAfter = DateTimeOffset.UtcNow.AddDays(700);

    public static string GdhcnDev(string relative) => Path.Combine(TestPaths.TestData("who/gdhcn-trustlist-dev"), relative);
    public static string Icvp(string relative) => Path.Combine(TestPaths.TestData("who/icvp"), relative);

    public static X509Certificate2 CreateCa(string name, string country = "XA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest($"C={country}, CN={name}", key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        return req.CreateSelfSigned(NotBefore.AddYears(-1), NotAfter.AddYears(2));
    }

    /// <summary>A P-256 certificate issued by <paramref name="ca"/>, with its private key (a DSC or an UPLOAD certificate).</summary>
    public static X509Certificate2 Issue(X509Certificate2 ca, string name, string country = "XA", DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest($"C={country}, CN={name}", key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using var caKey = ca.GetECDsaPrivateKey()!;
        var cert = req.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), notBefore ?? NotBefore, notAfter ?? NotAfter, serial);
        return cert.CopyWithPrivateKey(key);
    }

    public static X509Certificate2 PublicOnly(X509Certificate2 c) => X509CertificateLoader.LoadCertificate(c.RawData);

    /// <summary>One country's gateway PKI: CSCA, UPLOAD, and DSCs, with the gateway trust anchor that signs CSCA/UPLOAD.</summary>
    public sealed record GatewayCountry(string Country, X509Certificate2 Csca, X509Certificate2 Upload, IReadOnlyList<X509Certificate2> Dscs);

    public static GatewayCountry CreateCountry(string country, int dscCount, DateTimeOffset? dscNotAfter = null)
    {
        var csca = CreateCa($"CSCA {country}", country);
        var upload = Issue(csca, $"UPLOAD {country}", country);
        var dscs = Enumerable.Range(0, dscCount).Select(i => Issue(csca, $"DSC {country} {i}", country, notAfter: dscNotAfter)).ToList();
        return new GatewayCountry(country, csca, upload, dscs);
    }

    /// <summary>A dgc-gateway trust list: CSCA and UPLOAD items signed by the anchor, DSC items by the country's UPLOAD.</summary>
    public static byte[] GatewayList(X509Certificate2 anchor, params GatewayCountry[] countries)
    {
        var now = DateTimeOffset.UtcNow;
        var items = new List<JsonElement>();
        foreach (var c in countries)
        {
            items.Add(EuGatewayTrustList.CreateItem(PublicOnly(c.Csca), c.Country, "CSCA", anchor, now));
            items.Add(EuGatewayTrustList.CreateItem(PublicOnly(c.Upload), c.Country, "UPLOAD", anchor, now));
            items.AddRange(c.Dscs.Select(d => EuGatewayTrustList.CreateItem(PublicOnly(d), c.Country, "DSC", c.Upload, now)));
        }
        return JsonSerializer.SerializeToUtf8Bytes(items);
    }

    public static string Kid(X509Certificate2 c) => Convert.ToBase64String(SHA256.HashData(c.RawData).AsSpan(0, 8));
}
