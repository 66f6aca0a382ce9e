using System.IO.Compression;

namespace Vc.Interop.Hcert;

/// <summary>zlib (RFC 1950) with an inflate bounded by an output cap: a zlib bomb stops at the cap.</summary>
public static class Zlib
{
    /// <summary>The EU verifier app stops inflating at 5 MB; an HCERT is a few hundred bytes.</summary>
    public const int DefaultMaxInflatedBytes = 5 * 1024 * 1024;

    public static byte[] Deflate(ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream(data.Length + 32);
        using (var z = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
            z.Write(data);
        return output.ToArray();
    }

    /// <summary>Inflates, or throws <see cref="HcertException"/> with <see cref="HcertFailure.Inflate"/>.</summary>
    public static byte[] Inflate(ReadOnlySpan<byte> compressed, int maxOutputBytes = DefaultMaxInflatedBytes)
    {
        // RFC 1950 §2.2: CMF must name deflate (CM = 8) and (CMF·256 + FLG) must be a multiple of 31.
        if (compressed.Length < 2 || (compressed[0] & 0x0F) != 8 || ((compressed[0] << 8) | compressed[1]) % 31 != 0)
            throw new HcertException(HcertFailure.Inflate, "no zlib header (RFC 1950 §2.2)");
        // RFC 1950 §2.2: FDICT (bit 5 of FLG) asks for a preset dictionary, which no HCERT uses and the decoder is not
        // given (.NET would fail with a ZLibException: found by fuzzing).
        if ((compressed[1] & 0x20) != 0)
            throw new HcertException(HcertFailure.Inflate, "preset dictionary (FDICT) is not supported (RFC 1950 §2.2)");
        var input = compressed.ToArray();
        try
        {
            using var source = new MemoryStream(input, writable: false);
            using var z = new ZLibStream(source, CompressionMode.Decompress);
            var buffer = new byte[Math.Min(Math.Max(input.Length * 4, 1024), maxOutputBytes + 1)];
            var total = 0;
            while (true)
            {
                if (total == buffer.Length)
                {
                    if (buffer.Length > maxOutputBytes)
                        throw new HcertException(HcertFailure.Inflate, $"inflated output exceeds {maxOutputBytes} bytes");
                    Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, maxOutputBytes + 1L));
                }
                var read = z.Read(buffer, total, buffer.Length - total);
                if (read == 0) break;
                total += read;
            }
            if (total > maxOutputBytes)
                throw new HcertException(HcertFailure.Inflate, $"inflated output exceeds {maxOutputBytes} bytes");
            if (total == 0)
                throw new HcertException(HcertFailure.Inflate, "empty zlib stream");
            // RFC 1950 §2.2: the stream ends with ADLER-32 of the output; a truncated stream inflates silently
            // in .NET, so the trailer is checked here.
            if (input.Length < 6 || Adler32(buffer.AsSpan(0, total)) != System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(input.AsSpan(input.Length - 4)))
                throw new HcertException(HcertFailure.Inflate, "truncated stream or ADLER-32 mismatch");
            return total == buffer.Length ? buffer : buffer.AsSpan(0, total).ToArray();
        }
        // InvalidDataException: corrupt deflate data; IOException (ZLibException): an error code zlib itself returned.
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new HcertException(HcertFailure.Inflate, "corrupt deflate data", e);
        }
    }

    private static uint Adler32(ReadOnlySpan<byte> data)
    {
        uint a = 1, b = 0;
        while (data.Length > 0)
        {
            var n = Math.Min(data.Length, 3800);
            foreach (var x in data[..n]) { a += x; b += a; }
            a %= 65521;
            b %= 65521;
            data = data[n..];
        }
        return (b << 16) | a;
    }
}
