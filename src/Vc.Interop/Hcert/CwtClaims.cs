using System.Formats.Cbor;

namespace Vc.Interop.Hcert;

/// <summary>HCERT sub-claims of claim -260 (hcert §2.6.3; WHO GDHCN hcert_spec).</summary>
public static class HcertClaimKey
{
    /// <summary>CWT claim key of the hcert container.</summary>
    public const int Hcert = -260;
    public const int EuDcc = 1;
    public const int DdccVs = 3;
    public const int DdccTr = 4;
    public const int Vhl = 5;
    /// <summary>Development range: WHO DVC / ICVP.</summary>
    public const int Icvp = -6;
}

/// <summary>The CWT claims an HCERT carries (RFC 8392 §3.1) and the raw CBOR of each hcert sub-claim.</summary>
public sealed record CwtClaims
{
    public string? Issuer { get; init; }
    /// <summary>NumericDate (seconds since the epoch).</summary>
    public long? IssuedAt { get; init; }
    public long? Expiration { get; init; }
    public long? NotBefore { get; init; }
    /// <summary>hcert sub-claims keyed by their integer key; each value is the encoded CBOR item.</summary>
    public required IReadOnlyDictionary<int, ReadOnlyMemory<byte>> Hcert { get; init; }

    public DateTimeOffset? IssuedAtTime => IssuedAt is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : null;
    public DateTimeOffset? ExpirationTime => Expiration is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : null;
    public DateTimeOffset? NotBeforeTime => NotBefore is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : null;

    /// <summary>Decodes the CWT claims set, or throws <see cref="HcertException"/> with <see cref="HcertFailure.Cwt"/>.</summary>
    public static CwtClaims Decode(ReadOnlyMemory<byte> payload)
    {
        try
        {
            var reader = new CborReader(payload, CborConformanceMode.Lax);
            // RFC 8392 §7.1: a CWT claims set may itself be wrapped in tag 61.
            if (reader.PeekState() == CborReaderState.Tag && (ulong)reader.ReadTag() != 61)
                throw new HcertException(HcertFailure.Cwt, "unexpected tag on the CWT claims set");
            if (reader.PeekState() != CborReaderState.StartMap)
                throw new HcertException(HcertFailure.Cwt, $"CWT claims must be a map, found {reader.PeekState()}");
            reader.ReadStartMap();
            string? iss = null;
            long? iat = null, exp = null, nbf = null;
            Dictionary<int, ReadOnlyMemory<byte>>? hcert = null;
            var seen = new HashSet<long>();
            while (reader.PeekState() != CborReaderState.EndMap)
            {
                if (reader.PeekState() is not (CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger))
                {
                    reader.SkipValue(); // RFC 8392 §3: text-keyed claims are allowed and unused here
                    reader.SkipValue();
                    continue;
                }
                var key = reader.ReadInt64();
                if (!seen.Add(key))
                    throw new HcertException(HcertFailure.Cwt, $"duplicate claim {key}");
                switch (key)
                {
                    case 1:
                        if (reader.PeekState() != CborReaderState.TextString)
                            throw new HcertException(HcertFailure.Cwt, "iss (1) must be a text string");
                        iss = reader.ReadTextString();
                        break;
                    case 4: exp = ReadNumericDate(reader, "exp (4)"); break;
                    case 5: nbf = ReadNumericDate(reader, "nbf (5)"); break;
                    case 6: iat = ReadNumericDate(reader, "iat (6)"); break;
                    case HcertClaimKey.Hcert: hcert = ReadHcert(reader); break;
                    default: reader.SkipValue(); break;
                }
            }
            reader.ReadEndMap();
            if (reader.BytesRemaining != 0)
                throw new HcertException(HcertFailure.Cwt, "trailing bytes after the CWT claims");
            if (hcert is null)
                throw new HcertException(HcertFailure.Cwt, "hcert claim -260 is missing");
            return new CwtClaims { Issuer = iss, IssuedAt = iat, Expiration = exp, NotBefore = nbf, Hcert = hcert };
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new HcertException(HcertFailure.Cwt, "malformed CWT claims: " + e.Message, e);
        }
    }

    private static long ReadNumericDate(CborReader reader, string name)
    {
        // RFC 8392 §2: NumericDate is an integer or floating-point number of seconds (tag 1 optional).
        if (reader.PeekState() == CborReaderState.Tag && (ulong)reader.ReadTag() != 1)
            throw new HcertException(HcertFailure.Cwt, $"{name} has an unexpected tag");
        switch (reader.PeekState())
        {
            case CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger:
                var seconds = reader.ReadInt64();
                // Only instants .NET can represent (years 1–9999) are meaningful dates.
                if (seconds is < -62135596800 or > 253402300799)
                    throw new HcertException(HcertFailure.Cwt, $"{name} is out of range");
                return seconds;
            case CborReaderState.HalfPrecisionFloat or CborReaderState.SinglePrecisionFloat or CborReaderState.DoublePrecisionFloat:
                var d = reader.ReadDouble();
                if (double.IsNaN(d) || d < -62135596800d || d > 253402300799d)
                    throw new HcertException(HcertFailure.Cwt, $"{name} is out of range");
                return (long)Math.Floor(d);
            default:
                throw new HcertException(HcertFailure.Cwt, $"{name} must be a NumericDate, found {reader.PeekState()}");
        }
    }

    private static Dictionary<int, ReadOnlyMemory<byte>> ReadHcert(CborReader reader)
    {
        if (reader.PeekState() != CborReaderState.StartMap)
            throw new HcertException(HcertFailure.Cwt, "hcert claim -260 must be a map");
        reader.ReadStartMap();
        var result = new Dictionary<int, ReadOnlyMemory<byte>>();
        while (reader.PeekState() != CborReaderState.EndMap)
        {
            if (reader.PeekState() is not (CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger))
                throw new HcertException(HcertFailure.Cwt, "hcert sub-claim keys must be integers");
            var key = checked((int)reader.ReadInt64());
            if (result.ContainsKey(key))
                throw new HcertException(HcertFailure.Cwt, $"duplicate hcert sub-claim {key}");
            if (reader.PeekState() != CborReaderState.StartMap)
                throw new HcertException(HcertFailure.Cwt, $"hcert sub-claim {key} must be a map");
            result[key] = reader.ReadEncodedValue();
        }
        reader.ReadEndMap();
        if (result.Count == 0)
            throw new HcertException(HcertFailure.Cwt, "hcert claim -260 is empty");
        return result;
    }

    /// <summary>Encodes the claims set (RFC 8392 §3) with integer keys, sub-claims as given.</summary>
    public byte[] Encode()
    {
        try
        {
            return EncodeUnchecked();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or CborContentException)
        {
            throw new HcertException(HcertFailure.Encode, "a sub-claim is not well-formed CBOR: " + e.Message, e);
        }
    }

    private byte[] EncodeUnchecked()
    {
        var w = new CborWriter(CborConformanceMode.Lax);
        var count = (Issuer is null ? 0 : 1) + (IssuedAt is null ? 0 : 1) + (Expiration is null ? 0 : 1) + (NotBefore is null ? 0 : 1) + 1;
        w.WriteStartMap(count);
        if (Issuer is not null) { w.WriteInt32(1); w.WriteTextString(Issuer); }
        if (Expiration is { } e) { w.WriteInt32(4); w.WriteInt64(e); }
        if (NotBefore is { } n) { w.WriteInt32(5); w.WriteInt64(n); }
        if (IssuedAt is { } i) { w.WriteInt32(6); w.WriteInt64(i); }
        w.WriteInt32(HcertClaimKey.Hcert);
        w.WriteStartMap(Hcert.Count);
        foreach (var (key, value) in Hcert.OrderBy(p => p.Key))
        {
            w.WriteInt32(key);
            w.WriteEncodedValue(value.Span);
        }
        w.WriteEndMap();
        w.WriteEndMap();
        return w.Encode();
    }
}
