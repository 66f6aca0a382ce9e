using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Serialization;
using Nethereum.Util;

namespace Vc.Trust;

/// <summary>GDHCN trust domains (shared/notes/icvp-gdhcn.md), one bit each in the registry's uint32 mask.</summary>
[Flags]
[JsonConverter(typeof(TrustDomainsJsonConverter))]
public enum TrustDomains : uint
{
    None = 0,
    Icvp = 1 << 0,
    Dcc = 1 << 1,
    Ddcc = 1 << 2,
    IpsPilgrimage = 1 << 3,
    Ph4h = 1 << 4,
    Ips = 1 << 5,
    RacselDdvc = 1 << 6,
    /// <summary>Not a GDHCN health domain: signers of offline verifier packs (VcHealth). An entry in this domain only
    /// lets its key sign packs; it is never trusted for credentials, which are checked in their own domain.</summary>
    VerifierPack = 1 << 7,
}

/// <summary>Life cycle of a participant or issuer entry (the contract's Status enum).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EntryStatus>))]
public enum EntryStatus : byte { None = 0, Active = 1, Suspended = 2, Removed = 3 }

/// <summary>What an issuer entry identifies (the contract's IssuerKind enum).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IssuerKind>))]
public enum IssuerKind : byte { None = 0, Did = 1, Dsc = 2 }

public static class TrustDomainCodes
{
    private static readonly (string Code, TrustDomains Domain)[] Codes =
    [
        ("ICVP", TrustDomains.Icvp), ("DCC", TrustDomains.Dcc), ("DDCC", TrustDomains.Ddcc),
        ("IPS-PILGRIMAGE", TrustDomains.IpsPilgrimage), ("PH4H", TrustDomains.Ph4h), ("IPS", TrustDomains.Ips),
        ("RACSEL-DDVC", TrustDomains.RacselDdvc), ("VERIFIER-PACK", TrustDomains.VerifierPack),
    ];

    /// <summary>Parses GDHCN domain codes, comma separated (e.g. "ICVP,DCC").</summary>
    public static TrustDomains Parse(string codes)
    {
        var result = TrustDomains.None;
        foreach (var part in codes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = Array.FindIndex(Codes, c => string.Equals(c.Code, part, StringComparison.OrdinalIgnoreCase));
            if (match < 0) throw new TrustRegistryException(TrustRegistryError.InvalidDomains, $"unknown trust domain code '{part}'");
            result |= Codes[match].Domain;
        }
        if (result == TrustDomains.None) throw new TrustRegistryException(TrustRegistryError.InvalidDomains, "no trust domain given");
        return result;
    }

    /// <summary>GDHCN codes of a mask; unknown bits as hex.</summary>
    public static IReadOnlyList<string> ToCodes(TrustDomains domains)
    {
        var list = new List<string>();
        foreach (var (code, d) in Codes) if ((domains & d) != 0) list.Add(code);
        var unknown = (uint)domains & ~Codes.Aggregate(0u, (m, c) => m | (uint)c.Domain);
        if (unknown != 0) list.Add($"0x{unknown:x}");
        return list;
    }
}

/// <summary>A participant's ISO 3166-1 alpha-3 code (the contract's bytes3). WHO test codes like XXA are valid too.</summary>
[JsonConverter(typeof(CountryCodeJsonConverter))]
public readonly record struct CountryCode
{
    public string Alpha3 { get; }

    private CountryCode(string alpha3) => Alpha3 = alpha3;

    public static CountryCode Parse(string value)
    {
        if (value is not { Length: 3 } || !value.All(c => c is >= 'A' and <= 'Z'))
            throw new TrustRegistryException(TrustRegistryError.InvalidCountryCode,
                $"'{value}' is not an ISO 3166-1 alpha-3 code (three upper-case letters)");
        return new CountryCode(value);
    }

    internal byte[] ToBytes3() => Encoding.ASCII.GetBytes(Alpha3);

    internal static CountryCode FromBytes3(ReadOnlySpan<byte> bytes) => Parse(Encoding.ASCII.GetString(bytes[..3]));

    public override string ToString() => Alpha3;
}

/// <summary>A 32-byte value (issuer id, thumbprint, Merkle root) with value equality; text form 0x + lower-case hex.</summary>
[JsonConverter(typeof(Bytes32JsonConverter))]
public readonly record struct Bytes32
{
    private readonly string? _hex;

    private Bytes32(string hex) => _hex = hex;

    public static Bytes32 Zero { get; } = new(new string('0', 64));

    public static Bytes32 FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 32) throw new TrustRegistryException(TrustRegistryError.InvalidInput, $"expected 32 bytes, got {bytes.Length}");
        return new Bytes32(Convert.ToHexStringLower(bytes));
    }

    public static Bytes32 Parse(string hex)
    {
        var h = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;
        if (h.Length != 64 || !h.All(Uri.IsHexDigit))
            throw new TrustRegistryException(TrustRegistryError.InvalidInput, "expected 32 bytes as 64 hex digits");
        return new Bytes32(h.ToLowerInvariant());
    }

    public byte[] ToArray() => Convert.FromHexString(_hex ?? Zero._hex!);

    public bool IsZero => (_hex ?? Zero._hex!).All(c => c == '0');

    public override string ToString() => "0x" + (_hex ?? Zero._hex);
}

/// <summary>
/// An issuer as a verifier meets it: a DID (issuerId = keccak256 of its UTF-8 string) or a DSC key id
/// (issuerId = keccak256 of the raw kid bytes; text form: standard base64 as in HCERT and GDHCN lists).
/// </summary>
[JsonConverter(typeof(IssuerRefJsonConverter))]
public sealed record IssuerRef
{
    private const int MaxDidLength = 512;
    private const int MaxKidLength = 64;

    public IssuerKind Kind { get; }
    /// <summary>The DID, or the kid in standard base64.</summary>
    public string Value { get; }

    private IssuerRef(IssuerKind kind, string value) => (Kind, Value) = (kind, value);

    public static IssuerRef Did(string did)
    {
        if (string.IsNullOrEmpty(did) || !did.StartsWith("did:", StringComparison.Ordinal) || did.Length < 7
            || Encoding.UTF8.GetByteCount(did) > MaxDidLength || did.Any(char.IsWhiteSpace))
            throw new TrustRegistryException(TrustRegistryError.InvalidIssuer, "not a DID (did:method:id, at most 512 bytes)");
        return new IssuerRef(IssuerKind.Did, did);
    }

    public static IssuerRef Kid(ReadOnlySpan<byte> kid)
    {
        if (kid.Length is 0 or > MaxKidLength)
            throw new TrustRegistryException(TrustRegistryError.InvalidIssuer, $"a kid has 1..{MaxKidLength} bytes, got {kid.Length}");
        return new IssuerRef(IssuerKind.Dsc, Convert.ToBase64String(kid));
    }

    public static IssuerRef KidBase64(string kid)
    {
        byte[] bytes;
        try { bytes = Convert.FromBase64String(kid); }
        catch (FormatException) { throw new TrustRegistryException(TrustRegistryError.InvalidIssuer, "kid is not standard base64"); }
        return Kid(bytes);
    }

    /// <summary>"did:…" → DID; "kid:BASE64" or bare base64 → a DSC kid (the forms <see cref="ToString"/> writes).</summary>
    public static IssuerRef Parse(string value) =>
        value.StartsWith("did:", StringComparison.Ordinal) ? Did(value)
        : KidBase64(value.StartsWith("kid:", StringComparison.Ordinal) ? value[4..] : value);

    /// <summary>
    /// An identifier as an IssuerAdded event carries it. Lenient on purpose: the contract checks less than
    /// <see cref="Did"/> does, and one odd entry must not make a participant's history unreadable (entries are
    /// keyed by the event's issuer id, never by re-hashing this text).
    /// </summary>
    internal static IssuerRef FromIdentifier(IssuerKind kind, byte[] identifier) => kind switch
    {
        IssuerKind.Did => new IssuerRef(IssuerKind.Did, Encoding.UTF8.GetString(identifier)),
        IssuerKind.Dsc when identifier.Length is > 0 and <= MaxKidLength => Kid(identifier),
        _ => throw new TrustRegistryException(TrustRegistryError.MalformedChainData, $"issuer of kind {kind} with {identifier.Length} identifier bytes"),
    };

    /// <summary>The bytes hashed into the issuer id and carried in the IssuerAdded event.</summary>
    public byte[] IdentifierBytes() => Kind == IssuerKind.Did ? Encoding.UTF8.GetBytes(Value) : Convert.FromBase64String(Value);

    /// <summary>The registry key: keccak256(identifier bytes).</summary>
    public Bytes32 Id => Bytes32.FromBytes(Sha3Keccack.Current.CalculateHash(IdentifierBytes()));

    public override string ToString() => Kind == IssuerKind.Did ? Value : "kid:" + Value;
}

/// <summary>Unix-seconds conversions for the contract's uint64 times; the maximum means "no end".</summary>
internal static class ChainTime
{
    public const ulong Open = ulong.MaxValue;
    private static readonly ulong MaxRepresentable = (ulong)DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    public static ulong ToSeconds(DateTimeOffset? time, ulong whenNull) =>
        time is { } t ? (ulong)Math.Max(0, t.ToUnixTimeSeconds()) : whenNull;

    public static DateTimeOffset FromSeconds(ulong seconds) =>
        DateTimeOffset.FromUnixTimeSeconds((long)Math.Min(seconds, MaxRepresentable));

    public static DateTimeOffset? UntilFromSeconds(ulong seconds) => seconds == Open ? null : FromSeconds(seconds);
}

/// <summary>A participant (country) as the registry holds it.</summary>
public sealed record ParticipantEntry(CountryCode Country, string Admin, TrustDomains Domains, EntryStatus Status);

/// <summary>An issuer entry as the registry holds it (rebuilt from its events).</summary>
public sealed record IssuerEntry(
    CountryCode Country,
    IssuerRef Issuer,
    Bytes32 IssuerId,
    Bytes32? Thumbprint,
    TrustDomains Domains,
    DateTimeOffset ValidFrom,
    DateTimeOffset? ValidUntil,
    EntryStatus Status);

/// <summary>What a participant admin registers: a DID, or a DSC kid with the SHA-256 thumbprint of its certificate.</summary>
public sealed record IssuerRegistration(
    CountryCode Country,
    IssuerRef Issuer,
    TrustDomains Domains,
    DateTimeOffset? ValidFrom = null,
    DateTimeOffset? ValidUntil = null,
    Bytes32? Thumbprint = null);

internal static class Words
{
    // Solidity ABI (static types): every value one 32-byte word.
    public static byte[] Uint(ulong value)
    {
        var w = new byte[32];
        BinaryPrimitives.WriteUInt64BigEndian(w.AsSpan(24), value);
        return w;
    }

    public static byte[] Uint(System.Numerics.BigInteger value)
    {
        var w = new byte[32];
        var b = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        if (b.Length > 32) throw new TrustRegistryException(TrustRegistryError.InvalidInput, "value exceeds uint256");
        b.CopyTo(w, 32 - b.Length);
        return w;
    }

    public static byte[] Address(string address)
    {
        var w = new byte[32];
        CheckedAddress(address, out var b);
        b.CopyTo(w, 12);
        return w;
    }

    /// <summary>Returns the address unchanged if it is 0x + 40 hex digits; a typed error otherwise.</summary>
    public static string CheckedAddress(string? address) => CheckedAddress(address, out _);

    private static string CheckedAddress(string? address, out byte[] bytes)
    {
        var hex = address is not null && address.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? address[2..] : null;
        if (hex is not { Length: 40 } || !hex.All(Uri.IsHexDigit))
            throw new TrustRegistryException(TrustRegistryError.InvalidAddress, $"'{address}' is not an address (0x + 40 hex digits)");
        bytes = Convert.FromHexString(hex);
        return address!;
    }

    public static byte[] FixedBytes(ReadOnlySpan<byte> value)
    {
        var w = new byte[32];
        value.CopyTo(w);
        return w;
    }

    public static byte[] Keccak(params byte[][] parts) => Sha3Keccack.Current.CalculateHash(parts.SelectMany(p => p).ToArray());

    public static byte[] Keccak(string text) => Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes(text));
}
