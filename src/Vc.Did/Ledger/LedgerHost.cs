using System.Numerics;
using Nethereum.Signer;
using Nethereum.Web3.Accounts;

namespace Vc.Did.Ledger;

/// <summary>
/// A local Anvil node with our contracts deployed: what tests and the node's embedded default run on.
/// With a data directory, chain state and contract addresses persist across restarts.
/// </summary>
public sealed class LedgerHost : IAsyncDisposable
{
    /// <summary>
    /// Contracts deployed automatically on a fresh chain (no constructor arguments). Modules whose
    /// contracts need arguments (e.g. a trust anchor) deploy them with <see cref="LedgerConnection.DeployAsync"/>.
    /// </summary>
    public static IReadOnlyList<string> AutoDeployed { get; } = [ContractArtifact.DidRegistry];

    private static readonly BigInteger RelayerFunds = BigInteger.Pow(10, 24); // 1,000,000 dev ether

    public AnvilProcess Anvil { get; }
    public LedgerConnection Connection { get; }

    private LedgerHost(AnvilProcess anvil, LedgerConnection connection)
    {
        Anvil = anvil;
        Connection = connection;
    }

    /// <summary>
    /// Starts Anvil (persistent when <paramref name="dataDirectory"/> is given), funds a fresh relayer
    /// account on the dev chain, and deploys every embedded contract unless a persisted deployment is found.
    /// </summary>
    public static async Task<LedgerHost> StartAsync(string? dataDirectory = null, AnvilOptions? options = null, CancellationToken ct = default)
    {
        options ??= new AnvilOptions();
        if (dataDirectory is not null)
        {
            Directory.CreateDirectory(dataDirectory);
            options = options with { StatePath = Path.Combine(dataDirectory, "anvil-state.json") };
        }
        var anvil = await AnvilProcess.StartAsync(options, ct);
        try
        {
            var connection = await ConnectDevAsync(anvil.RpcUrl, dataDirectory, anvil.State);
            return new LedgerHost(anvil, connection);
        }
        catch
        {
            await anvil.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Connects to a dev chain (Anvil) at <paramref name="rpcUrl"/>: a new relayer key funded with
    /// anvil_setBalance, and our contracts found in the deployment record or deployed now. With <paramref name="state"/>
    /// (an embedded Anvil's), every write is saved to it before it returns.
    /// </summary>
    public static async Task<LedgerConnection> ConnectDevAsync(Uri rpcUrl, string? dataDirectory, AnvilStateFile? state = null, LedgerTimeouts? timeouts = null)
    {
        var chainId = await LedgerConnection.ReadChainIdAsync(rpcUrl);
        // The relayer only pays dev-chain gas; a fresh key per start keeps no key material on disk.
        var relayer = new Account(EthECKey.GenerateKey(), chainId);
        await LedgerConnection.FundOnDevChainAsync(rpcUrl, relayer.Address, RelayerFunds);

        var recordPath = dataDirectory is null ? null : Path.Combine(dataDirectory, "deployment.json");
        if (dataDirectory is not null) Directory.CreateDirectory(dataDirectory); // a configured dev chain's first use
        var record = recordPath is null ? null : DeploymentRecord.Read(recordPath);
        var rpc = new LedgerRpc(rpcUrl, timeouts ?? LedgerTimeouts.Default) { PersistTo = state };
        var probe = new LedgerConnection(rpcUrl, chainId, relayer, new DeployedContracts(chainId, new Dictionary<string, string>(), 0), rpc);
        if (record is not null && record.ChainId == chainId && await AllDeployedAsync(probe, record))
            return new LedgerConnection(rpcUrl, chainId, relayer, new DeployedContracts(chainId, record.Contracts, record.DeploymentBlock), rpc);

        var addresses = new Dictionary<string, string>(StringComparer.Ordinal);
        long firstBlock = 0;
        foreach (var name in AutoDeployed)
        {
            var (address, block) = await probe.DeployAsync(ContractArtifact.Load(name));
            addresses[name] = address;
            if (firstBlock == 0) firstBlock = block;
        }
        var fresh = new DeploymentRecord(chainId, addresses, firstBlock);
        if (recordPath is not null) fresh.Write(recordPath);
        return new LedgerConnection(rpcUrl, chainId, relayer, new DeployedContracts(chainId, addresses, firstBlock), rpc);
    }

    /// <summary>The deployment recorded in a data directory (null when none): for read-only clients that need no relayer.</summary>
    public static DeployedContracts? ReadDeployment(string dataDirectory) =>
        DeploymentRecord.Read(Path.Combine(dataDirectory, "deployment.json")) is { } r ? new DeployedContracts(r.ChainId, r.Contracts, r.DeploymentBlock) : null;

    /// <summary>Records a deployment in a data directory, where <see cref="ConnectDevAsync"/> and <see cref="ReadDeployment"/> find it.</summary>
    public static void RecordDeployment(string dataDirectory, DeployedContracts contracts)
    {
        Directory.CreateDirectory(dataDirectory);
        new DeploymentRecord(contracts.ChainId, new Dictionary<string, string>(contracts.Addresses, StringComparer.Ordinal), contracts.DeploymentBlock)
            .Write(Path.Combine(dataDirectory, "deployment.json"));
    }

    private static async Task<bool> AllDeployedAsync(LedgerConnection probe, DeploymentRecord record)
    {
        foreach (var name in AutoDeployed)
            if (!record.Contracts.TryGetValue(name, out var address) || !await probe.HasCodeAsync(address))
                return false;
        return true;
    }

    public ValueTask DisposeAsync() => Anvil.DisposeAsync();
}
