using Nethereum.JsonRpc.Client;

namespace Vc.Did.Ledger;

/// <summary>
/// The development Ethereum implementations we run on, told apart by <c>web3_clientVersion</c>. Their non-standard
/// methods (balance, mining, time) differ only in prefix: Anvil answers <c>anvil_*</c>, Hardhat Network
/// <c>hardhat_*</c>; both answer the <c>evm_*</c> family (evm_mine, evm_increaseTime, evm_snapshot, evm_revert).
/// Any other client (geth, Besu, a public network) is a production chain: its relayer pays with real funds.
/// </summary>
public sealed record DevChainKind(string Name, string MethodPrefix)
{
    public static DevChainKind Anvil { get; } = new("anvil", "anvil_");
    public static DevChainKind Hardhat { get; } = new("hardhat", "hardhat_");

    /// <summary>The kind named by a client version string ("anvil/v1.7.1", "HardhatNetwork/2.29.1/…"), or null.</summary>
    public static DevChainKind? FromClientVersion(string? version) => version switch
    {
        not null when version.StartsWith("anvil/", StringComparison.OrdinalIgnoreCase) => Anvil,
        not null when version.StartsWith("HardhatNetwork/", StringComparison.OrdinalIgnoreCase) => Hardhat,
        _ => null,
    };

    /// <summary>Asks the node which implementation it is; null for a non-development chain.</summary>
    public static async Task<DevChainKind?> DetectAsync(LedgerRpc rpc, CancellationToken ct = default) =>
        FromClientVersion(await rpc.Client.CallAsync<string>(new RpcRequest(1, "web3_clientVersion"), ct));

    /// <summary>The method name of a dev-only operation ("setBalance", "mine", …) on this implementation.</summary>
    public string Method(string operation) => MethodPrefix + operation;
}
