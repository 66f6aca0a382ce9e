namespace Vc.Did.Ledger;

/// <summary>Which step of talking to the ledger failed.</summary>
public enum LedgerError
{
    ToolMissing,
    ProcessFailed,
    Unreachable,
    ArtifactMissing,
    DeploymentFailed,
    StateMismatch,
}

/// <summary>A typed failure of the ledger host or connection.</summary>
public sealed class LedgerException(LedgerError error, string message, Exception? inner = null)
    : Exception($"ledger: {error}: {message}", inner)
{
    public LedgerError Error { get; } = error;
}
