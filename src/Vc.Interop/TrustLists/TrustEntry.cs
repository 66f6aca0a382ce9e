using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vc.Interop.TrustLists;

/// <summary>Where a trust entry came from.</summary>
public enum TrustSource { Certificate, EuGateway, GdhcnDid }

/// <summary>DCC extended key usage OIDs (hcert §5.1.1); the 1.3.6.1.4.1.0.1847… forms predate 2021-05-07.</summary>
[Flags]
public enum DccKeyUsage
{
    None = 0,
    Test = 1,
    Vaccination = 2,
    Recovery = 4,
    /// <summary>No EKU restriction: the DSC may sign every type.</summary>
    Any = Test | Vaccination | Recovery,
}

/// <summary>A trusted document signer certificate (DSC): the key used to verify HCERTs with its kid.</summary>
public sealed record TrustEntry
{
    private readonly ThreadLocal<AsymmetricAlgorithm?> _key;
    private readonly ThreadLocal<Hcert.NativeP256Verifier?> _native;

    public TrustEntry(X509Certificate2 certificate, TrustSource source, string? country = null, string? domain = null,
        IReadOnlyList<string>? keyUsages = null, byte[]? kid = null)
    {
        Certificate = certificate;
        Source = source;
        Country = country ?? CountryOf(certificate);
        Domain = domain;
        KeyUsages = keyUsages ?? ["DSC"];
        var computed = KidOf(certificate);
        Kid = kid ?? computed;
        Thumbprint = Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
        DccKeyUsage = ReadDccKeyUsage(certificate);
        NotBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
        NotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        // Key objects are created once per thread and reused: parsing the certificate per verification
        // costs more than the ECDSA check itself.
        _key = new ThreadLocal<AsymmetricAlgorithm?>(() =>
            (AsymmetricAlgorithm?)NamedCurveKey(certificate) ?? certificate.GetRSAPublicKey());
        _native = new ThreadLocal<Hcert.NativeP256Verifier?>(() => PublicKey is ECDsa ec ? Hcert.NativeP256Verifier.TryCreate(ec) : null);
    }

    /// <summary>hcert §3.3.1: first 8 bytes of SHA-256 over the DSC's DER encoding.</summary>
    public byte[] Kid { get; }
    public X509Certificate2 Certificate { get; }
    public TrustSource Source { get; }
    /// <summary>ISO 3166 country (alpha-2 from the gateway, alpha-3 from GDHCN, or the certificate's C).</summary>
    public string? Country { get; }
    /// <summary>GDHCN trust domain (DCC, ICVP, DDCC…), when known.</summary>
    public string? Domain { get; }
    /// <summary>GDHCN/gateway key usages (DSC, SCA, UP…).</summary>
    public IReadOnlyList<string> KeyUsages { get; }
    /// <summary>Whether the entry may sign HCERTs (key usage DSC).</summary>
    public bool IsDocumentSigner => KeyUsages.Contains("DSC", StringComparer.OrdinalIgnoreCase);
    /// <summary>Hex SHA-256 of the DER.</summary>
    public string Thumbprint { get; }
    public DccKeyUsage DccKeyUsage { get; }
    public DateTimeOffset NotBefore { get; }
    public DateTimeOffset NotAfter { get; }

    /// <summary>The public key for this thread (ECDsa or RSA), or null for other key types.</summary>
    public AsymmetricAlgorithm? PublicKey => _key.Value;

    /// <summary>This thread's reusable OpenSSL P-256 verification context, when available.</summary>
    internal Hcert.NativeP256Verifier? NativeP256 => _native.Value;

    private static readonly ECCurve[] NamedCurves = [ECCurve.NamedCurves.nistP256, ECCurve.NamedCurves.nistP384, ECCurve.NamedCurves.nistP521];

    /// <summary>Some DSCs spell P-256 out with explicit curve parameters (RFC 3279 specifiedCurve); OpenSSL then takes
    /// its generic, several times slower EC code path. Such keys are re-imported under the named curve they equal.</summary>
    private static ECDsa? NamedCurveKey(X509Certificate2 certificate)
    {
        var key = certificate.GetECDsaPublicKey();
        if (key is null)
            return null;
        try
        {
            var explicitParameters = key.ExportExplicitParameters(false);
            if (key.ExportParameters(false).Curve.IsNamed)
                return key;
            foreach (var named in NamedCurves)
            {
                using var probe = ECDsa.Create(named);
                var c = probe.ExportExplicitParameters(false).Curve;
                var e = explicitParameters.Curve;
                if (Same(c.Prime, e.Prime) && Same(c.A, e.A) && Same(c.B, e.B) && Same(c.Order, e.Order) && Same(c.G.X, e.G.X) && Same(c.G.Y, e.G.Y))
                {
                    var named2 = ECDsa.Create(new ECParameters { Curve = named, Q = explicitParameters.Q });
                    key.Dispose();
                    return named2;
                }
            }
        }
        catch (CryptographicException)
        {
            // Keep the key as the certificate states it.
        }
        return key;
    }

    private static bool Same(byte[]? a, byte[]? b) =>
        a is not null && b is not null && a.AsSpan().TrimStart((byte)0).SequenceEqual(b.AsSpan().TrimStart((byte)0));

    public static byte[] KidOf(X509Certificate2 certificate) => SHA256.HashData(certificate.RawData).AsSpan(0, 8).ToArray();

    public override string ToString() =>
        $"TrustEntry {{ Kid = {Convert.ToBase64String(Kid)}, Subject = {Certificate.Subject}, Country = {Country}, Domain = {Domain}, Source = {Source} }}";

    private static string? CountryOf(X509Certificate2 c)
    {
        foreach (var part in c.SubjectName.EnumerateRelativeDistinguishedNames())
            if (part.GetSingleElementType().Value == "2.5.4.6")
                return part.GetSingleElementValue();
        return null;
    }

    private static DccKeyUsage ReadDccKeyUsage(X509Certificate2 certificate)
    {
        var ext = certificate.Extensions["2.5.29.37"];
        // No EKU, or an empty one (dgc-testdata CO15: "no OID present"), restricts nothing.
        if (ext is null || ext.RawData.AsSpan().SequenceEqual(new byte[] { 0x30, 0x00 }))
            return DccKeyUsage.Any;
        X509EnhancedKeyUsageExtension eku;
        try { eku = new X509EnhancedKeyUsageExtension(ext, ext.Critical); _ = eku.EnhancedKeyUsages.Count; }
        catch (CryptographicException) { return DccKeyUsage.None; }
        if (eku.EnhancedKeyUsages.Count == 0)
            return DccKeyUsage.Any;
        var usage = DccKeyUsage.None;
        foreach (var oid in eku.EnhancedKeyUsages)
        {
            usage |= oid.Value switch
            {
                "1.3.6.1.4.1.1847.2021.1.1" or "1.3.6.1.4.1.0.1847.2021.1.1" => DccKeyUsage.Test,
                "1.3.6.1.4.1.1847.2021.1.2" or "1.3.6.1.4.1.0.1847.2021.1.2" => DccKeyUsage.Vaccination,
                "1.3.6.1.4.1.1847.2021.1.3" or "1.3.6.1.4.1.0.1847.2021.1.3" => DccKeyUsage.Recovery,
                "2.5.29.37.0" => DccKeyUsage.Any, // anyExtendedKeyUsage
                _ => DccKeyUsage.None,
            };
        }
        // An EKU extension that names only other purposes restricts the key to those purposes (RFC 5280
        // §4.2.1.12), so it may sign no HCERT type: this is what the dgc-testdata harness checks.
        return usage;
    }
}
