using Nethereum.Signer;

namespace Vc.Trust;

/// <summary>Actor keys for registry writes (secp256k1, as Ethereum accounts).</summary>
public static class TrustKeys
{
    /// <summary>
    /// Reads a private key written as 64 hex digits (optionally 0x-prefixed, surrounding whitespace ignored).
    /// Errors never echo the input: it may be a real key.
    /// </summary>
    public static EthECKey ParsePrivateKey(string text)
    {
        var hex = text.Trim();
        if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) hex = hex[2..];
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
            throw new TrustRegistryException(TrustRegistryError.InvalidInput, "a private key is 32 bytes as 64 hex digits");
        var bytes = Convert.FromHexString(hex);
        try
        {
            return new EthECKey(bytes, true);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new TrustRegistryException(TrustRegistryError.InvalidInput, "not a valid secp256k1 private key");
        }
        finally
        {
            Array.Clear(bytes);
        }
    }

    /// <summary>The 0x-hex form of a key, for writing a key file (never for logs).</summary>
    public static string ExportPrivateKey(EthECKey key) => key.GetPrivateKey();
}
