namespace Vc.Did.Keys;

/// <summary>The key types a <see cref="VerificationKey"/> can hold: those the Data Integrity cryptosuites of Vc.Credentials use.</summary>
public enum KeyType
{
    /// <summary>Ed25519 (RFC 8032), eddsa-rdfc-2022 / eddsa-jcs-2022.</summary>
    Ed25519,
    /// <summary>NIST P-256 with SHA-256, ecdsa-rdfc-2019 / ecdsa-jcs-2019.</summary>
    P256,
    /// <summary>NIST P-384 with SHA-384, ecdsa-rdfc-2019 / ecdsa-jcs-2019.</summary>
    P384,
}

/// <summary>A key is malformed or of an unsupported type.</summary>
public sealed class KeyFormatException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A public JSON Web Key as a verification method carries it (RFC 7517 §4): kty, crv and the base64url
/// coordinates (RFC 7518 §6.2.1 EC; RFC 8037 OKP, which has no y). Other members are not kept.
/// </summary>
public sealed record PublicJwk(string Kty, string Crv, string X, string? Y = null);
