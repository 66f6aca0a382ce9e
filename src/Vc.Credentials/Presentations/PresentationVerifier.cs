using System.Text.Json.Nodes;
using Vc.Credentials.DataIntegrity;
using Vc.Credentials.Dids;
using Vc.Credentials.Json;
using Vc.Credentials.Model;
using Vc.Credentials.Verification;

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
    public Task<VerificationResult> VerifyAsync(string presentationJson, VerificationOptions options, CancellationToken cancellationToken = default)
    {
        System.Text.Json.JsonDocument document;
        JsonObject vp;
        try { (document, vp) = JsonInput.ParseDocument(presentationJson); }
        catch (CredentialException e) { return Task.FromResult(VerificationResult.FromChecks([ProofChecker.Fail("parse", e.Code, e.Detail)])); }
        return VerifyParsedAsync(document, vp, options, cancellationToken);
    }

    // The object is a lazy view over the document, which lives until verification ends.
    private async Task<VerificationResult> VerifyParsedAsync(System.Text.Json.JsonDocument document, JsonObject vp, VerificationOptions options, CancellationToken cancellationToken)
    {
        using (document)
            return await VerifyOwnedAsync(vp, options, cancellationToken, document.RootElement).ConfigureAwait(false);
    }

    /// <summary>Verifies a presentation read in place from a parsed document (which must outlive the call): the
    /// presentation and its credentials are canonicalized from their elements, without copies.</summary>
    public Task<VerificationResult> VerifyAsync(System.Text.Json.JsonElement presentation, VerificationOptions options, CancellationToken cancellationToken = default)
    {
        if (presentation.ValueKind != System.Text.Json.JsonValueKind.Object)
            return Task.FromResult(VerificationResult.FromChecks([ProofChecker.Fail("parse", ProblemCode.ParsingError, "The presentation is not a JSON object.")]));
        return VerifyOwnedAsync(JsonObject.Create(presentation)!, options, cancellationToken, presentation);
    }

    /// <summary>Verifies a presentation (the object is not modified).</summary>
    public Task<VerificationResult> VerifyAsync(JsonObject presentation, VerificationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(presentation);
        return VerifyOwnedAsync((JsonObject)presentation.DeepClone(), options, cancellationToken);
    }

    // parsed: the element vp is a view of, if any (then credentials are read in place too).
    private async Task<VerificationResult> VerifyOwnedAsync(JsonObject vp, VerificationOptions options, CancellationToken cancellationToken,
        System.Text.Json.JsonElement? parsed = null)
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
            options, now, presentation: true, checks, cancellationToken, parsed).ConfigureAwait(false);

        var embedded = JsonInput.Items(vp["verifiableCredential"]).OfType<JsonObject>().ToArray();
        var elements = EmbeddedElements(parsed);
        if (embedded.Length > MaxCredentials)
        {
            checks.Add(ProofChecker.Fail("credential", ProblemCode.MalformedValue, $"More than {MaxCredentials} credentials."));
            return VerificationResult.FromChecks(checks);
        }

        if (options.RequireHolderBinding && embedded.Length > 0)
        {
            // Holder binding: each credential must be about the holder who signed the presentation.
            var unbound = embedded
                .SelectMany(c => JsonInput.Items(c["credentialSubject"]).OfType<JsonObject>().Select(s => s.GetString("id")))
                .Where(id => holder is null || id != holder).ToArray();
            checks.Add(unbound.Length == 0
                ? new CheckResult("holderBinding", true, $"all subjects are {holder}")
                : ProofChecker.Fail("holderBinding", ProblemCode.HolderBindingError,
                    holder is null ? "The presentation names no holder." : $"Credential subject(s) {string.Join(", ", unbound.Select(u => u ?? "(no id)"))} are not the holder {holder}."));
        }

        var results = new List<VerificationResult>();
        var credentialOptions = options with { Challenge = null, Domain = null };
        for (var i = 0; i < embedded.Length; i++)
        {
            var r = elements?.Length == embedded.Length
                ? await credentials.VerifyOwnedAsync(embedded[i], credentialOptions, 0, cancellationToken, elements[i]).ConfigureAwait(false)
                : await credentials.VerifyOwnedAsync((JsonObject)embedded[i].DeepClone(), credentialOptions, 0, cancellationToken).ConfigureAwait(false);
            results.Add(r);
            checks.Add(r.Verified
                ? new CheckResult($"credential[{i}]", true, embedded[i].GetString("id"))
                : ProofChecker.Fail($"credential[{i}]", ProblemCode.EmbeddedCredentialInvalid,
                    $"Credential {i} ({embedded[i].GetString("id") ?? "no id"}) failed: " + string.Join("; ", r.ProblemDetails.Select(p => $"{p.Title}: {p.Detail}"))));
        }
        return VerificationResult.FromChecks(checks, results);
    }

    // The embedded credentials' elements, in the order JsonInput.Items(...).OfType<JsonObject>() gives their views.
    private static System.Text.Json.JsonElement[]? EmbeddedElements(System.Text.Json.JsonElement? parsed)
    {
        if (parsed is not { } vp || !vp.TryGetProperty("verifiableCredential", out var value)) return null;
        return value.ValueKind switch
        {
            System.Text.Json.JsonValueKind.Object => [value],
            System.Text.Json.JsonValueKind.Array => value.EnumerateArray().Where(e => e.ValueKind == System.Text.Json.JsonValueKind.Object).ToArray(),
            _ => null,
        };
    }
}
