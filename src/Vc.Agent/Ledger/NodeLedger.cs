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

    public string LedgerDirectory => Path.Combine(DataDirectory, "ledger");
}

/// <summary>
/// The ledger a node or a CLI command talks to: a configured RPC node, or the embedded Anvil whose state
/// lives in the data directory. An embedded Anvil already running for the data directory (started by a
/// node or an earlier command) is reused; otherwise one is started — owned by the caller (stops with it)
/// or detached as a ledger daemon for short-lived CLI calls.
/// </summary>
public sealed class NodeLedger : IAsyncDisposable
{
    private readonly AnvilProcess? _owned;
    private readonly string? _daemonFile;

    public LedgerConnection Connection { get; }
    /// <summary>"configured", "embedded" (started here) or "embedded-shared" (reused).</summary>
    public string Mode { get; }

    private NodeLedger(LedgerConnection connection, string mode, AnvilProcess? owned, string? daemonFile)
    {
        Connection = connection;
        Mode = mode;
        _owned = owned;
        _daemonFile = daemonFile;
    }

    public static async Task<NodeLedger> OpenAsync(LedgerSettings settings, bool detachIfStarted, CancellationToken ct = default)
    {
        if (settings.RpcUrl is not null)
        {
            var configured = settings.RelayerKey is { Length: > 0 } key
                ? await ConnectConfiguredAsync(settings, new EthECKey(key))
                : await LedgerHost.ConnectDevAsync(settings.RpcUrl, Path.Combine(settings.DataDirectory, "ledger-" + settings.RpcUrl.Port));
            if (settings.Confirmations > 0)
                configured = configured.WithReceipts(configured.Receipts with { Confirmations = settings.Confirmations });
            return new NodeLedger(WithRegistry(configured, settings), "configured", null, null);
        }

        Directory.CreateDirectory(settings.LedgerDirectory);
        var daemonFile = Path.Combine(settings.LedgerDirectory, "daemon.json");
        // One process at a time decides whether to start the embedded node (the lock dies with the process).
        await using var lockStream = await AcquireLockAsync(Path.Combine(settings.LedgerDirectory, "ledger.lock"), ct);
        if (await RunningDaemonAsync(daemonFile) is { } running)
            return new NodeLedger(WithRegistry(await LedgerHost.ConnectDevAsync(running.RpcUrl, settings.LedgerDirectory), settings), "embedded-shared", null, null);

        var anvil = await AnvilProcess.StartAsync(new AnvilOptions
        {
            StatePath = Path.Combine(settings.LedgerDirectory, "anvil-state.json"),
            Detached = detachIfStarted,
        }, ct);
        try
        {
            var connection = await LedgerHost.ConnectDevAsync(anvil.RpcUrl, settings.LedgerDirectory);
            var info = new DaemonInfo(anvil.ProcessId, anvil.RpcUrl);
            await File.WriteAllTextAsync(daemonFile, JsonSerializer.Serialize(info), ct);
            return detachIfStarted
                ? new NodeLedger(WithRegistry(connection, settings), "embedded-daemon", null, null)
                : new NodeLedger(WithRegistry(connection, settings), "embedded", anvil, daemonFile);
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
        var daemonFile = Path.Combine(settings.LedgerDirectory, "daemon.json");
        if (!File.Exists(daemonFile) || LedgerHost.ReadDeployment(settings.LedgerDirectory) is not { } contracts) return null;
        DaemonInfo? info;
        try { info = JsonSerializer.Deserialize<DaemonInfo>(await File.ReadAllTextAsync(daemonFile)); }
        catch (JsonException) { return null; }
        return info is not null && AnvilProcess.IsAlive(info.Pid) ? (info.RpcUrl, contracts) : null;
    }

    /// <summary>Stops a detached embedded ledger of this data directory, if one runs.</summary>
    public static async Task<bool> StopDaemonAsync(LedgerSettings settings)
    {
        var daemonFile = Path.Combine(settings.LedgerDirectory, "daemon.json");
        if (await RunningDaemonAsync(daemonFile) is not { } running) return false;
        AnvilProcess.Signal(running.Pid);
        for (var i = 0; i < 200 && AnvilProcess.IsAlive(running.Pid); i++) await Task.Delay(50);
        File.Delete(daemonFile);
        return true;
    }

    private static async Task<DaemonInfo?> RunningDaemonAsync(string daemonFile)
    {
        if (!File.Exists(daemonFile)) return null;
        DaemonInfo? info;
        try { info = JsonSerializer.Deserialize<DaemonInfo>(await File.ReadAllTextAsync(daemonFile)); }
        catch (JsonException) { info = null; }
        if (info is null || !AnvilProcess.IsAlive(info.Pid)) { File.Delete(daemonFile); return null; }
        try { await LedgerConnection.ReadChainIdAsync(info.RpcUrl); return info; }
        catch (LedgerException) { File.Delete(daemonFile); return null; }
    }

    private static async Task<FileStream> AcquireLockAsync(string path, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
            catch (IOException) when (attempt < 600) { await Task.Delay(50, ct); }
        }
    }

    /// <summary>A production chain: the relayer key pays; the contracts are --registry or those `ledger deploy` recorded.</summary>
    private static Task<LedgerConnection> ConnectConfiguredAsync(LedgerSettings settings, EthECKey relayer) =>
        settings.RegistryAddress is null && LedgerHost.ReadDeployment(Path.Combine(settings.DataDirectory, "ledger-" + settings.RpcUrl!.Port)) is { } recorded
            ? LedgerConnection.ConnectAsync(settings.RpcUrl, relayer, recorded.Addresses, recorded.DeploymentBlock)
            : LedgerConnection.ConnectAsync(settings.RpcUrl!, relayer, RegistryOnly(settings));

    private static Dictionary<string, string> RegistryOnly(LedgerSettings s) =>
        s.RegistryAddress is { } r ? new() { [ContractArtifact.DidRegistry] = r } : [];

    private static LedgerConnection WithRegistry(LedgerConnection c, LedgerSettings s) =>
        s.RegistryAddress is null ? c : c.WithContract(ContractArtifact.DidRegistry, s.RegistryAddress);

    public async ValueTask DisposeAsync()
    {
        if (_owned is null) return;
        if (_daemonFile is not null) File.Delete(_daemonFile);
        await _owned.DisposeAsync();
    }

    private sealed record DaemonInfo(int Pid, Uri RpcUrl);
}
