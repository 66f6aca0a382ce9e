using System.Buffers.Text;
using System.Formats.Cbor;
using Vc.Credentials.Verification;
using Vc.Did.Encoding;

namespace Vc.Credentials.DataIntegrity.SelectiveDisclosure;

/// <summary>The components of an ecdsa-sd-2023 base proof (vc-di-ecdsa §3.5.2 serializeBaseProofValue).</summary>
/// <param name="BaseSignature">The issuer's signature (64 bytes, r‖s) over proofHash ‖ publicKey ‖ mandatoryHash.</param>
/// <param name="PublicKey">The proof-scoped P-256 key as multikey bytes (0x8024 + compressed point, 35 bytes).</param>
/// <param name="HmacKey">The 32-byte HMAC key that blinds blank node labels.</param>
/// <param name="Signatures">One 64-byte signature per non-mandatory N-Quad, in index order.</param>
/// <param name="MandatoryPointers">The issuer's mandatory JSON pointers.</param>
public sealed record EcdsaSdBaseProof(byte[] BaseSignature, byte[] PublicKey, byte[] HmacKey, IReadOnlyList<byte[]> Signatures,
    IReadOnlyList<string> MandatoryPointers);

/// <summary>The components of an ecdsa-sd-2023 derived proof (vc-di-ecdsa §3.5.7 serializeDerivedProofValue).</summary>
/// <param name="BaseSignature">The issuer's base signature.</param>
/// <param name="PublicKey">The proof-scoped public key (multikey bytes).</param>
/// <param name="Signatures">The signatures of the disclosed non-mandatory N-Quads.</param>
/// <param name="LabelMap">Verifier canonical label (c14nN) → HMAC label ("u" + base64url).</param>
/// <param name="MandatoryIndexes">Positions of the mandatory N-Quads among the disclosed ones.</param>
public sealed record EcdsaSdDerivedProof(byte[] BaseSignature, byte[] PublicKey, IReadOnlyList<byte[]> Signatures,
    IReadOnlyDictionary<string, string> LabelMap, IReadOnlyList<int> MandatoryIndexes);

/// <summary>The CBOR proofValue encodings of ecdsa-sd-2023: "u" + base64url-no-pad(header ‖ CBOR array), with the
/// base header 0xd95d00 and the derived header 0xd95d01 (vc-di-ecdsa §3.5.2, §3.5.3, §3.5.7, §3.5.8).</summary>
public static class EcdsaSdProofValue
{
    private static ReadOnlySpan<byte> BaseHeader => [0xd9, 0x5d, 0x00];
    private static ReadOnlySpan<byte> DerivedHeader => [0xd9, 0x5d, 0x01];
    private const int MaxItems = 1 << 16; // far above any credential's statement count; bounds the decoder

    /// <summary>Whether a proofValue is a base proof (its decoded bytes start with 0xd95d00).</summary>
    public static bool IsBase(string? proofValue) => TryDecode(proofValue, out var bytes) && bytes.AsSpan().StartsWith(BaseHeader);

    /// <summary>Whether a proofValue is a derived proof (0xd95d01).</summary>
    public static bool IsDerived(string? proofValue) => TryDecode(proofValue, out var bytes) && bytes.AsSpan().StartsWith(DerivedHeader);

    /// <summary>serializeBaseProofValue (§3.5.2).</summary>
    public static string SerializeBase(EcdsaSdBaseProof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var w = new CborWriter(CborConformanceMode.Strict);
        w.WriteStartArray(5);
        w.WriteByteString(proof.BaseSignature);
        w.WriteByteString(proof.PublicKey);
        w.WriteByteString(proof.HmacKey);
        WriteByteStrings(w, proof.Signatures);
        w.WriteStartArray(proof.MandatoryPointers.Count);
        foreach (var p in proof.MandatoryPointers) w.WriteTextString(p);
        w.WriteEndArray();
        w.WriteEndArray();
        return Encode(BaseHeader, w.Encode());
    }

    /// <summary>serializeDerivedProofValue (§3.5.7) with compressLabelMap (§3.5.5): "c14nN" → N, "u…" → its bytes.</summary>
    public static string SerializeDerived(EcdsaSdDerivedProof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var w = new CborWriter(CborConformanceMode.Strict);
        w.WriteStartArray(5);
        w.WriteByteString(proof.BaseSignature);
        w.WriteByteString(proof.PublicKey);
        WriteByteStrings(w, proof.Signatures);
        var compressed = proof.LabelMap.Select(p => (Key: ParseC14n(p.Key), Value: ParseHmacLabel(p.Value))).OrderBy(p => p.Key).ToList();
        w.WriteStartMap(compressed.Count);
        foreach (var (key, value) in compressed)
        {
            w.WriteInt32(key);
            w.WriteByteString(value);
        }
        w.WriteEndMap();
        w.WriteStartArray(proof.MandatoryIndexes.Count);
        foreach (var i in proof.MandatoryIndexes) w.WriteInt32(i);
        w.WriteEndArray();
        w.WriteEndArray();
        return Encode(DerivedHeader, w.Encode());
    }

    /// <summary>parseBaseProofValue (§3.5.3).</summary>
    /// <exception cref="CredentialException">MalformedProof.</exception>
    public static EcdsaSdBaseProof ParseBase(string? proofValue)
    {
        var r = Reader(proofValue, BaseHeader, "base");
        try
        {
            Expect(r.ReadStartArray() == 5);
            var baseSignature = Bytes(r, 64);
            var publicKey = Bytes(r, 35);
            var hmacKey = Bytes(r, 32);
            var signatures = ByteStrings(r, 64);
            var count = Count(r.ReadStartArray());
            var pointers = new List<string>(count);
            for (var i = 0; i < count; i++) pointers.Add(r.ReadTextString());
            r.ReadEndArray();
            r.ReadEndArray();
            Expect(r.BytesRemaining == 0);
            return new EcdsaSdBaseProof(baseSignature, publicKey, hmacKey, signatures, pointers);
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or FormatException)
        {
            throw new CredentialException(ProblemCode.MalformedProof, "The ecdsa-sd-2023 base proofValue is not valid CBOR of the expected shape.", e);
        }
    }

    /// <summary>parseDerivedProofValue (§3.5.8) with decompressLabelMap (§3.5.6).</summary>
    /// <exception cref="CredentialException">ProofVerificationError for a base proof (not for verifiers), else MalformedProof.</exception>
    public static EcdsaSdDerivedProof ParseDerived(string? proofValue)
    {
        if (IsBase(proofValue))
            throw new CredentialException(ProblemCode.ProofVerificationError,
                "The ecdsa-sd-2023 proof is a base proof, which only its holder uses: a verifier checks a derived proof (vc derive).");
        var r = Reader(proofValue, DerivedHeader, "derived");
        try
        {
            Expect(r.ReadStartArray() == 5);
            var baseSignature = Bytes(r, 64);
            var publicKey = Bytes(r, 35);
            var signatures = ByteStrings(r, 64);
            var count = Count(r.ReadStartMap());
            var labelMap = new Dictionary<string, string>(count, StringComparer.Ordinal);
            for (var i = 0; i < count; i++)
            {
                var key = r.ReadInt32();
                Expect(key >= 0);
                Expect(labelMap.TryAdd("c14n" + key, "u" + Base64Url.EncodeToString(Bytes(r, null))));
            }
            r.ReadEndMap();
            count = Count(r.ReadStartArray());
            var indexes = new List<int>(count);
            for (var i = 0; i < count; i++)
            {
                var index = r.ReadInt32();
                Expect(index >= 0);
                indexes.Add(index);
            }
            r.ReadEndArray();
            r.ReadEndArray();
            Expect(r.BytesRemaining == 0);
            return new EcdsaSdDerivedProof(baseSignature, publicKey, signatures, labelMap, indexes);
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new CredentialException(ProblemCode.MalformedProof, "The ecdsa-sd-2023 derived proofValue is not valid CBOR of the expected shape.", e);
        }
    }

    private static CborReader Reader(string? proofValue, ReadOnlySpan<byte> header, string kind)
    {
        if (!TryDecode(proofValue, out var bytes))
            throw new CredentialException(ProblemCode.MalformedProof, "An ecdsa-sd-2023 proofValue is base64url multibase ('u').");
        if (!bytes.AsSpan().StartsWith(header))
            throw new CredentialException(ProblemCode.MalformedProof, $"The proofValue does not start with the ecdsa-sd-2023 {kind} proof header.");
        return new CborReader(bytes.AsMemory(header.Length), CborConformanceMode.Lax);
    }

    private static bool TryDecode(string? proofValue, out byte[] bytes)
    {
        bytes = [];
        if (proofValue is not { Length: > 1 } || proofValue[0] != 'u' || proofValue.Length > 8 << 20) return false;
        try { bytes = Base64Url.DecodeFromChars(proofValue.AsSpan(1)); return true; }
        catch (FormatException) { return false; }
    }

    private static string Encode(ReadOnlySpan<byte> header, byte[] cbor) => Multibase.EncodeBase64Url([.. header, .. cbor]);

    private static void WriteByteStrings(CborWriter w, IReadOnlyList<byte[]> items)
    {
        w.WriteStartArray(items.Count);
        foreach (var s in items) w.WriteByteString(s);
        w.WriteEndArray();
    }

    private static List<byte[]> ByteStrings(CborReader r, int length)
    {
        var count = Count(r.ReadStartArray());
        var list = new List<byte[]>(count);
        for (var i = 0; i < count; i++) list.Add(Bytes(r, length));
        r.ReadEndArray();
        return list;
    }

    // A byte string, also as tag 64 (a typed Uint8Array, as some implementations write it).
    private static byte[] Bytes(CborReader r, int? length)
    {
        if (r.PeekState() == CborReaderState.Tag)
        {
            Expect(r.ReadTag() == (CborTag)64);
        }
        var bytes = r.ReadByteString();
        Expect(length is null || bytes.Length == length);
        return bytes;
    }

    private static int Count(int? count)
    {
        Expect(count is >= 0 and <= MaxItems);
        return count!.Value;
    }

    private static void Expect(bool condition)
    {
        if (!condition) throw new FormatException("unexpected CBOR content");
    }

    private static int ParseC14n(string label) =>
        label.StartsWith("c14n", StringComparison.Ordinal) && int.TryParse(label.AsSpan(4), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n : throw new CredentialException(ProblemCode.ProofGenerationError, $"'{label}' is not a canonical blank node label.");

    private static byte[] ParseHmacLabel(string label)
    {
        try { return label.StartsWith('u') ? Base64Url.DecodeFromChars(label.AsSpan(1)) : throw new FormatException(); }
        catch (FormatException e) { throw new CredentialException(ProblemCode.ProofGenerationError, $"'{label}' is not an HMAC blank node label.", e); }
    }
}
