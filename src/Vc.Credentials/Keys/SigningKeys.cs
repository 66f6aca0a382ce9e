using Vc.Did.Keys;

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

    /// <summary>
    /// A key from a Multikey key-pair JSON object, as in the DI test vectors and js-generated/keys.json:
    /// {"publicKeyMultibase": "z…", "secretKeyMultibase" | "privateKeyMultibase": "z…"}; when the public key is
    /// given it must match the secret one.
    /// </summary>
    /// <exception cref="KeyFormatException">No secret key, an unsupported type, or a public key that does not match.</exception>
    public static ISigningKey FromMultikeyJson(System.Text.Json.Nodes.JsonObject keyPair)
    {
        ArgumentNullException.ThrowIfNull(keyPair);
        var secret = Json.JsonInput.GetString(keyPair, "secretKeyMultibase") ?? Json.JsonInput.GetString(keyPair, "privateKeyMultibase")
                     ?? throw new KeyFormatException("The key pair has no secretKeyMultibase.");
        var key = FromSecretKeyMultibase(secret);
        if (Json.JsonInput.GetString(keyPair, "publicKeyMultibase") is { } expected && expected != key.PublicKey.PublicKeyMultibase)
        {
            (key as IDisposable)?.Dispose();
            throw new KeyFormatException("publicKeyMultibase does not match the secret key.");
        }
        return key;
    }

    /// <summary>A new random key of the given type.</summary>
    public static ISigningKey Generate(KeyType type) =>
        type == KeyType.Ed25519 ? Ed25519SigningKey.Generate() : EcdsaSigningKey.Generate(type);
}
