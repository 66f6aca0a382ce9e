using System.Text.Json.Nodes;

namespace Vc.Node.Hosting;

/// <summary>The node's ledger status: chain id, current block and our contract addresses.</summary>
public static class NodeStatus
{
    public static async Task<JsonObject> ReadAsync(NodeLedger ledger)
    {
        var c = ledger.Connection;
        var contracts = new JsonObject();
        foreach (var (name, address) in c.Contracts.Addresses.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            contracts[name] = address;
        return new JsonObject
        {
            ["status"] = "ok",
            ["ledger"] = new JsonObject
            {
                ["mode"] = ledger.Mode,
                ["rpcUrl"] = c.RpcUrl.ToString(),
                ["chainId"] = c.ChainId,
                ["blockNumber"] = await c.BlockNumberAsync(),
                ["deploymentBlock"] = c.Contracts.DeploymentBlock,
                ["contracts"] = contracts,
            },
        };
    }
}
