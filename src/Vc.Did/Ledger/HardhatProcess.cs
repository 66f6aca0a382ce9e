using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Vc.Did.Ledger;

/// <summary>Options for a local Hardhat Network node (the second Ethereum implementation the ledger code is tested on).</summary>
public sealed record HardhatOptions
{
    /// <summary>Timestamp of the chain's first block; later blocks follow the wall clock from there. Default: the wall clock at start.</summary>
    public DateTimeOffset? GenesisTime { get; init; }
    /// <summary>The tools/ledger folder holding the pinned Hardhat install and its config (default: found above the app or cwd).</summary>
    public string? ToolsDirectory { get; init; }
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

/// <summary>
/// A Hardhat Network node (npm hardhat, pinned in tools/ledger) on a free loopback port, guarded like
/// <see cref="AnvilProcess"/>: it stops when this process ends. Hardhat differs from Anvil where the ledger code must
/// not care: dev methods are hardhat_* (see <see cref="DevChainKind"/>), blocks get strictly increasing timestamps, and
/// its clock starts from its configuration's load, seconds before it serves (its start-up time): the chain clock runs
/// behind the wall clock by that much unless a genesis time is given (then it runs from there).
/// </summary>
public sealed partial class HardhatProcess : IAsyncDisposable
{
    private const string RelativeTools = "tools/ledger";
    private readonly Process _process;
    private int _stopped;

    public Uri RpcUrl { get; }

    private HardhatProcess(Process process, Uri rpcUrl)
    {
        _process = process;
        RpcUrl = rpcUrl;
    }

    public static async Task<HardhatProcess> StartAsync(HardhatOptions? options = null, CancellationToken ct = default)
    {
        options ??= new HardhatOptions();
        var tools = options.ToolsDirectory ?? LocateTools();
        var psi = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            // Hardhat insists on being run from the project that installs it.
            WorkingDirectory = tools,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(AnvilProcess.GuardScript);
        psi.ArgumentList.Add(Path.Combine(tools, "node_modules", ".bin", "hardhat"));
        foreach (var a in new[] { "--config", "hardhat.config.cjs", "node", "--hostname", "127.0.0.1", "--port", "0" }) psi.ArgumentList.Add(a);
        // Read by hardhat.config.cjs: a genesis date before the wanted clock, which block 1 then sets (StartClockAsync).
        if (options.GenesisTime is { } genesis)
            psi.Environment["VCHEALTH_HARDHAT_INITIAL_DATE"] = genesis.AddMinutes(-1).UtcDateTime.ToString("O");

        var process = Process.Start(psi) ?? throw new LedgerException(LedgerError.ProcessFailed, "could not start hardhat");
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(options.StartTimeout, options.Clock);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        Uri? url = null;
        try
        {
            while (url is null)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new LedgerException(LedgerError.ProcessFailed, "hardhat exited during start: " + Tail(stderr));
                if (ServerLine().Match(line) is { Success: true } m) url = new Uri(m.Groups[1].Value);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new LedgerException(LedgerError.ProcessFailed, $"hardhat did not start within {options.StartTimeout}: " + Tail(stderr));
        }
        // Hardhat logs every call on stdout: keep draining so it never blocks on a full pipe.
        _ = DrainAsync(process.StandardOutput);
        var node = new HardhatProcess(process, url);
        try { await node.StartClockAsync(options.GenesisTime, options.Clock, timeout.Token); }
        catch { await node.DisposeAsync(); throw; }
        return node;

        static string Tail(System.Text.StringBuilder sb) { lock (sb) return sb.Length > 600 ? sb.ToString()[^600..] : sb.ToString(); }
    }

    /// <summary>
    /// Sets the chain's clock (evm_setNextBlockTimestamp; nothing is mined, so block numbers are as on Anvil): to the
    /// given genesis time, or else to the wall clock, set just after a second begins so that blocks are stamped with the
    /// wall clock's second as Anvil stamps them. Hardhat's own clock starts at its configuration's load, seconds before
    /// it serves; a chain clock behind the wall clock would date a key rotation before the proofs made just before it.
    /// </summary>
    private async Task StartClockAsync(DateTimeOffset? genesis, TimeProvider clock, CancellationToken ct)
    {
        using var rpc = new LedgerRpc(RpcUrl, TimeSpan.FromSeconds(10));
        var time = genesis;
        if (time is null)
        {
            var now = clock.GetUtcNow();
            await Task.Delay(TimeSpan.FromMilliseconds(1000 - now.Millisecond), clock, ct);
            time = clock.GetUtcNow();
        }
        // Hardhat refuses a next block in the second of the last one (its genesis, stamped at its start, may be this one).
        var latest = await rpc.Client.CallAsync<Nethereum.RPC.Eth.DTOs.BlockWithTransactionHashes>(ChainReads.LatestBlock(), ct);
        var next = Math.Max(time.Value.ToUnixTimeSeconds(), (long)latest.Timestamp.Value + 1);
        await rpc.Client.CallAsync<object>(new Nethereum.JsonRpc.Client.RpcRequest(1, "evm_setNextBlockTimestamp", next), ct);
    }

    /// <summary>tools/ledger (with Hardhat installed) above the app or the current directory.</summary>
    public static string LocateTools()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, RelativeTools);
                if (File.Exists(Path.Combine(candidate, "node_modules", ".bin", "hardhat"))) return candidate;
            }
        throw new LedgerException(LedgerError.ToolMissing, $"hardhat not found: run 'npm ci --ignore-scripts' in {RelativeTools}");
    }

    private static async Task DrainAsync(StreamReader reader)
    {
        try { while (await reader.ReadLineAsync() is not null) { } } catch (IOException) { } catch (ObjectDisposedException) { }
    }

    /// <summary>Stops the node (closing the guard's stdin), killing it if it does not exit in time.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        try
        {
            _process.StandardInput.Close();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await _process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        finally { _process.Dispose(); }
    }

    [GeneratedRegex(@"JSON-RPC server at (http://127\.0\.0\.1:\d+/?)")]
    private static partial Regex ServerLine();
}
