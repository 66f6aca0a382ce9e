namespace Vc.Did.Core;

/// <summary>Options of DID resolution (DID Resolution §4.1); the version is taken from the DID URL query or here.</summary>
public sealed record DidResolutionOptions
{
    /// <summary>application/did+ld+json (default, with @context) or application/did+json.</summary>
    public string? Accept { get; init; }
    /// <summary>Resolve the version as of this block (DID Core §7.1.1 versionId); exclusive with <see cref="VersionTime"/>.</summary>
    public long? VersionId { get; init; }
    /// <summary>Resolve the version valid at this time (DID Core §7.1.1 versionTime).</summary>
    public DateTimeOffset? VersionTime { get; init; }
}

/// <summary>DID document metadata (DID Core §7.1.3).</summary>
public sealed record DidDocumentMetadata
{
    public static readonly DidDocumentMetadata Empty = new();
    public bool Deactivated { get; init; }
    public string? VersionId { get; init; }
    public string? Updated { get; init; }
    public string? NextVersionId { get; init; }
    public string? NextUpdate { get; init; }
}

/// <summary>
/// How current an answer from the local event index is. Present only when the answer may be out of date:
/// the RPC node could not be reached, so the index answered alone.
/// </summary>
public sealed record IndexFreshness(
    bool Stale,
    long IndexedToBlock,
    string? IndexedBlockTime,
    string? LastSyncedAt,
    long? SecondsSinceLastSync,
    string Reason);

/// <summary>DID resolution metadata (DID Core §7.1.2); <see cref="Error"/> uses the DID resolution error codes.</summary>
public sealed record DidResolutionMetadata
{
    public string? ContentType { get; init; }
    public string? Error { get; init; }
    public string? Message { get; init; }
    public IndexFreshness? IndexFreshness { get; init; }
}

/// <summary>DID resolution error codes (DID Core §7.1.2, DID Resolution, and did:ethr's own).</summary>
public static class DidResolutionErrors
{
    public const string InvalidDid = "invalidDid";
    public const string NotFound = "notFound";
    public const string MethodNotSupported = "methodNotSupported";
    public const string UnknownNetwork = "unknownNetwork";
    public const string UnsupportedFormat = "unsupportedFormat";
    public const string InvalidOptions = "invalidOptions";
}

/// <summary>The result of DID resolution (DID Core §7.1): document, document metadata and resolution metadata.</summary>
public sealed record DidResolutionResult(
    DidDocument? DidDocument,
    DidDocumentMetadata DidDocumentMetadata,
    DidResolutionMetadata DidResolutionMetadata)
{
    public bool IsSuccess => DidResolutionMetadata.Error is null && DidDocument is not null;

    public static DidResolutionResult Failure(string error, string message) =>
        new(null, DidDocumentMetadata.Empty, new DidResolutionMetadata { Error = error, Message = message });

    /// <summary>The result as JSON, laid out exactly as the reference did:ethr resolver prints it (JSON.stringify, 2 spaces).</summary>
    public string ToJson() => DidJson.Serialize(this);
}

/// <summary>Resolves DIDs of one or more methods.</summary>
public interface IDidResolver
{
    /// <summary>
    /// Resolves <paramref name="did"/> (optionally a DID URL with ?versionId=N or ?versionTime=T).
    /// Never throws for bad input or an unreachable ledger: the error is in the resolution metadata.
    /// </summary>
    Task<DidResolutionResult> ResolveAsync(string did, DidResolutionOptions? options = null, CancellationToken ct = default);
}

/// <summary>Dispatches by DID method ("ethr", "key", …) to the resolver registered for it.</summary>
public sealed class CompositeDidResolver(IReadOnlyDictionary<string, IDidResolver> byMethod) : IDidResolver
{
    /// <summary>did:key always, did:ethr when a resolver for it is given (e.g. <c>EthrDidClient.Resolver</c>).</summary>
    public static CompositeDidResolver Create(IDidResolver? ethr = null)
    {
        var map = new Dictionary<string, IDidResolver>(StringComparer.Ordinal) { ["key"] = new Key.DidKeyResolver() };
        if (ethr is not null) map["ethr"] = ethr;
        return new CompositeDidResolver(map);
    }

    public Task<DidResolutionResult> ResolveAsync(string did, DidResolutionOptions? options = null, CancellationToken ct = default)
    {
        // DID Core §3.1: did:<method-name>:<method-specific-id>, method-name = 1*method-char (a-z, 0-9).
        var parts = did.Split(':', 3);
        if (parts.Length < 3 || parts[0] != "did" || parts[1].Length == 0 || !parts[1].All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9'))
            return Task.FromResult(DidResolutionResult.Failure(DidResolutionErrors.InvalidDid, $"not a DID: {Truncate(did)}"));
        return byMethod.TryGetValue(parts[1], out var resolver)
            ? resolver.ResolveAsync(did, options, ct)
            : Task.FromResult(DidResolutionResult.Failure(DidResolutionErrors.MethodNotSupported, $"DID method '{parts[1]}' is not supported"));
    }

    internal static string Truncate(string s) => s.Length <= 120 ? s : s[..120] + "…";
}
