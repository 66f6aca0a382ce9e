namespace Vc.Did.Ledger;

/// <summary>
/// Ledger time is counted in whole seconds of block timestamps, and a dev chain mining a burst of writes stamps blocks
/// ahead of the wall clock (Hardhat Network a second apart). Whatever counts from a block's second — a published key,
/// a registry entry, a rotation after a proof — is only safely in the past once that second has passed. The one rule
/// for waiting on it.
/// </summary>
public static class ChainClock
{
    /// <summary>The longest wait: a chain further ahead than this is not waited for (the caller's check decides).</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    /// <summary>Waits on <paramref name="time"/> until the second of <paramref name="blockTime"/> has passed (at most <see cref="MaxWait"/>).</summary>
    public static async Task WaitPastAsync(DateTimeOffset blockTime, TimeProvider time, CancellationToken ct = default)
    {
        var wait = DateTimeOffset.FromUnixTimeSeconds(blockTime.ToUnixTimeSeconds() + 1) - time.GetUtcNow();
        if (wait > TimeSpan.Zero) await Task.Delay(wait < MaxWait ? wait : MaxWait, time, ct).ConfigureAwait(false);
    }
}
