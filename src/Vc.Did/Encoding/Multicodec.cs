namespace Vc.Did.Encoding;

/// <summary>The multicodec headers (unsigned varint) used by Multikey and did:key.</summary>
public static class Multicodec
{
    /// <summary>ed25519-pub 0xed.</summary>
    public static ReadOnlySpan<byte> Ed25519Public => [0xed, 0x01];
    /// <summary>ed25519-priv 0x1300.</summary>
    public static ReadOnlySpan<byte> Ed25519Private => [0x80, 0x26];
    /// <summary>x25519-pub 0xec (did:key and did:ethr key agreement).</summary>
    public static ReadOnlySpan<byte> X25519Public => [0xec, 0x01];
    /// <summary>secp256k1-pub 0xe7 (did:key).</summary>
    public static ReadOnlySpan<byte> Secp256k1Public => [0xe7, 0x01];
    /// <summary>p256-pub 0x1200.</summary>
    public static ReadOnlySpan<byte> P256Public => [0x80, 0x24];
    /// <summary>p384-pub 0x1201.</summary>
    public static ReadOnlySpan<byte> P384Public => [0x81, 0x24];
    /// <summary>p256-priv 0x1306.</summary>
    public static ReadOnlySpan<byte> P256Private => [0x86, 0x26];
    /// <summary>p384-priv 0x1307.</summary>
    public static ReadOnlySpan<byte> P384Private => [0x87, 0x26];

    internal static byte[] Prefix(ReadOnlySpan<byte> header, ReadOnlySpan<byte> body)
    {
        var result = new byte[header.Length + body.Length];
        header.CopyTo(result);
        body.CopyTo(result.AsSpan(header.Length));
        return result;
    }
}
