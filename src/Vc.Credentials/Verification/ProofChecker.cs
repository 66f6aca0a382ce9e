using System.Text.Json;
using Vc.Credentials.DataIntegrity;
using Vc.Credentials.Json;
using Vc.Did.Core;

namespace Vc.Credentials.Verification;

/// <summary>
/// Checks every proof of a secured document (strict proof sets: all must verify), each as two separate
/// checks: "proof" (the signature verifies with the method's key) and "verificationMethod" (the method is
/// authorized for the relationship by its controller at proof creation, and the controller is the expected party).
/// </summary>
internal sealed class ProofChecker(DataIntegrityProofs proofs, IDidResolver resolver)
{
    /// <summary>Most proofs checked on one document.</summary>
    public const int MaxProofs = 16;

    public DataIntegrityProofs Proofs => proofs;

    /// <summary>Checks every proof; returns whether <paramref name="expectedController"/> controls the method of a proof that verified.</summary>
    public async Task<bool> CheckAsync(JsonElement document, string expectedPurpose, VerificationRelationship relationship,
        string? expectedController, VerificationOptions options, DateTimeOffset now, bool presentation,
        List<CheckResult> checks, CancellationToken cancellationToken)
    {
        var items = JsonInput.Items(document.Get("proof"u8)).ToArray();
        if (items.Length == 0)
        {
            checks.Add(Fail("proof", ProblemCode.MalformedProof, "The document has no proof."));
            return false;
        }
        if (items.Length > MaxProofs)
        {
            // Each proof costs two canonicalizations and a resolution: bound the work one request can cause.
            checks.Add(Fail("proof", ProblemCode.MalformedProof, $"The document has {items.Length} proofs; at most {MaxProofs} are checked."));
            return false;
        }
        var anyRdfc = false;
        var controllers = new List<(string Label, string Controller)>();
        for (var i = 0; i < items.Length; i++)
        {
            var label = items.Length == 1 ? "proof" : $"proof[{i}]";
            if (items[i].ValueKind != JsonValueKind.Object)
            {
                checks.Add(Fail(label, ProblemCode.MalformedProof, "A proof must be an object."));
                continue;
            }
            anyRdfc |= items[i].GetString("cryptosuite"u8) is { } suiteName
                       && (suiteName.Contains("-rdfc-", StringComparison.Ordinal) || suiteName == DataIntegrity.SelectiveDisclosure.EcdsaSd2023.SuiteName);
            if (await CheckOneAsync(document, items[i], label, expectedPurpose, relationship, options, now, presentation, checks, cancellationToken).ConfigureAwait(false) is { } controller)
                controllers.Add((label, controller));
        }
        if (!anyRdfc) CheckJsonLd(document, checks);
        // Only over proofs that verified: when none did, their own failures already say why.
        if (options.RequireControllerMatch && expectedController is not null && controllers.Count > 0)
            checks.Add(CheckController(expectedController, controllers, presentation ? "holder" : "issuer", options.StrictIssuerBinding));
        return expectedController is not null && controllers.Exists(c => c.Controller == expectedController);
    }

    /// <summary>
    /// The issuer (holder) controls the method of at least one proof that verified (DI 1.0 "Relationship to Verifiable
    /// Credentials"; VC DM 2.0 issuer validation). Other proofs of a set (co-signers, notaries) need only verify. A
    /// party that is not a DID has no controller document here, so the association is reported as not established.
    /// </summary>
    private static CheckResult CheckController(string expected, List<(string Label, string Controller)> controllers, string role, bool strict)
    {
        if (controllers.Find(c => c.Controller == expected) is { Label: { } label })
            return new CheckResult("controller", true, $"the {role} controls the method of {label}");
        var actual = string.Join(", ", controllers.Select(c => CompositeDidResolver.Truncate(c.Controller)).Distinct());
        if (expected.StartsWith("did:", StringComparison.Ordinal) || strict)
            return Fail("controller", ProblemCode.ControllerMismatch,
                $"No proof's method is controlled by the {role} {CompositeDidResolver.Truncate(expected)}; controlled by {actual}.");
        return new CheckResult("controller", true,
            $"not established: the {role} {CompositeDidResolver.Truncate(expected)} is not a DID, so the keys it controls are not known here; the proofs' methods are controlled by {actual}");
    }

    // JCS proofs never expand the document; VC DM 2.0 still requires it to be valid JSON-LD with known contexts.
    private void CheckJsonLd(JsonElement document, List<CheckResult> checks)
    {
        try
        {
            proofs.Canonicalizer.CanonicalizeUnsecured(document, System.Security.Cryptography.HashAlgorithmName.SHA256);
            checks.Add(new CheckResult("jsonLd", true, "The document is valid JSON-LD over bundled contexts."));
        }
        catch (CanonicalizationException e) { checks.Add(Fail("jsonLd", e.Code, e.Message)); }
    }

    // Checks one proof; returns the controller of its method when the signature verified and the method is authorized.
    private async Task<string?> CheckOneAsync(JsonElement document, JsonElement proof, string label, string expectedPurpose,
        VerificationRelationship relationship, VerificationOptions options, DateTimeOffset now,
        bool presentation, List<CheckResult> checks, CancellationToken cancellationToken)
    {
        // DI §4.4 step 1–3: structure of the proof.
        if (proof.GetString("type"u8) != "DataIntegrityProof")
        {
            checks.Add(Fail(label, ProblemCode.MalformedProof, $"proof.type must be DataIntegrityProof, not '{proof.GetString("type"u8)}'."));
            return null;
        }
        var suiteName = proof.GetString("cryptosuite"u8);
        if (proofs.FindSuite(suiteName) is null)
        {
            checks.Add(Fail(label, ProblemCode.UnsupportedCryptosuite, $"Cryptosuite '{suiteName}' is not supported."));
            return null;
        }
        var purpose = proof.GetString("proofPurpose"u8);
        checks.Add(purpose == expectedPurpose
            ? new CheckResult(label + ".proofPurpose", true, expectedPurpose)
            : Fail(label + ".proofPurpose", ProblemCode.MismatchedProofPurpose, $"proofPurpose is '{purpose}', expected '{expectedPurpose}'."));

        DateTimeOffset? created = null;
        if (proof.Get("created"u8).Exists())
        {
            if (!JsonInput.TryParseDateTime(proof.GetString("created"u8), out var c))
            {
                checks.Add(Fail(label, ProblemCode.InvalidProofDatetime, "proof.created is not an XML Schema dateTime."));
                return null;
            }
            created = c;
        }
        if (proof.Get("expires"u8).Exists())
        {
            if (!JsonInput.TryParseDateTime(proof.GetString("expires"u8), out var expires))
            {
                checks.Add(Fail(label, ProblemCode.InvalidProofDatetime, "proof.expires is not an XML Schema dateTime."));
                return null;
            }
            if (expires < now) checks.Add(Fail(label + ".expires", ProblemCode.InvalidProofDatetime, $"The proof expired at {proof.GetString("expires"u8)}."));
        }
        if (presentation || options.Challenge is not null)
        {
            // DI §4.4 step: challenge and domain must match what the verifier expects.
            if (options.Challenge is not null)
                checks.Add(proof.GetString("challenge"u8) == options.Challenge
                    ? new CheckResult(label + ".challenge", true)
                    : Fail(label + ".challenge", ProblemCode.InvalidChallenge, "The proof's challenge differs from the verifier's."));
            if (options.Domain is not null)
                checks.Add(JsonInput.Strings(proof.Get("domain"u8)).Contains(options.Domain)
                    ? new CheckResult(label + ".domain", true)
                    : Fail(label + ".domain", ProblemCode.InvalidDomain, "The proof's domain differs from the verifier's."));
        }

        var methodId = proof.GetString("verificationMethod"u8);
        if (!JsonInput.IsUrl(methodId))
        {
            checks.Add(Fail(label, ProblemCode.MalformedProof, "proof.verificationMethod must be a URL."));
            return null;
        }
        var hash = methodId!.IndexOf('#');
        var did = hash < 0 ? methodId : methodId[..hash];
        DidResolutionResult resolution;
        try
        {
            // The controller's document as it was when the proof was made: keys rotated later stay valid for old proofs.
            resolution = await resolver.ResolveAsync(did, new DidResolutionOptions { VersionTime = created }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A host resolver (e.g. a ledger client) failing in its own way is still a resolution failure.
            checks.Add(Fail(label, ProblemCode.VerificationMethodResolutionError, $"Resolving {CompositeDidResolver.Truncate(did)} failed: {e.GetType().Name}: {e.Message}"));
            return null;
        }
        if (resolution.DidResolutionMetadata.Error is not null || resolution.DidDocument is null)
        {
            checks.Add(Fail(label, ProblemCode.VerificationMethodResolutionError,
                $"Resolving {CompositeDidResolver.Truncate(did)} failed ({resolution.DidResolutionMetadata.Error ?? "no document"}): {resolution.DidResolutionMetadata.Message}"));
            return null;
        }
        if (resolution.DidResolutionMetadata.IndexFreshness is { Stale: true } stale)
        {
            // The ledger could not be asked: whether the key was authorized when the proof was made, or has been
            // revoked since the last known block, is unknown. Never "verified" on that, unless the caller accepts
            // state of a bounded age that reaches the proof's time — and then the answer says what it rests on.
            var known = $"block {stale.IndexedToBlock} ({stale.IndexedBlockTime ?? "time unknown"})";
            if (!CoversProofTime(stale, created))
            {
                checks.Add(Fail(label, ProblemCode.VerificationMethodResolutionError,
                    $"{CompositeDidResolver.Truncate(did)}: the ledger is unavailable and its state is known only up to {known}, not at the proof's creation: indeterminate ({stale.Reason})."));
                return null;
            }
            if (options.MaxStaleness is not { } max || stale.SecondsSinceLastSync is not { } age || age > max.TotalSeconds)
            {
                checks.Add(Fail(label, ProblemCode.VerificationMethodResolutionError,
                    $"{CompositeDidResolver.Truncate(did)}: the ledger is unavailable; its last known state is {known}" +
                    $", synced {(stale.SecondsSinceLastSync is { } s ? s + " s ago" : "at an unknown time")}" +
                    (options.MaxStaleness is { } m ? $", older than the accepted {(long)m.TotalSeconds} s" : " (no staleness accepted)") +
                    $": indeterminate ({stale.Reason})."));
                return null;
            }
            checks.Add(new CheckResult(label + ".ledgerState", true,
                $"the ledger is unavailable: resting on {known}, synced {age} s ago (accepted staleness {(long)max.TotalSeconds} s)"));
        }
        if (resolution.DidDocumentMetadata.Deactivated)
        {
            // A deactivated DID (DID Core §7.1.3) has no keys to verify with, whatever its document still lists.
            checks.Add(Fail(label, ProblemCode.VerificationMethodResolutionError, $"{CompositeDidResolver.Truncate(did)} is deactivated."));
            return null;
        }
        var didDocument = resolution.DidDocument;
        var method = didDocument.FindVerificationMethod(methodId);
        string? renumbered = null;
        if (method is null && created is { } at && !resolution.DidDocumentMetadata.Deactivated)
        {
            // A change in the proof's own second may have given the named key a new id (see the helper).
            try { method = await resolver.RenumberedAtProofTimeAsync(did, didDocument, methodId, relationship, at, cancellationToken).ConfigureAwait(false); }
            catch (Exception e) when (e is not OperationCanceledException) { method = null; } // then "not in its DID document", below
            if (method is not null) renumbered = $" (named {CompositeDidResolver.Truncate(method.Id)} after a change in the proof's second)";
        }
        if (method?.Key is null)
        {
            checks.Add(Fail(label, ProblemCode.VerificationMethodResolutionError,
                method is null ? $"{CompositeDidResolver.Truncate(methodId)} is not in its DID document." : $"{CompositeDidResolver.Truncate(methodId)} has no supported public key."));
            return null;
        }

        var signatureValid = false;
        try
        {
            signatureValid = proofs.VerifySignature(document, proof, method.Key);
            checks.Add(signatureValid
                ? new CheckResult(label, true, $"{suiteName} signature by {methodId}")
                : Fail(label, ProblemCode.ProofVerificationError, "The signature does not verify: the document or its proof was modified, or the key is wrong."));
        }
        catch (CredentialException e) { checks.Add(Fail(label, e.Code, e.Detail)); }
        catch (System.Security.Cryptography.CryptographicException e) { checks.Add(Fail(label, ProblemCode.ProofVerificationError, "The signature could not be checked: " + e.Message)); }

        // Separate from the signature: is this method authorized for this purpose by its controller?
        var relName = DidDocument.PropertyName(relationship);
        if (didDocument.Authorized(relationship, method.Id) is null)
        {
            checks.Add(Fail(label + ".verificationMethod", ProblemCode.VerificationMethodNotAuthorized,
                $"{CompositeDidResolver.Truncate(methodId)} is not listed under {relName} in {CompositeDidResolver.Truncate(did)}" + (created is { } t ? $" at {JsonInput.FormatDateTime(t)}." : ".")));
            return null;
        }
        checks.Add(new CheckResult(label + ".verificationMethod", true, $"{relName} of {CompositeDidResolver.Truncate(method.Controller)}{renumbered}"));
        return signatureValid ? method.Controller : null;
    }

    internal static CheckResult Fail(string check, ProblemCode code, string detail) =>
        new(check, false, detail, ProblemDetail.Of(code, detail));

    /// <summary>
    /// Whether a stale ledger index still answers for the proof's time: the ledger's state is known up to its last
    /// sync (at that moment the head was the indexed block, so nothing changed before it), or up to the indexed
    /// block's own time, whichever is later.
    /// </summary>
    private static bool CoversProofTime(IndexFreshness stale, DateTimeOffset? created) =>
        created is { } t && (Parse(stale.IndexedBlockTime) >= t || Parse(stale.LastSyncedAt) >= t);

    private static DateTimeOffset? Parse(string? time) =>
        time is not null && DateTimeOffset.TryParse(time, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
