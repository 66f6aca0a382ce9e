using System.Collections.Concurrent;
using System.Text.Json;
using Vc.Did.Core;
using Vc.Did.Keys;
using Relationship = Vc.Did.Core.VerificationRelationship;

namespace Vc.Did.Key;

/// <summary>
/// Resolves did:key DIDs (no I/O) to the DID Core model with the Multikey representation. The identifier is
/// parsed by <see cref="DidKey"/>; every did:key key type resolves here, including those no proof can be verified
/// with (X25519, secp256k1: their <see cref="VerificationMethod.Key"/> is null).
/// </summary>
public sealed class DidKeyResolver : IDidMethodResolver
{
    /// <summary>One instance for every composite: its cache then serves them all.</summary>
    public static DidKeyResolver Shared { get; } = new();

    private const int MaxCached = 4096;
    private readonly ConcurrentDictionary<string, Task<DidResolutionResult>> _cache = new(StringComparer.Ordinal);

    private static readonly IReadOnlyList<JsonElement> Context =
        [JsonSerializer.SerializeToElement("https://www.w3.org/ns/did/v1"), JsonSerializer.SerializeToElement("https://w3id.org/security/multikey/v1")];

    public string Method => "key";

    /// <summary>did:key:&lt;publicKeyMultibase&gt; of a verification key.</summary>
    public static string CreateDid(VerificationKey key) => DidKey.Prefix + key.PublicKeyMultibase;

    /// <summary>The verification method id of a key's did:key: did:key:z…#z….</summary>
    public static string VerificationMethodId(VerificationKey key) => DidKey.For(key).VerificationMethodId;

    /// <remarks>
    /// A did:key has no versions, so the options do not change the answer. Successful answers are cached
    /// (immutable, at most <c>MaxCached</c>): the credential verifier resolves the signer's DID for every proof, and
    /// the cached document keeps its decoded key.
    /// </remarks>
    public Task<DidResolutionResult> ResolveAsync(string did, DidResolutionOptions? options = null, CancellationToken ct = default)
    {
        if (_cache.TryGetValue(did, out var cached)) return cached;
        if (!DidKey.TryParse(did, out var key, out var error))
            return Task.FromResult(DidResolutionResult.Failure(DidResolutionErrors.InvalidDid, error));
        var result = Task.FromResult(new DidResolutionResult(ToDocument(key), DidDocumentMetadata.Empty,
            new DidResolutionMetadata { ContentType = "application/did+ld+json" }));
        if (_cache.Count < MaxCached) _cache.TryAdd(did, result);
        return result;
    }

    /// <summary>did:key §"Document Creation Algorithm": one Multikey verification method under the key's relationships.</summary>
    public static DidDocument ToDocument(DidKey key)
    {
        var vmId = key.VerificationMethodId;
        IReadOnlyList<string> Refs(Relationship r) => key.Relationships.Contains(r) ? [vmId] : [];
        return new DidDocument(key.Did)
        {
            Context = Context,
            VerificationMethod = [new VerificationMethod(vmId, "Multikey", key.Did) { PublicKeyMultibase = key.Multibase }],
            Authentication = Refs(Relationship.Authentication),
            AssertionMethod = Refs(Relationship.AssertionMethod),
            KeyAgreement = Refs(Relationship.KeyAgreement),
            CapabilityInvocation = Refs(Relationship.CapabilityInvocation),
            CapabilityDelegation = Refs(Relationship.CapabilityDelegation),
        };
    }
}
