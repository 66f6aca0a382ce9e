using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vc.Interop.Pki;

/// <summary>
/// A country's HCERT signing PKI in the GDHCN / EU DCC shape: a CSCA (country signing CA, the trust anchor
/// a country publishes) and Document Signer Certificates it issues (P-256, 2 years, with the DCC key-usage
/// OIDs). Real health authorities get their DSC from their national CSCA; this builds one for development,
/// tests and the demo, and is how the node issues a DSC to an issuer when it acts as the country's CSCA.
/// </summary>
public sealed class CountryPki : IDisposable
{
    /// <summary>hcert §5.1.1: DSC extended key usages allowing test / vaccination / recovery certificates.</summary>
    public static readonly string[] DccKeyUsageOids = ["1.3.6.1.4.1.1847.2021.1.1", "1.3.6.1.4.1.1847.2021.1.2", "1.3.6.1.4.1.1847.2021.1.3"];

    private readonly ECDsa _cscaKey;

    public string Country { get; }
    public X509Certificate2 Csca { get; }

    private CountryPki(string country, X509Certificate2 csca, ECDsa key)
    {
        Country = country;
        Csca = csca;
        _cscaKey = key;
    }

    /// <summary>A new CSCA for an ISO 3166-1 alpha-2 country, valid for <paramref name="years"/> (GDHCN SCA: 4).</summary>
    public static CountryPki Create(string country, DateTimeOffset? notBefore = null, int years = 4)
    {
        if (country.Length != 2 || !country.All(char.IsAsciiLetterUpper))
            throw new ArgumentException("country must be ISO 3166-1 alpha-2 (e.g. KE)", nameof(country));
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=CSCA {country}, O=Ministry of Health, C={country}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var start = (notBefore ?? DateTimeOffset.UtcNow).AddMinutes(-5);
        var csca = request.CreateSelfSigned(start, start.AddYears(years));
        return new CountryPki(country, X509CertificateLoader.LoadCertificate(csca.RawData), key);
    }

    /// <summary>Issues a DSC (P-256, 2 years, DCC key usages) and returns it with its private key.</summary>
    public X509Certificate2 IssueDsc(string commonName, DateTimeOffset? notBefore = null, int years = 2, IEnumerable<string>? keyUsageOids = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O=Ministry of Health, C={Country}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var usages = new OidCollection();
        foreach (var oid in keyUsageOids ?? DccKeyUsageOids) usages.Add(new Oid(oid));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var start = (notBefore ?? DateTimeOffset.UtcNow).AddMinutes(-5);
        var end = start.AddYears(years);
        if (end > Csca.NotAfter) end = Csca.NotAfter;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(Csca.SubjectName, X509SignatureGenerator.CreateForECDsa(_cscaKey), start, end, serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>An UPLOAD certificate (the country's signer of its gateway trust-list items), with its key.</summary>
    public X509Certificate2 IssueUpload(DateTimeOffset? notBefore = null) =>
        IssueDsc($"UPLOAD {Country}", notBefore, keyUsageOids: ["1.3.6.1.5.5.7.3.2"]);

    /// <summary>A self-signed trust anchor (the gateway's or WHO's) with its key: it signs CSCA and UPLOAD items.</summary>
    public static X509Certificate2 CreateTrustAnchor(string commonName, DateTimeOffset? notBefore = null, int years = 5)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature, true));
        var start = (notBefore ?? DateTimeOffset.UtcNow).AddMinutes(-5);
        return request.CreateSelfSigned(start, start.AddYears(years));
    }

    /// <summary>The CSCA's private key as PKCS#8 PEM, for keeping the country's dev PKI between runs.</summary>
    public string ExportCscaKeyPem() => _cscaKey.ExportPkcs8PrivateKeyPem();

    /// <summary>Reloads a CSCA from its certificate and PKCS#8 PEM key.</summary>
    public static CountryPki Load(string country, X509Certificate2 csca, string keyPem)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(keyPem);
        return new CountryPki(country, csca, key);
    }

    public void Dispose() => _cscaKey.Dispose();

    public override string ToString() => $"CountryPki({Country}, {Csca.Subject})";
}
