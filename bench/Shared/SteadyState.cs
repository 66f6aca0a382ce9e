using System.Diagnostics;

/// <summary>What the benchmarks share: measuring in the steady state of the runtime, as a long-running node runs.</summary>
internal static class SteadyState
{
    /// <summary>
    /// Runs <paramref name="action"/> for at least a second, then until the JIT has compiled nothing new for half a second
    /// (tiered compilation keeps promoting hot methods for a few seconds, on a background thread whose CPU time would
    /// otherwise be charged to the operation; with precompiled framework code it takes longest). At most 20 s.
    /// </summary>
    public static async Task WarmUpAsync(Func<Task> action)
    {
        var warm = Stopwatch.StartNew();
        var quiet = Stopwatch.StartNew();
        var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        while (warm.Elapsed.TotalSeconds < 20)
        {
            await action();
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now != compiled) { compiled = now; quiet.Restart(); }
            else if (warm.Elapsed.TotalSeconds >= 1 && quiet.Elapsed.TotalSeconds >= 0.5) break;
        }
    }
}
