using Vc.Did.Core;
using Vc.Did.Encoding;

namespace Vc.Did.Ethr;

/// <summary>
/// did:ethr resolver (did:ethr method spec §"Read (Resolve)"). The history comes from an
/// <see cref="IEthrHistorySource"/> per network: <see cref="RpcHistoryWalker"/> (no local state) or
/// <see cref="EthrEventIndex"/> (O(1) round trips). Supports ?versionId=N and ?versionTime=T.
/// </summary>
public sealed class EthrDidResolver : IDidMethodResolver
{
    public string Method => "ethr";

    public const string DidLdJson = "application/did+ld+json";
    public const string DidJson = "application/did+json";
    private readonly IReadOnlyList<(EthrNetwork Network, IEthrHistorySource Source)> _networks;
    private readonly TimeProvider _clock;

    public EthrDidResolver(IEnumerable<(EthrNetwork Network, IEthrHistorySource Source)> networks, TimeProvider? clock = null)
    {
        _networks = networks.ToList();
        _clock = clock ?? TimeProvider.System;
    }

    public EthrDidResolver(EthrNetwork network, IEthrHistorySource source, TimeProvider? clock = null) : this([(network, source)], clock) { }

    public async Task<DidResolutionResult> ResolveAsync(string did, DidResolutionOptions? options = null, CancellationToken ct = default)
    {
        options ??= new DidResolutionOptions();
        var accept = options.Accept;
        if (accept is not null && accept != DidLdJson && accept != DidJson)
            return DidResolutionResult.Failure(DidResolutionErrors.UnsupportedFormat, $"The DID resolver does not support the requested 'accept' format: {accept}");

        EthrDid parsed;
        try { parsed = EthrDid.Parse(did); }
        catch (DidParseException e) { return DidResolutionResult.Failure(DidResolutionErrors.InvalidDid, e.Message); }

        var versionId = parsed.VersionId ?? options.VersionId;
        var versionTime = parsed.VersionTime ?? options.VersionTime;
        if (versionId is not null && versionTime is not null)
            return DidResolutionResult.Failure(DidResolutionErrors.InvalidOptions, "versionId and versionTime are exclusive");

        var match = _networks.FirstOrDefault(n => n.Network.Matches(parsed));
        if (match.Network is null)
            return DidResolutionResult.Failure(DidResolutionErrors.UnknownNetwork,
                $"The DID resolver does not have a configuration for network: {parsed.Network ?? "mainnet"}");
        var (network, source) = match;
        var chainId = parsed.HexChainId ?? network.ChainId;

        try
        {
            var now = _clock.GetUtcNow().ToUnixTimeSeconds();
            long? cutoff = null;
            if (versionId is { } vid)
            {
                now = await source.BlockTimeAsync(vid, ct)
                    ?? throw new EthrHistoryException($"block {vid} (versionId) does not exist yet");
                cutoff = vid;
            }
            var history = await source.HistoryAsync(parsed.Address, ct);
            var times = new Dictionary<long, long>(history.BlockTimes);
            async Task<long> TimeOf(long block)
            {
                if (times.TryGetValue(block, out var t)) return t;
                t = await source.BlockTimeAsync(block, ct) ?? throw new EthrHistoryException($"block {block} of the history is missing");
                times[block] = t;
                return t;
            }
            var validFrom = now; // entries whose validTo is at least this are live (the reference's inclusive check)
            if (versionTime is { } vt)
            {
                // DID Core §7.1.1 versionTime: the version in force at that time = every change in a block not after it.
                var at = vt.ToUnixTimeSeconds();
                cutoff = 0;
                foreach (var block in history.Events.Select(e => e.BlockNumber).Distinct())
                    if (await TimeOf(block) <= at) cutoff = Math.Max(cutoff.Value, block);
                // At a point in time, a delegate or attribute is valid while validTo > that time (ERC-1056 validDelegate:
                // validity > block.timestamp): one revoked in that very second (revokeDelegate: validTo = its block's
                // timestamp) is not valid then. The order within a second is unknown, so this fails closed.
                validFrom = at + 1;
            }

            var state = EthrDocumentBuilder.Build(parsed.Did, parsed.Address, parsed.PublicKey, history.Events, chainId, cutoff, validFrom);
            var metadata = new DidDocumentMetadata { Deactivated = state.Deactivated };
            if (state.VersionId != 0)
                metadata = metadata with { VersionId = state.VersionId.ToString(), Updated = Codec.IsoTime(await TimeOf(state.VersionId)) };
            if (state.NextVersionId is { } next)
                metadata = metadata with { NextVersionId = next.ToString(), NextUpdate = Codec.IsoTime(await TimeOf(next)) };
            var document = accept == DidJson ? state.Document with { Context = null } : state.Document;
            return new DidResolutionResult(document, metadata,
                new DidResolutionMetadata { ContentType = accept ?? DidLdJson, IndexFreshness = history.Freshness });
        }
        catch (Vc.Did.Ledger.LedgerException e) { return DidResolutionResult.Failure(DidResolutionErrors.NotFound, e.Message); }
        catch (Erc1056DecodeException e) { return DidResolutionResult.Failure(DidResolutionErrors.NotFound, e.Message); }
        catch (EthrHistoryException e) { return DidResolutionResult.Failure(DidResolutionErrors.NotFound, e.Message); }
        catch (EthrIndexException e) { return DidResolutionResult.Failure(DidResolutionErrors.NotFound, e.Message); }
    }
}
