using System.Numerics;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.Contracts;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Vc.Did.Contracts;
using Vc.Did.Core;
using Vc.Did.Encoding;
using Vc.Did.Ledger;

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
public sealed class RpcHistoryWalker(IClient rpc, EthrNetwork network, int maxChangeBlocks = 100_000, int maxValueBytes = Erc1056Log.DefaultMaxValueBytes)
    : IEthrHistorySource
{
    public async Task<EthrHistory> HistoryAsync(string address, CancellationToken ct = default)
    {
        var previous = await ChangedAsync(rpc, network.RegistryAddress, address, ct);
        var blocks = new List<List<Erc1056Event>>();
        var topic = Erc1056Log.IdentityTopic(address);
        var walked = 0;
        while (previous > 0)
        {
            if (++walked > maxChangeBlocks) throw new EthrHistoryException($"more than {maxChangeBlocks} change blocks");
            var logs = await rpc.CallAsync<FilterLog[]>(ChainReads.Logs(network.RegistryAddress, previous, previous, null, topic), ct);
            if (logs is not { Length: > 0 })
                throw new EthrHistoryException($"no logs in block {previous} although previousChange points there (the node may lack history)");
            long next = 0;
            var events = new List<Erc1056Event>();
            foreach (var log in ChainReads.Canonical(logs, "eth_getLogs").OrderBy(l => (long)l.LogIndex.Value))
            {
                if (!Erc1056Log.IsRegistryEvent(Erc1056Log.Topic0(log))) continue;
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
        ChainReads.Header(await rpc.CallAsync<BlockWithTransactionHashes?>(ChainReads.Block(blockNumber), ct), blockNumber)?.Timestamp;

    /// <summary>The registry's changed(identity): the last block with a change of it (0: never changed).</summary>
    internal static async Task<long> ChangedAsync(IClient rpc, string registry, string address, CancellationToken ct)
    {
        var call = new ChangedFunction { Identity = address };
        var result = await rpc.CallAsync<string>(ChainReads.Call(registry, call.GetCallData()), ct);
        BigInteger v;
        try
        {
            // Exactly one uint256 word: anything else is not this registry's answer.
            if (result is not { Length: 66 }) throw new FormatException($"expected one 32-byte word, got {Codec.Short(result ?? "null")}");
            v = new FunctionCallDecoder().DecodeSimpleTypeOutput<BigInteger>(ABITypedRegistry.GetFunctionABI<ChangedFunction>().OutputParameters[0], result);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new LedgerException(LedgerError.MalformedResponse, "rpc eth_call changed: " + e.Message, e);
        }
        if (v < 0 || v > long.MaxValue) throw new LedgerException(LedgerError.MalformedResponse, "rpc eth_call changed: block number out of range");
        return (long)v;
    }
}
