using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Vc.Node.Tests;

/// <summary>
/// The dev chain's clock as tests steer it (Anvil's JSON-RPC, no library in between): blocks are placed at chosen
/// seconds with evm_setNextBlockTimestamp, and the test's clock is moved up to the chain, instead of sleeping until
/// the wall clock moves on.
/// </summary>
public static class DevChainClock
{
    public static async Task<JsonNode?> RpcAsync(Uri rpc, string method, params object[] args)
    {
        using var http = new HttpClient();
        var response = await http.PostAsJsonAsync(rpc, new { jsonrpc = "2.0", id = 1, method, @params = args });
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        if (body["error"] is { } error) throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
        return body["result"];
    }

    public static async Task<long> LatestBlockTimeAsync(Uri rpc)
    {
        var block = await RpcAsync(rpc, "eth_getBlockByNumber", "latest", false);
        return Convert.ToInt64(block!["timestamp"]!.GetValue<string>(), 16);
    }

    /// <summary>The next block is stamped in a second after <paramref name="after"/> (and after the chain's latest block).</summary>
    public static async Task NextBlockAfterAsync(Uri rpc, DateTimeOffset after)
    {
        var next = Math.Max(after.ToUnixTimeSeconds(), await LatestBlockTimeAsync(rpc)) + 1;
        await RpcAsync(rpc, "evm_setNextBlockTimestamp", next);
    }

    /// <summary>
    /// Catches <paramref name="clock"/> up with the chain instead of waiting for the wall clock to: from now on it reads
    /// no earlier than the second after the chain's latest block (a change valid "until" a block's second ends with it;
    /// Anvil stamps quickly mined blocks a second apart, so the chain runs ahead of the wall clock).
    /// </summary>
    public static async Task CatchUpAsync(Uri rpc, TestClock clock) =>
        clock.NotBefore(DateTimeOffset.FromUnixTimeSeconds(await LatestBlockTimeAsync(rpc) + 1));
}
