namespace Vc.Did.Core;

/// <summary>The answer to "was verification method X authorized for a purpose by DID D at time T".</summary>
public sealed record KeyAuthorization(bool Authorized, VerificationMethod? Method, string? VersionId, string Reason);

/// <summary>
/// Key validity at a point in time, read from the DID's history (DID Core §7.1.1 versionTime): for verifiers
/// checking credentials issued before a key rotation or revocation.
/// </summary>
public static class KeyValidity
{
    public static async Task<KeyAuthorization> WasAuthorizedAsync(this IDidResolver resolver, string did, string verificationMethodId,
        VerificationRelationship relationship, DateTimeOffset at, CancellationToken ct = default)
    {
        var hash = verificationMethodId.IndexOf('#');
        if (hash < 0) return new KeyAuthorization(false, null, null, "the verification method id has no fragment");
        var vmDid = hash == 0 ? did : verificationMethodId[..hash];
        if (!string.Equals(vmDid, did, StringComparison.Ordinal))
            return new KeyAuthorization(false, null, null, $"{verificationMethodId} does not belong to {did}");
        var result = await resolver.ResolveAsync(did, new DidResolutionOptions { VersionTime = at }, ct);
        if (result.DidDocument is not { } doc)
            return new KeyAuthorization(false, null, null, $"resolution failed: {result.DidResolutionMetadata.Error}: {result.DidResolutionMetadata.Message}");
        var version = result.DidDocumentMetadata.VersionId;
        if (result.DidDocumentMetadata.Deactivated)
            return new KeyAuthorization(false, null, version, $"{did} was deactivated at {at:O}");
        var vm = doc.Authorized(relationship, verificationMethodId[hash..]);
        return vm is null
            ? new KeyAuthorization(false, doc.FindVerificationMethod(verificationMethodId[hash..]), version,
                $"{verificationMethodId} was not in {relationship} of {did} at {at:O}")
            : new KeyAuthorization(true, vm, version, $"{verificationMethodId} was in {relationship} at {at:O}");
    }
}
