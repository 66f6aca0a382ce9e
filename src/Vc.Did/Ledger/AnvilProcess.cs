using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Vc.Did.Ledger;

/// <summary>Options for a local Anvil node.</summary>
public sealed record AnvilOptions
{
    /// <summary>
    /// Chain state file (see <see cref="AnvilStateFile"/>): loaded at start, saved by the writers after each write and
    /// at a graceful stop. Null: in memory.
    /// </summary>
    public string? StatePath { get; init; }
    /// <summary>
    /// A lock file the node holds (flock, inherited by the Anvil process alone) for its whole life: while it is held,
    /// this node runs on <see cref="StatePath"/> and no second one may. Null: no lock.
    /// </summary>
    public string? LockPath { get; init; }
    public long ChainId { get; init; } = 31337;
    /// <summary>Loopback port to listen on; 0 (default): a free one.</summary>
    public int Port { get; init; }
    /// <summary>When true the node outlives this process (a ledger daemon); otherwise it dies with it.</summary>
    public bool Detached { get; init; }
    /// <summary>Where a detached node writes its output (default: beside the state file, or a temp file).</summary>
    public string? LogPath { get; init; }
    /// <summary>Explicit path to the anvil binary; default: VCHEALTH_ANVIL or tools/ledger/node_modules.</summary>
    public string? BinaryPath { get; init; }
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>
    /// Timestamp of the genesis block (Anvil --timestamp); later blocks continue from it as time passes. Set in the
    /// past, the chain's clock runs behind the wall clock by that much (tests of expiry judged at wall-clock "now").
    /// </summary>
    public DateTimeOffset? GenesisTime { get; init; }
    /// <summary>Clock that paces start-up and shutdown polling and bounds <see cref="StartTimeout"/>.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

/// <summary>
/// A local Anvil node on a free loopback port. The node is started under a small shell guard that
/// stops it (SIGTERM, so Anvil dumps its state) as soon as our stdin pipe closes, which also happens
/// when this process is killed: no orphaned nodes after an aborted test run.
/// </summary>
public sealed partial class AnvilProcess : IAsyncDisposable
{
    private const string RelativeBinary = "tools/ledger/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";

    /// <summary>
    /// Runs "$0" "$@" (anvil and its arguments) guarded: once stdin reaches EOF (our exit, graceful or not) the
    /// guard stops it with SIGTERM. The guard is forked before "pid=N" is printed, so a node whose pid was announced
    /// is always guarded, even if the shell itself is killed right after. (A background list reads /dev/null unless
    /// stdin is redirected explicitly, hence fd 3.)
    /// </summary>
    internal const string GuardScript =
        "exec 3<&0; \"$0\" \"$@\" </dev/null & p=$!; exec 9>&-; (cat <&3 >/dev/null; kill -TERM $p 2>/dev/null) & echo \"pid=$p\"; wait $p";

    /// <summary>
    /// Takes the lock on fd 9 (flock -n: refused at once if held, exit 75) and leaves fd 9 open only in the Anvil
    /// process: the shell drops it once the node is forked (the guard subshell is forked after that), so the lock lives
    /// exactly as long as the node. Without a lock path (an in-memory chain) there is nothing to lock: no prefix (a
    /// flock on /dev/null would be one lock shared by every such node on the machine).
    /// </summary>
    private const string LockPrefix =
        "exec 9>>\"$VCHEALTH_ANVIL_LOCK\"; flock -n 9 || { echo \"locked\" >&2; exit 75; }; ";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private readonly Process _process;
    private readonly TimeProvider _clock;
    private int _stopped;

    public Uri RpcUrl { get; }
    public int ProcessId { get; }
    /// <summary>Where the chain state is kept (null: in memory only).</summary>
    public AnvilStateFile? State { get; }

    private AnvilProcess(Process process, Uri rpcUrl, int pid, TimeProvider clock, AnvilStateFile? state)
    {
        _process = process;
        _clock = clock;
        RpcUrl = rpcUrl;
        ProcessId = pid;
        State = state;
    }

    /// <summary>Finds the anvil binary: explicit path, VCHEALTH_ANVIL, or tools/ledger/node_modules above the app or cwd.</summary>
    public static string LocateBinary(string? explicitPath = null)
    {
        if (!string.IsNullOrEmpty(explicitPath)) return Existing(explicitPath);
        if (Environment.GetEnvironmentVariable("VCHEALTH_ANVIL") is { Length: > 0 } env) return Existing(env);
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, RelativeBinary);
                if (File.Exists(candidate)) return candidate;
            }
        throw new LedgerException(LedgerError.ToolMissing,
            $"anvil not found: run 'npm ci --ignore-scripts' in tools/ledger or set VCHEALTH_ANVIL ({RelativeBinary})");

        static string Existing(string p) => File.Exists(p)
            ? p
            : throw new LedgerException(LedgerError.ToolMissing, $"anvil binary not found at {p}");
    }

    public static async Task<AnvilProcess> StartAsync(AnvilOptions options, CancellationToken ct = default)
    {
        var binary = LocateBinary(options.BinaryPath);
        var args = new List<string> { "--host", "127.0.0.1", "--port", options.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--chain-id", options.ChainId.ToString() };
        if (options.GenesisTime is { } genesis) args.AddRange(["--timestamp", genesis.ToUnixTimeSeconds().ToString()]);
        var state = options.StatePath is null ? null : new AnvilStateFile(options.StatePath);
        if (state is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(state.Path)!);
            if (state.Exists) args.AddRange(["--load-state", state.Path]);
        }

        var psi = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = !options.Detached,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        var lockPrefix = options.LockPath is null ? "" : LockPrefix;
        string? log = null;
        if (options.Detached)
        {
            // setsid: the node survives us; its output goes to a log we read the port from.
            log = options.LogPath ?? (options.StatePath is not null
                ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.StatePath))!, "anvil.log")
                : Path.Combine(Path.GetTempPath(), $"vchealth-anvil-{Guid.NewGuid():N}.log"));
            File.WriteAllText(log, "");
            psi.ArgumentList.Add(lockPrefix + "setsid \"$0\" \"$@\" </dev/null >\"$VCHEALTH_ANVIL_LOG\" 2>&1 & echo \"pid=$!\"");
            psi.Environment["VCHEALTH_ANVIL_LOG"] = log;
        }
        else psi.ArgumentList.Add(lockPrefix + GuardScript);
        if (options.LockPath is not null) psi.Environment["VCHEALTH_ANVIL_LOCK"] = options.LockPath;
        psi.ArgumentList.Add(binary);
        foreach (var a in args) psi.ArgumentList.Add(a);

        var process = Process.Start(psi) ?? throw new LedgerException(LedgerError.ProcessFailed, "could not start anvil");
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginErrorReadLine();

        using var deadline = new CancellationTokenSource(options.StartTimeout, options.Clock);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        int pid = 0;
        Uri? url = null;
        try
        {
            if (log is not null)
            {
                var first = await process.StandardOutput.ReadLineAsync(timeout.Token);
                if (first?.StartsWith("pid=", StringComparison.Ordinal) == true) pid = int.Parse(first[4..]);
                else ThrowIfLocked();
                while (url is null)
                {
                    var text = await File.ReadAllTextAsync(log, timeout.Token);
                    if (ListeningLine().Match(text) is { Success: true } m) url = new Uri($"http://{m.Groups[1].Value}");
                    else if (pid == 0 || !IsAlive(pid)) throw new LedgerException(LedgerError.ProcessFailed, "anvil exited during start: " + text[^Math.Min(600, text.Length)..]);
                    else await Task.Delay(PollInterval, options.Clock, timeout.Token);
                }
            }
            else
            {
                // Anvil's "Listening" line and the shell's "pid=" line share the pipe in either order.
                while (url is null || pid == 0)
                {
                    var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
                    if (line is null)
                    {
                        ThrowIfLocked();
                        throw new LedgerException(LedgerError.ProcessFailed, "anvil exited during start: " + Tail(stderr));
                    }
                    if (line.StartsWith("pid=", StringComparison.Ordinal)) pid = int.Parse(line[4..]);
                    else if (ListeningLine().Match(line) is { Success: true } m) url = new Uri($"http://{m.Groups[1].Value}");
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            if (pid > 0) Signal(pid);
            process.Kill(entireProcessTree: true);
            throw new LedgerException(LedgerError.ProcessFailed, $"anvil did not start within {options.StartTimeout}: " + Tail(stderr));
        }
        // Keep draining stdout so anvil never blocks on a full pipe (detached: we stop reading when we exit).
        _ = DrainAsync(process.StandardOutput);
        var anvil = new AnvilProcess(process, url, pid, options.Clock, state);
        await anvil.WaitUntilAnsweringAsync(timeout.Token);
        return anvil;

        void ThrowIfLocked()
        {
            process.WaitForExit(5000); // delivers the rest of stderr
            if (process.HasExited && process.ExitCode == 75)
                throw new LedgerException(LedgerError.Busy, $"another ledger holds {options.LockPath}: not starting a second one on {options.StatePath}");
        }

        static string Tail(System.Text.StringBuilder sb) { lock (sb) return sb.Length > 600 ? sb.ToString()[^600..] : sb.ToString(); }
    }

    private static async Task DrainAsync(StreamReader reader)
    {
        try { while (await reader.ReadLineAsync() is not null) { } } catch (IOException) { } catch (ObjectDisposedException) { }
    }

    /// <summary>Asks for the head until the node answers (bounded by the start timeout's token).</summary>
    private async Task WaitUntilAnsweringAsync(CancellationToken ct)
    {
        using var rpc = new LedgerRpc(RpcUrl, TimeSpan.FromSeconds(2));
        while (true)
        {
            try
            {
                await rpc.Client.CallAsync<Nethereum.Hex.HexTypes.HexBigInteger>(ChainReads.BlockNumber(), ct);
                return;
            }
            catch (LedgerException) { }
            await Task.Delay(PollInterval, _clock, ct);
        }
    }

    /// <summary>Stops the node gracefully (state is dumped), killing it if it does not exit in time.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        if (State is not null)
        {
            // What no transaction wrote (e.g. a changed clock) is saved at a graceful stop; a dead node has nothing to give.
            using var rpc = new LedgerRpc(RpcUrl);
            try { await State.SaveAsync(rpc); } catch (LedgerException) { }
        }
        try
        {
            if (_process.StartInfo.RedirectStandardInput) _process.StandardInput.Close();
            else if (ProcessId > 0) { Signal(ProcessId); await WaitForExitAsync(ProcessId, _clock); return; }
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10), _clock);
            try { await _process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        finally { _process.Dispose(); }
    }

    /// <summary>
    /// Whether a process is running. A zombie is not: it has exited and only waits to be reaped, which for an
    /// orphaned node is up to init (some reap only every few seconds). A multi-threaded process (Anvil is one) shows
    /// its leader as a zombie while its other threads are still exiting, and its files (the ledger lock among them)
    /// stay open until the last one is gone: it runs as long as any of its threads does.
    /// </summary>
    public static bool IsAlive(int pid)
    {
        if (Running($"/proc/{pid}/stat")) return true;
        try { return Directory.EnumerateDirectories($"/proc/{pid}/task").Any(t => Running(Path.Combine(t, "stat"))); }
        catch (IOException) { return false; } // gone meanwhile
        catch (UnauthorizedAccessException) { return false; }

        static bool Running(string statPath)
        {
            string stat;
            try { stat = File.ReadAllText(statPath); }
            catch (IOException) { return false; } // gone (also while being read)
            catch (UnauthorizedAccessException) { return false; }
            // "pid (comm) S ...": the state follows the last ')' (comm may contain spaces and parentheses).
            var close = stat.LastIndexOf(')');
            return close < 0 || close + 2 >= stat.Length || stat[close + 2] is not ('Z' or 'X');
        }
    }

    /// <summary>Stops a detached node by process id (SIGTERM lets it dump its state).</summary>
    public static void Signal(int pid)
    {
        try { Process.Start("kill", ["-TERM", pid.ToString()])?.WaitForExit(5000); } catch (System.ComponentModel.Win32Exception) { }
    }

    /// <summary>Waits for a process to end, looking at most <paramref name="attempts"/> times; true when it has.</summary>
    public static async Task<bool> WaitForExitAsync(int pid, TimeProvider clock, int attempts = 200)
    {
        for (var i = 0; i < attempts && IsAlive(pid); i++) await Task.Delay(PollInterval, clock);
        return !IsAlive(pid);
    }

    [GeneratedRegex(@"Listening on (127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
