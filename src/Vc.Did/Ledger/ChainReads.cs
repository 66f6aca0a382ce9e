using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;

namespace Vc.Did.Ledger;

/// <summary>A block header's fields the ledger clients use.</summary>
public sealed record BlockHeader(long Number, string Hash, string ParentHash, long Timestamp);

/// <summary>
/// Requests for the reads every ledger client makes (head, headers, logs, calls), as Nethereum requests to send
/// alone or in a batch, and checks of the fields we rely on in the node's answers (fail closed, typed).
/// </summary>
public static class ChainReads
{
    public static RpcRequest BlockNumber() => new(1, "eth_blockNumber");
    public static RpcRequest ChainId() => new(1, "eth_chainId");
    public static RpcRequest Block(long number) => new(1, "eth_getBlockByNumber", new HexBigInteger(number).HexValue, false);
    public static RpcRequest LatestBlock() => new(1, "eth_getBlockByNumber", "latest", false);
    public static RpcRequest Call(string to, byte[] data, string blockTag = "latest") =>
        new(1, "eth_call", new CallInput { To = to, Data = data.ToHex(true) }, blockTag);

    /// <summary>eth_getLogs of one contract over [from, to]; topics by position, null = any, an array = any of.</summary>
    public static RpcRequest Logs(string address, long from, long to, params object?[]? topics) =>
        new(1, "eth_getLogs", new NewFilterInput
        {
            Address = [address],
            FromBlock = new BlockParameter(new HexBigInteger(from)),
            ToBlock = new BlockParameter(new HexBigInteger(to)),
            Topics = topics is { Length: > 0 } ? topics : null,
        });

    /// <summary>The head block number.</summary>
    public static long Quantity(HexBigInteger? value, string method, string field) =>
        value?.Value is { } v && v >= 0 && v <= long.MaxValue ? (long)v : throw Malformed(method, $"{field} is not a block-sized quantity");

    /// <summary>A block header with its fields checked; null when the node has no such block. <paramref name="expected"/>: the number asked for.</summary>
    public static BlockHeader? Header(BlockWithTransactionHashes? block, long? expected = null)
    {
        const string method = "eth_getBlockByNumber";
        if (block is null) return null;
        var number = Quantity(block.Number, method, "number");
        if (expected is { } e && number != e) throw Malformed(method, $"asked for block {e}, got {number}");
        return new BlockHeader(number, Hash(block.BlockHash, method), Hash(block.ParentHash, method), Quantity(block.Timestamp, method, "timestamp"));
    }

    /// <summary>Logs with the fields we use checked; logs flagged removed (a reorg the node already saw) dropped.</summary>
    public static IReadOnlyList<FilterLog> Canonical(FilterLog[]? logs, string method = "eth_getLogs")
    {
        if (logs is null) throw Malformed(method, "logs are not an array");
        var kept = new List<FilterLog>(logs.Length);
        foreach (var l in logs)
        {
            if (l is null) throw Malformed(method, "log is not an object");
            if (l.Removed) continue;
            Quantity(l.BlockNumber, method, "blockNumber");
            if (Quantity(l.LogIndex, method, "logIndex") > int.MaxValue) throw Malformed(method, "log index out of range");
            l.BlockHash = Hash(l.BlockHash, method);
            if (l.Address is not { Length: 42 } a || !a.StartsWith("0x", StringComparison.Ordinal) || !a[2..].All(char.IsAsciiHexDigit))
                throw Malformed(method, "log address malformed");
            l.Address = a.ToLowerInvariant();
            if (l.Topics is not { Length: <= 4 } topics) throw Malformed(method, "log topics malformed");
            for (var i = 0; i < topics.Length; i++) topics[i] = Hash(topics[i]?.ToString(), method);
            if (l.Data is not { } d || !d.StartsWith("0x", StringComparison.Ordinal) || d.Length % 2 != 0 || !d[2..].All(char.IsAsciiHexDigit))
                throw Malformed(method, "log data is not hex");
            kept.Add(l);
        }
        return kept;
    }

    private static string Hash(string? s, string method) =>
        s is { Length: 66 } && s.StartsWith("0x", StringComparison.Ordinal) && s[2..].All(char.IsAsciiHexDigit)
            ? s.ToLowerInvariant()
            : throw Malformed(method, "expected a 32-byte hash, got " + LedgerRpc.Short(s ?? "nothing"));

    private static LedgerException Malformed(string method, string message) => new(LedgerError.MalformedResponse, $"rpc {method}: {message}");
}
