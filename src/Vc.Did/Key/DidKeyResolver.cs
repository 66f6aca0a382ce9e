using System.Text.Json;
using Vc.Did.Core;
using DidKey = Vc.Credentials.Dids.DidKey;
using Relationship = Vc.Credentials.Dids.VerificationRelationship;

namespace Vc.Did.Key;

/// <summary>
/// Resolves did:key DIDs (no I/O) to the DID Core model with the Multikey representation. The identifier is
/// parsed by <see cref="DidKey"/> (Vc.Credentials), the one did:key implementation; every did:key key type
/// resolves here, including those the credential verifier cannot verify with (X25519, secp256k1).
/// </summary>
public sealed class DidKeyResolver : IDidResolver
{
    private static readonly IReadOnlyList<JsonElement> Context =
        [JsonSerializer.SerializeToElement("https://www.w3.org/ns/did/v1"), JsonSerializer.SerializeToElement("https://w3id.org/security/multikey/v1")];

    public Task<DidResolutionResult> ResolveAsync(string did, DidResolutionOptions? options = null, CancellationToken ct = default) =>
        Task.FromResult(DidKey.TryParse(did, out var key, out var error)
            ? new DidResolutionResult(ToDocument(key), DidDocumentMetadata.Empty, new DidResolutionMetadata { ContentType = "application/did+ld+json" })
            : DidResolutionResult.Failure(DidResolutionErrors.InvalidDid, error));

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
