namespace Vc.Credentials.Keys;

/// <summary>The key types the Data Integrity cryptosuites of this library use.</summary>
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
