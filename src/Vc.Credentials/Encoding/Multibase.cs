using System.Buffers.Text;
using SimpleBase;

namespace Vc.Credentials.Encoding;

/// <summary>Multibase (draft-multiformats-multibase) for the two bases Data Integrity uses.</summary>
public static class Multibase
{
    /// <summary>'z' + base58btc, as used by proofValue and publicKeyMultibase.</summary>
    public static string EncodeBase58Btc(ReadOnlySpan<byte> data) => "z" + Base58.Bitcoin.Encode(data);

    /// <summary>'u' + base64url without padding, as used by Bitstring Status List encodedList.</summary>
    public static string EncodeBase64Url(ReadOnlySpan<byte> data) => "u" + Base64Url.EncodeToString(data);

    /// <summary>Decodes a 'z' (base58btc) or 'u' (base64url) multibase string.</summary>
    /// <exception cref="FormatException">Unknown prefix or invalid characters.</exception>
    public static byte[] Decode(string value, int maxLength = 1 << 20)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length < 2) throw new FormatException("Multibase value is too short.");
        if (value.Length > maxLength) throw new FormatException($"Multibase value exceeds {maxLength} characters.");
        return value[0] switch
        {
            'z' => DecodeBase58(value.AsSpan(1)),
            'u' => DecodeBase64Url(value.AsSpan(1)),
            _ => throw new FormatException($"Unsupported multibase prefix '{value[0]}'.")
        };
    }

    /// <summary>Decodes a value that must use base58btc ('z').</summary>
    public static byte[] DecodeBase58Btc(string value)
    {
        if (value is not { Length: > 1 } || value[0] != 'z')
            throw new FormatException("Expected a base58btc multibase value starting with 'z'.");
        return DecodeBase58(value.AsSpan(1));
    }

    private static byte[] DecodeBase58(ReadOnlySpan<char> text)
    {
        try { return Base58.Bitcoin.Decode(text); }
        catch (ArgumentException e) { throw new FormatException("Invalid base58btc character.", e); }
    }

    private static byte[] DecodeBase64Url(ReadOnlySpan<char> text)
    {
        if (!Base64Url.IsValid(text)) throw new FormatException("Invalid base64url text.");
        return Base64Url.DecodeFromChars(text);
    }
}
