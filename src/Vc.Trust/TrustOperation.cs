using Nethereum.Contracts;
using Vc.Trust.Contracts;

namespace Vc.Trust;

/// <summary>
/// One registry write. The same value is submitted directly (the actor's own transaction) or signed as EIP-712
/// typed data and relayed by another account; <see cref="TypeString"/> is its EIP-712 type.
/// </summary>
public abstract record TrustOperation
{
    /// <summary>EIP-712 §"Definition of encodeType": the primary type, nonce and deadline last.</summary>
    public abstract string TypeString { get; }

    /// <summary>EIP-712 encodeData of the operation's own fields (one 32-byte word each), before nonce and deadline.</summary>
    internal abstract byte[][] EncodeFields();
    internal abstract byte[] Direct();
    internal abstract byte[] Signed(AuthTuple auth);

    // Nethereum encodes by the message's static type, hence generic.
    private protected static byte[] Encode<T>(T message) where T : FunctionMessage, new() => message.GetCallData();

    public static TrustOperation SuspendParticipant(CountryCode country) => new SetParticipantStatus(country, EntryStatus.Suspended);
    public static TrustOperation ReinstateParticipant(CountryCode country) => new SetParticipantStatus(country, EntryStatus.Active);
    public static TrustOperation RemoveParticipant(CountryCode country) => new SetParticipantStatus(country, EntryStatus.Removed);
    public static TrustOperation SuspendIssuer(CountryCode country, IssuerRef issuer) => new SetIssuerStatus(country, issuer.Id, EntryStatus.Suspended);
    public static TrustOperation ReinstateIssuer(CountryCode country, IssuerRef issuer) => new SetIssuerStatus(country, issuer.Id, EntryStatus.Active);
    public static TrustOperation RemoveIssuer(CountryCode country, IssuerRef issuer) => new SetIssuerStatus(country, issuer.Id, EntryStatus.Removed);
}

/// <summary>Trust anchor only: hand the anchor role to another address.</summary>
public sealed record TransferAnchor(string NewAnchor) : TrustOperation
{
    public string NewAnchor { get; } = Words.CheckedAddress(NewAnchor);
    public override string TypeString => "TransferAnchor(address newAnchor,uint256 nonce,uint256 deadline)";
    internal override byte[][] EncodeFields() => [Words.Address(NewAnchor)];
    internal override byte[] Direct() => Encode(new TransferAnchorFunction { NewAnchor = NewAnchor });
    internal override byte[] Signed(AuthTuple auth) => Encode(new TransferAnchorSignedFunction { NewAnchor = NewAnchor, Auth = auth });
}

/// <summary>Trust anchor only: onboard a participant with its admin address and the domains it may serve.</summary>
public sealed record OnboardParticipant(CountryCode Country, string Admin, TrustDomains Domains) : TrustOperation
{
    public string Admin { get; } = Words.CheckedAddress(Admin);
    public override string TypeString => "OnboardParticipant(bytes3 country,address admin,uint32 domains,uint256 nonce,uint256 deadline)";
    internal override byte[][] EncodeFields() => [Words.FixedBytes(Country.ToBytes3()), Words.Address(Admin), Words.Uint((uint)Domains)];
    internal override byte[] Direct() =>
        Encode(new OnboardParticipantFunction { Country = Country.ToBytes3(), Admin = Admin, Domains = (uint)Domains });
    internal override byte[] Signed(AuthTuple auth) =>
        Encode(new OnboardParticipantSignedFunction { Country = Country.ToBytes3(), Admin = Admin, Domains = (uint)Domains, Auth = auth });
}

/// <summary>Trust anchor only: rotate a participant's admin or change its domains.</summary>
public sealed record UpdateParticipant(CountryCode Country, string Admin, TrustDomains Domains) : TrustOperation
{
    public string Admin { get; } = Words.CheckedAddress(Admin);
    public override string TypeString => "UpdateParticipant(bytes3 country,address admin,uint32 domains,uint256 nonce,uint256 deadline)";
    internal override byte[][] EncodeFields() => [Words.FixedBytes(Country.ToBytes3()), Words.Address(Admin), Words.Uint((uint)Domains)];
    internal override byte[] Direct() =>
        Encode(new UpdateParticipantFunction { Country = Country.ToBytes3(), Admin = Admin, Domains = (uint)Domains });
    internal override byte[] Signed(AuthTuple auth) =>
        Encode(new UpdateParticipantSignedFunction { Country = Country.ToBytes3(), Admin = Admin, Domains = (uint)Domains, Auth = auth });
}

/// <summary>Trust anchor only: suspend, reinstate or (finally) remove a participant.</summary>
public sealed record SetParticipantStatus(CountryCode Country, EntryStatus Status) : TrustOperation
{
    public override string TypeString => "SetParticipantStatus(bytes3 country,uint8 status,uint256 nonce,uint256 deadline)";
    internal override byte[][] EncodeFields() => [Words.FixedBytes(Country.ToBytes3()), Words.Uint((ulong)Status)];
    internal override byte[] Direct() =>
        Encode(new SetParticipantStatusFunction { Country = Country.ToBytes3(), Status = (byte)Status });
    internal override byte[] Signed(AuthTuple auth) =>
        Encode(new SetParticipantStatusSignedFunction { Country = Country.ToBytes3(), Status = (byte)Status, Auth = auth });
}

/// <summary>Participant admin only: register an issuer of its own country.</summary>
public sealed record AddIssuer(IssuerRegistration Registration) : TrustOperation
{
    public override string TypeString =>
        "AddIssuer(bytes3 country,uint8 kind,bytes identifier,bytes32 thumbprint,uint32 domains,uint64 validFrom,uint64 validUntil,uint256 nonce,uint256 deadline)";

    // EIP-712 §"Definition of encodeData": dynamic bytes are encoded as keccak256 of their contents.
    internal override byte[][] EncodeFields() =>
    [
        Words.FixedBytes(Registration.Country.ToBytes3()), Words.Uint((ulong)Registration.Issuer.Kind),
        Words.Keccak(Registration.Issuer.IdentifierBytes()), Thumbprint(), Words.Uint((uint)Registration.Domains),
        Words.Uint(ValidFrom), Words.Uint(ValidUntil),
    ];

    internal override byte[] Direct() => Encode(new AddIssuerFunction { Input = Input() });
    internal override byte[] Signed(AuthTuple auth) => Encode(new AddIssuerSignedFunction { Input = Input(), Auth = auth });

    private ulong ValidFrom => ChainTime.ToSeconds(Registration.ValidFrom, 0);
    private ulong ValidUntil => ChainTime.ToSeconds(Registration.ValidUntil, ChainTime.Open);
    private byte[] Thumbprint() => Registration.Thumbprint?.ToArray() ?? new byte[32];

    private IssuerInputTuple Input() => new()
    {
        Country = Registration.Country.ToBytes3(),
        Kind = (byte)Registration.Issuer.Kind,
        Identifier = Registration.Issuer.IdentifierBytes(),
        Thumbprint = Thumbprint(),
        Domains = (uint)Registration.Domains,
        ValidFrom = ValidFrom,
        ValidUntil = ValidUntil,
    };
}

/// <summary>Participant admin only: suspend, reinstate or remove one of its issuers.</summary>
public sealed record SetIssuerStatus(CountryCode Country, Bytes32 IssuerId, EntryStatus Status) : TrustOperation
{
    public override string TypeString => "SetIssuerStatus(bytes3 country,bytes32 issuerId,uint8 status,uint256 nonce,uint256 deadline)";
    internal override byte[][] EncodeFields() => [Words.FixedBytes(Country.ToBytes3()), IssuerId.ToArray(), Words.Uint((ulong)Status)];
    internal override byte[] Direct() =>
        Encode(new SetIssuerStatusFunction { Country = Country.ToBytes3(), IssuerId = IssuerId.ToArray(), Status = (byte)Status });
    internal override byte[] Signed(AuthTuple auth) =>
        Encode(new SetIssuerStatusSignedFunction { Country = Country.ToBytes3(), IssuerId = IssuerId.ToArray(), Status = (byte)Status, Auth = auth });
}

/// <summary>
/// Anchor a trust-list Merkle root. <see cref="Country"/> null: the whole registry (trust anchor only);
/// otherwise that participant's list (its admin only).
/// </summary>
public sealed record AnchorSnapshot(CountryCode? Country, Bytes32 Root, int LeafCount, long AsOfBlock) : TrustOperation
{
    public int LeafCount { get; } = LeafCount >= 0 ? LeafCount
        : throw new TrustRegistryException(TrustRegistryError.InvalidSnapshot, "a leaf count is not negative");
    public long AsOfBlock { get; } = AsOfBlock >= 0 ? AsOfBlock
        : throw new TrustRegistryException(TrustRegistryError.InvalidSnapshot, "a block number is not negative");

    public static AnchorSnapshot Of(TrustListSnapshot snapshot) =>
        new(snapshot.Country, snapshot.Root, snapshot.Leaves.Count, snapshot.AsOfBlock);

    public override string TypeString =>
        "AnchorSnapshot(bytes3 country,bytes32 root,uint32 leafCount,uint64 asOfBlock,uint256 nonce,uint256 deadline)";
    internal override byte[][] EncodeFields() =>
        [Words.FixedBytes(CountryBytes), Root.ToArray(), Words.Uint((ulong)checked((uint)LeafCount)), Words.Uint((ulong)AsOfBlock)];
    internal override byte[] Direct() => Encode(new AnchorSnapshotFunction
        { Country = CountryBytes, Root = Root.ToArray(), LeafCount = checked((uint)LeafCount), AsOfBlock = checked((ulong)AsOfBlock) });
    internal override byte[] Signed(AuthTuple auth) => Encode(new AnchorSnapshotSignedFunction
        { Country = CountryBytes, Root = Root.ToArray(), LeafCount = checked((uint)LeafCount), AsOfBlock = checked((ulong)AsOfBlock), Auth = auth });

    private byte[] CountryBytes => Country?.ToBytes3() ?? new byte[3];
}
