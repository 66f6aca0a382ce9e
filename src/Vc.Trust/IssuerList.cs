using System.Text.Json;
using System.Text.Json.Serialization;
using Vc.Trust.Contracts;

namespace Vc.Trust;

/// <summary>
/// One issuer of a participant's off-chain issuer list. <see cref="Status"/> is Active or Suspended (a suspended
/// issuer may stay listed with its status); a removed issuer is simply left out of the next list.
/// </summary>
public sealed record ListedIssuer(
    IssuerRef Issuer, TrustDomains Domains, DateTimeOffset? ValidFrom = null, DateTimeOffset? ValidUntil = null,
    Bytes32? Thumbprint = null, EntryStatus Status = EntryStatus.Active)
{
    internal TrustListLeaf Leaf(CountryCode country) => new(country, Issuer.Kind, Issuer.Id, Thumbprint ?? Bytes32.Zero, Domains,
        ChainTime.ToSeconds(ValidFrom, 0), ChainTime.ToSeconds(ValidUntil, ChainTime.Open), Status);

    /// <summary>The entry in the registry's model (validFrom null = from the epoch, as on chain).</summary>
    public IssuerEntry ToEntry(CountryCode country) =>
        new(country, Issuer, Issuer.Id, Thumbprint, Domains, ValidFrom ?? DateTimeOffset.UnixEpoch, ValidUntil, Status);

    /// <summary>The same checks the contract's addIssuer makes for an on-chain entry (TrustRegistry._addIssuer).</summary>
    internal void Validate()
    {
        if (Domains == TrustDomains.None)
            throw new TrustRegistryException(TrustRegistryError.InvalidDomains, $"{Issuer}: no trust domain");
        if (Issuer.Kind == IssuerKind.Dsc && Thumbprint is not { IsZero: false })
            throw new TrustRegistryException(TrustRegistryError.InvalidIssuer, $"{Issuer}: a DSC kid needs its certificate's SHA-256 thumbprint");
        if (Issuer.Kind == IssuerKind.Did && Thumbprint is { IsZero: false })
            throw new TrustRegistryException(TrustRegistryError.InvalidIssuer, $"{Issuer}: a DID has no thumbprint");
        if (ValidFrom is { } f && ValidUntil is { } u && f > u)
            throw new TrustRegistryException(TrustRegistryError.InvalidValidity, $"{Issuer}: valid from {f:O} after valid until {u:O}");
        if (Status is not (EntryStatus.Active or EntryStatus.Suspended))
            throw new TrustRegistryException(TrustRegistryError.InvalidInput, $"{Issuer}: a listed issuer is Active or Suspended (leave a removed one out)");
    }
}

/// <summary>
/// A participant's whole issuer set committed on chain as one Merkle root (TrustRegistry.setIssuerList): the
/// entries stay off-chain (this document, the node's files), each verifier gets an entry with its inclusion proof
/// (<see cref="Prove"/>). Leaves and tree are those of <see cref="TrustListSnapshot"/> (RFC 9162 §2.1, keccak256).
/// Any change — an issuer added, suspended or removed — is a new root: one write whatever the list's size, after
/// which every proof against the old root is stale and is refused.
/// </summary>
public sealed class IssuerList
{
    /// <summary>Largest list document read (about 300 bytes per entry: ~200,000 entries).</summary>
    public const int MaxDocumentBytes = 64 << 20;

    private readonly Dictionary<Bytes32, (ListedIssuer Entry, int Index)> _byId;

    public CountryCode Country { get; }
    /// <summary>Entries in leaf order (issuer id, bytewise).</summary>
    public IReadOnlyList<ListedIssuer> Entries { get; }
    public TrustListSnapshot Tree { get; }
    public Bytes32 Root => Tree.Root;
    public int Count => Entries.Count;

    private IssuerList(CountryCode country, IReadOnlyList<ListedIssuer> entries, TrustListSnapshot tree, Dictionary<Bytes32, (ListedIssuer, int)> byId) =>
        (Country, Entries, Tree, _byId) = (country, entries, tree, byId);

    public static IssuerList Build(CountryCode country, IEnumerable<ListedIssuer> issuers)
    {
        var byId = new Dictionary<Bytes32, ListedIssuer>();
        foreach (var issuer in issuers)
        {
            issuer.Validate();
            if (!byId.TryAdd(issuer.Issuer.Id, issuer))
                throw new TrustRegistryException(TrustRegistryError.InvalidInput, $"issuer {issuer.Issuer} listed twice");
        }
        // TrustListSnapshot orders leaves by issuer id: the entries follow the same order, so index i is leaf i.
        var tree = TrustListSnapshot.Build(country, 0, byId.Values.Select(i => i.Leaf(country)));
        var ordered = tree.Leaves.Select(l => byId[l.IssuerId]).ToArray();
        var index = new Dictionary<Bytes32, (ListedIssuer, int)>(ordered.Length);
        for (var i = 0; i < ordered.Length; i++) index[ordered[i].Issuer.Id] = (ordered[i], i);
        return new IssuerList(country, ordered, tree, index);
    }

    /// <summary>The entry of <paramref name="issuer"/> with its inclusion proof against <see cref="Root"/>; null when not listed.</summary>
    public ListedIssuerProof? Prove(IssuerRef issuer)
    {
        if (!_byId.TryGetValue(issuer.Id, out var found)) return null;
        return new ListedIssuerProof(Country, found.Entry, found.Index, Count, Root, Tree.InclusionProof(found.Index));
    }

    /// <summary>The operation that commits this list on chain (the participant admin signs it).</summary>
    public SetIssuerList Commit() => new(Country, Root, Count);

    public string ToJson() => JsonSerializer.Serialize(new Document(Country, Entries), IssuerListJson.Options);

    /// <summary>Reads a list document <c>{"country":"KEN","issuers":[{"issuer":"did:…"|"kid:…","domains":["ICVP"],…}]}</c>.</summary>
    public static IssuerList Parse(ReadOnlySpan<byte> json)
    {
        var document = IssuerListJson.Read<Document>(json, MaxDocumentBytes, "issuer list");
        return Build(document.Country, document.Issuers ?? throw new TrustRegistryException(TrustRegistryError.InvalidInput, "issuer list without \"issuers\""));
    }

    private sealed record Document(CountryCode Country, IReadOnlyList<ListedIssuer> Issuers);
}

/// <summary>
/// An issuer's entry in a participant's list with its RFC 9162 §2.1.3.1 inclusion proof: what a verifier needs,
/// beside one read of the chain, to decide trust (<see cref="TrustRegistryReader.CheckListedAsync"/>).
/// </summary>
public sealed record ListedIssuerProof(
    CountryCode Country, ListedIssuer Entry, long Index, long TreeSize, Bytes32 Root, IReadOnlyList<Bytes32> Path)
{
    /// <summary>A tree of up to 2^32 leaves has at most 32 levels; anything longer is not a proof.</summary>
    public const int MaxPathLength = 32;
    private const int MaxDocumentBytes = 64 << 10;

    /// <summary>RFC 9162 §2.1.3.2 over the entry's leaf hash: does the proof lead to its own <see cref="Root"/>?</summary>
    public bool Verifies() => Path.Count <= MaxPathLength
        && TrustListSnapshot.VerifyInclusion(Entry.Leaf(Country).Hash(), Index, TreeSize, Path, Root);

    public string ToJson() => JsonSerializer.Serialize(this, IssuerListJson.Options);

    public static ListedIssuerProof Parse(ReadOnlySpan<byte> json)
    {
        var proof = IssuerListJson.Read<ListedIssuerProof>(json, MaxDocumentBytes, "issuer-list proof");
        if (proof.Entry is null || proof.Path is null)
            throw new TrustRegistryException(TrustRegistryError.InvalidInput, "issuer-list proof without its entry or path");
        if (proof.Path.Count > MaxPathLength)
            throw new TrustRegistryException(TrustRegistryError.InvalidInput, $"issuer-list proof path longer than {MaxPathLength}");
        proof.Entry.Validate();
        return proof;
    }
}

/// <summary>Participant admin only: replace its issuer-list root (TrustRegistry.setIssuerList).</summary>
public sealed record SetIssuerList(CountryCode Country, Bytes32 Root, int LeafCount) : TrustOperation
{
    public int LeafCount { get; } = LeafCount >= 0 ? LeafCount
        : throw new TrustRegistryException(TrustRegistryError.InvalidSnapshot, "a leaf count is not negative");

    public override string TypeString => "SetIssuerList(bytes3 country,bytes32 root,uint32 leafCount,uint256 nonce,uint256 deadline)";
    internal override byte[][] EncodeFields() => [Words.FixedBytes(Country.ToBytes3()), Root.ToArray(), Words.Uint((ulong)checked((uint)LeafCount))];
    internal override byte[] Direct() => Encode(new SetIssuerListFunction
        { Country = Country.ToBytes3(), Root = Root.ToArray(), LeafCount = checked((uint)LeafCount) });
    internal override byte[] Signed(AuthTuple auth) => Encode(new SetIssuerListSignedFunction
        { Country = Country.ToBytes3(), Root = Root.ToArray(), LeafCount = checked((uint)LeafCount), Auth = auth });
}

internal static class IssuerListJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        MaxDepth = 8,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static T Read<T>(ReadOnlySpan<byte> json, int maxBytes, string what)
    {
        if (json.Length > maxBytes)
            throw new TrustRegistryException(TrustRegistryError.InvalidInput, $"{what} larger than {maxBytes} bytes");
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options)
                ?? throw new TrustRegistryException(TrustRegistryError.InvalidInput, $"{what} is null");
        }
        catch (JsonException e)
        {
            throw new TrustRegistryException(TrustRegistryError.InvalidInput, $"{what} is not valid: {e.Message}", e);
        }
    }
}
