using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.Cose;

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

/// <summary>A decoded COSE_Sign1 message (RFC 9052 §4.2). .NET's <see cref="CoseSign1Message"/> decodes and
/// verifies it; a lenient decoder takes over only for the field shapes .NET refuses (see <see cref="DecodeLenient"/>).
/// Bad shapes are typed errors.</summary>
public sealed record CoseSign1
{
    private const int MaxHeaderBytes = 4096;
    private const int MaxKidBytes = 64;

    /// <summary>The serialized protected header bstr content, exactly as signed.</summary>
    public required ReadOnlyMemory<byte> ProtectedHeader { get; init; }
    public required int? Algorithm { get; init; }
    public required ReadOnlyMemory<byte> Kid { get; init; }
    public required KidLocation KidLocation { get; init; }
    public required ReadOnlyMemory<byte> Payload { get; init; }
    public required ReadOnlyMemory<byte> Signature { get; init; }
    /// <summary>Whether the message carried tag 18 (COSE_Sign1).</summary>
    public required bool Tagged { get; init; }

    /// <summary>The message as .NET decoded it; null when only the lenient decoder accepted it.</summary>
    internal CoseSign1Message? Message { get; init; }

    /// <summary>Decodes, or throws <see cref="HcertException"/> with <see cref="HcertFailure.Cose"/>.</summary>
    public static CoseSign1 Decode(ReadOnlyMemory<byte> encoded)
    {
        CoseSign1Message message;
        try
        {
            message = CoseMessage.DecodeSign1(encoded.Span);
        }
        // .NET reads integer header labels as Int32 and lets an OverflowException out for a larger one (RFC 9052 §3
        // allows any int): found by fuzzing; the lenient reader below reads labels as Int64 and refuses the rest typed.
        catch (Exception e) when (e is CryptographicException or OverflowException)
        {
            var lenient = DecodeLenient(encoded, out var fieldShape);
            return fieldShape ? lenient : throw new HcertException(HcertFailure.Cose, "malformed COSE_Sign1: " + e.Message, e);
        }
        if (message.Content is not { } payload)
            throw new HcertException(HcertFailure.Cose, "detached payload is not allowed in an HCERT");
        if (!message.ProtectedHeaders.ContainsKey(CoseHeaderLabel.Algorithm))
            return DecodeLenient(encoded, out _); // alg only in the unprotected header: VerifyEmbedded would refuse it
        if (message.RawProtectedHeaders.Length > MaxHeaderBytes)
            throw new HcertException(HcertFailure.Cose, "protected header too large");
        if (message.UnprotectedHeaders.ContainsKey(CoseHeaderLabel.CriticalHeaders))
            throw new HcertException(HcertFailure.CriticalHeader, "crit (2) must be in the protected header (RFC 9052 §3.1)");
        CheckCritical(message.RawProtectedHeaders.Span);
        var protKid = KidOf(message.ProtectedHeaders);
        var unprotKid = KidOf(message.UnprotectedHeaders);
        var kid = protKid ?? unprotKid;
        return new CoseSign1
        {
            ProtectedHeader = message.RawProtectedHeaders,
            Algorithm = AlgOf(message.ProtectedHeaders),
            Kid = kid ?? ReadOnlyMemory<byte>.Empty,
            KidLocation = protKid is not null ? KidLocation.Protected : unprotKid is not null ? KidLocation.Unprotected : KidLocation.None,
            Payload = payload,
            Signature = message.Signature,
            Tagged = encoded.Span[0] == 0xD2, // 0xD2 = tag 18; DecodeSign1 takes both forms and does not say which
            Message = message,
        };
    }

    private static int? AlgOf(CoseHeaderMap headers)
    {
        if (!headers.TryGetValue(CoseHeaderLabel.Algorithm, out var value))
            return null;
        var reader = new CborReader(value.EncodedValue);
        return reader.PeekState() switch
        {
            CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger => ToInt(reader.ReadInt64()),
            CborReaderState.TextString => throw new HcertException(HcertFailure.UnsupportedAlgorithm, $"text algorithm '{reader.ReadTextString()}'"),
            _ => throw new HcertException(HcertFailure.Cose, "alg must be an integer"),
        };
    }

    private static int ToInt(long alg) => alg is >= int.MinValue and <= int.MaxValue
        ? (int)alg
        : throw new HcertException(HcertFailure.UnsupportedAlgorithm, $"algorithm {alg}");

    private static byte[]? KidOf(CoseHeaderMap headers)
    {
        if (!headers.TryGetValue(CoseHeaderLabel.KeyIdentifier, out var value))
            return null;
        var kid = value.GetValueAsBytes(); // DecodeSign1 has already checked that kid is a bstr
        return kid.Length > MaxKidBytes ? throw new HcertException(HcertFailure.Cose, $"kid longer than {MaxKidBytes} bytes") : kid;
    }

    /// <summary>The shapes DecodeSign1 refuses (or VerifyEmbedded cannot use) that the EU conformance vectors
    /// (dgc-testdata common/2DCode/raw) carry: alg only in the unprotected header (CO20, CO23), kid in both
    /// headers, the protected one winning (CO21, CO22; hcert §3.3.1), and a CWT tag 61 around tag 18 (CO28,
    /// RFC 8392 §6). <paramref name="fieldShape"/> says whether the message has one of them; others .NET refuses stay refused.</summary>
    private static CoseSign1 DecodeLenient(ReadOnlyMemory<byte> encoded, out bool fieldShape)
    {
        try
        {
            var reader = new CborReader(encoded, CborConformanceMode.Lax);
            bool tagged = false, cwtTag = false;
            for (var tags = 0; reader.PeekState() == CborReaderState.Tag; tags++)
            {
                var tag = (ulong)reader.ReadTag();
                if (tags >= 2 || (tag != 18 && tag != 61))
                    throw new HcertException(HcertFailure.Cose, $"unexpected CBOR tag {tag} before COSE_Sign1");
                tagged |= tag == 18;
                cwtTag |= tag == 61;
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
                ReadHeaderMap(h, out protAlg, out protKid, out _);
                if (h.BytesRemaining != 0)
                    throw new HcertException(HcertFailure.Cose, "trailing bytes in protected header");
                CheckCritical(protectedBytes);
            }
            if (reader.PeekState() != CborReaderState.StartMap)
                throw new HcertException(HcertFailure.Cose, "unprotected header must be a map (RFC 9052 §3)");
            ReadHeaderMap(reader, out unprotAlg, out unprotKid, out var unprotCrit);
            if (unprotCrit)
                throw new HcertException(HcertFailure.CriticalHeader, "crit (2) must be in the protected header (RFC 9052 §3.1)");
            if (reader.PeekState() == CborReaderState.Null)
                throw new HcertException(HcertFailure.Cose, "detached payload is not allowed in an HCERT");
            var payload = reader.ReadByteString();
            var signature = reader.ReadByteString();
            reader.ReadEndArray();
            if (reader.BytesRemaining != 0)
                throw new HcertException(HcertFailure.Cose, "trailing bytes after COSE_Sign1");
            var kid = protKid ?? unprotKid;
            fieldShape = cwtTag || protAlg is null || (protKid is not null && unprotKid is not null) || (unprotAlg is not null);
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

    /// <summary>The header labels this verifier understands and acts on: alg (1) and kid (4). crit may name only these.</summary>
    private static readonly long[] UnderstoodLabels = [1, 4];

    /// <summary>RFC 9052 §3.1: crit (label 2) is a non-empty array of labels the recipient must understand, or refuse
    /// the message; each must occur in the protected header. Only alg and kid are understood here.</summary>
    private static void CheckCritical(ReadOnlySpan<byte> protectedHeader)
    {
        if (protectedHeader.Length == 0) return;
        try
        {
            var reader = new CborReader(protectedHeader.ToArray(), CborConformanceMode.Lax);
            var present = new List<long>();
            List<object>? critical = null;
            reader.ReadStartMap();
            while (reader.PeekState() != CborReaderState.EndMap)
            {
                object label = reader.PeekState() == CborReaderState.TextString ? reader.ReadTextString() : reader.ReadInt64();
                if (label is long l) present.Add(l);
                if (label is 2L)
                {
                    if (reader.PeekState() != CborReaderState.StartArray)
                        throw new HcertException(HcertFailure.CriticalHeader, "crit (2) must be an array of labels");
                    var count = reader.ReadStartArray();
                    if (count is 0 or > 64)
                        throw new HcertException(HcertFailure.CriticalHeader, "crit (2) must list 1 to 64 labels");
                    critical = [];
                    while (reader.PeekState() != CborReaderState.EndArray)
                        critical.Add(reader.PeekState() switch
                        {
                            CborReaderState.TextString => reader.ReadTextString(),
                            CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger => reader.ReadInt64(),
                            _ => throw new HcertException(HcertFailure.CriticalHeader, "crit (2) labels must be integers or text"),
                        });
                    reader.ReadEndArray();
                }
                else
                    reader.SkipValue();
            }
            foreach (var label in critical ?? [])
            {
                if (label is not long l || !UnderstoodLabels.Contains(l))
                    throw new HcertException(HcertFailure.CriticalHeader, $"crit (2) names header parameter {(label is string t ? "'" + t + "'" : label)}, which this verifier does not understand (RFC 9052 §3.1)");
                if (!present.Contains(l))
                    throw new HcertException(HcertFailure.CriticalHeader, $"crit (2) names label {l}, absent from the protected header");
            }
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new HcertException(HcertFailure.Cose, "malformed protected header: " + e.Message, e);
        }
    }

    private static void ReadHeaderMap(CborReader reader, out int? alg, out byte[]? kid, out bool crit)
    {
        alg = null;
        kid = null;
        crit = false;
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
                        alg = ToInt(reader.ReadInt64());
                    else if (reader.PeekState() == CborReaderState.TextString)
                        throw new HcertException(HcertFailure.UnsupportedAlgorithm, $"text algorithm '{reader.ReadTextString()}'");
                    else
                        throw new HcertException(HcertFailure.Cose, "alg must be an integer");
                    break;
                case 4: // kid
                    if (reader.PeekState() != CborReaderState.ByteString)
                        throw new HcertException(HcertFailure.Cose, "kid must be a byte string");
                    kid = reader.ReadByteString();
                    if (kid.Length > MaxKidBytes)
                        throw new HcertException(HcertFailure.Cose, $"kid longer than {MaxKidBytes} bytes");
                    break;
                default:
                    crit |= label == 2;
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
        var w = new CborWriter(CborConformanceMode.Canonical, initialCapacity: protectedHeader.Length + payload.Length + 32);
        w.WriteStartArray(4);
        w.WriteTextString("Signature1");
        w.WriteByteString(protectedHeader);
        w.WriteByteString([]);
        w.WriteByteString(payload);
        w.WriteEndArray();
        return w.Encode();
    }

    /// <summary>Signs a tagged COSE_Sign1 with alg and kid in the protected header and the payload embedded (hcert §3.3).</summary>
    public static byte[] Sign(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> kid, AsymmetricAlgorithm key)
    {
        var headers = new CoseHeaderMap { [CoseHeaderLabel.KeyIdentifier] = CoseHeaderValue.FromBytes(kid) };
        var signer = key switch
        {
            // CoseSigner derives alg from the hash (ES256/384/512, PS256) and writes it into the protected header.
            ECDsa ec => new CoseSigner(ec, ec.KeySize switch
            {
                256 => HashAlgorithmName.SHA256,
                384 => HashAlgorithmName.SHA384,
                521 => HashAlgorithmName.SHA512,
                _ => throw new HcertException(HcertFailure.UnsupportedAlgorithm, $"EC key size {ec.KeySize}"),
            }, headers),
            RSA rsa when rsa.KeySize >= 2048 => new CoseSigner(rsa, RSASignaturePadding.Pss, HashAlgorithmName.SHA256, headers),
            RSA => throw new HcertException(HcertFailure.UnsupportedAlgorithm, "RSA keys below 2048 bits"),
            _ => throw new HcertException(HcertFailure.UnsupportedAlgorithm, key.GetType().Name),
        };
        return CoseSign1Message.SignEmbedded(payload, signer);
    }

    internal static HashAlgorithmName HashFor(int alg) => alg switch
    {
        CoseAlgorithm.ES384 => HashAlgorithmName.SHA384,
        CoseAlgorithm.ES512 => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA256,
    };
}
