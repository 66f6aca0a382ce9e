using System.Globalization;
using Nethereum.Util;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X9;

namespace Vc.Did.Encoding;

/// <summary>Hex, base58 and key encodings used by did:ethr (multibase and multicodec: <see cref="Multibase"/>, <see cref="Multicodec"/>).</summary>
public static class Codec
{
    private static readonly X9ECParameters Secp256k1 = SecNamedCurves.GetByName("secp256k1");

    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
    public static string ToHex0x(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexStringLower(bytes);

    public static bool TryFromHex(string hex, out byte[] bytes)
    {
        var s = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;
        bytes = [];
        if (s.Length % 2 != 0 || !s.All(char.IsAsciiHexDigit)) return false;
        bytes = Convert.FromHexString(s);
        return true;
    }

    public static byte[] FromHex(string hex) => TryFromHex(hex, out var b) ? b : throw new FormatException("not hex: " + Short(hex));

    public static string ToBase58(ReadOnlySpan<byte> bytes) => SimpleBase.Base58.Bitcoin.Encode(bytes);

    public static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A secp256k1 public key (33-byte compressed or 65-byte uncompressed) as its affine coordinates; null when not on the curve.</summary>
    public static (byte[] X, byte[] Y)? Secp256k1Point(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length is not (33 or 65)) return null;
        try
        {
            var p = Secp256k1.Curve.DecodePoint(publicKey.ToArray()).Normalize();
            if (!p.IsValid()) return null;
            return (p.AffineXCoord.GetEncoded(), p.AffineYCoord.GetEncoded());
        }
        catch (ArgumentException) { return null; }
    }

    /// <summary>Compressed form (33 bytes) of a secp256k1 public key.</summary>
    public static byte[]? Secp256k1Compressed(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length is not (33 or 65)) return null;
        try { return Secp256k1.Curve.DecodePoint(publicKey.ToArray()).GetEncoded(true); }
        catch (ArgumentException) { return null; }
    }

    /// <summary>Ethereum address (EIP-55) of a secp256k1 public key: keccak256(X ‖ Y)[12..].</summary>
    public static string? AddressOfPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (Secp256k1Point(publicKey) is not { } p) return null;
        var xy = new byte[64];
        p.X.CopyTo(xy, 0);
        p.Y.CopyTo(xy, 32);
        var hash = Sha3Keccack.Current.CalculateHash(xy);
        return ChecksumAddress(ToHex0x(hash.AsSpan(12)));
    }

    /// <summary>EIP-55 mixed-case checksum form of a 20-byte hex address.</summary>
    public static string ChecksumAddress(string address) => AddressUtil.Current.ConvertToChecksumAddress(address);

    public static bool IsHexAddress(string s) => s.Length == 42 && s.StartsWith("0x", StringComparison.Ordinal) && s[2..].All(char.IsAsciiHexDigit);

    /// <summary>EIP-55: all-lower and all-upper forms carry no checksum; mixed case must match it.</summary>
    public static bool HasValidChecksum(string address)
    {
        var body = address[2..];
        if (body.All(c => !char.IsAsciiLetterUpper(c)) || body.All(c => !char.IsAsciiLetterLower(c))) return true;
        return string.Equals(ChecksumAddress(address), address, StringComparison.Ordinal);
    }

    public static byte[] Keccak256(ReadOnlySpan<byte> data) => Sha3Keccack.Current.CalculateHash(data.ToArray());

    /// <summary>ISO 8601 in UTC without milliseconds, as the reference prints block times.</summary>
    public static string IsoTime(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    internal static string Short(string s) => s.Length <= 80 ? s : s[..80] + "…";
}
