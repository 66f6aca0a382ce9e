using System.Text.Json.Nodes;
using Vc.Interop.Dcc;
using Vc.Rules;

namespace Vc.Interop.Hcert;

/// <summary>Which business rules to apply: a rule set, the arrival country (ISO 3166-1 alpha-2) and its region.</summary>
public sealed record HcertRules(DccRuleSet RuleSet, string Country, string? Region = null);

/// <summary>
/// EU DCC business rules after the cryptographic checks (EU DCC validation: the arrival country's Acceptance rules
/// and the issuing country's Invalidation rules, CertLogic over {payload, external}). A rule that fails or cannot be
/// evaluated makes the verdict not valid (<see cref="HcertFailure.BusinessRule"/>), and so does asking for a country
/// the rule set holds no acceptance rule of (a typo must not read as "no restrictions").
/// </summary>
public static class HcertBusinessRules
{
    /// <summary>The result with the BusinessRules step and every applied rule's outcome added. Nothing is evaluated
    /// when the signature did not verify (the payload is not the issuer's).</summary>
    public static HcertVerificationResult Apply(HcertVerificationResult result, HcertRules rules, DccValueSets valueSets)
    {
        if (!result.Passed(HcertStep.Signature)) return result;
        if (result.PayloadType != HcertPayloadType.EuDcc || result.EuDcc is not { } dcc)
            return With(result, new HcertStepResult(HcertStep.BusinessRules, HcertFailure.None,
                $"not an EU DCC ({result.PayloadType}): DCC business rules do not apply"), []);
        var country = rules.Country.ToUpperInvariant();
        if (!rules.RuleSet.Rules.Any(r => r.Type == DccRuleType.Acceptance && string.Equals(r.Country, country, StringComparison.OrdinalIgnoreCase)))
            return With(result, new HcertStepResult(HcertStep.BusinessRules, HcertFailure.BusinessRule,
                $"the rule set holds no acceptance rule of {country}"), []);
        var context = new DccRuleContext
        {
            CountryCode = country,
            Region = rules.Region,
            IssuerCountryCode = IssuerCountry(result),
            ValidationClock = result.Clock,
            IssuedAt = result.Claims?.IssuedAtTime,
            ExpiresAt = result.Claims?.ExpirationTime,
            Kid = result.Cose is { } cose ? Convert.ToBase64String(cose.Kid.Span) : null,
        };
        var report = rules.RuleSet.Apply(JsonNode.Parse(dcc.GetRawText())!, context, valueSets.ToRulesJson());
        var step = report.FirstFailure is { } failed
            ? new HcertStepResult(HcertStep.BusinessRules, HcertFailure.BusinessRule, failed.Error is { } error
                ? $"{failed.Rule.Identifier} could not be evaluated: {error}"
                : $"{failed.Rule.Identifier} ({failed.Rule.Type.ToString().ToLowerInvariant()}, {failed.Rule.Country}) fails: {failed.Rule.Description}")
            : new HcertStepResult(HcertStep.BusinessRules, HcertFailure.None, $"{report.Outcomes.Count} rules of {country}" +
                (context.IssuerCountryCode is { } i ? $" and {i}" : "") + " pass");
        return With(result, step, report.Outcomes);
    }

    /// <summary>The issuing country: the CWT iss when it is an alpha-2 code, else the DSC's country.</summary>
    private static string? IssuerCountry(HcertVerificationResult result)
    {
        static bool Alpha2(string? c) => c is { Length: 2 } && c.All(char.IsAsciiLetterUpper);
        if (Alpha2(result.Claims?.Issuer)) return result.Claims!.Issuer;
        return result.Signer?.Country is { } c && Alpha2(c.ToUpperInvariant()) ? c.ToUpperInvariant() : null;
    }

    private static HcertVerificationResult With(HcertVerificationResult result, HcertStepResult step, IReadOnlyList<DccRuleOutcome> outcomes)
    {
        var steps = result.Steps.Append(step).ToList();
        var first = steps.FirstOrDefault(s => !s.Passed);
        return result with { Steps = steps, Rules = outcomes, Outcome = first?.Failure ?? HcertFailure.None, Reason = first?.Detail };
    }

    /// <summary>The report form of each outcome: identifier, type, country, version, result, passed, English description.</summary>
    public static JsonArray ToJson(IReadOnlyList<DccRuleOutcome> outcomes) => new(outcomes.Select(o => (JsonNode)new JsonObject
    {
        ["identifier"] = o.Rule.Identifier,
        ["type"] = o.Rule.Type.ToString(),
        ["country"] = o.Rule.Country,
        ["version"] = o.Rule.VersionText,
        ["certificateType"] = o.Rule.CertificateType,
        ["result"] = o.Result,
        ["passed"] = o.Passed,
        ["description"] = o.Rule.Description,
        ["error"] = o.Error,
    }).ToArray());
}
