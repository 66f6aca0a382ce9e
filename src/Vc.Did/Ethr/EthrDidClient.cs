using Vc.Did.Core;
using Vc.Did.Ledger;

namespace Vc.Did.Ethr;

/// <summary>
/// One did:ethr network ready to use: an indexed resolver (SQLite at <see cref="IndexPath"/>, or in memory) and,
/// when a relayer is available, a writer. What a CLI command or the node opens once.
/// </summary>
public sealed class EthrDidClient : IAsyncDisposable
{
    private readonly LedgerRpc _rpc;

    private EthrDidClient(EthrNetwork network, LedgerRpc rpc, EthrEventIndex index, EthrDidWriter? writer, string indexPath, TimeProvider? clock)
    {
        Network = network;
        _rpc = rpc;
        Index = index;
        Writer = writer;
        IndexPath = indexPath;
        Resolver = new EthrDidResolver(network, index, clock);
    }

    public EthrNetwork Network { get; }
    public EthrEventIndex Index { get; }
    public EthrDidResolver Resolver { get; }
    /// <summary>Null when opened read-only (no relayer).</summary>
    public EthrDidWriter? Writer { get; }
    public string IndexPath { get; }

    /// <summary>
    /// Opens the registry of a ledger connection (e.g. the embedded node) with its funded relayer as writer;
    /// <paramref name="clock"/> is the resolver's and the index's "now" (default the system clock).
    /// </summary>
    public static Task<EthrDidClient> OpenAsync(LedgerConnection ledger, string networkName = "anvil", string? indexPath = null, EthrIndexOptions? options = null,
        TimeProvider? clock = null)
    {
        var network = new EthrNetwork(networkName, ledger.ChainId, ledger.RpcUrl, ledger.Contracts[ContractArtifact.DidRegistry])
        { StartBlock = ledger.Contracts.DeploymentBlock };
        var writer = new EthrDidWriter(ledger.Web3, ledger.RelayerAddress, network.RegistryAddress, ledger.ChainId, ledger.Receipts);
        return OpenAsync(network, writer, indexPath, options, clock);
    }

    /// <summary>Opens any node and registry for resolution only (--rpc URL --registry ADDRESS); reads the chain id from the node.</summary>
    public static async Task<EthrDidClient> OpenReadOnlyAsync(Uri rpcUrl, string registryAddress, string networkName, string? indexPath = null,
        EthrIndexOptions? options = null, TimeProvider? clock = null, CancellationToken ct = default)
    {
        using var probe = new LedgerRpc(rpcUrl);
        var chainId = ChainReads.Quantity(await probe.Client.CallAsync<Nethereum.Hex.HexTypes.HexBigInteger>(ChainReads.ChainId(), ct), "eth_chainId", "result");
        return await OpenAsync(new EthrNetwork(networkName, chainId, rpcUrl, registryAddress), null, indexPath, options, clock);
    }

    private static async Task<EthrDidClient> OpenAsync(EthrNetwork network, EthrDidWriter? writer, string? indexPath, EthrIndexOptions? options, TimeProvider? clock)
    {
        var rpc = new LedgerRpc(network.RpcUrl);
        try
        {
            var index = await EthrEventIndex.OpenAsync(indexPath ?? ":memory:", rpc.Client, network, options, clock);
            return new EthrDidClient(network, rpc, index, writer, indexPath ?? ":memory:", clock);
        }
        catch
        {
            rpc.Dispose();
            throw;
        }
    }

    /// <summary>Resolves a DID URL and returns the result JSON exactly as the reference resolver prints it.</summary>
    public async Task<(DidResolutionResult Result, string Json)> ResolveJsonAsync(string didUrl, CancellationToken ct = default)
    {
        var result = await Resolver.ResolveAsync(didUrl, null, ct);
        return (result, result.ToJson());
    }

    public async ValueTask DisposeAsync()
    {
        await Index.DisposeAsync();
        _rpc.Dispose();
    }
}
