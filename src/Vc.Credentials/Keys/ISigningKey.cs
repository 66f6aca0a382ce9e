using Vc.Did.Keys;

namespace Vc.Credentials.Keys;

/// <summary>
/// A private signing key, abstract so that keys can live in an HSM. Implementations must never expose
/// private key material through ToString, exceptions or logs.
/// </summary>
public interface ISigningKey
{
    /// <summary>The key type (decides the compatible cryptosuites).</summary>
    KeyType KeyType { get; }

    /// <summary>The matching public key.</summary>
    VerificationKey PublicKey { get; }

    /// <summary>Signs data: Ed25519 (pure) or ECDSA with SHA-256/384, signature as r‖s (IEEE P1363).</summary>
    ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);
}
