namespace Vc.Interop.Hcert;

/// <summary>Base45 (RFC 9285) with strict decoding: bad characters and out-of-range groups are typed errors.</summary>
public static class Base45
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    private static readonly sbyte[] Reverse = BuildReverse();

    private static sbyte[] BuildReverse()
    {
        var table = new sbyte[128];
        Array.Fill(table, (sbyte)-1);
        for (var i = 0; i < Alphabet.Length; i++) table[Alphabet[i]] = (sbyte)i;
        return table;
    }

    /// <summary>RFC 9285 §4: each 2 bytes → 3 characters (c + 45d + 45²e), a trailing byte → 2 characters.</summary>
    public static string Encode(ReadOnlySpan<byte> data)
    {
        var length = data.Length / 2 * 3 + (data.Length % 2) * 2;
        return string.Create(length, data.ToArray(), static (chars, bytes) =>
        {
            var o = 0;
            var i = 0;
            for (; i + 1 < bytes.Length; i += 2)
            {
                var n = bytes[i] * 256 + bytes[i + 1];
                chars[o++] = Alphabet[n % 45];
                chars[o++] = Alphabet[n / 45 % 45];
                chars[o++] = Alphabet[n / 2025];
            }
            if (i < bytes.Length)
            {
                chars[o++] = Alphabet[bytes[i] % 45];
                chars[o] = Alphabet[bytes[i] / 45];
            }
        });
    }

    /// <summary>Decodes, or throws <see cref="HcertException"/> with <see cref="HcertFailure.Base45"/>.</summary>
    public static byte[] Decode(ReadOnlySpan<char> text)
    {
        // RFC 9285 §4.2: a length of 1 mod 3 cannot come from any byte string.
        if (text.Length % 3 == 1)
            throw new HcertException(HcertFailure.Base45, $"length {text.Length} is 1 mod 3");
        var output = new byte[text.Length / 3 * 2 + (text.Length % 3 == 2 ? 1 : 0)];
        var o = 0;
        var i = 0;
        for (; i + 2 < text.Length; i += 3)
        {
            var n = Value(text, i) + Value(text, i + 1) * 45 + Value(text, i + 2) * 2025;
            if (n > 0xFFFF)
                throw new HcertException(HcertFailure.Base45, $"group at {i} decodes to {n} > 65535");
            output[o++] = (byte)(n >> 8);
            output[o++] = (byte)n;
        }
        if (i < text.Length)
        {
            var n = Value(text, i) + Value(text, i + 1) * 45;
            if (n > 0xFF)
                throw new HcertException(HcertFailure.Base45, $"final pair at {i} decodes to {n} > 255");
            output[o] = (byte)n;
        }
        return output;
    }

    private static int Value(ReadOnlySpan<char> text, int index)
    {
        var c = text[index];
        var v = c < 128 ? Reverse[c] : -1;
        if (v < 0)
            throw new HcertException(HcertFailure.Base45, $"character U+{(int)c:X4} at {index} is not in the Base45 alphabet");
        return v;
    }
}
