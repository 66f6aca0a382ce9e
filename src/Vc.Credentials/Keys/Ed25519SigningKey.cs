using NSec.Cryptography;
using Vc.Did.Encoding;
using Vc.Did.Keys;

namespace Vc.Credentials.Keys;

/// <summary>An in-memory Ed25519 key held by NSec (libsodium). The private key cannot be exported.</summary>
public sealed class Ed25519SigningKey : ISigningKey, IDisposable
{
    private readonly Key _key;

    private Ed25519SigningKey(Key key)
    {
        _key = key;
        PublicKey = VerificationKey.FromEd25519(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <inheritdoc/>
    public KeyType KeyType => KeyType.Ed25519;

    /// <inheritdoc/>
    public VerificationKey PublicKey { get; }

    /// <summary>A new random key.</summary>
    public static Ed25519SigningKey Generate() => new(Key.Create(SignatureAlgorithm.Ed25519));

    /// <summary>A key from its 32-byte seed (RFC 8032 private key).</summary>
    public static Ed25519SigningKey FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != 32) throw new KeyFormatException("An Ed25519 seed has 32 bytes.");
        return new(Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey));
    }

    /// <summary>A key from a Multikey secretKeyMultibase (ed25519-priv 0x1300; 32-byte seed or 64-byte seed‖public).</summary>
    public static Ed25519SigningKey FromSecretKeyMultibase(string secretKeyMultibase)
    {
        byte[] bytes;
        try { bytes = Multibase.DecodeBase58Btc(secretKeyMultibase); }
        catch (FormatException e) { throw new KeyFormatException("secretKeyMultibase is not base58btc multibase.", e); }
        try
        {
            ReadOnlySpan<byte> b = bytes;
            if (!b.StartsWith(Multicodec.Ed25519Private) || (b.Length != 34 && b.Length != 66))
                throw new KeyFormatException("secretKeyMultibase is not an ed25519-priv Multikey.");
            var key = FromSeed(b.Slice(2, 32));
            if (b.Length == 66 && !b[34..].SequenceEqual(key.PublicKey.RawBytes))
                throw new KeyFormatException("secretKeyMultibase holds a public half that does not match its seed.");
            return key;
        }
        finally { Array.Clear(bytes); }
    }

    /// <inheritdoc/>
    public ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Sign(data.Span));

    /// <summary>Synchronous signing (the in-memory key needs no I/O).</summary>
    public byte[] Sign(ReadOnlySpan<byte> data) => SignatureAlgorithm.Ed25519.Sign(_key, data);

    /// <inheritdoc/>
    public void Dispose() => _key.Dispose();

    /// <inheritdoc/>
    public override string ToString() => $"Ed25519SigningKey({PublicKey.PublicKeyMultibase})";
}
