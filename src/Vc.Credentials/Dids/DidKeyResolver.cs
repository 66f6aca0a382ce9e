using System.Collections.Concurrent;
using Vc.Credentials.Keys;

namespace Vc.Credentials.Dids;

/// <summary>did:key (W3C CCG did:key v0.7) for Ed25519, P-256 and P-384 Multikeys, resolved locally.</summary>
public sealed class DidKeyResolver : IDidDocumentResolver
{
    private const int MaxCached = 4096;
    private readonly ConcurrentDictionary<string, DidDocument> _cache = new(StringComparer.Ordinal);

    /// <summary>did:key:&lt;publicKeyMultibase&gt;.</summary>
    public static string CreateDid(VerificationKey key) => "did:key:" + key.PublicKeyMultibase;

    /// <summary>The verification method id of a did:key: did:key:z…#z….</summary>
    public static string VerificationMethodId(VerificationKey key) => CreateDid(key) + "#" + key.PublicKeyMultibase;

    /// <inheritdoc/>
    public bool CanResolve(string did) => did.StartsWith("did:key:", StringComparison.Ordinal);

    /// <inheritdoc/>
    public ValueTask<DidDocument> ResolveAsync(string did, DidResolutionOptions options, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Resolve(did));

    /// <summary>did:key §3.1.3 document creation: one Multikey method, listed under all four signing relationships.</summary>
    public DidDocument Resolve(string did)
    {
        if (_cache.TryGetValue(did, out var cached)) return cached;
        if (!CanResolve(did) || did.Length > 200)
            throw new DidResolutionException(DidResolutionError.InvalidDid, "Not a did:key DID.");
        var multibase = did["did:key:".Length..];
        VerificationKey key;
        try { key = VerificationKey.FromMultikey(multibase); }
        catch (KeyFormatException e) { throw new DidResolutionException(DidResolutionError.InvalidDid, "The did:key does not encode a supported public key: " + e.Message, e); }
        if (key.PublicKeyMultibase != multibase)
            throw new DidResolutionException(DidResolutionError.InvalidDid, "The did:key is not in its canonical encoding.");
        var vmId = did + "#" + multibase;
        IReadOnlyList<string> ids = [vmId];
        var document = new DidDocument(did, [new VerificationMethod(vmId, "Multikey", did, key)],
            new Dictionary<VerificationRelationship, IReadOnlyList<string>>
            {
                [VerificationRelationship.Authentication] = ids,
                [VerificationRelationship.AssertionMethod] = ids,
                [VerificationRelationship.CapabilityInvocation] = ids,
                [VerificationRelationship.CapabilityDelegation] = ids,
            });
        if (_cache.Count < MaxCached) _cache.TryAdd(did, document);
        return document;
    }
}
