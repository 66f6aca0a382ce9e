using System.Numerics;
using System.Security.Cryptography;
using System.Buffers.Text;
using NSec.Cryptography;
using Vc.Did.Encoding;

namespace Vc.Did.Keys;

/// <summary>
/// A public verification key (Ed25519 or a NIST curve point). Immutable and thread-safe: verification
/// keeps the imported key, so repeated verification with the same key skips the import.
/// </summary>
public sealed class VerificationKey : IEquatable<VerificationKey>
{
    private readonly byte[] _raw;             // Ed25519: 32 bytes; EC: compressed SEC1 point
    private readonly NSec.Cryptography.PublicKey? _ed25519;
    private readonly ECParameters _ec;
    // Imported EC keys, reused: an import costs about twice a P-256 verification. ECDsa instances are not documented
    // as thread-safe, so each concurrent verification takes its own (the bag holds at most one per concurrent caller).
    private readonly System.Collections.Concurrent.ConcurrentBag<ECDsa> _ecdsa = [];

    private VerificationKey(KeyType type, byte[] raw, NSec.Cryptography.PublicKey? ed, ECParameters ec)
    {
        KeyType = type;
        _raw = raw;
        _ed25519 = ed;
        _ec = ec;
    }

    /// <summary>The key type.</summary>
    public KeyType KeyType { get; }

    /// <summary>The key in its Multikey encoding ('z' + base58btc of the multicodec-prefixed key).</summary>
    public string PublicKeyMultibase => Multibase.EncodeBase58Btc(Multicodec.Prefix(Header(KeyType), _raw));

    /// <summary>Raw Ed25519 public key bytes or compressed SEC1 point.</summary>
    public ReadOnlySpan<byte> RawBytes => _raw;

    /// <summary>An Ed25519 public key from its 32 raw bytes.</summary>
    public static VerificationKey FromEd25519(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != 32) throw new KeyFormatException($"An Ed25519 public key has 32 bytes, not {publicKey.Length}.");
        if (!NSec.Cryptography.PublicKey.TryImport(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out var key) || key is null)
            throw new KeyFormatException("The Ed25519 public key is not a valid point.");
        return new VerificationKey(KeyType.Ed25519, publicKey.ToArray(), key, default);
    }

    /// <summary>A P-256 / P-384 public key from its affine coordinates.</summary>
    public static VerificationKey FromEcPoint(KeyType type, ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        var size = CoordinateSize(type);
        if (x.Length != size || y.Length != size) throw new KeyFormatException($"A {type} coordinate has {size} bytes.");
        var parameters = new ECParameters { Curve = Curve(type), Q = new ECPoint { X = x.ToArray(), Y = y.ToArray() } };
        try
        {
            using var ecdsa = ECDsa.Create(parameters); // validates that the point is on the curve
        }
        catch (CryptographicException e) { throw new KeyFormatException($"The {type} point is not on the curve.", e); }
        var compressed = new byte[size + 1];
        compressed[0] = (byte)(0x02 | (y[^1] & 1));
        x.CopyTo(compressed.AsSpan(1));
        return new VerificationKey(type, compressed, null, parameters);
    }

    /// <summary>A P-256 / P-384 key from a SEC1 point, compressed (0x02/0x03) or uncompressed (0x04).</summary>
    public static VerificationKey FromSec1(KeyType type, ReadOnlySpan<byte> point)
    {
        var size = CoordinateSize(type);
        if (point.Length == 2 * size + 1 && point[0] == 0x04)
            return FromEcPoint(type, point.Slice(1, size), point.Slice(1 + size, size));
        if (point.Length != size + 1 || (point[0] != 0x02 && point[0] != 0x03))
            throw new KeyFormatException($"A {type} SEC1 point has {size + 1} (compressed) or {2 * size + 1} bytes.");
        var y = DecompressY(type, point.Slice(1), point[0] == 0x03);
        return FromEcPoint(type, point.Slice(1), y);
    }

    /// <summary>Decodes a Multikey publicKeyMultibase (Ed25519, P-256, P-384).</summary>
    public static VerificationKey FromMultikey(string publicKeyMultibase)
    {
        byte[] bytes;
        try { bytes = Multibase.DecodeBase58Btc(publicKeyMultibase); }
        catch (FormatException e) { throw new KeyFormatException("publicKeyMultibase is not base58btc multibase.", e); }
        ReadOnlySpan<byte> b = bytes;
        if (b.StartsWith(Multicodec.Ed25519Public)) return FromEd25519(b[2..]);
        if (b.StartsWith(Multicodec.P256Public)) return FromSec1(KeyType.P256, b[2..]);
        if (b.StartsWith(Multicodec.P384Public)) return FromSec1(KeyType.P384, b[2..]);
        throw new KeyFormatException("publicKeyMultibase has an unsupported multicodec header.");
    }

    /// <summary>Decodes a public JWK (RFC 7517; OKP Ed25519 per RFC 8037, EC P-256 / P-384 per RFC 7518 §6.2.1).</summary>
    public static VerificationKey FromJwk(PublicJwk jwk)
    {
        ArgumentNullException.ThrowIfNull(jwk);
        try
        {
            return (jwk.Kty, jwk.Crv) switch
            {
                ("OKP", "Ed25519") => FromEd25519(Base64Url.DecodeFromChars(jwk.X)),
                ("EC", "P-256") => FromEcPoint(KeyType.P256, Base64Url.DecodeFromChars(jwk.X), Base64Url.DecodeFromChars(jwk.Y ?? "")),
                ("EC", "P-384") => FromEcPoint(KeyType.P384, Base64Url.DecodeFromChars(jwk.X), Base64Url.DecodeFromChars(jwk.Y ?? "")),
                var (kty, crv) => throw new KeyFormatException($"Unsupported JWK kty '{kty}' crv '{crv}'."),
            };
        }
        catch (FormatException e) { throw new KeyFormatException("JWK coordinates are not base64url.", e); }
    }

    /// <summary>Verifies a signature over <paramref name="data"/> (Ed25519 pure; ECDSA P1363 r‖s with SHA-256/384).</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (KeyType == KeyType.Ed25519)
            return signature.Length == 64 && SignatureAlgorithm.Ed25519.Verify(_ed25519!, data, signature);
        if (signature.Length != 2 * CoordinateSize(KeyType)) return false;
        if (!_ecdsa.TryTake(out var ecdsa)) ecdsa = ECDsa.Create(_ec);
        try { return ecdsa.VerifyData(data, signature, Hash(KeyType), DSASignatureFormat.IeeeP1363FixedFieldConcatenation); }
        finally { _ecdsa.Add(ecdsa); }
    }

    /// <summary>The hash the cryptosuites pair with this key type (SHA-384 for P-384, else SHA-256).</summary>
    public static HashAlgorithmName Hash(KeyType type) => type == KeyType.P384 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;

    internal static ReadOnlySpan<byte> Header(KeyType type) => type switch
    {
        KeyType.Ed25519 => Multicodec.Ed25519Public,
        KeyType.P256 => Multicodec.P256Public,
        _ => Multicodec.P384Public,
    };

    /// <summary>The size of one coordinate (and of a private scalar) on the key type's curve.</summary>
    public static int CoordinateSize(KeyType type) => type switch { KeyType.P256 => 32, KeyType.P384 => 48, _ => 32 };

    /// <summary>The NIST curve of a P-256 / P-384 key type.</summary>
    public static ECCurve Curve(KeyType type) => type == KeyType.P384 ? ECCurve.NamedCurves.nistP384 : ECCurve.NamedCurves.nistP256;

    // SEC 1 §2.3.4: y = sqrt(x³ − 3x + b) mod p; both primes are ≡ 3 (mod 4), so sqrt = v^((p+1)/4).
    private static byte[] DecompressY(KeyType type, ReadOnlySpan<byte> xBytes, bool odd)
    {
        var (p, b) = type == KeyType.P384
            ? (Big("fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff"),
               Big("b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef"))
            : (Big("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"),
               Big("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b"));
        var x = new BigInteger(xBytes, isUnsigned: true, isBigEndian: true);
        if (x >= p) throw new KeyFormatException("The compressed point's x is not below the field prime.");
        var rhs = BigInteger.ModPow(x, 3, p) - 3 * x + b;
        rhs = ((rhs % p) + p) % p;
        var y = BigInteger.ModPow(rhs, (p + 1) / 4, p);
        if (BigInteger.ModPow(y, 2, p) != rhs) throw new KeyFormatException("The compressed point is not on the curve.");
        if (y.IsEven == odd) y = p - y;
        var size = CoordinateSize(type);
        var result = new byte[size];
        var yb = y.ToByteArray(isUnsigned: true, isBigEndian: true);
        yb.CopyTo(result, size - yb.Length);
        return result;
    }

    private static BigInteger Big(string hex) => new(Convert.FromHexString(hex), isUnsigned: true, isBigEndian: true);

    /// <inheritdoc/>
    public bool Equals(VerificationKey? other) => other is not null && other.KeyType == KeyType && other._raw.AsSpan().SequenceEqual(_raw);
    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as VerificationKey);
    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(KeyType, _raw.Length, _raw[1], _raw[^1]);
    /// <inheritdoc/>
    public override string ToString() => $"{KeyType} {PublicKeyMultibase}";
}
