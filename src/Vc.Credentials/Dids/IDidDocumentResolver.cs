namespace Vc.Credentials.Dids;

/// <summary>DID resolution options (DID Resolution §4.1).</summary>
/// <param name="VersionTime">Resolve the document as it was at this time (e.g. proof creation), when the method keeps history.</param>
public sealed record DidResolutionOptions(DateTimeOffset? VersionTime = null);

/// <summary>
/// Resolves DIDs to documents. did:key is resolved locally by <see cref="DidKeyResolver"/>;
/// ledger methods (did:ethr) are plugged in by the node through an adapter.
/// </summary>
public interface IDidDocumentResolver
{
    /// <summary>True when this resolver handles the DID's method.</summary>
    bool CanResolve(string did);

    /// <summary>Resolves the DID (at <see cref="DidResolutionOptions.VersionTime"/> when given).</summary>
    /// <exception cref="DidResolutionException">The DID is invalid, unknown or unreachable.</exception>
    ValueTask<DidDocument> ResolveAsync(string did, DidResolutionOptions options, CancellationToken cancellationToken = default);
}

/// <summary>Why resolution failed (DID Resolution error codes).</summary>
public enum DidResolutionError
{
    /// <summary>invalidDid.</summary>
    InvalidDid,
    /// <summary>notFound.</summary>
    NotFound,
    /// <summary>methodNotSupported.</summary>
    MethodNotSupported,
    /// <summary>The resolved document is malformed.</summary>
    InvalidDidDocument,
    /// <summary>The resolver's backend failed.</summary>
    InternalError,
}

/// <summary>DID resolution failed.</summary>
public sealed class DidResolutionException(DidResolutionError error, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The resolution error code.</summary>
    public DidResolutionError Error { get; } = error;
}

/// <summary>Dispatches to the first resolver that handles the DID's method.</summary>
public sealed class CompositeDidResolver(IEnumerable<IDidDocumentResolver> resolvers) : IDidDocumentResolver
{
    private readonly IDidDocumentResolver[] _resolvers = resolvers.ToArray();

    /// <summary>A resolver for did:key only.</summary>
    public static CompositeDidResolver DidKeyOnly { get; } = new([new DidKeyResolver()]);

    /// <inheritdoc/>
    public bool CanResolve(string did) => _resolvers.Any(r => r.CanResolve(did));

    /// <inheritdoc/>
    public ValueTask<DidDocument> ResolveAsync(string did, DidResolutionOptions options, CancellationToken cancellationToken = default)
    {
        foreach (var r in _resolvers)
            if (r.CanResolve(did)) return r.ResolveAsync(did, options, cancellationToken);
        throw new DidResolutionException(DidResolutionError.MethodNotSupported, $"No resolver for the DID method of '{Truncate(did)}'.");
    }

    internal static string Truncate(string s) => s.Length <= 120 ? s : s[..120] + "…";
}
