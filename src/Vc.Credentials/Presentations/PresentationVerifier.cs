using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.Credentials.DataIntegrity;
using Vc.Credentials.Json;
using Vc.Credentials.Model;
using Vc.Credentials.Verification;
using Vc.Did.Core;

namespace Vc.Credentials.Presentations;

/// <summary>
/// Verifies presentations: data model, the holder's authentication proof with challenge and domain,
/// holder binding (every credential subject is the holder), and every embedded credential.
/// </summary>
public sealed class PresentationVerifier(CredentialVerifier credentials, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Maximum number of embedded credentials checked (bounds the work per request).</summary>
    public const int MaxCredentials = 64;

    /// <summary>Verifies a presentation given as JSON text.</summary>
    public Task<VerificationResult> VerifyAsync(string presentationJson, VerificationOptions options, CancellationToken cancellationToken = default) =>
        VerifierInput.FromText(presentationJson, vp => VerifyOwnedAsync(vp, options, cancellationToken));

    /// <summary>Verifies a presentation read in place from a parsed document (which must outlive the call): the
    /// presentation and its credentials are canonicalized from their elements, without copies.</summary>
    public Task<VerificationResult> VerifyAsync(JsonElement presentation, VerificationOptions options, CancellationToken cancellationToken = default) =>
        VerifierInput.FromElement(presentation, "presentation", vp => VerifyOwnedAsync(vp, options, cancellationToken));

    /// <summary>Verifies a presentation (the object is not modified).</summary>
    public Task<VerificationResult> VerifyAsync(JsonObject presentation, VerificationOptions options, CancellationToken cancellationToken = default) =>
        VerifierInput.FromNode(presentation, vp => VerifyOwnedAsync(vp, options, cancellationToken));

    private async Task<VerificationResult> VerifyOwnedAsync(JsonElement vp, VerificationOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var now = options.Now ?? _time.GetUtcNow();
        var checks = new List<CheckResult>();
        var violations = DataModel.ValidatePresentation(vp);
        checks.Add(violations.Count == 0
            ? new CheckResult("dataModel", true, "VC Data Model " + DataModel.Version(vp) + " presentation")
            : ProofChecker.Fail("dataModel", ProblemCode.MalformedValue, string.Join(" ", violations)));

        // VC DM 2.0 §4.13: holder is optional. With one, the holder must control the proof's method (the controller check).
        var holder = DataModel.HolderId(vp);
        var secured = vp.Get("proof"u8).Exists();
        var holderControls = false;
        if (secured)
            holderControls = await credentials.Proofs.CheckAsync(vp, ProofPurposes.Authentication, VerificationRelationship.Authentication, holder,
                options, now, presentation: true, checks, cancellationToken).ConfigureAwait(false);
        else if (options.Challenge is not null || options.Domain is not null)
            // A challenge or domain is answered only by a proof: without one the presentation could be a replay.
            checks.Add(ProofChecker.Fail("proof", ProblemCode.MalformedProof, "The verifier asked for a challenge / domain, but the presentation has no proof."));
        else
            // VC DM 2.0 §4.13 allows a presentation without a proof; nothing then shows who presented it.
            checks.Add(new CheckResult("proof", true, "none: an unsecured presentation (nothing proves who presented it)"));

        var embedded = JsonInput.Items(vp.Get("verifiableCredential"u8)).Where(c => c.ValueKind == JsonValueKind.Object).ToArray();
        if (embedded.Length > MaxCredentials)
        {
            checks.Add(ProofChecker.Fail("credential", ProblemCode.MalformedValue, $"More than {MaxCredentials} credentials."));
            return VerificationResult.FromChecks(checks);
        }

        if (options.RequireHolderBinding)
        {
            // Holder binding, on request only (not a VC DM 2.0 rule): each credential must be about the holder.
            var unbound = embedded
                .SelectMany(c => JsonInput.Items(c.Get("credentialSubject"u8)).Where(s => s.ValueKind == JsonValueKind.Object).Select(s => s.GetString("id"u8)))
                .Where(id => holder is null || id != holder).ToArray();
            checks.Add(unbound.Length == 0 && holder is not null
                ? new CheckResult("holderBinding", true, $"all subjects are {holder}")
                : ProofChecker.Fail("holderBinding", ProblemCode.HolderBindingError,
                    holder is null ? "Holder binding was asked for, but the presentation names no holder." : $"Credential subject(s) {string.Join(", ", unbound.Select(u => u ?? "(no id)"))} are not the holder {holder}."));
        }

        var results = new List<VerificationResult>();
        // Status lists named by the credentials are fetched only when the presentation itself verified (SSRF).
        var presentationVerified = checks.TrueForAll(c => c.Valid);
        // The holder demonstrably signed: only then are its own unsigned credentials covered by the presentation's proof.
        var holderSigned = presentationVerified && holderControls;
        var credentialOptions = options with { Challenge = null, Domain = null, CheckStatus = options.CheckStatus && presentationVerified };
        for (var i = 0; i < embedded.Length; i++)
        {
            var c = embedded[i];
            var label = $"credential[{i}]";
            if (!c.Get("proof"u8).Exists())
            {
                var (result, check) = Unsecured(c, label, holder, holderSigned, options);
                results.Add(result);
                checks.Add(check);
                continue;
            }
            var r = await credentials.VerifyOwnedAsync(c, credentialOptions, 0, cancellationToken).ConfigureAwait(false);
            results.Add(r);
            checks.Add(r.Verified
                ? new CheckResult(label, true, c.GetString("id"u8))
                : ProofChecker.Fail(label, ProblemCode.EmbeddedCredentialInvalid,
                    $"Credential {i} ({c.GetString("id"u8) ?? "no id"}) failed: " + string.Join("; ", r.ProblemDetails.Select(p => $"{p.Title}: {p.Detail}"))));
        }
        return VerificationResult.FromChecks(checks, results);
    }

    /// <summary>
    /// An embedded credential without a proof. Issued by the holder who signed the presentation, its claims are
    /// self-asserted and secured by the presentation's proof (VC DM 2.0 §4.13 "holder claims"). Otherwise, or in an
    /// envelope (§4.13.1) this verifier cannot open, nothing secures it: its own result is not verified, and the
    /// presentation reports it as unsecured, failing only when the verifier requires secured credentials.
    /// </summary>
    private static (VerificationResult Result, CheckResult Check) Unsecured(JsonElement c, string label, string? holder, bool holderSigned, VerificationOptions options)
    {
        var enveloped = JsonInput.Strings(c.Get("type"u8)).Contains("EnvelopedVerifiableCredential");
        if (!enveloped && holderSigned && DataModel.IssuerId(c) == holder)
        {
            var violations = DataModel.ValidateCredential(c);
            var own = violations.Count == 0
                ? new CheckResult("proof", true, "self-asserted by the holder, secured by the presentation's proof")
                : ProofChecker.Fail("dataModel", ProblemCode.MalformedValue, string.Join(" ", violations));
            return (VerificationResult.FromChecks([own]), own.Valid
                ? new CheckResult(label, true, "self-asserted by the holder (secured by the presentation's proof)")
                : ProofChecker.Fail(label, ProblemCode.EmbeddedCredentialInvalid, $"Credential {label}: {own.Detail}"));
        }
        var why = enveloped
            ? "an enveloped credential (VC DM 2.0 §4.13.1) this verifier cannot open: not verified"
            : "no proof, and not self-asserted by a holder who signed the presentation: its claims are not verified";
        var result = VerificationResult.FromChecks([ProofChecker.Fail("proof", enveloped ? ProblemCode.UnsupportedCryptosuite : ProblemCode.MalformedProof, why)]);
        return (result, options.RequireSecuredCredentials
            ? ProofChecker.Fail(label, ProblemCode.EmbeddedCredentialInvalid, $"Unsecured credential: {why}.")
            : new CheckResult(label, true, $"unsecured: {why} (see credentialResults)"));
    }
}
