using System.Numerics;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.Signer;
using Nethereum.Util;
using Vc.Did.Ledger;
using Vc.Trust;

namespace Vc.Agent;

/// <summary>One of our contracts on a chain: where, since which block, and whether this call deployed it.</summary>
public sealed record DeployedContract(string Address, long Block, bool DeployedNow);

/// <summary>What `vchealth ledger deploy` found or deployed on a chain.</summary>
public sealed record LedgerDeploymentResult(long ChainId, string Deployer, string Anchor,
    DeployedContract EthereumDIDRegistry, DeployedContract TrustRegistry);

/// <summary>
/// Deploys our contracts (the ERC-1056 DID registry and the trust registry) on any EVM chain with a funded key, once:
/// a second call finds them and deploys nothing. Finding them needs no file: the contracts a key created sit at the
/// CREATE addresses keccak(rlp(deployer, nonce)) of its past nonces (Ethereum Yellow Paper §7), and our contracts have
/// no immutables, so their runtime code equals the artifact's deployed bytecode exactly. The result is also recorded
/// in the data directory so later commands with the same --rpc find the contracts without --registry.
/// </summary>
public static class LedgerDeployment
{
    /// <summary>Past nonces searched for an earlier deployment (a deploy key is a dedicated key with few transactions).</summary>
    private const int MaxNoncesSearched = 256;

    public static async Task<LedgerDeploymentResult> DeployAsync(LedgerSettings settings, EthECKey key, string? anchor, CancellationToken ct = default)
    {
        var rpcUrl = settings.RpcUrl ?? throw new ArgumentException("ledger deploy needs a configured chain (--rpc URL)", nameof(settings));
        var connection = await LedgerConnection.ConnectAsync(rpcUrl, key, new Dictionary<string, string>());
        var deployer = key.GetPublicAddress();
        anchor ??= deployer;
        if (!AddressUtil.Current.IsValidEthereumAddressHexFormat(anchor))
            throw new ArgumentException($"--anchor must be an Ethereum address, got '{anchor}'", nameof(anchor));

        var didArtifact = ContractArtifact.Load(ContractArtifact.DidRegistry);
        var trustArtifact = ContractArtifact.Load(TrustRegistryClient.ArtifactName);
        var did = await FindAsync(connection, deployer, didArtifact, _ => Task.FromResult(true), ct);
        var trust = await FindAsync(connection, deployer, trustArtifact,
            async address => AddressUtil.Current.AreAddressesTheSame(await AnchorOfAsync(connection, trustArtifact, address), anchor), ct);

        if (did is null)
        {
            var (address, block) = await connection.DeployAsync(didArtifact);
            did = new DeployedContract(Checksum(address), block, true);
        }
        if (trust is null)
        {
            var (client, block) = await TrustRegistryClient.DeployAsync(connection, anchor);
            trust = new DeployedContract(Checksum(client.Address), block, true);
        }

        // Recorded where the node and the CLI look for a configured chain's contracts (ledger-<port>/).
        var folder = Path.Combine(settings.DataDirectory, "ledger-" + rpcUrl.Port);
        LedgerHost.RecordDeployment(folder, new DeployedContracts(connection.ChainId,
            new Dictionary<string, string> { [ContractArtifact.DidRegistry] = did.Address }, did.Block));
        await new TrustRegistryRecord(connection.ChainId, trust.Address, trust.Block, anchor).WriteAsync(settings);
        return new LedgerDeploymentResult(connection.ChainId, deployer, anchor, did, trust);
    }

    /// <summary>An earlier deployment of <paramref name="artifact"/> by <paramref name="deployer"/> that <paramref name="accept"/>s, or null.</summary>
    private static async Task<DeployedContract?> FindAsync(LedgerConnection connection, string deployer, ContractArtifact artifact,
        Func<string, Task<bool>> accept, CancellationToken ct)
    {
        var nonce = (long)(await connection.Rpc.Client.CallAsync<HexBigInteger>(new RpcRequest(1, "eth_getTransactionCount", deployer, "latest"), ct)).Value;
        var runtime = Normalise(artifact.DeployedBytecode);
        for (long n = 0; n < Math.Min(nonce, MaxNoncesSearched); n++)
        {
            var address = ContractUtils.CalculateContractAddress(deployer, new BigInteger(n));
            var code = await connection.Rpc.Client.CallAsync<string>(new RpcRequest(1, "eth_getCode", address, "latest"), ct);
            if (Normalise(code) == runtime && await accept(address))
                return new DeployedContract(Checksum(address), await CreationBlockAsync(connection, address, ct), false);
        }
        return null;
    }

    /// <summary>
    /// The block that created the code at <paramref name="address"/>: a binary search over eth_getCode at past blocks
    /// (≈ log2(height) calls). A node that keeps no past state answers with an error; block 0 is then the safe answer
    /// (event scans start earlier than needed, never later).
    /// </summary>
    private static async Task<long> CreationBlockAsync(LedgerConnection connection, string address, CancellationToken ct)
    {
        long low = 0, high = await connection.BlockNumberAsync();
        try
        {
            while (low < high)
            {
                var mid = low + (high - low) / 2;
                var code = await connection.Rpc.Client.CallAsync<string>(new RpcRequest(1, "eth_getCode", address, new HexBigInteger(mid).HexValue), ct);
                if (code is { Length: > 2 }) high = mid; else low = mid + 1;
            }
            return low;
        }
        catch (LedgerException e) when (e.Error == LedgerError.RpcError) { return 0; }
    }

    private static async Task<string> AnchorOfAsync(LedgerConnection connection, ContractArtifact artifact, string address) =>
        await connection.Web3.Eth.GetContract(artifact.Abi, address).GetFunction("anchor").CallAsync<string>();

    private static string Checksum(string address) => AddressUtil.Current.ConvertToChecksumAddress(address);

    private static string Normalise(string? hex) => (hex ?? "").StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex![2..].ToLowerInvariant() : (hex ?? "").ToLowerInvariant();
}
