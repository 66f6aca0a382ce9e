using Vc.Did.Ledger;

namespace Vc.Did.Ethr;

/// <summary>
/// Identity histories captured from the ERC-1056 registry up to one block (every log of each identity, with the
/// times of the blocks they are in, and the capture block's time): resolution replays them offline through the
/// same decoder and document builder as <see cref="RpcHistoryWalker"/>, touching no ledger. Only the identities
/// captured resolve: any other is unknown here (fail closed), never taken for one that never changed.
/// </summary>
public sealed class CapturedHistorySource : IEthrHistorySource
{
    private readonly IReadOnlyDictionary<string, EthrHistory> _histories;
    private readonly IReadOnlyDictionary<long, long> _blockTimes;
    private readonly long _asOfBlock;

    /// <param name="identities">The addresses whose every log up to <paramref name="asOfBlock"/> is in <paramref name="logs"/>.</param>
    /// <param name="logs">ERC-1056 logs of those identities in blocks up to <paramref name="asOfBlock"/>.</param>
    /// <param name="blockTimes">Unix time of every block holding a log, and of <paramref name="asOfBlock"/>.</param>
    public CapturedHistorySource(IEnumerable<string> identities, IEnumerable<CapturedLog> logs, IReadOnlyDictionary<long, long> blockTimes, long asOfBlock,
        int maxValueBytes = Erc1056Log.DefaultMaxValueBytes)
    {
        _blockTimes = blockTimes;
        _asOfBlock = asOfBlock;
        var byIdentity = identities.ToDictionary(a => a, _ => new List<Erc1056Event>(), StringComparer.OrdinalIgnoreCase);
        foreach (var log in logs.OrderBy(l => l.Block).ThenBy(l => l.Index))
        {
            if (log.Block > asOfBlock) throw new EthrHistoryException($"a captured log is in block {log.Block}, after the capture block {asOfBlock}");
            if (!blockTimes.ContainsKey(log.Block)) throw new EthrHistoryException($"block {log.Block} of a captured log has no time");
            var filterLog = log.ToFilterLog();
            if (!Erc1056Log.IsRegistryEvent(Erc1056Log.Topic0(filterLog))) continue;
            var (_, ev) = Erc1056Log.Decode(filterLog, maxValueBytes);
            if (ev is null) continue;
            if (!byIdentity.TryGetValue(ev.Identity, out var list))
                throw new EthrHistoryException($"a captured log of {ev.Identity} is not among the captured identities");
            list.Add(ev);
        }
        _histories = byIdentity.ToDictionary(p => p.Key, p => new EthrHistory(p.Value, blockTimes), StringComparer.OrdinalIgnoreCase);
    }

    public Task<EthrHistory> HistoryAsync(string address, CancellationToken ct = default) =>
        _histories.TryGetValue(address, out var h) ? Task.FromResult(h)
            : Task.FromException<EthrHistory>(new EthrHistoryException($"{address}: its history is not in the capture (not a registered issuer of the pack)"));

    /// <summary>Blocks after the capture are unknown here (null: "no such block yet"), never guessed.</summary>
    public Task<long?> BlockTimeAsync(long blockNumber, CancellationToken ct = default) =>
        Task.FromResult(blockNumber <= _asOfBlock && _blockTimes.TryGetValue(blockNumber, out var t) ? t : (long?)null);
}
