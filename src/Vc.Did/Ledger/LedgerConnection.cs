using System.Numerics;
using System.Text.Json;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
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
    /// <summary>The transport every client of this connection sends through (timeouts, size cap, typed errors).</summary>
    public LedgerRpc Rpc { get; }
    /// <summary>How long writers look for receipts.</summary>
    public ReceiptPolicy Receipts { get; init; } = ReceiptPolicy.Default;
    public long ChainId { get; }
    public Web3 Web3 { get; }
    /// <summary>Address of the account that submits (and pays for) transactions.</summary>
    public string RelayerAddress { get; }
    public DeployedContracts Contracts { get; }

    internal LedgerConnection(Uri rpcUrl, long chainId, Account relayer, DeployedContracts contracts, LedgerRpc? rpc = null)
    {
        RpcUrl = rpcUrl;
        ChainId = chainId;
        _relayer = relayer;
        RelayerAddress = relayer.Address;
        Contracts = contracts;
        Rpc = rpc ?? new LedgerRpc(rpcUrl);
        Web3 = Web3On(relayer);
    }

    /// <summary>A Web3 on this connection's transport whose account (e.g. an actor's own key) signs transactions.</summary>
    public Web3 Web3On(Account account)
    {
        var web3 = new Web3(account, Rpc.Client);
        web3.TransactionManager.UseLegacyAsDefault = false;
        return web3;
    }

    /// <summary>The same connection with one contract address replaced (e.g. a registry deployed elsewhere).</summary>
    public LedgerConnection WithContract(string name, string address)
    {
        var addresses = new Dictionary<string, string>(Contracts.Addresses, StringComparer.Ordinal) { [name] = address };
        // A contract deployed elsewhere was not deployed at our deployment block: its logs are read from genesis
        // (reading from our block would miss every event before it, e.g. a DID another replica created).
        var same = Contracts.Addresses.TryGetValue(name, out var current) && string.Equals(current, address, StringComparison.OrdinalIgnoreCase);
        return new LedgerConnection(RpcUrl, ChainId, _relayer, Contracts with { Addresses = addresses, DeploymentBlock = same ? Contracts.DeploymentBlock : 0 }, Rpc) { Receipts = Receipts };
    }

    /// <summary>The same connection with another receipt policy (e.g. a confirmation depth for a production chain).</summary>
    public LedgerConnection WithReceipts(ReceiptPolicy receipts) => new(RpcUrl, ChainId, _relayer, Contracts, Rpc) { Receipts = receipts };

    public async Task<long> BlockNumberAsync() =>
        (long)(await Rpc.Client.CallAsync<HexBigInteger>(new RpcRequest(1, "eth_blockNumber"))).Value;

    /// <summary>Connects to a configured node with a relayer key and known contract addresses.</summary>
    public static async Task<LedgerConnection> ConnectAsync(Uri rpcUrl, EthECKey relayerKey, IReadOnlyDictionary<string, string> addresses, long deploymentBlock = 0, LedgerTimeouts? timeouts = null)
    {
        var chainId = await ReadChainIdAsync(rpcUrl);
        var relayer = new Account(relayerKey, chainId);
        return new LedgerConnection(rpcUrl, chainId, relayer, new DeployedContracts(chainId, addresses, deploymentBlock), new LedgerRpc(rpcUrl, timeouts ?? LedgerTimeouts.Default));
    }

    public static async Task<long> ReadChainIdAsync(Uri rpcUrl)
    {
        using var rpc = new LedgerRpc(rpcUrl);
        try { return (long)(await rpc.Client.CallAsync<HexBigInteger>(new RpcRequest(1, "eth_chainId"))).Value; }
        catch (LedgerException e) when (e.Error is LedgerError.Unreachable or LedgerError.Timeout or LedgerError.HttpStatus)
        {
            throw new LedgerException(LedgerError.Unreachable, $"no Ethereum node answers at {rpcUrl}", e);
        }
    }

    /// <summary>Deploys a contract from its artifact; returns its address and the deployment block.</summary>
    public Task<(string Address, long Block)> DeployAsync(ContractArtifact artifact, params object[] constructorArgs) =>
        // Without arguments the creation code is the bytecode itself (Nethereum's encoder wants a constructor in the ABI).
        DeployAsync(artifact.Name, constructorArgs.Length == 0 ? artifact.Bytecode : Web3.Eth.DeployContract.GetData(artifact.Bytecode, artifact.Abi, constructorArgs));

    /// <summary>Deploys creation code (bytecode + encoded constructor arguments, e.g. a generated deployment message's).</summary>
    public async Task<(string Address, long Block)> DeployAsync(string name, string deploymentData, CancellationToken ct = default)
    {
        TransactionReceipt receipt;
        try { receipt = await LedgerTransactions.SendAsync(Web3, RelayerAddress, null, deploymentData, Receipts, ct); }
        catch (Exception e) when (e is not LedgerException and not OperationCanceledException)
        {
            throw new LedgerException(LedgerError.DeploymentFailed, $"deployment of {name} failed: {e.Message}", e);
        }
        if (receipt.Status?.Value != BigInteger.One || string.IsNullOrEmpty(receipt.ContractAddress))
            throw new LedgerException(LedgerError.DeploymentFailed, $"deployment of {name} failed (tx {receipt.TransactionHash})");
        return (receipt.ContractAddress, (long)receipt.BlockNumber.Value);
    }

    /// <summary>Whether runtime code exists at an address (a persisted deployment survived).</summary>
    public async Task<bool> HasCodeAsync(string address)
    {
        var code = await Rpc.Client.CallAsync<string>(new RpcRequest(1, "eth_getCode", address, "latest"));
        return code is { Length: > 2 };
    }

    /// <summary>
    /// Gives an account dev ether on Anvil or Hardhat Network (their setBalance). Any other chain is refused: there a
    /// relayer key with real funds is configured instead (VCHEALTH_RELAYER_KEY).
    /// </summary>
    internal static async Task FundOnDevChainAsync(Uri rpcUrl, string address, BigInteger wei)
    {
        using var rpc = new LedgerRpc(rpcUrl);
        var kind = await DevChainKind.DetectAsync(rpc) ?? throw new LedgerException(LedgerError.NotDevChain,
            $"the chain at {rpcUrl} is not a development chain (Anvil, Hardhat Network): configure a funded relayer key (VCHEALTH_RELAYER_KEY) and deployed contracts");
        await rpc.Client.CallAsync<object>(new RpcRequest(1, kind.Method("setBalance"), address, new HexBigInteger(wei).HexValue));
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
