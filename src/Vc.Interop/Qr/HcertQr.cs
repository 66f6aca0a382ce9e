using QRCoder;
using StbImageSharp;
using Vc.Interop.Hcert;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace Vc.Interop.Qr;

/// <summary>QR rendering and reading for HCERTs (hcert §4.1: QR, alphanumeric mode, error correction Q).</summary>
public static class HcertQr
{
    /// <summary>Images larger than this are refused before decoding (a QR photo is far smaller).</summary>
    public const int MaxImageBytes = 20 * 1024 * 1024;
    /// <summary>
    /// A phone photo of a QR code is about 12 megapixels (4032×3024); decoding costs ≈ 3.5 bytes a pixel (grey image,
    /// luminance copy, binarized matrix), so 16 megapixels bounds one decoding near 60 MB. Checked from the header.
    /// </summary>
    public const int MaxImagePixels = 16_000_000;

    /// <summary>Renders a PNG. "HC1:" + Base45 uses only the QR alphanumeric character set, so QRCoder picks
    /// alphanumeric mode.</summary>
    public static byte[] RenderPng(string hc1, int pixelsPerModule = 4)
    {
        using var data = Encode(hc1);
        return new PngByteQRCode(data).GetGraphic(pixelsPerModule);
    }

    /// <summary>The QR symbol (hcert §4.1: ECC level Q; QRCoder picks alphanumeric mode for this character set).</summary>
    internal static QRCodeData Encode(string hc1)
    {
        using var generator = new QRCodeGenerator();
        return generator.CreateQrCode(hc1, QRCodeGenerator.ECCLevel.Q);
    }

    /// <summary>The image's pixel count from its header (PNG, JPEG or BMP, read without a decoder), or null when it is
    /// not an image <see cref="Decode"/> would read.</summary>
    public static long? PixelsOf(ReadOnlySpan<byte> image) =>
        ImageHeader.TryRead(image, out var width, out var height, out _) ? width * height : null;

    /// <summary>Reads the text of the QR code in a PNG/JPEG/BMP image, or throws <see cref="HcertException"/>
    /// with <see cref="HcertFailure.QrDecode"/>.</summary>
    public static string Decode(byte[] image)
    {
        if (image.Length == 0 || image.Length > MaxImageBytes)
            throw new HcertException(HcertFailure.QrDecode, $"image size {image.Length} bytes is outside 1..{MaxImageBytes}");
        ImageResult pixels;
        try
        {
            // The header is read here, not by the decoder (which loops for ever on some truncated JPEGs).
            if (!ImageHeader.TryRead(image, out var width, out var height, out var error))
                throw new HcertException(HcertFailure.QrDecode, "not a readable image: " + error);
            if (width * height > MaxImagePixels)
                throw new HcertException(HcertFailure.QrDecode, $"image of {width}×{height} pixels is too large");
            pixels = ImageResult.FromMemory(image, ColorComponents.Grey)
                ?? throw new HcertException(HcertFailure.QrDecode, "not a readable image");
        }
        catch (Exception e) when (e is not HcertException)
        {
            throw new HcertException(HcertFailure.QrDecode, "not a readable image: " + e.Message, e);
        }
        var source = new RGBLuminanceSource(pixels.Data, pixels.Width, pixels.Height, RGBLuminanceSource.BitmapFormat.Gray8);
        var hints = new Dictionary<DecodeHintType, object>
        {
            [DecodeHintType.TRY_HARDER] = true,
            [DecodeHintType.POSSIBLE_FORMATS] = new List<BarcodeFormat> { BarcodeFormat.QR_CODE },
        };
        var reader = new QRCodeReader();
        // Photos need the hybrid binarizer; clean renders are read most reliably as a pure barcode (ZXing's finder
        // search misses some large, perfectly sharp codes).
        var pure = new Dictionary<DecodeHintType, object>(hints) { [DecodeHintType.PURE_BARCODE] = true };
        var result = reader.decode(new BinaryBitmap(new HybridBinarizer(source)), hints)
                     ?? reader.decode(new BinaryBitmap(new HybridBinarizer(source)), pure)
                     ?? reader.decode(new BinaryBitmap(new GlobalHistogramBinarizer(source)), hints);
        return result?.Text ?? throw new HcertException(HcertFailure.QrDecode, "no QR code found in the image");
    }
}
