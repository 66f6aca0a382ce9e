using System.Buffers.Binary;

namespace Vc.Interop.Qr;

/// <summary>
/// The pixel size of a PNG, JPEG or BMP image, read from its own header before any decoder runs: the pixel cap is
/// checked on it, and only a well-formed header reaches the decoder. (StbImageSharp reads zeros past the end of its
/// input: its JPEG header reader and its PNG chunk loop, fed truncated images, loop for ever — found by the qr fuzzing
/// campaign.) So a JPEG must end with EOI and a PNG's chunks must reach IEND. Every loop here advances through the bytes.
/// </summary>
internal static class ImageHeader
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Width and height, or the reason the image is not one this reader accepts.</summary>
    public static bool TryRead(ReadOnlySpan<byte> image, out long width, out long height, out string? error)
    {
        width = height = 0;
        if (image.StartsWith(PngSignature)) return Png(image, out width, out height, out error);
        if (image.Length >= 2 && image[0] == 0xFF && image[1] == 0xD8) return Jpeg(image, out width, out height, out error);
        if (image.Length >= 26 && image[0] == (byte)'B' && image[1] == (byte)'M')
        {
            // BITMAPINFOHEADER: width and height (negative for top-down rows) at offsets 18 and 22 (little-endian).
            width = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(image[18..]));
            height = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(image[22..]));
            error = width == 0 || height == 0 ? "a BMP image of no pixels" : null;
            return error is null;
        }
        error = "not a PNG, JPEG or BMP image";
        return false;
    }

    // PNG §5.2–5.3, §11.2.2: the signature, then IHDR first: length 13, type, width, height (big-endian, non-zero).
    private static bool Png(ReadOnlySpan<byte> image, out long width, out long height, out string? error)
    {
        width = height = 0;
        if (image.Length < 8 + 8 + 13 + 4 || BinaryPrimitives.ReadUInt32BigEndian(image[8..]) != 13 || !image[12..16].SequenceEqual("IHDR"u8))
        {
            error = "a PNG image without its IHDR header";
            return false;
        }
        width = BinaryPrimitives.ReadUInt32BigEndian(image[16..]);
        height = BinaryPrimitives.ReadUInt32BigEndian(image[20..]);
        if (width == 0 || height == 0)
        {
            error = "a PNG image of no pixels";
            return false;
        }
        // §5.3: length, type, data, CRC, chunk after chunk up to IEND. The chain must stay inside the bytes and reach IEND:
        // StbImageSharp reads zeros past the end and would take them for chunks for ever (a qr fuzzing finding).
        var at = 8;
        while (at + 12 <= image.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(image[at..]);
            if (length > (uint)(image.Length - at - 12)) break;
            if (image[(at + 4)..(at + 8)].SequenceEqual("IEND"u8))
            {
                error = null;
                return true;
            }
            at += 12 + (int)length;
        }
        error = "a PNG image whose chunks do not reach IEND (truncated)";
        return false;
    }

    // JPEG (ITU-T T.81 §B.1.1.2–B.2.2): markers FF xx; segments after SOI carry a 2-byte length (which counts itself);
    // the frame header SOFn (C0–CF except C4 DHT, C8 JPG, CC DAC) holds P, Y (lines), X (samples per line). The image
    // must end with EOI, so no decoder reads past the end of the data looking for it.
    private static bool Jpeg(ReadOnlySpan<byte> image, out long width, out long height, out string? error)
    {
        width = height = 0;
        if (image.Length < 4 || image[^2] != 0xFF || image[^1] != 0xD9)
        {
            error = "a JPEG image that does not end with its EOI marker (truncated)";
            return false;
        }
        var i = 2;
        while (i + 4 <= image.Length)
        {
            if (image[i] != 0xFF) break;
            var marker = image[i + 1];
            if (marker == 0xFF) { i++; continue; } // fill bytes before a marker (§B.1.1.2)
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) { i += 2; continue; } // TEM, RSTn: no length
            if (marker is 0xD9 or 0xDA) break; // EOI or SOS before any frame header
            var length = BinaryPrimitives.ReadUInt16BigEndian(image[(i + 2)..]);
            if (length < 2 || i + 2 + length > image.Length) break;
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (length < 8) break;
                height = BinaryPrimitives.ReadUInt16BigEndian(image[(i + 5)..]);
                width = BinaryPrimitives.ReadUInt16BigEndian(image[(i + 7)..]);
                error = width == 0 || height == 0 ? "a JPEG frame of no pixels (height set later by DNL is not supported)" : null;
                return error is null;
            }
            i += 2 + length;
        }
        error = "a JPEG image without a readable frame header";
        return false;
    }
}
