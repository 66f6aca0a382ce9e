using System.Collections.Concurrent;
using Vc.Credentials.Keys;

namespace Vc.Credentials.Dids;

/// <summary>did:key (W3C CCG did:key v0.7) for Ed25519, P-256 and P-384 Multikeys, resolved locally.</summary>
public sealed class DidKeyResolver : IDidDocumentResolver
{
    private const int MaxCached = 4096;
    private readonly ConcurrentDictionary<string, DidDocument> _cache = new(StringComparer.Ordinal);

    /// <summary>did:key:&lt;publicKeyMultibase&gt;.</summary>
    public static string CreateDid(VerificationKey key) => DidKey.Prefix + key.PublicKeyMultibase;

    /// <summary>The verification method id of a did:key: did:key:z…#z….</summary>
    public static string VerificationMethodId(VerificationKey key) => DidKey.For(key).VerificationMethodId;

    /// <inheritdoc/>
    public bool CanResolve(string did) => did.StartsWith(DidKey.Prefix, StringComparison.Ordinal);

    /// <inheritdoc/>
    public ValueTask<DidDocument> ResolveAsync(string did, DidResolutionOptions options, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Resolve(did));

    /// <summary>did:key §3.1.3 document creation: one Multikey method, listed under all four signing relationships.</summary>
    public DidDocument Resolve(string did)
    {
        if (_cache.TryGetValue(did, out var cached)) return cached;
        if (!CanResolve(did) || did.Length > 200)
            throw new DidResolutionException(DidResolutionError.InvalidDid, "Not a did:key DID.");
        // The key is decoded as a Multikey this library verifies with (curve points checked), not just parsed.
        VerificationKey key;
        try { key = VerificationKey.FromMultikey(did[DidKey.Prefix.Length..]); }
        catch (KeyFormatException e) { throw new DidResolutionException(DidResolutionError.InvalidDid, "The did:key does not encode a supported public key: " + e.Message, e); }
        var didKey = DidKey.For(key);
        if (didKey.Did != did)
            throw new DidResolutionException(DidResolutionError.InvalidDid, "The did:key is not in its canonical encoding.");
        var vmId = didKey.VerificationMethodId;
        IReadOnlyList<string> ids = [vmId];
        var document = new DidDocument(did, [new VerificationMethod(vmId, "Multikey", did, key)],
            didKey.Relationships.ToDictionary(r => r, _ => ids));
        if (_cache.Count < MaxCached) _cache.TryAdd(did, document);
        return document;
    }
}
