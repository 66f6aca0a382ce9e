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
    public const string InternalError = "internalError";
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

/// <summary>The resolver of one DID method (did:&lt;<see cref="Method"/>&gt;:…), as <see cref="CompositeDidResolver"/> composes them.</summary>
public interface IDidMethodResolver : IDidResolver
{
    /// <summary>The DID method name, e.g. "key", "ethr", "web".</summary>
    string Method { get; }
}

/// <summary>Dispatches by DID method ("ethr", "key", "web", …) to the resolver registered for it.</summary>
public sealed class CompositeDidResolver : IDidResolver
{
    private readonly Dictionary<string, IDidMethodResolver>.AlternateLookup<ReadOnlySpan<char>> _byMethod;

    /// <param name="methods">One resolver per method; a later one replaces an earlier one of the same method.</param>
    public CompositeDidResolver(IEnumerable<IDidMethodResolver> methods)
    {
        var map = new Dictionary<string, IDidMethodResolver>(StringComparer.Ordinal);
        foreach (var m in methods) map[m.Method] = m;
        _byMethod = map.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>
    /// did:key always; did:ethr and did:web when resolvers for them are given (e.g. <c>EthrDidClient.Resolver</c>,
    /// <see cref="Web.DidWebResolver"/>): did:web reaches out to web servers, so it is opt-in.
    /// </summary>
    /// <summary>did:key only, as a verifier without a ledger resolves.</summary>
    public static CompositeDidResolver DidKeyOnly { get; } = Create();

    public static CompositeDidResolver Create(IDidMethodResolver? ethr = null, IDidMethodResolver? web = null) =>
        new([Key.DidKeyResolver.Shared, .. ethr is null ? [] : new[] { ethr }, .. web is null ? [] : new[] { web }]);

    public Task<DidResolutionResult> ResolveAsync(string did, DidResolutionOptions? options = null, CancellationToken ct = default)
    {
        // DID Core §3.1: did:<method-name>:<method-specific-id>, method-name = 1*method-char (a-z, 0-9).
        // Read in place (no Split): the credential verifier resolves a DID for every proof.
        var method = MethodName(did);
        if (method.IsEmpty)
            return Task.FromResult(DidResolutionResult.Failure(DidResolutionErrors.InvalidDid, $"not a DID: {Truncate(did)}"));
        return _byMethod.TryGetValue(method, out var resolver)
            ? resolver.ResolveAsync(did, options, ct)
            : Task.FromResult(DidResolutionResult.Failure(DidResolutionErrors.MethodNotSupported, $"DID method '{method}' is not supported"));
    }

    /// <summary>The method name of a DID, or empty when the text does not start like a DID.</summary>
    private static ReadOnlySpan<char> MethodName(string did)
    {
        if (!did.StartsWith("did:", StringComparison.Ordinal)) return [];
        var rest = did.AsSpan(4);
        var colon = rest.IndexOf(':');
        if (colon <= 0) return [];
        var method = rest[..colon];
        foreach (var c in method)
            if (c is not (>= 'a' and <= 'z' or >= '0' and <= '9')) return [];
        return method;
    }

    /// <summary>A DID or DID URL cut to a length fit for a message.</summary>
    public static string Truncate(string s) => s.Length <= 120 ? s : s[..120] + "…";
}
