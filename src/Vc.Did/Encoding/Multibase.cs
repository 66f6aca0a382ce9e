using System.Buffers.Text;

namespace Vc.Did.Encoding;

/// <summary>Multibase (draft-multiformats-multibase) for the two bases Data Integrity uses.</summary>
public static class Multibase
{
    /// <summary>'z' + base58btc, as used by proofValue and publicKeyMultibase.</summary>
    public static string EncodeBase58Btc(ReadOnlySpan<byte> data) => EncodeBase58(data, 'z');

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

    private const string Base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    // Digit value of each ASCII character in the Bitcoin alphabet, -1 for characters outside it (read-only).
    private static readonly sbyte[] s_base58Digits = BuildBase58Digits();

    private static sbyte[] BuildBase58Digits()
    {
        var digits = new sbyte[128];
        Array.Fill(digits, (sbyte)-1);
        for (var i = 0; i < Base58Alphabet.Length; i++) digits[Base58Alphabet[i]] = (sbyte)i;
        return digits;
    }

    /// <summary>base58btc decoding (draft-msporny-base58 §3): each leading '1' is a zero byte, the rest is a
    /// big-endian base-58 number. Computed on 32-bit limbs, five digits (58^5 &lt; 2^32) per pass.</summary>
    private static byte[] DecodeBase58(ReadOnlySpan<char> text)
    {
        var zeros = 0;
        while (zeros < text.Length && text[zeros] == '1') zeros++;
        // log2(58) / 32 = 0.18306… limbs per digit.
        var capacity = (text.Length - zeros) * 733 / 4000 + 1;
        Span<uint> limbs = capacity <= 64 ? stackalloc uint[64] : new uint[capacity];
        limbs.Clear();
        var used = 0;
        for (var i = zeros; i < text.Length;)
        {
            ulong multiplier = 1, chunk = 0;
            for (var k = 0; k < 5 && i < text.Length; k++, i++)
            {
                var c = text[i];
                var d = c < 128 ? s_base58Digits[c] : -1;
                if (d < 0) throw new FormatException("Invalid base58btc character.");
                chunk = chunk * 58 + (ulong)d;
                multiplier *= 58;
            }
            var carry = chunk;
            for (var j = 0; j < used; j++)
            {
                var t = limbs[j] * multiplier + carry;
                limbs[j] = (uint)t;
                carry = t >> 32;
            }
            while (carry != 0)
            {
                limbs[used++] = (uint)carry;
                carry >>= 32;
            }
        }
        var significant = used * 4;
        if (used > 0)
        {
            var top = limbs[used - 1];
            while ((top >> 24) == 0)
            {
                significant--;
                top <<= 8;
            }
        }
        var result = new byte[zeros + significant];
        var pos = result.Length - 1;
        for (var j = 0; j < used; j++)
        {
            var limb = limbs[j];
            for (var b = 0; b < 4 && pos >= zeros; b++, limb >>= 8) result[pos--] = (byte)limb;
        }
        return result;
    }

    /// <summary>base58btc encoding (draft-msporny-base58 §3), after <paramref name="prefix"/>: each leading zero byte
    /// is a '1', the rest is the big-endian number in base 58. Computed on limbs of five digits (58^5), four bytes per
    /// pass: every proofValue is encoded here, and a digit-by-digit loop cost more than the signature's hashing.</summary>
    private static string EncodeBase58(ReadOnlySpan<byte> data, char prefix)
    {
        const uint LimbBase = 656_356_768; // 58^5 < 2^30, so a limb shifted by 32 bits still fits a ulong
        var zeros = 0;
        while (zeros < data.Length && data[zeros] == 0) zeros++;
        // log(256) / log(58^5) = 0.27315… limbs per byte.
        var capacity = (data.Length - zeros) * 2732 / 10000 + 2;
        Span<uint> limbs = capacity <= 64 ? stackalloc uint[64] : new uint[capacity];
        var used = 0;
        for (var i = zeros; i < data.Length;)
        {
            ulong chunk = 0;
            var shift = 0;
            for (var k = 0; k < 4 && i < data.Length; k++, i++, shift += 8) chunk = (chunk << 8) | data[i];
            var carry = chunk;
            for (var j = 0; j < used; j++)
            {
                var t = ((ulong)limbs[j] << shift) + carry;
                limbs[j] = (uint)(t % LimbBase);
                carry = t / LimbBase;
            }
            while (carry != 0)
            {
                limbs[used++] = (uint)(carry % LimbBase);
                carry /= LimbBase;
            }
        }
        // The top limb without its leading zero digits, every lower limb as five digits.
        var topDigits = 0;
        if (used > 0)
            for (var top = limbs[used - 1]; top != 0; top /= 58) topDigits++;
        var length = 1 + zeros + (used > 0 ? topDigits + (used - 1) * 5 : 0);
        Span<char> chars = length <= 256 ? stackalloc char[256] : new char[length];
        chars = chars[..length];
        chars[0] = prefix;
        chars.Slice(1, zeros).Fill('1');
        var pos = length - 1;
        for (var j = 0; j < used; j++)
        {
            var limb = limbs[j];
            var count = j == used - 1 ? topDigits : 5;
            for (var d = 0; d < count; d++, limb /= 58) chars[pos--] = Base58Alphabet[(int)(limb % 58)];
        }
        return new string(chars);
    }

    private static byte[] DecodeBase64Url(ReadOnlySpan<char> text)
    {
        if (!Base64Url.IsValid(text)) throw new FormatException("Invalid base64url text.");
        return Base64Url.DecodeFromChars(text);
    }
}
