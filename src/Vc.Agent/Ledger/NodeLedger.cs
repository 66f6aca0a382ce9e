using System.Text.Json;
using Nethereum.Signer;
using Vc.Did.Ledger;

namespace Vc.Agent;

/// <summary>Where the node's ledger comes from.</summary>
public sealed record LedgerSettings
{
    /// <summary>The node's data directory (chain state, SQLite, deployment record).</summary>
    public required string DataDirectory { get; init; }
    /// <summary>A configured Ethereum-compatible node; null means the embedded Anvil.</summary>
    public Uri? RpcUrl { get; init; }
    /// <summary>Overrides the DID registry address (e.g. a registry deployed by someone else).</summary>
    public string? RegistryAddress { get; init; }
    /// <summary>Hex private key of the account paying for transactions on a configured (non-dev) chain.</summary>
    public string? RelayerKey { get; init; }

    /// <summary>Blocks that must follow a write before it counts as done on a configured chain (0 on dev chains).</summary>
    public int Confirmations { get; init; }

    /// <summary>Connect and total timeouts of every ledger request (defaults: 2 s / 5 s).</summary>
    public LedgerTimeouts Timeouts { get; init; } = LedgerTimeouts.Default;

    public string LedgerDirectory => Path.Combine(DataDirectory, "ledger");
}

/// <summary>
/// The ledger a node or a CLI command talks to: a configured RPC node, or the embedded Anvil whose state
/// lives in the data directory. One embedded ledger per data directory: the Anvil process holds
/// <c>ledger/anvil.lock</c> (flock) for its whole life, so whoever finds the lock held reuses that ledger (its
/// address is in <c>daemon.json</c>) and never starts a second one on the same state; a free lock proves any
/// record left behind is stale. Otherwise one is started — owned by the caller (stops with it) or detached as a
/// ledger daemon for short-lived CLI calls. The decision is taken under <c>ledger.lock</c>, one process at a time.
/// </summary>
public sealed class NodeLedger : IAsyncDisposable
{
    private readonly AnvilProcess? _owned;
    private readonly LedgerSettings? _settings;

    public LedgerConnection Connection { get; }
    /// <summary>"configured", "embedded" (started here), "embedded-daemon" (started detached) or "embedded-shared" (reused).</summary>
    public string Mode { get; }

    private NodeLedger(LedgerConnection connection, string mode, AnvilProcess? owned = null, LedgerSettings? settings = null)
    {
        Connection = connection;
        Mode = mode;
        _owned = owned;
        _settings = settings;
    }

    private static string DaemonFile(LedgerSettings s) => Path.Combine(s.LedgerDirectory, "daemon.json");
    private static string AnvilLock(LedgerSettings s) => Path.Combine(s.LedgerDirectory, "anvil.lock");
    private static string DecisionLock(LedgerSettings s) => Path.Combine(s.LedgerDirectory, "ledger.lock");
    private static AnvilStateFile StateFile(LedgerSettings s) => new(Path.Combine(s.LedgerDirectory, "anvil-state.json"));

    public static async Task<NodeLedger> OpenAsync(LedgerSettings settings, bool detachIfStarted, CancellationToken ct = default)
    {
        if (settings.RpcUrl is not null)
        {
            var configured = settings.RelayerKey is { Length: > 0 } key
                ? await ConnectConfiguredAsync(settings, new EthECKey(key))
                : await LedgerHost.ConnectDevAsync(settings.RpcUrl, Path.Combine(settings.DataDirectory, "ledger-" + settings.RpcUrl.Port), timeouts: settings.Timeouts);
            if (settings.Confirmations > 0)
                configured = configured.WithReceipts(configured.Receipts with { Confirmations = settings.Confirmations });
            return new NodeLedger(WithRegistry(configured, settings), "configured");
        }

        Directory.CreateDirectory(settings.LedgerDirectory);
        await using var decision = await FileLock.AcquireAsync(DecisionLock(settings), ct);
        if (FileLock.IsHeld(AnvilLock(settings)))
        {
            // The data directory's ledger runs: reuse it, whoever started it; if it does not answer, say so (typed).
            var running = await ReadRecordAsync(settings)
                ?? throw new LedgerException(LedgerError.Busy, $"a ledger holds {AnvilLock(settings)} but left no daemon.json");
            var shared = await LedgerHost.ConnectDevAsync(running.RpcUrl, settings.LedgerDirectory, StateFile(settings), settings.Timeouts);
            return new NodeLedger(WithRegistry(shared, settings), "embedded-shared");
        }

        // The lock is free, so no ledger runs on this state: a record left by a killed one is stale. Its address is
        // kept, though: started again on the same state, the ledger answers where it did, so a node still holding that
        // address (its ledger died under it) finds it back without a restart.
        var previous = await ReadRecordAsync(settings);
        File.Delete(DaemonFile(settings));
        var options = new AnvilOptions
        {
            StatePath = StateFile(settings).Path,
            LockPath = AnvilLock(settings),
            Detached = detachIfStarted,
            Port = previous?.RpcUrl is { IsLoopback: true } last ? last.Port : 0,
        };
        AnvilProcess anvil;
        try { anvil = await AnvilProcess.StartAsync(options, ct); }
        catch (LedgerException e) when (e.Error == LedgerError.ProcessFailed && options.Port != 0)
        {
            anvil = await AnvilProcess.StartAsync(options with { Port = 0 }, ct); // that port is someone else's now
        }
        try
        {
            await WriteRecordAsync(settings, new DaemonInfo(anvil.ProcessId, anvil.RpcUrl, detachIfStarted), ct);
            var connection = await LedgerHost.ConnectDevAsync(anvil.RpcUrl, settings.LedgerDirectory, anvil.State, settings.Timeouts);
            return detachIfStarted
                ? new NodeLedger(WithRegistry(connection, settings), "embedded-daemon")
                : new NodeLedger(WithRegistry(connection, settings), "embedded", anvil, settings);
        }
        catch
        {
            await anvil.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The RPC URL and recorded contracts of an embedded ledger already running for this data directory, without
    /// opening a relayer connection (a cheap path for read-only commands such as resolution). Null if none runs.
    /// </summary>
    public static async Task<(Uri RpcUrl, DeployedContracts Contracts)?> RunningEmbeddedAsync(LedgerSettings settings)
    {
        if (settings.RpcUrl is not null) return null;
        if (LedgerHost.ReadDeployment(settings.LedgerDirectory) is not { } contracts) return null;
        return await ReadRecordAsync(settings) is { } info && AnvilProcess.IsAlive(info.Pid) ? (info.RpcUrl, contracts) : null;
    }

    /// <summary>Stops a detached embedded ledger of this data directory, if one runs (a node's own ledger stops with the node).</summary>
    public static async Task<bool> StopDaemonAsync(LedgerSettings settings)
    {
        if (settings.RpcUrl is not null || !Directory.Exists(settings.LedgerDirectory)) return false;
        await using var decision = await FileLock.AcquireAsync(DecisionLock(settings));
        if (!FileLock.IsHeld(AnvilLock(settings)) || await ReadRecordAsync(settings) is not { Detached: true } running) return false;
        using (var rpc = new LedgerRpc(running.RpcUrl, settings.Timeouts))
        {
            try { await StateFile(settings).SaveAsync(rpc); } catch (LedgerException) { } // a hung node keeps its last saved state
        }
        AnvilProcess.Signal(running.Pid);
        await AnvilProcess.WaitForExitAsync(running.Pid, TimeProvider.System);
        // Stopped means the lock is free (the ledger's last descriptor closed), not only its pid gone: whoever opens
        // the data directory next must start a ledger, never find a record of one that is still going away.
        await using (await FileLock.AcquireAsync(AnvilLock(settings), attempts: 200))
            File.Delete(DaemonFile(settings));
        return true;
    }

    private static async Task<DaemonInfo?> ReadRecordAsync(LedgerSettings settings)
    {
        try { return JsonSerializer.Deserialize<DaemonInfo>(await File.ReadAllTextAsync(DaemonFile(settings))); }
        catch (Exception e) when (e is JsonException or FileNotFoundException or DirectoryNotFoundException) { return null; }
    }

    /// <summary>daemon.json, replaced atomically (temp file + rename) and readable by its owner only.</summary>
    private static async Task WriteRecordAsync(LedgerSettings settings, DaemonInfo info, CancellationToken ct)
    {
        var path = DaemonFile(settings);
        var temp = path + ".tmp";
        await using (var file = new FileStream(temp, FileLock.OwnerOnly(new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write })))
            await JsonSerializer.SerializeAsync(file, info, cancellationToken: ct);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>A production chain: the relayer key pays; the contracts are --registry or those `ledger deploy` recorded.</summary>
    private static Task<LedgerConnection> ConnectConfiguredAsync(LedgerSettings settings, EthECKey relayer) =>
        settings.RegistryAddress is null && LedgerHost.ReadDeployment(Path.Combine(settings.DataDirectory, "ledger-" + settings.RpcUrl!.Port)) is { } recorded
            ? LedgerConnection.ConnectAsync(settings.RpcUrl, relayer, recorded.Addresses, recorded.DeploymentBlock, settings.Timeouts)
            : LedgerConnection.ConnectAsync(settings.RpcUrl!, relayer, RegistryOnly(settings), timeouts: settings.Timeouts);

    private static Dictionary<string, string> RegistryOnly(LedgerSettings s) =>
        s.RegistryAddress is { } r ? new() { [ContractArtifact.DidRegistry] = r } : [];

    private static LedgerConnection WithRegistry(LedgerConnection c, LedgerSettings s) =>
        s.RegistryAddress is null ? c : c.WithContract(ContractArtifact.DidRegistry, s.RegistryAddress);

    public async ValueTask DisposeAsync()
    {
        if (_owned is null || _settings is null) return;
        await _owned.DisposeAsync();
        // The record goes only if it is still this node's: a killed ledger may have been replaced meanwhile by a
        // daemon another process started, whose record must survive us.
        await using var decision = await FileLock.AcquireAsync(DecisionLock(_settings));
        if (await ReadRecordAsync(_settings) is { } record && record.Pid == _owned.ProcessId && !FileLock.IsHeld(AnvilLock(_settings)))
            File.Delete(DaemonFile(_settings));
    }

    private sealed record DaemonInfo(int Pid, Uri RpcUrl, bool Detached);
}
