namespace Vc.Credentials.Keys;

/// <summary>Loads signing keys from their Multikey secret encodings.</summary>
public static class SigningKeys
{
    /// <summary>An Ed25519, P-256 or P-384 key from secretKeyMultibase (type from its multicodec header).</summary>
    public static ISigningKey FromSecretKeyMultibase(string secretKeyMultibase)
    {
        ArgumentNullException.ThrowIfNull(secretKeyMultibase);
        try { return Ed25519SigningKey.FromSecretKeyMultibase(secretKeyMultibase); }
        catch (KeyFormatException) { return EcdsaSigningKey.FromSecretKeyMultibase(secretKeyMultibase); }
    }

    /// <summary>A new random key of the given type.</summary>
    public static ISigningKey Generate(KeyType type) =>
        type == KeyType.Ed25519 ? Ed25519SigningKey.Generate() : EcdsaSigningKey.Generate(type);
}
