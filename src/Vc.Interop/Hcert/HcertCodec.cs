using System.Text.Json;
using Vc.Interop.Icvp;

namespace Vc.Interop.Hcert;

/// <summary>An HCERT decoded (not verified): the COSE message and its CWT claims.</summary>
public sealed record DecodedHcert(CoseSign1 Cose, CwtClaims Claims)
{
    /// <summary>The EU DCC (-260/1) as JSON, if present.</summary>
    public JsonElement? EuDcc => Claims.Hcert.TryGetValue(HcertClaimKey.EuDcc, out var c) ? CborJson.ToJsonElement(c) : null;

    /// <summary>The ICVP (-260/-6), if present.</summary>
    public IcvpCertificate? Icvp => Claims.Hcert.TryGetValue(HcertClaimKey.Icvp, out var c) ? IcvpCertificate.Decode(c) : null;
}

/// <summary>The HCERT layers, outside in (hcert §3): "HC1:" context identifier → Base45 → zlib → COSE_Sign1 →
/// CWT. Each layer is usable on its own; each failure is an <see cref="HcertException"/> naming the layer.</summary>
public static class HcertCodec
{
    /// <summary>hcert §4.2: context identifier of version 1.</summary>
    public const string Prefix = "HC1:";

    /// <summary>A QR code holds at most 4,296 alphanumeric characters; anything far longer is not an HCERT.</summary>
    public const int DefaultMaxInputChars = 16 * 1024;

    /// <summary>Removes "HC1:"; rejects a missing prefix and the reserved future versions HC2:…HCZ: (hcert §4.2).</summary>
    public static string Unprefix(string text, int maxChars = DefaultMaxInputChars)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > maxChars)
            throw new HcertException(HcertFailure.Input, $"input of {text.Length} characters exceeds {maxChars}");
        if (text.StartsWith(Prefix, StringComparison.Ordinal))
            return text[Prefix.Length..];
        if (text.Length >= 4 && text[0] == 'H' && text[1] == 'C' && text[3] == ':' && char.IsAsciiLetterOrDigit(text[2]))
            throw new HcertException(HcertFailure.Unprefix, $"context identifier '{text[..4]}' is not supported (only HC1:)");
        throw new HcertException(HcertFailure.Unprefix, "context identifier 'HC1:' is missing");
    }

    public static byte[] DecodeBase45(string base45) => Base45.Decode(base45);

    public static byte[] Inflate(ReadOnlySpan<byte> compressed, int maxOutputBytes = Zlib.DefaultMaxInflatedBytes) =>
        Zlib.Inflate(compressed, maxOutputBytes);

    public static CoseSign1 DecodeCose(ReadOnlyMemory<byte> cose) => CoseSign1.Decode(cose);

    public static CwtClaims DecodeClaims(ReadOnlyMemory<byte> payload) => CwtClaims.Decode(payload);

    /// <summary>"HC1:…" → COSE bytes (unprefix, Base45, inflate).</summary>
    public static byte[] DecodeToCose(string hc1, int maxChars = DefaultMaxInputChars, int maxInflatedBytes = Zlib.DefaultMaxInflatedBytes) =>
        Zlib.Inflate(Base45.Decode(Unprefix(hc1, maxChars)), maxInflatedBytes);

    /// <summary>All layers down to the CWT claims, without verifying anything.</summary>
    public static DecodedHcert Decode(string hc1)
    {
        var cose = CoseSign1.Decode(DecodeToCose(hc1));
        return new DecodedHcert(cose, CwtClaims.Decode(cose.Payload));
    }

    /// <summary>COSE bytes → "HC1:" + Base45(zlib(COSE)) (hcert §3.2–§4.2).</summary>
    public static string Encode(ReadOnlySpan<byte> cose) => Prefix + Base45.Encode(Zlib.Deflate(cose));
}
