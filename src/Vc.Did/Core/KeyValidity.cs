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

    /// <summary>
    /// The method that a proof dated <paramref name="created"/> names by <paramref name="verificationMethodId"/>, when
    /// <paramref name="atCreated"/> (the version at versionTime = created: every block stamped ≤ created, DID Core
    /// §7.1.1) no longer has that id. Proof times and block times are whole seconds, so that version includes changes
    /// made in the proof's own second, after the proof perhaps; a change that renumbers a key still valid then (did:ethr:
    /// a rotation with overlap re-sets the old key with its new validTo, and every live event takes the next
    /// #delegate-N, spec §"Read (Resolve)") leaves the proof's id pointing nowhere. So the id is read in the version in
    /// force just before that second, and the key it named counts only if <paramref name="atCreated"/> still
    /// authorizes that same key for <paramref name="relationship"/>: answered under its id at created. A key revoked
    /// or expired in that second is not authorized at created: null (fail closed). Null also when resolution fails.
    /// </summary>
    public static async Task<VerificationMethod?> RenumberedAtProofTimeAsync(this IDidResolver resolver, string did,
        DidDocument atCreated, string verificationMethodId, VerificationRelationship relationship, DateTimeOffset created,
        CancellationToken ct = default)
    {
        var secondStart = DateTimeOffset.FromUnixTimeSeconds(created.ToUnixTimeSeconds());
        var before = await resolver.ResolveAsync(did, new DidResolutionOptions { VersionTime = secondStart.AddSeconds(-1) }, ct).ConfigureAwait(false);
        if (before.DidDocument?.FindVerificationMethod(verificationMethodId)?.Key is not { } key) return null;
        foreach (var method in atCreated.VerificationMethod)
            if (key.Equals(method.Key) && atCreated.Authorized(relationship, method.Id) is { } authorized) return authorized;
        return null;
    }
}
