using Vc.Did.Core;
using Vc.Did.Keys;

namespace Vc.Agent;

/// <summary>
/// The agent's one way to its ledger. A node hands over the ledger it opened (and owns); a one-shot command
/// opens it on first need only — reusing the embedded ledger daemon or starting one detached — so commands
/// that never touch the chain (did:key issuance and verification, canonicalization) start no Anvil.
/// It is also the did:ethr resolver and provisioner of the credential layer, delegating to
/// <see cref="LedgerDids"/> once the ledger is open.
/// </summary>
public sealed class AgentLedger : IDidMethodResolver, IDidMethodProvisioner, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly bool _ownsLedger;
    private NodeLedger? _ledger;
    private LedgerDids? _dids;
    private LedgerDids? _readOnly;

    public LedgerSettings Settings { get; }

    private readonly TimeProvider _time;

    public AgentLedger(LedgerSettings settings, NodeLedger? open, TimeProvider time)
    {
        Settings = settings;
        _time = time;
        _ledger = open;
        _ownsLedger = open is null;
    }

    /// <summary>The ledger, opened (or the daemon reused / started) on first call.</summary>
    public async Task<NodeLedger> LedgerAsync(CancellationToken ct = default) =>
        _ledger ?? (await OpenAsync(ct)).Ledger;

    /// <summary>did:ethr on this ledger (indexed resolver, relayed writer).</summary>
    public async Task<LedgerDids> DidsAsync(CancellationToken ct = default) =>
        _dids ?? (await OpenAsync(ct)).Dids;

    /// <summary>Set when the agent must not touch the ledger (an offline verifier pack): opening it is refused.</summary>
    public string? OfflineReason { get; init; }

    private async Task<(NodeLedger Ledger, LedgerDids Dids)> OpenAsync(CancellationToken ct)
    {
        if (OfflineReason is { } why) throw new AgentException("pack.offline", $"the ledger is not used offline ({why})");
        await _gate.WaitAsync(ct);
        try
        {
            _ledger ??= await NodeLedger.OpenAsync(Settings, detachIfStarted: true, ct);
            _dids ??= await LedgerDids.OpenAsync(_ledger, Settings.DataDirectory, _time);
            return (_ledger, _dids);
        }
        finally { _gate.Release(); }
    }

    // ---- IDidMethodResolver: did:ethr for credential verification and DID resolution ----

    public string Method => "ethr";

    public async Task<DidResolutionResult> ResolveAsync(string did, DidResolutionOptions? options = null, CancellationToken ct = default)
    {
        LedgerDids dids;
        try { dids = _dids ?? await ReadOnlyAsync(ct) ?? await DidsAsync(ct); }
        catch (Vc.Did.Ledger.LedgerException e)
        {
            // Unknown ledger state is never "verified": resolution fails, and so does any proof that needs it.
            return DidResolutionResult.Failure(DidResolutionErrors.InternalError, $"the ledger is unreachable: {e.Message}");
        }
        return await dids.ResolveAsync(did, options, ct);
    }

    /// <summary>
    /// A resolver on the embedded ledger already running for this data directory, opened without the writer's set-up
    /// (a one-shot verification resolves; it does not write). Null when none runs: the full path starts or reuses one.
    /// </summary>
    private async Task<LedgerDids?> ReadOnlyAsync(CancellationToken ct)
    {
        if (_readOnly is not null || _ledger is not null) return _readOnly;
        if (OfflineReason is { } why) throw new AgentException("pack.offline", $"the ledger is not used offline ({why})");
        await _gate.WaitAsync(ct);
        try
        {
            if (_readOnly is not null || _ledger is not null) return _readOnly;
            if (await NodeLedger.RunningEmbeddedAsync(Settings) is not { } running
                || !running.Contracts.Addresses.TryGetValue(Vc.Did.Ledger.ContractArtifact.DidRegistry, out var deployed)) return null;
            var registry = Settings.RegistryAddress ?? deployed;
            return _readOnly = await LedgerDids.OpenReadOnlyAsync(running.RpcUrl, registry, running.Contracts.ChainId, Settings.DataDirectory, _time);
        }
        finally { _gate.Release(); }
    }

    // ---- IDidMethodProvisioner: issuer creation and key rotation ----

    public async Task<ProvisionedDid> CreateAsync(VerificationKey assertionKey, CancellationToken ct) =>
        await (await DidsAsync(ct)).CreateAsync(assertionKey, ct);

    public async Task<(string VerificationMethod, IReadOnlyList<Vc.Did.Ethr.WriteReceipt> Receipts)> RotateAsync(
        string did, byte[] controllerKey, VerificationKey oldKey, VerificationKey newKey, TimeSpan overlap, CancellationToken ct) =>
        await (await DidsAsync(ct)).RotateAsync(did, controllerKey, oldKey, newKey, overlap, ct);

    public async ValueTask DisposeAsync()
    {
        if (_readOnly is not null) await _readOnly.DisposeAsync();
        if (_dids is not null) await _dids.DisposeAsync();
        // A ledger handed over by the node is the node's to stop; one opened here is a detached daemon (or a
        // configured RPC node) that outlives this call by design.
        if (_ownsLedger && _ledger is not null) await _ledger.DisposeAsync();
    }
}
