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
            ? new CheckResult("dataModel", true, "VC Data Model 2.0 presentation")
            : ProofChecker.Fail("dataModel", ProblemCode.MalformedValue, string.Join(" ", violations)));

        var holder = DataModel.HolderId(vp);
        await credentials.Proofs.CheckAsync(vp, ProofPurposes.Authentication, VerificationRelationship.Authentication, holder,
            options, now, presentation: true, checks, cancellationToken).ConfigureAwait(false);

        var embedded = JsonInput.Items(vp.Get("verifiableCredential"u8)).Where(c => c.ValueKind == JsonValueKind.Object).ToArray();
        if (embedded.Length > MaxCredentials)
        {
            checks.Add(ProofChecker.Fail("credential", ProblemCode.MalformedValue, $"More than {MaxCredentials} credentials."));
            return VerificationResult.FromChecks(checks);
        }

        if (options.RequireHolderBinding && embedded.Length > 0)
        {
            // Holder binding: each credential must be about the holder who signed the presentation.
            var unbound = embedded
                .SelectMany(c => JsonInput.Items(c.Get("credentialSubject"u8)).Where(s => s.ValueKind == JsonValueKind.Object).Select(s => s.GetString("id"u8)))
                .Where(id => holder is null || id != holder).ToArray();
            checks.Add(unbound.Length == 0
                ? new CheckResult("holderBinding", true, $"all subjects are {holder}")
                : ProofChecker.Fail("holderBinding", ProblemCode.HolderBindingError,
                    holder is null ? "The presentation names no holder." : $"Credential subject(s) {string.Join(", ", unbound.Select(u => u ?? "(no id)"))} are not the holder {holder}."));
        }

        var results = new List<VerificationResult>();
        // Status lists named by the credentials are fetched only when the presentation itself verified (SSRF).
        var presentationVerified = checks.TrueForAll(c => c.Valid);
        var credentialOptions = options with { Challenge = null, Domain = null, CheckStatus = options.CheckStatus && presentationVerified };
        for (var i = 0; i < embedded.Length; i++)
        {
            var r = await credentials.VerifyOwnedAsync(embedded[i], credentialOptions, 0, cancellationToken).ConfigureAwait(false);
            results.Add(r);
            checks.Add(r.Verified
                ? new CheckResult($"credential[{i}]", true, embedded[i].GetString("id"u8))
                : ProofChecker.Fail($"credential[{i}]", ProblemCode.EmbeddedCredentialInvalid,
                    $"Credential {i} ({embedded[i].GetString("id"u8) ?? "no id"}) failed: " + string.Join("; ", r.ProblemDetails.Select(p => $"{p.Title}: {p.Detail}"))));
        }
        return VerificationResult.FromChecks(checks, results);
    }
}
