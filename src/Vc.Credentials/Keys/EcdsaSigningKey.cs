using System.Security.Cryptography;
using Vc.Did.Encoding;
using Vc.Did.Keys;

namespace Vc.Credentials.Keys;

/// <summary>An in-memory P-256 or P-384 key (.NET ECDsa). An HSM-backed key implements <see cref="ISigningKey"/> instead.</summary>
public sealed class EcdsaSigningKey : ISigningKey, IDisposable
{
    private readonly ECDsa _ecdsa;
    private readonly Lock _gate = new();

    private EcdsaSigningKey(KeyType type, ECDsa ecdsa)
    {
        KeyType = type;
        _ecdsa = ecdsa;
        var q = ecdsa.ExportParameters(false).Q;
        PublicKey = VerificationKey.FromEcPoint(type, q.X, q.Y);
    }

    /// <inheritdoc/>
    public KeyType KeyType { get; }

    /// <inheritdoc/>
    public VerificationKey PublicKey { get; }

    /// <summary>A new random key on the curve of <paramref name="type"/> (P256 or P384).</summary>
    public static EcdsaSigningKey Generate(KeyType type)
    {
        RequireEc(type);
        return new(type, ECDsa.Create(VerificationKey.Curve(type)));
    }

    /// <summary>A key from its private scalar d (big-endian).</summary>
    public static EcdsaSigningKey FromPrivateScalar(KeyType type, ReadOnlySpan<byte> d)
    {
        RequireEc(type);
        if (d.Length != VerificationKey.CoordinateSize(type)) throw new KeyFormatException($"A {type} private scalar has {VerificationKey.CoordinateSize(type)} bytes.");
        var parameters = new ECParameters { Curve = VerificationKey.Curve(type), D = d.ToArray() };
        try { return new(type, ECDsa.Create(parameters)); }
        catch (CryptographicException e) { throw new KeyFormatException($"The {type} private scalar is invalid.", e); }
        finally { Array.Clear(parameters.D); }
    }

    /// <summary>A key from a Multikey secretKeyMultibase (p256-priv 0x1306 / p384-priv 0x1307).</summary>
    public static EcdsaSigningKey FromSecretKeyMultibase(string secretKeyMultibase)
    {
        byte[] bytes;
        try { bytes = Multibase.DecodeBase58Btc(secretKeyMultibase); }
        catch (FormatException e) { throw new KeyFormatException("secretKeyMultibase is not base58btc multibase.", e); }
        try
        {
            ReadOnlySpan<byte> b = bytes;
            if (b.StartsWith(Multicodec.P256Private)) return FromPrivateScalar(KeyType.P256, b[2..]);
            if (b.StartsWith(Multicodec.P384Private)) return FromPrivateScalar(KeyType.P384, b[2..]);
            throw new KeyFormatException("secretKeyMultibase is not a p256-priv or p384-priv Multikey.");
        }
        finally { Array.Clear(bytes); }
    }

    /// <inheritdoc/>
    public ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        lock (_gate) // one ECDsa instance is not documented as thread-safe
            return ValueTask.FromResult(_ecdsa.SignData(data.Span, VerificationKey.Hash(KeyType), DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    /// <inheritdoc/>
    public void Dispose() => _ecdsa.Dispose();

    /// <inheritdoc/>
    public override string ToString() => $"EcdsaSigningKey({PublicKey.PublicKeyMultibase})";

    private static void RequireEc(KeyType type)
    {
        if (type is not (KeyType.P256 or KeyType.P384)) throw new KeyFormatException($"ECDSA keys are P256 or P384, not {type}.");
    }
}
