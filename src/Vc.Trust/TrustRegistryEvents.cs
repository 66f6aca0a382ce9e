using System.Text.Json.Serialization;

namespace Vc.Trust;

/// <summary>One decoded registry event: where it is on the chain, when (block timestamp), and who authorised it.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "event")]
[JsonDerivedType(typeof(AnchorTransferred), "AnchorTransferred")]
[JsonDerivedType(typeof(ParticipantOnboarded), "ParticipantOnboarded")]
[JsonDerivedType(typeof(ParticipantUpdated), "ParticipantUpdated")]
[JsonDerivedType(typeof(ParticipantStatusChanged), "ParticipantStatusChanged")]
[JsonDerivedType(typeof(IssuerAdded), "IssuerAdded")]
[JsonDerivedType(typeof(IssuerStatusChanged), "IssuerStatusChanged")]
[JsonDerivedType(typeof(SnapshotAnchored), "SnapshotAnchored")]
[JsonDerivedType(typeof(IssuerListSet), "IssuerListSet")]
public abstract record TrustRegistryEvent(long BlockNumber, int LogIndex, string TransactionHash, DateTimeOffset Timestamp, string Actor)
{
    /// <summary>The contract's event name.</summary>
    [JsonIgnore]
    public abstract string Name { get; }
}

public sealed record AnchorTransferred(long BlockNumber, int LogIndex, string TransactionHash, DateTimeOffset Timestamp, string Actor,
    string PreviousAnchor, string NewAnchor) : TrustRegistryEvent(BlockNumber, LogIndex, TransactionHash, Timestamp, Actor)
{
    public override string Name => "AnchorTransferred";
}

public sealed record ParticipantOnboarded(long BlockNumber, int LogIndex, string TransactionHash, DateTimeOffset Timestamp, string Actor,
    CountryCode Country, string Admin, TrustDomains Domains) : TrustRegistryEvent(BlockNumber, LogIndex, TransactionHash, Timestamp, Actor)
{
    public override string Name => "ParticipantOnboarded";
}

public sealed record ParticipantUpdated(long BlockNumber, int LogIndex, string TransactionHash, DateTimeOffset Timestamp, string Actor,
    CountryCode Country, string Admin, TrustDomains Domains) : TrustRegistryEvent(BlockNumber, LogIndex, TransactionHash, Timestamp, Actor)
{
    public override string Name => "ParticipantUpdated";
}

public sealed record ParticipantStatusChanged(long BlockNumber, int LogIndex, string TransactionHash, DateTimeOffset Timestamp, string Actor,
    CountryCode Country, EntryStatus Status) : TrustRegistryEvent(BlockNumber, LogIndex, TransactionHash, Timestamp, Actor)
{
    public override string Name => "ParticipantStatusChanged";
}

public sealed record IssuerAdded(long BlockNumber, int LogIndex, string TransactionHash, DateTimeOffset Timestamp, string Actor,
    IssuerEntry Entry) : TrustRegistryEvent(BlockNumber, LogIndex, TransactionHash, Timestamp, Actor)
{
    public override string Name => "IssuerAdded";
}

public sealed record IssuerStatusChanged(long BlockNumber, int LogIndex, string TransactionHash, DateTimeOffset Timestamp, string Actor,
    CountryCode Country, Bytes32 IssuerId, EntryStatus Status) : TrustRegistryEvent(BlockNumber, LogIndex, TransactionHash, Timestamp, Actor)
{
    public override string Name => "IssuerStatusChanged";
}

public sealed record SnapshotAnchored(long BlockNumber, int LogIndex, string TransactionHash, DateTimeOffset Timestamp, string Actor,
    CountryCode? Country, Bytes32 Root, int LeafCount, long AsOfBlock) : TrustRegistryEvent(BlockNumber, LogIndex, TransactionHash, Timestamp, Actor)
{
    public override string Name => "SnapshotAnchored";
}

/// <summary>A participant committed a new issuer-list root (<see cref="IssuerList"/>); <see cref="Version"/> counts its lists.</summary>
public sealed record IssuerListSet(long BlockNumber, int LogIndex, string TransactionHash, DateTimeOffset Timestamp, string Actor,
    CountryCode Country, Bytes32 Root, int LeafCount, int Version) : TrustRegistryEvent(BlockNumber, LogIndex, TransactionHash, Timestamp, Actor)
{
    public override string Name => "IssuerListSet";
}

/// <summary>The answer to "is this issuer trusted for domain D, for country C, at time T?".</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TrustReason>))]
public enum TrustReason
{
    Trusted,
    ParticipantNotOnboarded,
    ParticipantSuspended,
    ParticipantRemoved,
    /// <summary>The participant is not onboarded for the domain.</summary>
    DomainNotOnboarded,
    IssuerNotRegistered,
    IssuerSuspended,
    IssuerRemoved,
    /// <summary>The issuer entry does not list the domain.</summary>
    DomainNotAuthorized,
    NotYetValid,
    Expired,
    /// <summary>The kid is registered, but for a different certificate.</summary>
    ThumbprintMismatch,
    /// <summary>A listed-issuer proof against a root that is no longer the participant's current issuer list.</summary>
    ListProofStale,
    /// <summary>A listed-issuer proof that does not lead to its root, or not for the list's size.</summary>
    ListProofInvalid,
}

/// <summary>A trust question. <see cref="At"/> null: now (the latest block's time). For DSCs pass the certificate thumbprint.</summary>
public sealed record TrustQuery(CountryCode Country, IssuerRef Issuer, TrustDomains Domain, DateTimeOffset? At = null, Bytes32? Thumbprint = null);

/// <summary>
/// A trust answer with the evidence used: the participant and issuer entries in force at <see cref="EvaluatedAt"/>
/// and the blocks/transactions of the events that put them in force.
/// </summary>
public sealed record TrustDecision(
    bool Trusted,
    TrustReason Reason,
    DateTimeOffset EvaluatedAt,
    long LatestBlock,
    ParticipantEntry? Participant,
    long? ParticipantBlock,
    IssuerEntry? Entry,
    long? EntryBlock,
    string? EntryTransaction);

/// <summary>Whether a published trust list was anchored and still matches the chain's state at its block.</summary>
public sealed record SnapshotVerification(
    bool Anchored, bool MatchesChain, CountryCode? Country, int LeafCount, long AsOfBlock, DateTimeOffset? AnchoredAt, Bytes32? ChainRoot);

/// <summary>An issuer entry in force at a block, with its participant and the block and transaction that set it.</summary>
public sealed record RegisteredIssuer(IssuerEntry Entry, ParticipantEntry Participant, long Block, string Transaction);

/// <summary>
/// A participant (null: never onboarded) and its current issuer-list root (null: none committed) at block
/// <see cref="Block"/>, whose time is <see cref="ChainTime"/>.
/// </summary>
public sealed record IssuerListState(
    CountryCode Country, ParticipantEntry? Participant, Bytes32? Root, int LeafCount, int Version, DateTimeOffset? UpdatedAt,
    DateTimeOffset ChainTime, long Block);
