using System.Text.Json.Nodes;

namespace Vc.Agent;

/// <summary>The node's ledger status: chain id, current block and our contract addresses.</summary>
public static class NodeStatus
{
    public static async Task<JsonObject> ReadAsync(NodeLedger ledger, LedgerSettings? settings = null)
    {
        var c = ledger.Connection;
        var contracts = new JsonObject();
        foreach (var (name, address) in c.Contracts.Addresses.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            contracts[name] = address;
        // The trust registry is deployed by `trust init` (it takes its anchor as a constructor argument).
        if (settings is not null && await TrustRegistryRecord.ReadAsync(settings, c) is { } trust)
            contracts["TrustRegistry"] = trust.Address;
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
