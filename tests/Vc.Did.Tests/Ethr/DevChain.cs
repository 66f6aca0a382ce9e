using System.Text.RegularExpressions;
using Nethereum.Hex.HexTypes;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Vc.Did.Ethr;
using Vc.Did.Ledger;

namespace Vc.Did.Tests.Ethr;

/// <summary>Anvil's well-known development accounts (test code only: these keys are public).</summary>
public static class DevAccounts
{
    public static readonly string[] Keys =
    [
        "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
        "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
        "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
        "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
        "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
        "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
    ];

    public static EthrIdentity Identity(int index) => EthrIdentity.FromPrivateKey(Keys[index]);
    public static string Address(int index) => Identity(index).Address;
}

/// <summary>Helpers for tests that need their own fresh chain or extra contracts.</summary>
public static partial class DevChain
{
    public const long ChainId = 31337;

    public static Web3 Web3For(Uri rpc, int account)
    {
        var web3 = new Web3(new Account(DevAccounts.Keys[account], ChainId), rpc.ToString());
        web3.TransactionManager.UseLegacyAsDefault = false;
        return web3;
    }

    public static async Task<(string Address, long Block)> DeployAsync(Web3 web3, string abi, string bytecode)
    {
        var receipt = await web3.Eth.DeployContract.SendRequestAndWaitForReceiptAsync(abi, bytecode,
            web3.TransactionManager.Account.Address, new HexBigInteger(8_000_000), null);
        Assert.Equal(1, (int)receipt.Status.Value);
        return (receipt.ContractAddress, (long)receipt.BlockNumber.Value);
    }

    public static async Task<long> BlockTimeAsync(Uri rpc, long block)
    {
        using var http = new LedgerRpc(rpc);
        return ChainReads.Header(await http.Client.CallAsync<Nethereum.RPC.Eth.DTOs.BlockWithTransactionHashes?>(ChainReads.Block(block)), block)!.Timestamp;
    }

    /// <summary>
    /// Moves the chain's clock on by <paramref name="seconds"/> and mines a block (evm_increaseTime + evm_mine): the
    /// next change lands in a later second without waiting for the wall clock.
    /// </summary>
    public static async Task AdvanceAsync(Uri rpc, long seconds)
    {
        await RpcAsync(rpc, "evm_increaseTime", seconds);
        await RpcAsync(rpc, "evm_mine");
    }

    public static async Task<string> RpcAsync(Uri rpc, string method, params object?[] args)
    {
        using var http = new LedgerRpc(rpc);
        var result = await http.Client.CallAsync<Newtonsoft.Json.Linq.JToken?>(new Nethereum.JsonRpc.Client.RpcRequest(1, method, args));
        return result?.ToString(Newtonsoft.Json.Formatting.None) ?? "null";
    }

    /// <summary>Timestamps differ per run: blank them out before comparing with golden files.</summary>
    public static string WithoutTimes(string json) => TimeField().Replace(json.ReplaceLineEndings("\n").TrimEnd(), "\"$1\": \"<time>\"");

    [GeneratedRegex("\"(updated|nextUpdate|indexedBlockTime|lastSyncedAt)\": \"[^\"]*\"")]
    private static partial Regex TimeField();

    public static ContractArtifact ReferenceRegistry()
    {
        var path = Path.Combine(Vc.TestSupport.TestPaths.RepoRoot, "tools", "js", "node_modules", "ethr-did-registry", "artifacts",
            "contracts", "EthereumDIDRegistry.sol", "EthereumDIDRegistry.json");
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        var r = doc.RootElement;
        return new ContractArtifact("ReferenceEthereumDIDRegistry", r.GetProperty("abi").GetRawText(),
            r.GetProperty("bytecode").GetString()!, r.GetProperty("deployedBytecode").GetString()!, "npm ethr-did-registry 1.3.0");
    }
}
