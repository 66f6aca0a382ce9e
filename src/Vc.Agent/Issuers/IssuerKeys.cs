using System.Security.Cryptography;
using Vc.Credentials.Keys;
using Vc.Did.Keys;

namespace Vc.Agent;

/// <summary>
/// Key material the node generates and stores (encrypted) for its issuers: the raw Ed25519 seed or ECDSA
/// scalar, loaded back into a signing key for one use.
/// </summary>
public static class IssuerKeys
{
    public static (byte[] Secret, KeyType Type) Generate(string cryptosuite) => cryptosuite switch
    {
        "eddsa-rdfc-2022" or "eddsa-jcs-2022" => (RandomNumberGenerator.GetBytes(32), KeyType.Ed25519),
        "ecdsa-rdfc-2019" or "ecdsa-jcs-2019" or "ecdsa-sd-2023" => (NewP256Scalar(), KeyType.P256),
        _ => throw new ArgumentException($"unsupported cryptosuite '{cryptosuite}' (eddsa-rdfc-2022, eddsa-jcs-2022, ecdsa-rdfc-2019, ecdsa-sd-2023)"),
    };

    /// <summary>The key type a cryptosuite signs with.</summary>
    public static KeyType TypeFor(string cryptosuite) => cryptosuite switch
    {
        "eddsa-rdfc-2022" or "eddsa-jcs-2022" => KeyType.Ed25519,
        "ecdsa-rdfc-2019" or "ecdsa-jcs-2019" or "ecdsa-sd-2023" => KeyType.P256,
        _ => throw new ArgumentException($"unsupported cryptosuite '{cryptosuite}' (eddsa-rdfc-2022, eddsa-jcs-2022, ecdsa-rdfc-2019, ecdsa-sd-2023)"),
    };

    /// <summary>A new secret of the key type: an Ed25519 seed or a P-256 scalar.</summary>
    public static byte[] NewSecret(KeyType type) => type switch
    {
        KeyType.Ed25519 => RandomNumberGenerator.GetBytes(32),
        KeyType.P256 => NewP256Scalar(),
        _ => throw new ArgumentException($"issuer keys are Ed25519 or P-256, not {type}"),
    };

    public static ISigningKey Load(KeyType type, ReadOnlySpan<byte> secret) => type switch
    {
        KeyType.Ed25519 => Ed25519SigningKey.FromSeed(secret),
        _ => EcdsaSigningKey.FromPrivateScalar(type, secret),
    };

    private static byte[] NewP256Scalar()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return ec.ExportParameters(includePrivateParameters: true).D!;
    }
}
