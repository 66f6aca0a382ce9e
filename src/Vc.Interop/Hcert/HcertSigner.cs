using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Vc.Interop.Icvp;
using Vc.Interop.TrustLists;

namespace Vc.Interop.Hcert;

/// <summary>Builds and signs HCERTs with a DSC key (hcert §3): CWT claims → COSE_Sign1 (ES256 or PS256, kid =
/// SHA-256(DSC)[0..8] in the protected header) → zlib → Base45 → "HC1:". The private key never leaves this object
/// and never appears in ToString or exceptions.</summary>
public sealed class HcertSigner
{
    private readonly AsymmetricAlgorithm _key;

    public HcertSigner(X509Certificate2 dsc, AsymmetricAlgorithm privateKey)
    {
        Dsc = dsc;
        _key = privateKey;
        Kid = TrustEntry.KidOf(dsc);
        // The key must belong to the DSC, or verifiers would reject every HCERT it makes.
        var probe = "kid-check"u8.ToArray();
        var matches = privateKey switch
        {
            ECDsa ec => dsc.GetECDsaPublicKey() is { } pub && pub.VerifyData(probe, ec.SignData(probe, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256),
            RSA rsa => dsc.GetRSAPublicKey() is { } pub && pub.VerifyData(probe, rsa.SignData(probe, HashAlgorithmName.SHA256, RSASignaturePadding.Pss), HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            _ => false,
        };
        if (!matches)
            throw new HcertException(HcertFailure.Encode, "the private key does not match the DSC's public key");
    }

    /// <summary>A DSC certificate that carries its private key.</summary>
    public HcertSigner(X509Certificate2 dscWithKey)
        : this(dscWithKey, (AsymmetricAlgorithm?)dscWithKey.GetECDsaPrivateKey() ?? dscWithKey.GetRSAPrivateKey()
            ?? throw new HcertException(HcertFailure.Encode, "the certificate carries no EC or RSA private key"))
    {
    }

    /// <summary>Loads a DSC (PEM) and its PKCS#8/SEC1/PKCS#1 private key (PEM).</summary>
    public static HcertSigner FromPemFiles(string certificatePath, string privateKeyPath)
    {
        try
        {
            return new HcertSigner(X509Certificate2.CreateFromPemFile(certificatePath, privateKeyPath));
        }
        catch (CryptographicException e)
        {
            throw new HcertException(HcertFailure.Encode, "cannot load the DSC and its key: " + e.Message, e);
        }
    }

    public X509Certificate2 Dsc { get; }
    public byte[] Kid { get; }

    /// <summary>Signs CWT claims into COSE_Sign1 bytes. exp may not outlive the DSC (verifiers reject that).</summary>
    public byte[] SignCose(CwtClaims claims)
    {
        var notAfter = new DateTimeOffset(Dsc.NotAfter.ToUniversalTime());
        if (claims.ExpirationTime is { } exp && exp > notAfter)
            throw new HcertException(HcertFailure.Encode, $"exp {exp:O} is after the DSC's notAfter {notAfter:O}");
        if (claims.IssuedAtTime is { } iat && (iat < new DateTimeOffset(Dsc.NotBefore.ToUniversalTime()) || iat > notAfter))
            throw new HcertException(HcertFailure.Encode, $"iat {iat:O} is outside the DSC's validity");
        return CoseSign1.Sign(claims.Encode(), Kid, _key);
    }

    public string Sign(CwtClaims claims) => HcertCodec.Encode(SignCose(claims));

    /// <summary>Signs an EU DCC (claim -260/1) given as JSON.</summary>
    public string SignEuDcc(JsonElement dcc, string? issuer, DateTimeOffset issuedAt, DateTimeOffset expiresAt) =>
        Sign(new CwtClaims
        {
            Issuer = issuer,
            IssuedAt = issuedAt.ToUnixTimeSeconds(),
            Expiration = expiresAt.ToUnixTimeSeconds(),
            Hcert = new Dictionary<int, ReadOnlyMemory<byte>> { [HcertClaimKey.EuDcc] = CborJson.FromJson(dcc) },
        });

    /// <summary>Signs an ICVP (claim -260/-6, Variant B). exp may be omitted: the dose's validity is in the payload.</summary>
    public string SignIcvp(IcvpCertificate icvp, string? issuer, DateTimeOffset issuedAt, DateTimeOffset? expiresAt = null) =>
        Sign(new CwtClaims
        {
            Issuer = issuer,
            IssuedAt = issuedAt.ToUnixTimeSeconds(),
            Expiration = expiresAt?.ToUnixTimeSeconds(),
            Hcert = new Dictionary<int, ReadOnlyMemory<byte>> { [HcertClaimKey.Icvp] = icvp.Encode() },
        });

    public override string ToString() => $"HcertSigner {{ Kid = {Convert.ToBase64String(Kid)}, Dsc = {Dsc.Subject} }}";
}
