using System.Text.Json;
using Vc.Did.Ledger;
using Vc.Trust;

namespace Vc.Agent;

/// <summary>
/// Where this node's trust registry lives on its chain. The registry takes its trust anchor as a
/// constructor argument, so it is deployed once by `vchealth trust init` and recorded beside the ledger state.
/// </summary>
public sealed record TrustRegistryRecord(long ChainId, string Address, long DeploymentBlock, string Anchor)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static string PathFor(LedgerSettings settings, long chainId) =>
        System.IO.Path.Combine(settings.RpcUrl is null ? settings.LedgerDirectory : System.IO.Path.Combine(settings.DataDirectory, "ledger-" + settings.RpcUrl.Port),
            $"trust-registry-{chainId}.json");

    /// <summary>Whether any registry was recorded for the configured ledger (a file test: no RPC, no ledger start).</summary>
    public static bool AnyRecorded(LedgerSettings settings)
    {
        var folder = System.IO.Path.GetDirectoryName(PathFor(settings, 0))!;
        return Directory.Exists(folder) && Directory.EnumerateFiles(folder, "trust-registry-*.json").Any();
    }

    public static async Task<TrustRegistryRecord?> ReadAsync(LedgerSettings settings, LedgerConnection connection)
    {
        var path = PathFor(settings, connection.ChainId);
        if (!File.Exists(path)) return null;
        var record = JsonSerializer.Deserialize<TrustRegistryRecord>(await File.ReadAllTextAsync(path), Json);
        // A record whose contract vanished (a fresh chain in the same folder) is stale.
        return record is not null && await connection.HasCodeAsync(record.Address) ? record : null;
    }

    public async Task WriteAsync(LedgerSettings settings)
    {
        var path = PathFor(settings, ChainId);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path + ".tmp", JsonSerializer.Serialize(this, Json));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>Deploys a registry with the given anchor and records it.</summary>
    public static async Task<TrustRegistryRecord> DeployAsync(LedgerSettings settings, LedgerConnection connection, string anchor)
    {
        var (client, block) = await TrustRegistryClient.DeployAsync(connection, anchor);
        var record = new TrustRegistryRecord(connection.ChainId, client.Address, block, anchor);
        await record.WriteAsync(settings);
        return record;
    }
}
