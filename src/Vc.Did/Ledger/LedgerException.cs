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
    /// <summary>The node did not answer within the connection's timeout.</summary>
    Timeout,
    /// <summary>The node answered with an HTTP error status.</summary>
    HttpStatus,
    /// <summary>The answer exceeded the connection's size cap.</summary>
    ResponseTooLarge,
    /// <summary>The answer is not a valid reply (not JSON, wrong ids, wrong shape, undecodable values).</summary>
    MalformedResponse,
    /// <summary>The node answered with a JSON-RPC error.</summary>
    RpcError,
    /// <summary>A transaction was sent but no receipt appeared within the configured blocks/attempts.</summary>
    ReceiptMissing,
    /// <summary>A development-only operation (dev funding) was asked of a chain that is not Anvil or Hardhat Network.</summary>
    NotDevChain,
    /// <summary>Another process holds the ledger's lock (e.g. the data directory's ledger is starting or stopping).</summary>
    Busy,
}

/// <summary>A typed failure of the ledger host or connection.</summary>
public sealed class LedgerException(LedgerError error, string message, Exception? inner = null)
    : Exception($"ledger: {error}: {message}", inner)
{
    public LedgerError Error { get; } = error;
}
