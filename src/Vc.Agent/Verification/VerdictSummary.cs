using System.Globalization;
using System.Text.Json.Nodes;
using Vc.Credentials.Icvp;
using Vc.Credentials.Verification;
using Vc.Interop.Hcert;
using Vc.Interop.Icvp;

namespace Vc.Agent;

/// <summary>
/// The answer at a glance that a verifier (the web page, a border officer) shows above the detailed checks: one of
/// four states, the deciding reason, the issuer, the validity timeline and the ICVP content. Derived here, once, from
/// the verification result, so the page, the CLI and the HTTP answer cannot disagree (the page has no verdict logic).
/// </summary>
public static class VerdictSummary
{
    /// <summary>Every check passed.</summary>
    public const string Valid = "valid";
    /// <summary>A check failed for good (signature, revoked, expired, malformed...).</summary>
    public const string NotValid = "not-valid";
    /// <summary>Only the validity start is in the future (e.g. yellow fever before day 10, IHR Annex 7).</summary>
    public const string NotYetValid = "not-yet-valid";
    /// <summary>Nothing failed for good, but a needed fact is unknown (ledger unreachable, status list unavailable).</summary>
    public const string CannotTell = "cannot-tell";

    /// <summary>The state of a credential's (or presentation's) verification result.</summary>
    public static string StatusOf(VerificationResult result) => result.Verified ? Valid : Classify(Flatten(result).ToArray()).Status;

    /// <summary>A credential's (or presentation's) summary; <paramref name="document"/> is what was verified.</summary>
    public static JsonObject OfCredential(VerificationResult result, JsonObject? trust, JsonObject document)
    {
        var problems = Flatten(result).ToArray();
        var (status, reason) = result.Verified ? (Valid, "every check passed") : Classify(problems);
        var credential = FirstCredential(document);
        var summary = new JsonObject { ["status"] = status, ["reason"] = reason };
        var issuer = credential is null ? null : Vc.Credentials.Model.DataModel.IssuerId(credential);
        if (issuer is not null)
            summary["issuer"] = new JsonObject { ["id"] = issuer, ["country"] = trust?["country"]?.GetValue<string>() ?? IcvpOf(credential!)?.Dose.Issuer };
        // Content is shown only when the signatures held: an unverified document's claims are nobody's word.
        if (credential is not null && status is Valid or NotYetValid && IcvpOf(credential) is { } icvp)
        {
            summary["timeline"] = Timeline(Iso(icvp.Dose.Date), Iso(icvp.ValidFrom), icvp.Dose.ValidUntil is { } u ? Iso(u) : null, icvp.Lifelong);
            summary["icvp"] = Content(icvp.Holder.Name, icvp.Holder.Dob, icvp.Dose.Disease, icvp.Dose.ProductId, Iso(icvp.Dose.Date),
                icvp.Dose.DoseNumber, icvp.Dose.BatchNo, icvp.Dose.Issuer, icvp.Dose.ClinicianName);
            if (Hc1Evidence(credential) is { } evidence) summary["bridged"] = evidence;
        }
        return summary;
    }

    /// <summary>An HCERT's summary: the DSC as issuer, and the ICVP content of an ICVP payload.</summary>
    public static JsonObject OfHcert(HcertVerificationResult result, JsonObject? ledgerTrust)
    {
        var (status, reason) = result.Outcome switch
        {
            HcertFailure.None => (Valid, "every step passed"),
            HcertFailure.NotYetValid => (NotYetValid, Reason(result)),
            _ => (NotValid, Reason(result)),
        };
        var summary = new JsonObject { ["status"] = status, ["reason"] = reason };
        if (result.Signer is { } signer)
            summary["issuer"] = new JsonObject
            {
                ["dsc"] = signer.Certificate.Subject, ["country"] = signer.Country ?? ledgerTrust?["country"]?.GetValue<string>(),
                ["kid"] = Convert.ToBase64String(signer.Kid), ["source"] = signer.Source.ToString(),
            };
        if (status is Valid or NotYetValid && result.Icvp is { } icvp)
        {
            var v = icvp.Vaccination;
            var lifelong = v.ValidUntil is null && IcvpCatalogue.V1.FindDisease(v.Disease)?.Code == IcvpCatalogue.YellowFever;
            summary["timeline"] = Timeline(v.Date, v.ValidFrom, v.ValidUntil, lifelong);
            summary["icvp"] = Content(icvp.Name, icvp.DateOfBirth, v.Disease, v.ProductId, v.Date, v.DoseNumber, v.BatchNo, v.Issuer, v.ClinicianName);
        }
        if (result.Claims is { } claims)
            summary["signed"] = new JsonObject
            {
                ["issuedAt"] = claims.IssuedAtTime?.ToString("O", CultureInfo.InvariantCulture),
                ["expires"] = claims.ExpirationTime?.ToString("O", CultureInfo.InvariantCulture),
            };
        return summary;
    }

    /// <summary>
    /// The state of a failed verification: any definite failure makes it not valid; otherwise an unknown fact (the
    /// ledger's state at the proof's creation, a status list that could not be fetched) makes it indeterminate; a
    /// validity start in the future alone makes it not yet valid.
    /// </summary>
    private static (string Status, string Reason) Classify(IReadOnlyList<ProblemDetail> problems)
    {
        if (problems.FirstOrDefault(p => p.Code != ProblemCode.NotYetValid && !Indeterminate(p)) is { } definite) return (NotValid, Text(definite));
        if (problems.FirstOrDefault(Indeterminate) is { } unknown) return (CannotTell, Text(unknown));
        if (problems.FirstOrDefault(p => p.Code == ProblemCode.NotYetValid) is { } early) return (NotYetValid, Text(early));
        return (NotValid, "no check ran");
    }

    /// <summary>
    /// Failures that say "unknown", not "wrong": a status list that could not be retrieved (Bitstring Status List
    /// §3.2 STATUS_RETRIEVAL_ERROR), and a DID whose state the ledger could not give (unreachable, or only known up
    /// to a block before the proof: see ProofChecker). A deactivated DID or a missing key stays a definite failure.
    /// </summary>
    private static bool Indeterminate(ProblemDetail p) =>
        p.Code == ProblemCode.StatusRetrievalError
        || (p.Code == ProblemCode.VerificationMethodResolutionError
            && (p.Detail.Contains("indeterminate", StringComparison.Ordinal) || p.Detail.Contains("unreachable", StringComparison.Ordinal)
                || p.Detail.Contains("(internalError)", StringComparison.Ordinal)));

    /// <summary>A presentation's own problems and those of its credentials (the wrapper problem says nothing more).</summary>
    private static IEnumerable<ProblemDetail> Flatten(VerificationResult result)
    {
        foreach (var p in result.ProblemDetails)
            if (p.Code != ProblemCode.EmbeddedCredentialInvalid || result.CredentialResults is null) yield return p;
        foreach (var inner in result.CredentialResults ?? [])
            foreach (var p in Flatten(inner)) yield return p;
    }

    private static JsonObject? FirstCredential(JsonObject document)
    {
        if (document["verifiableCredential"] is not { } embedded) return document;
        var first = embedded is JsonArray a ? a.FirstOrDefault() : embedded;
        // An enveloped credential's content is not read here; the presentation's own result still stands.
        return first as JsonObject;
    }

    private static IcvpCredential? IcvpOf(JsonObject credential)
    {
        try { return IcvpCredential.Read(credential); }
        catch (IcvpValidationException) { return null; }
    }

    /// <summary>The HCERT a bridged credential was made from (its evidence), so both forms are shown.</summary>
    private static JsonObject? Hc1Evidence(JsonObject credential)
    {
        var evidence = credential["evidence"] switch { JsonArray a => a.OfType<JsonObject>(), JsonObject o => [o], _ => [] };
        return evidence.FirstOrDefault(e => e["hc1"] is JsonValue) is { } e
            ? new JsonObject
            {
                ["form"] = "HCERT", ["hc1"] = e["hc1"]!.DeepClone(), ["dscCountry"] = e["dscCountry"]?.DeepClone(),
                ["dscKid"] = e["dscKid"]?.DeepClone(), ["trustSource"] = e["trustSource"]?.DeepClone(), ["verifiedAt"] = e["verifiedAt"]?.DeepClone(),
            }
            : null;
    }

    private static JsonObject Timeline(string? vaccinated, string? validFrom, string? validUntil, bool lifelong) => new()
    {
        ["vaccinated"] = vaccinated, ["validFrom"] = validFrom, ["validUntil"] = validUntil, ["lifelong"] = lifelong,
    };

    private static JsonObject Content(string name, string dob, string? disease, string? productId, string? date, int? dose, string? batch,
        string? issuer, string? clinician)
    {
        var catalogue = IcvpCatalogue.V1;
        var product = catalogue.FindProduct(productId);
        return new JsonObject
        {
            ["name"] = name, ["dateOfBirth"] = dob,
            ["disease"] = disease, ["diseaseName"] = catalogue.FindDisease(disease)?.Display,
            ["vaccine"] = productId, ["vaccineName"] = product is null ? null : $"{product.TradeName} ({product.Manufacturer})",
            ["doseDate"] = date, ["doseNumber"] = dose, ["batch"] = batch, ["issuer"] = issuer, ["clinician"] = clinician,
        };
    }

    private static string Reason(HcertVerificationResult result) => $"{result.Outcome}: {result.Reason}";

    private static string Text(ProblemDetail p) => $"{p.Title}: {p.Detail}";

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
