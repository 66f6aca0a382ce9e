using System.Numerics;
using System.Text.Json;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.Signer;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;

namespace Vc.Did.Ledger;

/// <summary>Addresses of our deployed contracts on one chain, and the block they were deployed in.</summary>
public sealed record DeployedContracts(long ChainId, IReadOnlyDictionary<string, string> Addresses, long DeploymentBlock)
{
    public string this[string name] => Addresses.TryGetValue(name, out var a)
        ? a
        : throw new LedgerException(LedgerError.ArtifactMissing, $"contract {name} is not deployed on chain {ChainId}");
}

/// <summary>
/// A connection to an Ethereum-compatible node (Anvil, Hardhat, geth, Besu) with a relayer account that
/// pays for transactions, so issuers themselves need no ether (they sign; the relayer submits).
/// </summary>
public sealed class LedgerConnection
{
    private readonly Account _relayer;
    public Uri RpcUrl { get; }
    public long ChainId { get; }
    public Web3 Web3 { get; }
    /// <summary>Address of the account that submits (and pays for) transactions.</summary>
    public string RelayerAddress { get; }
    public DeployedContracts Contracts { get; }

    internal LedgerConnection(Uri rpcUrl, long chainId, Account relayer, DeployedContracts contracts)
    {
        RpcUrl = rpcUrl;
        ChainId = chainId;
        _relayer = relayer;
        RelayerAddress = relayer.Address;
        Contracts = contracts;
        Web3 = new Web3(relayer, rpcUrl.ToString());
        Web3.TransactionManager.UseLegacyAsDefault = false;
    }

    /// <summary>The same connection with one contract address replaced (e.g. a registry deployed elsewhere).</summary>
    public LedgerConnection WithContract(string name, string address)
    {
        var addresses = new Dictionary<string, string>(Contracts.Addresses, StringComparer.Ordinal) { [name] = address };
        return new LedgerConnection(RpcUrl, ChainId, _relayer, Contracts with { Addresses = addresses });
    }

    public async Task<long> BlockNumberAsync() => (long)(await Web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;

    /// <summary>Connects to a configured node with a relayer key and known contract addresses.</summary>
    public static async Task<LedgerConnection> ConnectAsync(Uri rpcUrl, EthECKey relayerKey, IReadOnlyDictionary<string, string> addresses, long deploymentBlock = 0)
    {
        var chainId = await ReadChainIdAsync(rpcUrl);
        var relayer = new Account(relayerKey, chainId);
        return new LedgerConnection(rpcUrl, chainId, relayer, new DeployedContracts(chainId, addresses, deploymentBlock));
    }

    public static async Task<long> ReadChainIdAsync(Uri rpcUrl)
    {
        try
        {
            var web3 = new Web3(rpcUrl.ToString());
            return (long)(await web3.Eth.ChainId.SendRequestAsync()).Value;
        }
        catch (Exception e) when (e is RpcClientUnknownException or RpcClientTimeoutException or HttpRequestException)
        {
            throw new LedgerException(LedgerError.Unreachable, $"no Ethereum node answers at {rpcUrl}", e);
        }
    }

    /// <summary>Deploys a contract from its artifact; returns its address and the deployment block.</summary>
    public async Task<(string Address, long Block)> DeployAsync(ContractArtifact artifact, params object[] constructorArgs)
    {
        var receipt = await Web3.Eth.DeployContract.SendRequestAndWaitForReceiptAsync(
            artifact.Abi, artifact.Bytecode, RelayerAddress, new HexBigInteger(8_000_000), null, constructorArgs);
        if (receipt.Status?.Value != BigInteger.One || string.IsNullOrEmpty(receipt.ContractAddress))
            throw new LedgerException(LedgerError.DeploymentFailed, $"deployment of {artifact.Name} failed (tx {receipt.TransactionHash})");
        return (receipt.ContractAddress, (long)receipt.BlockNumber.Value);
    }

    /// <summary>Whether runtime code exists at an address (a persisted deployment survived).</summary>
    public async Task<bool> HasCodeAsync(string address)
    {
        var code = await Web3.Eth.GetCode.SendRequestAsync(address);
        return code is { Length: > 2 };
    }

    internal static async Task FundOnDevChainAsync(Uri rpcUrl, string address, BigInteger wei)
    {
        var client = new Web3(rpcUrl.ToString()).Client;
        await client.SendRequestAsync(new RpcRequest(1, "anvil_setBalance", address, new HexBigInteger(wei).HexValue));
    }
}

/// <summary>The deployment record kept in a data directory so a restarted node finds its contracts again.</summary>
internal sealed record DeploymentRecord(long ChainId, Dictionary<string, string> Contracts, long DeploymentBlock)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    public static DeploymentRecord? Read(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<DeploymentRecord>(File.ReadAllText(path), Json) : null;
    public void Write(string path)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(this, Json));
        File.Move(tmp, path, overwrite: true);
    }
}
