using System.Text.Json.Nodes;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;

namespace Vc.Did.Ledger;

/// <summary>
/// One contract log as eth_getLogs returned it (the fields decoders read), kept so a verifier can replay it offline
/// through the same decoder that reads it from the chain: nothing is re-interpreted when it is packed.
/// </summary>
public sealed record CapturedLog(string Address, long Block, int Index, string Transaction, IReadOnlyList<string> Topics, string Data)
{
    /// <summary>Most topics a log has (EVM LOG4).</summary>
    private const int MaxTopics = 4;

    public static CapturedLog From(FilterLog log) => new(log.Address, (long)log.BlockNumber.Value, (int)log.LogIndex.Value,
        log.TransactionHash, (log.Topics ?? []).Select(t => t?.ToString() ?? "").ToArray(), log.Data ?? "0x");

    public FilterLog ToFilterLog() => new()
    {
        Address = Address, BlockNumber = new HexBigInteger(Block), LogIndex = new HexBigInteger(Index),
        TransactionHash = Transaction, Topics = Topics.Cast<object>().ToArray(), Data = Data,
    };

    public JsonObject ToJson() => new()
    {
        ["address"] = Address, ["block"] = Block, ["index"] = Index, ["transaction"] = Transaction,
        ["topics"] = new JsonArray(Topics.Select(t => (JsonNode?)t).ToArray()), ["data"] = Data,
    };

    /// <summary>Reads a log written by <see cref="ToJson"/>; anything else is refused (FormatException).</summary>
    public static CapturedLog FromJson(JsonNode? node)
    {
        try
        {
            if (node is not JsonObject o) throw new FormatException("a log is an object");
            var topics = o["topics"] as JsonArray ?? throw new FormatException("log topics missing");
            if (topics.Count > MaxTopics) throw new FormatException($"a log has at most {MaxTopics} topics");
            var block = o["block"]!.GetValue<long>();
            var index = o["index"]!.GetValue<int>();
            if (block < 0 || index < 0) throw new FormatException("negative block or log index");
            return new CapturedLog(o["address"]!.GetValue<string>(), block, index, o["transaction"]!.GetValue<string>(),
                topics.Select(t => t!.GetValue<string>()).ToArray(), o["data"]!.GetValue<string>());
        }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException or System.Text.Json.JsonException)
        {
            throw new FormatException("a log does not read: " + e.Message, e);
        }
    }
}
