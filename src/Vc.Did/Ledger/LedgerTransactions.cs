using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace Vc.Did.Ledger;

/// <summary>How long to look for a transaction's receipt: a number of lookups, paced on an injected clock.</summary>
public sealed record ReceiptPolicy
{
    public static ReceiptPolicy Default { get; } = new();
    /// <summary>Receipt lookups before giving up (a dev chain mines on submission: the first one answers).</summary>
    public int MaxAttempts { get; init; } = 600;
    /// <summary>Pause between two lookups, on <see cref="Clock"/>.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);
    public TimeProvider Clock { get; init; } = TimeProvider.System;
    /// <summary>
    /// Blocks that must follow a transaction's block before it counts as done (0: its receipt suffices, as on a dev
    /// chain). A block replaced by a reorganisation meanwhile sends the wait back to the new receipt.
    /// </summary>
    public int Confirmations { get; init; }
}

/// <summary>Sending a transaction, shared by every ledger writer (DID registry, trust registry, deployments).</summary>
public static class LedgerTransactions
{
    /// <summary>
    /// Estimates gas first (a reverting call fails there, with its revert data, before anything is sent), sends from
    /// <paramref name="from"/> (the web3's account signs), and waits for the receipt. <paramref name="to"/> null deploys.
    /// Nethereum's exceptions pass through: each writer maps them to its own typed error.
    /// </summary>
    public static async Task<TransactionReceipt> SendAsync(IWeb3 web3, string from, string? to, string data, ReceiptPolicy? policy = null, CancellationToken ct = default)
    {
        var estimate = await web3.Eth.Transactions.EstimateGas.SendRequestAsync(new CallInput { From = from, To = to, Data = data }).WaitAsync(ct);
        var tx = new TransactionInput { From = from, To = to, Data = data, Gas = new HexBigInteger(estimate.Value * 6 / 5 + 10_000) };
        var hash = await web3.Eth.TransactionManager.SendTransactionAsync(tx).WaitAsync(ct);
        return await WaitForReceiptAsync(web3, hash, policy, ct);
    }

    /// <summary>Looks the receipt up at most <see cref="ReceiptPolicy.MaxAttempts"/> times (typed <see cref="LedgerError.ReceiptMissing"/> after).</summary>
    public static async Task<TransactionReceipt> WaitForReceiptAsync(IWeb3 web3, string transactionHash, ReceiptPolicy? policy = null, CancellationToken ct = default)
    {
        policy ??= ReceiptPolicy.Default;
        for (var attempt = 1; ; attempt++)
        {
            var receipt = await web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(transactionHash).WaitAsync(ct);
            if (receipt is not null && (policy.Confirmations <= 0 || await ConfirmedAsync(web3, receipt, policy.Confirmations, ct))) return receipt;
            if (attempt >= policy.MaxAttempts)
                throw new LedgerException(LedgerError.ReceiptMissing, receipt is null
                    ? $"no receipt for {transactionHash} after {attempt} lookups"
                    : $"{transactionHash} has fewer than {policy.Confirmations} confirmations after {attempt} lookups");
            await Task.Delay(policy.PollInterval, policy.Clock, ct);
        }
    }

    /// <summary>
    /// Whether <paramref name="confirmations"/> blocks follow the receipt's block and that block is still the chain's
    /// block at its height (not reorganised away: the receipt would then move, and the caller looks it up again).
    /// </summary>
    private static async Task<bool> ConfirmedAsync(IWeb3 web3, TransactionReceipt receipt, int confirmations, CancellationToken ct)
    {
        var head = await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync().WaitAsync(ct);
        if (head.Value < receipt.BlockNumber.Value + confirmations) return false;
        var block = await web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new BlockParameter(receipt.BlockNumber)).WaitAsync(ct);
        return block is not null && string.Equals(block.BlockHash, receipt.BlockHash, StringComparison.OrdinalIgnoreCase);
    }
}
