using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using Vc.Did.Ledger;
using Vc.Trust.Contracts;

namespace Vc.Trust;

/// <summary>
/// Reads the registry from its events (eth_getLogs, timestamps from block headers): the audit trail, trust answers
/// at any past time, and trust-list snapshots rebuilt at any block. Nothing is cached between calls.
/// </summary>
public sealed class TrustRegistryReader
{
    /// <summary>Upper bound on events one call decodes: a reader must not be made to allocate without limit.</summary>
    public const int MaxEvents = 1_000_000;

    private readonly Web3? _chain;
    private readonly Nethereum.JsonRpc.Client.IClient? _client;
    // Offline: the registry's logs captured up to one block (a verifier pack), replayed instead of asking a node.
    private readonly Captured? _captured;

    /// <summary>The registry's logs up to <paramref name="AsOfBlock"/> with the times of their blocks (and of AsOfBlock).</summary>
    public sealed record Captured(IReadOnlyList<CapturedLog> Logs, IReadOnlyDictionary<long, long> BlockTimes, long AsOfBlock);

    private Web3 _web3 => _chain ?? throw Offline();
    private Nethereum.JsonRpc.Client.IClient _rpc => _client ?? throw Offline();
    private static TrustRegistryException Offline() =>
        new(TrustRegistryError.InvalidInput, "this reader replays captured registry logs: on-chain queries are not available offline");

    public string Address { get; }
    /// <summary>First block to scan (the deployment block).</summary>
    public long FromBlock { get; }

    /// <summary>Most blocks one eth_getLogs request spans.</summary>
    public long MaxBlockRange { get; }

    public TrustRegistryReader(LedgerConnection connection, string address, long fromBlock = 0, long maxBlockRange = 10_000)
    {
        if (fromBlock < 0 || maxBlockRange < 1)
            throw new TrustRegistryException(TrustRegistryError.InvalidInput, "fromBlock ≥ 0 and maxBlockRange ≥ 1");
        _chain = connection.Web3;
        _client = connection.Rpc.Client;
        Address = Words.CheckedAddress(address);
        FromBlock = fromBlock;
        MaxBlockRange = maxBlockRange;
    }

    /// <summary>
    /// A reader over logs captured up to a block (<see cref="CaptureAsync"/>), for a verifier with no ledger: the same
    /// decoding and replay as on-line, "latest" being the capture block.
    /// </summary>
    public TrustRegistryReader(string address, Captured captured)
    {
        if (captured.Logs.Count > MaxEvents)
            throw new TrustRegistryException(TrustRegistryError.MalformedChainData, $"more than {MaxEvents} events");
        if (!captured.BlockTimes.ContainsKey(captured.AsOfBlock))
            throw new TrustRegistryException(TrustRegistryError.MalformedChainData, $"the capture block {captured.AsOfBlock} has no time");
        foreach (var log in captured.Logs)
            if (log.Block > captured.AsOfBlock || !captured.BlockTimes.ContainsKey(log.Block))
                throw new TrustRegistryException(TrustRegistryError.MalformedChainData, $"captured log in block {log.Block}: after the capture or without a time");
        Address = Words.CheckedAddress(address);
        _captured = captured;
        MaxBlockRange = 1;
    }

    /// <summary>Every log of the registry up to <paramref name="toBlock"/> with its blocks' times: what an offline reader replays.</summary>
    public async Task<Captured> CaptureAsync(long toBlock, CancellationToken ct = default)
    {
        var logs = await LogsAsync([], toBlock, ct);
        var times = await BlockTimesAsync(logs.Select(l => (long)l.BlockNumber.Value).Append(toBlock), ct);
        return new Captured(logs.Select(CapturedLog.From).ToArray(), times.ToDictionary(p => (long)p.Key, p => p.Value.ToUnixTimeSeconds()), toBlock);
    }

    /// <summary>
    /// Every registry event, oldest first, optionally narrowed to one participant (its own and its issuers' events)
    /// or one issuer of a participant, up to <paramref name="toBlock"/> (default: latest).
    /// </summary>
    public async Task<IReadOnlyList<TrustRegistryEvent>> GetAuditTrailAsync(
        CountryCode? country = null, IssuerRef? issuer = null, long? toBlock = null, CancellationToken ct = default)
    {
        if (issuer is not null && country is null)
            throw new TrustRegistryException(TrustRegistryError.InvalidInput, "an issuer is scoped by its participant: give the country too");
        var to = toBlock ?? await LatestBlockAsync(ct);
        return await LoadEventsAsync(country, issuer?.Id, to, ct);
    }

    /// <summary>Every registration of an issuer, in any participant, oldest first (for a verifier that knows no country yet).</summary>
    public async Task<IReadOnlyList<IssuerAdded>> FindRegistrationsAsync(IssuerRef issuer, CancellationToken ct = default)
    {
        var events = await LoadEventsAsync(null, issuer.Id, await LatestBlockAsync(ct), ct);
        return events.OfType<IssuerAdded>().ToArray();
    }

    /// <summary>
    /// Answers "is this issuer trusted for this domain, for this country, at this time?" from the events in force
    /// at that time, so an issuer suspended later keeps its answer for credentials issued before the suspension.
    /// An event applies from its block's timestamp on (inclusive).
    /// </summary>
    public async Task<TrustDecision> CheckAsync(TrustQuery query, CancellationToken ct = default)
    {
        if (query.Domain == TrustDomains.None)
            throw new TrustRegistryException(TrustRegistryError.InvalidDomains, "ask about at least one trust domain");
        var latestBlock = await LatestBlockAsync(ct);
        var at = query.At ?? await LatestBlockTimeAsync(ct);
        // Only the participant's own events and this issuer's: a few block headers instead of the whole country's.
        var participantEvents = LoadEventsAsync(query.Country, null, latestBlock, ct, ParticipantEventTopics);
        var issuerEvents = LoadEventsAsync(query.Country, query.Issuer.Id, latestBlock, ct);
        var events = (await participantEvents).Concat(await issuerEvents).OrderBy(e => e.BlockNumber).ThenBy(e => e.LogIndex);
        var state = RegistryState.Replay(events.Where(e => e.Timestamp <= at));
        return Decide(query, at, latestBlock, state);
    }

    /// <summary>Rebuilds the trust list (the whole registry, or one participant's) as it stood at a block.</summary>
    public async Task<TrustListSnapshot> BuildSnapshotAsync(CountryCode? country, long? asOfBlock = null, CancellationToken ct = default)
    {
        var at = asOfBlock ?? await LatestBlockAsync(ct);
        var state = RegistryState.Replay(await LoadEventsAsync(country, null, at, ct));
        return TrustListSnapshot.Build(country, at, state.TrustListLeaves(country));
    }

    /// <summary>
    /// Every issuer entry not removed, of participants not removed, as it stood at a block (default: latest), with
    /// its participant and the block/transaction that set it: what an export to the PKI trust lists starts from.
    /// </summary>
    /// <param name="includeRemoved">Also removed issuers and those of removed participants (candidate keys for a verifier
    /// that reports "signature valid, issuer removed" rather than "unknown key").</param>
    public async Task<IReadOnlyList<RegisteredIssuer>> ListIssuersAsync(CountryCode? country = null, long? asOfBlock = null, CancellationToken ct = default,
        bool includeRemoved = false)
    {
        var at = asOfBlock ?? await LatestBlockAsync(ct);
        var state = RegistryState.Replay(await LoadEventsAsync(country, null, at, ct));
        var list = new List<RegisteredIssuer>();
        foreach (var ((c, _), placed) in state.Issuers)
        {
            if (country is { } only && c != only) continue;
            if (placed.Entry.Status == EntryStatus.Removed && !includeRemoved) continue;
            if (!state.Participants.TryGetValue(c, out var p) || p.Entry.Status == EntryStatus.Removed && !includeRemoved) continue;
            list.Add(new RegisteredIssuer(placed.Entry, p.Entry, placed.Block, placed.Transaction));
        }
        return list.OrderBy(i => i.Entry.Country.Alpha3, StringComparer.Ordinal).ThenBy(i => i.Entry.IssuerId.ToString(), StringComparer.Ordinal).ToArray();
    }

    /// <summary>The latest block number.</summary>
    public Task<long> LatestBlockNumberAsync(CancellationToken ct = default) => LatestBlockAsync(ct);

    /// <summary>The latest block's timestamp: "now" on the chain.</summary>
    public async Task<DateTimeOffset> LatestBlockTimeAsync(CancellationToken ct = default)
    {
        if (_captured is { } c) return DateTimeOffset.FromUnixTimeSeconds(c.BlockTimes[c.AsOfBlock]);
        var latest = await _web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest()).WaitAsync(ct);
        return DateTimeOffset.FromUnixTimeSeconds((long)latest.Timestamp.Value);
    }

    /// <summary>Checks a published trust list: is its root anchored on chain, and does it equal the chain's list at the anchored block?</summary>
    public async Task<SnapshotVerification> VerifySnapshotAsync(TrustListSnapshot published, CancellationToken ct = default)
    {
        var record = await _web3.Eth.GetContractQueryHandler<SnapshotsFunction>()
            .QueryDeserializingToObjectAsync<SnapshotsOutput>(new SnapshotsFunction { Arg1 = published.Root.ToArray() }, Address).WaitAsync(ct);
        if (record.AnchoredAt == 0)
            return new SnapshotVerification(false, false, published.Country, published.Leaves.Count, published.AsOfBlock, null, null);
        CountryCode? country = record.Country.All(b => b == 0) ? null : CountryCode.FromBytes3(record.Country);
        var chain = await BuildSnapshotAsync(country, (long)record.AsOfBlock, ct);
        var matches = chain.Root == published.Root && chain.Leaves.Count == (int)record.LeafCount && country == published.Country;
        return new SnapshotVerification(true, matches, country, (int)record.LeafCount, (long)record.AsOfBlock,
            ChainTime.FromSeconds(record.AnchoredAt), chain.Root);
    }

    /// <summary>The contract's own current answer (isTrusted view), without history.</summary>
    public async Task<bool> IsTrustedOnChainNowAsync(CountryCode country, IssuerRef issuer, TrustDomains domain, CancellationToken ct = default) =>
        await _web3.Eth.GetContractQueryHandler<IsTrustedFunction>().QueryAsync<bool>(Address,
            new IsTrustedFunction { Country = country.ToBytes3(), IssuerId = issuer.Id.ToArray(), Domain = (uint)domain }).WaitAsync(ct);

    /// <summary>A participant as contract storage holds it now (null when never onboarded).</summary>
    public async Task<ParticipantEntry?> GetParticipantOnChainAsync(CountryCode country, CancellationToken ct = default)
    {
        var p = await _web3.Eth.GetContractQueryHandler<ParticipantsFunction>()
            .QueryDeserializingToObjectAsync<ParticipantsOutput>(new ParticipantsFunction { Arg1 = country.ToBytes3() }, Address).WaitAsync(ct);
        return p.Status == 0 ? null : new ParticipantEntry(country, p.Admin, (TrustDomains)p.Domains, Status(p.Status));
    }

    /// <summary>An issuer entry as contract storage holds it now (null when never registered).</summary>
    public async Task<IssuerEntry?> GetIssuerOnChainAsync(CountryCode country, IssuerRef issuer, CancellationToken ct = default)
    {
        var key = new IssuersFunction { Arg1 = country.ToBytes3(), Arg2 = issuer.Id.ToArray() };
        var i = await _web3.Eth.GetContractQueryHandler<IssuersFunction>().QueryDeserializingToObjectAsync<IssuersOutput>(key, Address).WaitAsync(ct);
        if (i.Status == 0) return null;
        Bytes32? thumbprint = null;
        if ((IssuerKind)i.Kind == IssuerKind.Dsc)
            thumbprint = Bytes32.FromBytes(await _web3.Eth.GetContractQueryHandler<ThumbprintsFunction>().QueryAsync<byte[]>(Address,
                new ThumbprintsFunction { Arg1 = key.Arg1, Arg2 = key.Arg2 }).WaitAsync(ct));
        return new IssuerEntry(country, issuer, issuer.Id, thumbprint, (TrustDomains)i.Domains,
            ChainTime.FromSeconds(i.ValidFrom), ChainTime.UntilFromSeconds(i.ValidUntil), Status(i.Status));
    }

    /// <summary>Whether the contract accepts an inclusion proof for a leaf of an anchored snapshot (on-chain RFC 9162 check).</summary>
    public async Task<bool> VerifyLeafOnChainAsync(Bytes32 root, Bytes32 leafHash, long index, IReadOnlyList<Bytes32> proof, CancellationToken ct = default) =>
        await _web3.Eth.GetContractQueryHandler<VerifySnapshotLeafFunction>().QueryAsync<bool>(Address, new VerifySnapshotLeafFunction
        {
            Root = root.ToArray(), Leaf = leafHash.ToArray(), Index = index, Proof = proof.Select(p => p.ToArray()).ToList(),
        }).WaitAsync(ct);

    /// <summary>The contract's leafHash for a leaf (cross-checks the documented encoding).</summary>
    public async Task<Bytes32> LeafHashOnChainAsync(TrustListLeaf leaf, CancellationToken ct = default) =>
        Bytes32.FromBytes(await _web3.Eth.GetContractQueryHandler<LeafHashFunction>().QueryAsync<byte[]>(Address, new LeafHashFunction
        {
            Country = leaf.Country.ToBytes3(), Kind = (byte)leaf.Kind, IssuerId = leaf.IssuerId.ToArray(),
            Thumbprint = leaf.Thumbprint.ToArray(), Domains = (uint)leaf.Domains, ValidFrom = leaf.ValidFrom,
            ValidUntil = leaf.ValidUntil, Status = (byte)leaf.Status,
        }).WaitAsync(ct));

    /// <summary>
    /// Trust of an issuer listed in its participant's issuer list, now: one eth_call (issuerListState) whatever the
    /// registry's size, then the inclusion proof (RFC 9162 §2.1.3.2) checked here against the participant's current
    /// root. A proof against an earlier root is refused (<see cref="TrustReason.ListProofStale"/>): suspending or
    /// removing a listed issuer is a new root. Order of checks as <see cref="CheckAsync"/>, then the proof.
    /// </summary>
    public async Task<TrustDecision> CheckListedAsync(ListedIssuerProof proof, TrustDomains domain, Bytes32? thumbprint = null, CancellationToken ct = default)
    {
        if (domain == TrustDomains.None)
            throw new TrustRegistryException(TrustRegistryError.InvalidDomains, "ask about at least one trust domain");
        var state = await GetIssuerListStateAsync(proof.Country, ct);
        var at = state.ChainTime;
        var participant = state.Participant;
        var e = proof.Entry;
        TrustDecision Answer(TrustReason reason) => new(reason == TrustReason.Trusted, reason, at, state.Block, participant, null,
            reason is TrustReason.ListProofStale or TrustReason.ListProofInvalid or TrustReason.IssuerNotRegistered ? null : e.ToEntry(proof.Country),
            null, null);

        if (participant is null) return Answer(TrustReason.ParticipantNotOnboarded);
        if (participant.Status == EntryStatus.Removed) return Answer(TrustReason.ParticipantRemoved);
        if (participant.Status == EntryStatus.Suspended) return Answer(TrustReason.ParticipantSuspended);
        if ((participant.Domains & domain) != domain) return Answer(TrustReason.DomainNotOnboarded);
        if (state.Root is not { } root) return Answer(TrustReason.IssuerNotRegistered);
        if (root != proof.Root) return Answer(TrustReason.ListProofStale);
        if (proof.TreeSize != state.LeafCount || !proof.Verifies()) return Answer(TrustReason.ListProofInvalid);
        if (e.Status == EntryStatus.Suspended) return Answer(TrustReason.IssuerSuspended);
        if ((e.Domains & domain) != domain) return Answer(TrustReason.DomainNotAuthorized);
        if (e.ValidFrom is { } from && at < from) return Answer(TrustReason.NotYetValid);
        if (e.ValidUntil is { } until && at > until) return Answer(TrustReason.Expired);
        if (thumbprint is { } t && e.Thumbprint != t) return Answer(TrustReason.ThumbprintMismatch);
        return Answer(TrustReason.Trusted);
    }

    /// <summary>A participant and its current issuer-list root as the chain holds them now, in one eth_call.</summary>
    public async Task<IssuerListState> GetIssuerListStateAsync(CountryCode country, CancellationToken ct = default)
    {
        var s = await _web3.Eth.GetContractQueryHandler<IssuerListStateFunction>()
            .QueryDeserializingToObjectAsync<IssuerListStateOutput>(new IssuerListStateFunction { Country = country.ToBytes3() }, Address).WaitAsync(ct);
        // The admin address is not part of the answer: a trust check does not need it.
        var participant = s.ParticipantStatus == 0 ? null
            : new ParticipantEntry(country, "", (TrustDomains)s.ParticipantDomains, Status(s.ParticipantStatus));
        var root = Bytes32.FromBytes(s.Root);
        return new IssuerListState(country, participant, root.IsZero ? null : root, checked((int)s.LeafCount), checked((int)s.Version),
            s.UpdatedAt == 0 ? null : ChainTime.FromSeconds(s.UpdatedAt), ChainTime.FromSeconds(s.BlockTime), checked((long)s.BlockNumber));
    }

    private static TrustDecision Decide(TrustQuery q, DateTimeOffset at, long latestBlock, RegistryState state)
    {
        state.Participants.TryGetValue(q.Country, out var p);
        state.Issuers.TryGetValue((q.Country, q.Issuer.Id), out var i);
        TrustDecision Answer(TrustReason reason) => new(reason == TrustReason.Trusted, reason, at, latestBlock,
            p?.Entry, p?.Block, i?.Entry, i?.Block, i?.Transaction);

        if (p is null) return Answer(TrustReason.ParticipantNotOnboarded);
        if (p.Entry.Status == EntryStatus.Removed) return Answer(TrustReason.ParticipantRemoved);
        if (p.Entry.Status == EntryStatus.Suspended) return Answer(TrustReason.ParticipantSuspended);
        if ((p.Entry.Domains & q.Domain) != q.Domain) return Answer(TrustReason.DomainNotOnboarded);
        if (i is null) return Answer(TrustReason.IssuerNotRegistered);
        if (i.Entry.Status == EntryStatus.Removed) return Answer(TrustReason.IssuerRemoved);
        if (i.Entry.Status == EntryStatus.Suspended) return Answer(TrustReason.IssuerSuspended);
        if ((i.Entry.Domains & q.Domain) != q.Domain) return Answer(TrustReason.DomainNotAuthorized);
        if (at < i.Entry.ValidFrom) return Answer(TrustReason.NotYetValid);
        if (i.Entry.ValidUntil is { } until && at > until) return Answer(TrustReason.Expired);
        if (q.Thumbprint is { } t && i.Entry.Thumbprint != t) return Answer(TrustReason.ThumbprintMismatch);
        return Answer(TrustReason.Trusted);
    }

    private async Task<long> LatestBlockAsync(CancellationToken ct) => _captured is { } c ? c.AsOfBlock :
        (long)(await _web3.Eth.Blocks.GetBlockNumber.SendRequestAsync().WaitAsync(ct)).Value;

    // Topic 0 of the participant's own events, from the generated bindings.
    private static readonly object[] ParticipantEventTopics =
        [EventTopic<ParticipantOnboardedEvent>(), EventTopic<ParticipantUpdatedEvent>(), EventTopic<ParticipantStatusChangedEvent>()];

    private static string EventTopic<T>() where T : IEventDTO, new() =>
        ABITypedRegistry.GetEvent<T>().Sha3Signature is var s && s.StartsWith("0x", StringComparison.Ordinal) ? s : "0x" + s;

    private async Task<IReadOnlyList<TrustRegistryEvent>> LoadEventsAsync(
        CountryCode? country, Bytes32? issuerId, long toBlock, CancellationToken ct, object[]? eventTopics = null)
    {
        // Topic 0 is the event signature (any of eventTopics), topic 1 the participant (bytes3, left-aligned in its
        // word), topic 2 the issuer id.
        var topics = new List<object?> { eventTopics };
        if (country is not null || issuerId is not null)
            topics.Add(country is { } c ? "0x" + Convert.ToHexStringLower(Words.FixedBytes(c.ToBytes3())) : null);
        if (issuerId is { } id) topics.Add(id.ToString());
        if (_captured is { } captured)
        {
            // The same topic filter eth_getLogs applies, over the captured logs.
            var kept = captured.Logs.Where(l => l.Block <= toBlock && Matches(l.Topics, topics)).Select(l => l.ToFilterLog()).ToList();
            return Order(kept, captured.BlockTimes.ToDictionary(p => (System.Numerics.BigInteger)p.Key, p => DateTimeOffset.FromUnixTimeSeconds(p.Value)));
        }
        var logs = await LogsAsync(topics, toBlock, ct, eventTopics is not null);
        return Order(logs, await BlockTimesAsync(logs.Select(l => (long)l.BlockNumber.Value), ct));
    }

    private static IReadOnlyList<TrustRegistryEvent> Order(IReadOnlyList<FilterLog> logs, IReadOnlyDictionary<System.Numerics.BigInteger, DateTimeOffset> times) =>
        logs.OrderBy(l => l.BlockNumber.Value).ThenBy(l => l.LogIndex.Value)
            .Select(l => Decode(l, times.TryGetValue(l.BlockNumber.Value, out var t) ? t
                : throw new TrustRegistryException(TrustRegistryError.MalformedChainData, $"block {l.BlockNumber.Value} of a log has no time")))
            .ToArray();

    // eth_getLogs topic matching: position by position, null = any, an array = any of, a string = exactly.
    private static bool Matches(IReadOnlyList<string> logTopics, List<object?> filter)
    {
        for (var i = 0; i < filter.Count; i++)
        {
            if (filter[i] is null) continue;
            if (i >= logTopics.Count) return false;
            var topic = logTopics[i];
            var ok = filter[i] switch
            {
                object[] any => any.Any(a => string.Equals(a?.ToString(), topic, StringComparison.OrdinalIgnoreCase)),
                { } one => string.Equals(one.ToString(), topic, StringComparison.OrdinalIgnoreCase),
                _ => true,
            };
            if (!ok) return false;
        }
        return true;
    }

    private async Task<IReadOnlyList<FilterLog>> LogsAsync(List<object?> topics, long toBlock, CancellationToken ct, bool byEvent = false)
    {
        var logs = new List<FilterLog>();
        // Public nodes cap the block range of one eth_getLogs: read in windows of MaxBlockRange blocks.
        for (var from = FromBlock; from <= toBlock; from += MaxBlockRange)
        {
            var request = ChainReads.Logs(Address, from, Math.Min(toBlock, from + MaxBlockRange - 1),
                topics.Count > 1 || byEvent ? topics.ToArray() : null);
            logs.AddRange(ChainReads.Canonical(await _rpc.CallAsync<FilterLog[]>(request, ct)));
            if (logs.Count > MaxEvents)
                throw new TrustRegistryException(TrustRegistryError.MalformedChainData, $"more than {MaxEvents} events in one read");
        }
        return logs;
    }

    // Logs carry no time: the distinct blocks' headers, a batch (one round trip) per hundred blocks.
    private async Task<Dictionary<System.Numerics.BigInteger, DateTimeOffset>> BlockTimesAsync(IEnumerable<long> blocks, CancellationToken ct)
    {
        var times = new Dictionary<BigInteger, DateTimeOffset>();
        foreach (var chunk in blocks.Distinct().Chunk(100))
        {
            var headers = await _rpc.BatchAsync<BlockWithTransactionHashes?>(chunk.Select(ChainReads.Block).ToList(), ct);
            for (var i = 0; i < chunk.Length; i++)
                times[chunk[i]] = DateTimeOffset.FromUnixTimeSeconds((ChainReads.Header(headers[i], chunk[i])
                    ?? throw new TrustRegistryException(TrustRegistryError.MalformedChainData, $"block {chunk[i]} of a log is missing")).Timestamp);
        }
        return times;
    }

    private static TrustRegistryEvent Decode(FilterLog log, DateTimeOffset time)
    {
        var block = (long)log.BlockNumber.Value;
        var index = (int)log.LogIndex.Value;
        var tx = log.TransactionHash;
        try
        {
            if (log.IsLogForEvent<IssuerAddedEvent>())
            {
                var e = log.DecodeEvent<IssuerAddedEvent>().Event;
                var country = CountryCode.FromBytes3(e.Country);
                var issuer = IssuerRef.FromIdentifier((IssuerKind)e.Kind, e.Identifier);
                var entry = new IssuerEntry(country, issuer, Bytes32.FromBytes(e.IssuerId),
                    (IssuerKind)e.Kind == IssuerKind.Dsc ? Bytes32.FromBytes(e.Thumbprint) : null, (TrustDomains)e.Domains,
                    ChainTime.FromSeconds(e.ValidFrom), ChainTime.UntilFromSeconds(e.ValidUntil), EntryStatus.Active);
                return new IssuerAdded(block, index, tx, time, e.Actor, entry);
            }
            if (log.IsLogForEvent<IssuerStatusChangedEvent>())
            {
                var e = log.DecodeEvent<IssuerStatusChangedEvent>().Event;
                return new IssuerStatusChanged(block, index, tx, time, e.Actor, CountryCode.FromBytes3(e.Country),
                    Bytes32.FromBytes(e.IssuerId), Status(e.Status));
            }
            if (log.IsLogForEvent<ParticipantOnboardedEvent>())
            {
                var e = log.DecodeEvent<ParticipantOnboardedEvent>().Event;
                return new ParticipantOnboarded(block, index, tx, time, e.Actor, CountryCode.FromBytes3(e.Country), e.Admin, (TrustDomains)e.Domains);
            }
            if (log.IsLogForEvent<ParticipantUpdatedEvent>())
            {
                var e = log.DecodeEvent<ParticipantUpdatedEvent>().Event;
                return new ParticipantUpdated(block, index, tx, time, e.Actor, CountryCode.FromBytes3(e.Country), e.Admin, (TrustDomains)e.Domains);
            }
            if (log.IsLogForEvent<ParticipantStatusChangedEvent>())
            {
                var e = log.DecodeEvent<ParticipantStatusChangedEvent>().Event;
                return new ParticipantStatusChanged(block, index, tx, time, e.Actor, CountryCode.FromBytes3(e.Country), Status(e.Status));
            }
            if (log.IsLogForEvent<SnapshotAnchoredEvent>())
            {
                var e = log.DecodeEvent<SnapshotAnchoredEvent>().Event;
                CountryCode? country = e.Country.All(b => b == 0) ? null : CountryCode.FromBytes3(e.Country);
                return new SnapshotAnchored(block, index, tx, time, e.Actor, country, Bytes32.FromBytes(e.Root), (int)e.LeafCount, (long)e.AsOfBlock);
            }
            if (log.IsLogForEvent<IssuerListSetEvent>())
            {
                var e = log.DecodeEvent<IssuerListSetEvent>().Event;
                return new IssuerListSet(block, index, tx, time, e.Actor, CountryCode.FromBytes3(e.Country), Bytes32.FromBytes(e.Root),
                    checked((int)e.LeafCount), checked((int)e.Version));
            }
            if (log.IsLogForEvent<AnchorTransferredEvent>())
            {
                var e = log.DecodeEvent<AnchorTransferredEvent>().Event;
                return new AnchorTransferred(block, index, tx, time, e.PreviousAnchor, e.PreviousAnchor, e.NewAnchor);
            }
        }
        catch (Exception e) when (e is not TrustRegistryException)
        {
            throw new TrustRegistryException(TrustRegistryError.MalformedChainData, $"log {tx}#{index} does not decode as a registry event", e);
        }
        throw new TrustRegistryException(TrustRegistryError.MalformedChainData, $"log {tx}#{index} is no registry event");
    }

    private static EntryStatus Status(byte value) => value <= (byte)EntryStatus.Removed
        ? (EntryStatus)value
        : throw new TrustRegistryException(TrustRegistryError.MalformedChainData, $"status {value} out of range");

    /// <summary>Registry state folded from events, with the block and transaction that set each entry.</summary>
    private sealed class RegistryState
    {
        public sealed record Placed<T>(T Entry, long Block, string Transaction);

        public Dictionary<CountryCode, Placed<ParticipantEntry>> Participants { get; } = [];
        public Dictionary<(CountryCode, Bytes32), Placed<IssuerEntry>> Issuers { get; } = [];

        public static RegistryState Replay(IEnumerable<TrustRegistryEvent> events)
        {
            var s = new RegistryState();
            foreach (var ev in events)
            {
                switch (ev)
                {
                    case ParticipantOnboarded o:
                        s.Participants[o.Country] = new(new ParticipantEntry(o.Country, o.Admin, o.Domains, EntryStatus.Active), o.BlockNumber, o.TransactionHash);
                        break;
                    case ParticipantUpdated u when s.Participants.TryGetValue(u.Country, out var p):
                        s.Participants[u.Country] = new(p.Entry with { Admin = u.Admin, Domains = u.Domains }, u.BlockNumber, u.TransactionHash);
                        break;
                    case ParticipantStatusChanged c when s.Participants.TryGetValue(c.Country, out var p):
                        s.Participants[c.Country] = new(p.Entry with { Status = c.Status }, c.BlockNumber, c.TransactionHash);
                        break;
                    case IssuerAdded a:
                        s.Issuers[(a.Entry.Country, a.Entry.IssuerId)] = new(a.Entry, a.BlockNumber, a.TransactionHash);
                        break;
                    case IssuerStatusChanged c when s.Issuers.TryGetValue((c.Country, c.IssuerId), out var i):
                        s.Issuers[(c.Country, c.IssuerId)] = new(i.Entry with { Status = c.Status }, c.BlockNumber, c.TransactionHash);
                        break;
                }
            }
            return s;
        }

        /// <summary>Issuers not removed, of participants not removed; status Suspended if either is suspended.</summary>
        public IEnumerable<TrustListLeaf> TrustListLeaves(CountryCode? country)
        {
            foreach (var ((c, _), placed) in Issuers)
            {
                if (country is { } only && c != only) continue;
                if (placed.Entry.Status == EntryStatus.Removed) continue;
                if (!Participants.TryGetValue(c, out var p) || p.Entry.Status == EntryStatus.Removed) continue;
                var status = p.Entry.Status == EntryStatus.Suspended ? EntryStatus.Suspended : placed.Entry.Status;
                yield return TrustListLeaf.From(placed.Entry, status);
            }
        }
    }
}
