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
    private readonly TimeProvider _time;

    public string Country { get; }
    public X509Certificate2 Csca { get; }

    private CountryPki(string country, X509Certificate2 csca, ECDsa key, TimeProvider time)
    {
        Country = country;
        Csca = csca;
        _cscaKey = key;
        _time = time;
    }

    /// <summary>Certificates start 5 minutes before "now" so that a verifier whose clock lags slightly accepts them.</summary>
    private static DateTimeOffset Start(TimeProvider time) => time.GetUtcNow().AddMinutes(-5);

    /// <summary>A new CSCA for an ISO 3166-1 alpha-2 country, valid for <paramref name="years"/> (GDHCN SCA: 4) from
    /// the time provider's now; the certificates it issues start at that provider's now too.</summary>
    public static CountryPki Create(string country, int years = 4, TimeProvider? time = null)
    {
        if (country.Length != 2 || !country.All(char.IsAsciiLetterUpper))
            throw new ArgumentException("country must be ISO 3166-1 alpha-2 (e.g. KE)", nameof(country));
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=CSCA {country}, O=Ministry of Health, C={country}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        time ??= TimeProvider.System;
        var start = Start(time);
        var csca = request.CreateSelfSigned(start, start.AddYears(years));
        return new CountryPki(country, X509CertificateLoader.LoadCertificate(csca.RawData), key, time);
    }

    /// <summary>Issues a DSC (P-256, 2 years, DCC key usages) and returns it with its private key.</summary>
    public X509Certificate2 IssueDsc(string commonName, int years = 2, IEnumerable<string>? keyUsageOids = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issued = IssueDscFor(commonName, key, years, keyUsageOids);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>
    /// Issues a DSC for a key held elsewhere (an HSM: only its public half is used), without a private key attached.
    /// </summary>
    public X509Certificate2 IssueDscFor(string commonName, ECDsa publicKey, int years = 2, IEnumerable<string>? keyUsageOids = null)
    {
        var request = new CertificateRequest(new X500DistinguishedName($"CN={commonName}, O=Ministry of Health, C={Country}"),
            PublicKey.CreateFromSubjectPublicKeyInfo(publicKey.ExportSubjectPublicKeyInfo(), out _), HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var usages = new OidCollection();
        foreach (var oid in keyUsageOids ?? DccKeyUsageOids) usages.Add(new Oid(oid));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var start = Start(_time);
        var end = start.AddYears(years);
        if (end > Csca.NotAfter) end = Csca.NotAfter;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(Csca.SubjectName, X509SignatureGenerator.CreateForECDsa(_cscaKey), start, end, serial);
        return X509CertificateLoader.LoadCertificate(issued.RawData);
    }

    /// <summary>An UPLOAD certificate (the country's signer of its gateway trust-list items), with its key.</summary>
    public X509Certificate2 IssueUpload() =>
        IssueDsc($"UPLOAD {Country}", keyUsageOids: ["1.3.6.1.5.5.7.3.2"]);

    /// <summary>A self-signed trust anchor (the gateway's or WHO's) with its key: it signs CSCA and UPLOAD items.</summary>
    public static X509Certificate2 CreateTrustAnchor(string commonName, int years = 5, TimeProvider? time = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature, true));
        var start = Start(time ?? TimeProvider.System);
        return request.CreateSelfSigned(start, start.AddYears(years));
    }

    /// <summary>The CSCA's private key as PKCS#8 PEM, for keeping the country's dev PKI between runs.</summary>
    public string ExportCscaKeyPem() => _cscaKey.ExportPkcs8PrivateKeyPem();

    /// <summary>Reloads a CSCA from its certificate and PKCS#8 PEM key.</summary>
    public static CountryPki Load(string country, X509Certificate2 csca, string keyPem, TimeProvider? time = null)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(keyPem);
        return new CountryPki(country, csca, key, time ?? TimeProvider.System);
    }

    public void Dispose() => _cscaKey.Dispose();

    public override string ToString() => $"CountryPki({Country}, {Csca.Subject})";
}
