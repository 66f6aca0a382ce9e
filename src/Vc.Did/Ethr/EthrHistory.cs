using System.Numerics;
using Vc.Did.Core;
using Vc.Did.Encoding;

namespace Vc.Did.Ethr;

/// <summary>An identity's registry events oldest → newest, with the block times known so far.</summary>
public sealed record EthrHistory(IReadOnlyList<Erc1056Event> Events, IReadOnlyDictionary<long, long> BlockTimes)
{
    /// <summary>Set when the history came from the local index alone (the node was unreachable).</summary>
    public IndexFreshness? Freshness { get; init; }
}

/// <summary>The history is inconsistent with what the registry says (e.g. a change block without logs).</summary>
public sealed class EthrHistoryException(string message) : Exception("did:ethr history: " + message);

/// <summary>Where a did:ethr resolver reads identity histories from: the chain directly, or a local index.</summary>
public interface IEthrHistorySource
{
    Task<EthrHistory> HistoryAsync(string address, CancellationToken ct = default);
    /// <summary>Unix time of a block; null when the chain has no such block.</summary>
    Task<long?> BlockTimeAsync(long blockNumber, CancellationToken ct = default);
}

/// <summary>
/// Reads history the way the reference resolver does (ERC-1056 §"Efficient lookup of events"): changed(identity),
/// then eth_getLogs for that block, following previousChange back to 0. One round trip per change block.
/// </summary>
public sealed class RpcHistoryWalker(IEthRpc rpc, EthrNetwork network, int maxChangeBlocks = 100_000, int maxValueBytes = Erc1056Log.DefaultMaxValueBytes)
    : IEthrHistorySource
{
    private static readonly string ChangedSelector = Codec.ToHex0x(Codec.Keccak256("changed(address)"u8)[..4]);

    public async Task<EthrHistory> HistoryAsync(string address, CancellationToken ct = default)
    {
        var previous = await ChangedAsync(rpc, network.RegistryAddress, address, ct);
        var blocks = new List<List<Erc1056Event>>();
        var topic = Erc1056Log.IdentityTopic(address);
        var walked = 0;
        while (previous > 0)
        {
            if (++walked > maxChangeBlocks) throw new EthrHistoryException($"more than {maxChangeBlocks} change blocks");
            var logs = EthReads.ParseLogs(await rpc.OneAsync(EthReads.Logs(network.RegistryAddress, previous, previous, null, topic), ct));
            if (logs.Count == 0)
                throw new EthrHistoryException($"no logs in block {previous} although previousChange points there (the node may lack history)");
            long next = 0;
            var events = new List<Erc1056Event>();
            foreach (var log in logs.OrderBy(l => l.LogIndex))
            {
                if (log.Topics.Count == 0 || !Erc1056Log.IsRegistryEvent(log.Topics[0])) continue;
                var (pc, ev) = Erc1056Log.Decode(log, maxValueBytes);
                // Several events in one block all point at the earlier change block.
                if (pc > 0 && pc < previous && (next == 0 || pc < next)) next = pc;
                if (ev is not null) events.Add(ev);
            }
            blocks.Add(events);
            previous = next;
        }
        blocks.Reverse();
        return new EthrHistory(blocks.SelectMany(b => b).ToList(), new Dictionary<long, long>());
    }

    public async Task<long?> BlockTimeAsync(long blockNumber, CancellationToken ct = default) =>
        EthReads.ParseBlock(await rpc.OneAsync(EthReads.Block(blockNumber), ct))?.Timestamp;

    internal static async Task<long> ChangedAsync(IEthRpc rpc, string registry, string address, CancellationToken ct)
    {
        var data = ChangedSelector + "000000000000000000000000" + address[2..].ToLowerInvariant();
        var word = EthReads.ParseData(await rpc.OneAsync(EthReads.Call(registry, data), ct), "eth_call changed", 32);
        var v = new BigInteger(word, isUnsigned: true, isBigEndian: true);
        if (v > long.MaxValue) throw new EthRpcException(EthRpcError.MalformedResponse, "eth_call changed", "block number out of range");
        return (long)v;
    }
}
