using System.Formats.Cbor;
using System.Security.Cryptography;

namespace Vc.Interop.Hcert;

/// <summary>Where the kid was found; the protected header wins when both carry one (hcert §3.3.1).</summary>
public enum KidLocation { None, Protected, Unprotected }

/// <summary>COSE algorithm identifiers accepted by HCERT (hcert §3.3.2, RFC 9053 §2.1, RFC 8230 §2).</summary>
public static class CoseAlgorithm
{
    public const int ES256 = -7;
    public const int ES384 = -35;
    public const int ES512 = -36;
    public const int PS256 = -37;

    public static string Name(int? alg) => alg switch
    {
        ES256 => "ES256",
        ES384 => "ES384",
        ES512 => "ES512",
        PS256 => "PS256",
        null => "(none)",
        _ => alg.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>A parsed COSE_Sign1 message (RFC 9052 §4.2). Parsed by hand so that every shape seen in the field
/// (untagged, 61(18(..)), alg or kid only in the unprotected header) is accepted, and bad shapes are typed errors.</summary>
public sealed record CoseSign1
{
    private const int MaxHeaderBytes = 4096;

    /// <summary>The serialized protected header bstr content, exactly as signed.</summary>
    public required ReadOnlyMemory<byte> ProtectedHeader { get; init; }
    public required int? Algorithm { get; init; }
    public required ReadOnlyMemory<byte> Kid { get; init; }
    public required KidLocation KidLocation { get; init; }
    public required ReadOnlyMemory<byte> Payload { get; init; }
    public required ReadOnlyMemory<byte> Signature { get; init; }
    /// <summary>Whether the message carried tag 18 (COSE_Sign1).</summary>
    public required bool Tagged { get; init; }

    /// <summary>Decodes, or throws <see cref="HcertException"/> with <see cref="HcertFailure.Cose"/>.</summary>
    public static CoseSign1 Decode(ReadOnlyMemory<byte> encoded)
    {
        try
        {
            var reader = new CborReader(encoded, CborConformanceMode.Lax);
            var tagged = false;
            // RFC 8392 §6: a CWT may be wrapped in tag 61; RFC 9052 §2: tag 18 marks COSE_Sign1.
            for (var tags = 0; reader.PeekState() == CborReaderState.Tag; tags++)
            {
                var tag = (ulong)reader.ReadTag();
                if (tags >= 2 || (tag != 18 && tag != 61))
                    throw new HcertException(HcertFailure.Cose, $"unexpected CBOR tag {tag} before COSE_Sign1");
                tagged |= tag == 18;
            }
            if (reader.PeekState() != CborReaderState.StartArray)
                throw new HcertException(HcertFailure.Cose, $"COSE_Sign1 must be an array, found {reader.PeekState()}");
            if (reader.ReadStartArray() != 4)
                throw new HcertException(HcertFailure.Cose, "COSE_Sign1 must be an array of 4 items (RFC 9052 §4.2)");
            var protectedBytes = reader.ReadByteString();
            if (protectedBytes.Length > MaxHeaderBytes)
                throw new HcertException(HcertFailure.Cose, "protected header too large");
            int? protAlg = null, unprotAlg = null;
            byte[]? protKid = null, unprotKid = null;
            if (protectedBytes.Length > 0)
            {
                var h = new CborReader(protectedBytes, CborConformanceMode.Lax);
                ReadHeaderMap(h, out protAlg, out protKid);
                if (h.BytesRemaining != 0)
                    throw new HcertException(HcertFailure.Cose, "trailing bytes in protected header");
            }
            if (reader.PeekState() != CborReaderState.StartMap)
                throw new HcertException(HcertFailure.Cose, "unprotected header must be a map (RFC 9052 §3)");
            ReadHeaderMap(reader, out unprotAlg, out unprotKid);
            if (reader.PeekState() == CborReaderState.Null)
                throw new HcertException(HcertFailure.Cose, "detached payload is not allowed in an HCERT");
            var payload = reader.ReadByteString();
            var signature = reader.ReadByteString();
            reader.ReadEndArray();
            if (reader.BytesRemaining != 0)
                throw new HcertException(HcertFailure.Cose, "trailing bytes after COSE_Sign1");
            var kid = protKid ?? unprotKid;
            return new CoseSign1
            {
                ProtectedHeader = protectedBytes,
                Algorithm = protAlg ?? unprotAlg,
                Kid = kid ?? ReadOnlyMemory<byte>.Empty,
                KidLocation = protKid is not null ? KidLocation.Protected : unprotKid is not null ? KidLocation.Unprotected : KidLocation.None,
                Payload = payload,
                Signature = signature,
                Tagged = tagged,
            };
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new HcertException(HcertFailure.Cose, "malformed COSE_Sign1: " + e.Message, e);
        }
    }

    private static void ReadHeaderMap(CborReader reader, out int? alg, out byte[]? kid)
    {
        alg = null;
        kid = null;
        Span<long> seen = stackalloc long[64];
        var seenCount = 0;
        var count = reader.ReadStartMap();
        if (count > 64)
            throw new HcertException(HcertFailure.Cose, "header map has too many entries");
        while (reader.PeekState() != CborReaderState.EndMap)
        {
            long label;
            switch (reader.PeekState())
            {
                case CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger:
                    label = reader.ReadInt64();
                    break;
                case CborReaderState.TextString:
                    reader.SkipValue(); // text labels carry nothing HCERT uses
                    reader.SkipValue();
                    continue;
                default:
                    throw new HcertException(HcertFailure.Cose, "header label must be an integer or text (RFC 9052 §3)");
            }
            // RFC 9052 §3: a label must not occur twice in one header map.
            if (seen[..seenCount].Contains(label))
                throw new HcertException(HcertFailure.Cose, $"duplicate header label {label}");
            if (seenCount == seen.Length)
                throw new HcertException(HcertFailure.Cose, "header map has too many entries");
            seen[seenCount++] = label;
            switch (label)
            {
                case 1: // alg
                    if (reader.PeekState() is CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger)
                        alg = checked((int)reader.ReadInt64());
                    else if (reader.PeekState() == CborReaderState.TextString)
                        throw new HcertException(HcertFailure.UnsupportedAlgorithm, $"text algorithm '{reader.ReadTextString()}'");
                    else
                        throw new HcertException(HcertFailure.Cose, "alg must be an integer");
                    break;
                case 4: // kid
                    if (reader.PeekState() != CborReaderState.ByteString)
                        throw new HcertException(HcertFailure.Cose, "kid must be a byte string");
                    kid = reader.ReadByteString();
                    if (kid.Length > 64)
                        throw new HcertException(HcertFailure.Cose, "kid longer than 64 bytes");
                    break;
                default:
                    reader.SkipValue();
                    break;
            }
        }
        reader.ReadEndMap();
    }

    /// <summary>RFC 9052 §4.4: Sig_structure = ["Signature1", body_protected, external_aad = h'', payload].</summary>
    public byte[] ToBeSigned() => BuildToBeSigned(ProtectedHeader.Span, Payload.Span);

    internal static byte[] BuildToBeSigned(ReadOnlySpan<byte> protectedHeader, ReadOnlySpan<byte> payload)
    {
        ReadOnlySpan<byte> prefix = [0x84, 0x6A, (byte)'S', (byte)'i', (byte)'g', (byte)'n', (byte)'a', (byte)'t', (byte)'u', (byte)'r', (byte)'e', (byte)'1'];
        var buffer = new byte[prefix.Length + 9 + protectedHeader.Length + 1 + 9 + payload.Length];
        prefix.CopyTo(buffer);
        var o = prefix.Length;
        o += WriteByteStringHeader(buffer.AsSpan(o), protectedHeader.Length);
        protectedHeader.CopyTo(buffer.AsSpan(o));
        o += protectedHeader.Length;
        buffer[o++] = 0x40; // external_aad: empty bstr
        o += WriteByteStringHeader(buffer.AsSpan(o), payload.Length);
        payload.CopyTo(buffer.AsSpan(o));
        o += payload.Length;
        return o == buffer.Length ? buffer : buffer.AsSpan(0, o).ToArray();
    }

    private static int WriteByteStringHeader(Span<byte> dest, int length)
    {
        // RFC 8949 §3.1: major type 2 with the shortest length encoding.
        if (length < 24) { dest[0] = (byte)(0x40 | length); return 1; }
        if (length < 256) { dest[0] = 0x58; dest[1] = (byte)length; return 2; }
        if (length < 65536) { dest[0] = 0x59; dest[1] = (byte)(length >> 8); dest[2] = (byte)length; return 3; }
        dest[0] = 0x5A;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(dest[1..], (uint)length);
        return 5;
    }

    /// <summary>Builds and signs a tagged COSE_Sign1 with alg and kid in the protected header (hcert §3.3).</summary>
    public static byte[] Sign(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> kid, AsymmetricAlgorithm key)
    {
        var alg = key switch
        {
            ECDsa ec => ec.KeySize switch { 256 => CoseAlgorithm.ES256, 384 => CoseAlgorithm.ES384, 521 => CoseAlgorithm.ES512, _ => throw new HcertException(HcertFailure.UnsupportedAlgorithm, $"EC key size {ec.KeySize}") },
            RSA rsa when rsa.KeySize >= 2048 => CoseAlgorithm.PS256,
            RSA => throw new HcertException(HcertFailure.UnsupportedAlgorithm, "RSA keys below 2048 bits"),
            _ => throw new HcertException(HcertFailure.UnsupportedAlgorithm, key.GetType().Name),
        };
        var header = new CborWriter(CborConformanceMode.Canonical);
        header.WriteStartMap(2);
        header.WriteInt32(1);
        header.WriteInt32(alg);
        header.WriteInt32(4);
        header.WriteByteString(kid);
        header.WriteEndMap();
        var protectedHeader = header.Encode();
        var toBeSigned = BuildToBeSigned(protectedHeader, payload);
        var signature = key switch
        {
            ECDsa ec => ec.SignData(toBeSigned, HashFor(alg), DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            RSA rsa => rsa.SignData(toBeSigned, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            _ => throw new InvalidOperationException(),
        };
        var w = new CborWriter(CborConformanceMode.Lax);
        w.WriteTag((CborTag)18);
        w.WriteStartArray(4);
        w.WriteByteString(protectedHeader);
        w.WriteStartMap(0);
        w.WriteEndMap();
        w.WriteByteString(payload);
        w.WriteByteString(signature);
        w.WriteEndArray();
        return w.Encode();
    }

    internal static HashAlgorithmName HashFor(int alg) => alg switch
    {
        CoseAlgorithm.ES384 => HashAlgorithmName.SHA384,
        CoseAlgorithm.ES512 => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA256,
    };
}
