using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.Interop.Dcc;
using Vc.Interop.Hcert;
using Vc.Interop.TrustLists;
using Vc.Rules;
using Vc.TestSupport;

namespace Vc.Interop.Tests;

/// <summary>
/// Business rules after the cryptographic checks, on a real DEV DCC (dgc-testdata DE/2DCode/raw/1.json: Moderna dose
/// 2/2 given 2021-05-29, issued by DE) and the EU rule set of shared/testdata/dcc-business-rules.
/// </summary>
public sealed class HcertBusinessRulesTests
{
    private static readonly string RulesRoot = TestPaths.TestData("dcc-business-rules", "VCHEALTH_DCC_BUSINESS_RULES");
    private static readonly DccValueSets ValueSets = new();

    private static (string Hc1, HcertVerifier Verifier) DeVaccination()
    {
        var test = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.TestData("dgc-testdata", "VCHEALTH_DGC_TESTDATA"), "DE", "2DCode", "raw", "1.json")))!;
        var cert = X509CertificateLoader.LoadCertificate(Convert.FromBase64String((string)test["TESTCTX"]!["CERTIFICATE"]!));
        return ((string)test["PREFIX"]!, new HcertVerifier(TrustStore.FromCertificates(cert)));
    }

    private static readonly DateTimeOffset Clock = DateTimeOffset.Parse("2021-06-01T18:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    // The gateway schema wants Logic to be an object: constant rules as comparisons.
    private const string Holds = """{"===": [1, 1]}""";
    private const string Fails = """{"===": [1, 2]}""";

    private static JsonObject Rule(string id, string type, string country, string version, string validFrom, string logic) => new()
    {
        ["Identifier"] = id, ["Type"] = type, ["Country"] = country, ["Version"] = version, ["SchemaVersion"] = "1.0.0",
        ["Engine"] = "CERTLOGIC", ["EngineVersion"] = "0.7.5", ["CertificateType"] = "Vaccination",
        ["Description"] = new JsonArray(new JsonObject { ["lang"] = "en", ["desc"] = $"Test rule {id} version {version}." }),
        ["ValidFrom"] = validFrom, ["ValidTo"] = "2030-06-01T00:00:00Z", ["AffectedFields"] = new JsonArray("v.0.mp"),
        ["Logic"] = JsonNode.Parse(logic),
    };

    private static DccRuleSet EuRulesAnd(params JsonObject[] more) =>
        new(DccRuleSet.Load(Path.Combine(RulesRoot, "EU")).Rules.Concat(more.Select(DccRule.FromJson)));

    [Fact]
    public void The_arrival_countrys_acceptance_rules_run_after_the_cryptographic_checks_and_are_reported()
    {
        var (hc1, verifier) = DeVaccination();
        var plain = verifier.Verify(hc1, Clock);
        Assert.True(plain.IsValid, plain.Reason);
        var result = HcertBusinessRules.Apply(plain, new HcertRules(DccRuleSet.Load(Path.Combine(RulesRoot, "EU")), "EU"), ValueSets);
        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(HcertStep.BusinessRules, result.Steps[^1].Step);
        Assert.True(result.Steps[^1].Passed);
        var rules = result.Rules!;
        // At 2021-06-01 the EU set's general and vaccination rules valid then apply; test and recovery rules do not.
        Assert.Contains(rules, o => o.Rule.Identifier == "VR-EU-0002" && o.Result == true);
        Assert.Contains(rules, o => o.Rule.Identifier == "GR-EU-0000");
        Assert.DoesNotContain(rules, o => o.Rule.Identifier.StartsWith("TR-", StringComparison.Ordinal) || o.Rule.Identifier.StartsWith("RR-", StringComparison.Ordinal));
        Assert.All(rules, o => Assert.True(o.Rule.IsValidAt(Clock)));
        Assert.All(rules, o => Assert.False(string.IsNullOrWhiteSpace(o.Rule.Description)));
        var report = new DccVerifyReport(result, [], null, null).ToJson();
        Assert.Equal(rules.Count, report["rules"]!.AsArray().Count);
        Assert.Equal("Vaccination doses must be equal or greater than expected doses.",
            (string?)report["rules"]!.AsArray().Single(r => (string?)r!["identifier"] == "VR-EU-0002")!["description"]);
    }

    [Fact]
    public void The_issuing_countrys_invalidation_rule_makes_the_verdict_not_valid()
    {
        var (hc1, verifier) = DeVaccination();
        var invalidateModerna = Rule("IR-DE-0001", "Invalidation", "DE", "1.0.0", "2021-05-01T00:00:00Z",
            """{"===": [{"var": "payload.v.0.mp"}, "EU/1/20/1507"]}""");
        // An invalidation rule of another country does not apply to a DE certificate.
        var otherCountry = Rule("IR-AT-0001", "Invalidation", "AT", "1.0.0", "2021-05-01T00:00:00Z", Holds);
        var result = HcertBusinessRules.Apply(verifier.Verify(hc1, Clock), new HcertRules(EuRulesAnd(otherCountry), "EU"), ValueSets);
        Assert.True(result.IsValid, result.Reason);
        Assert.DoesNotContain(result.Rules!, o => o.Rule.Identifier == "IR-AT-0001");
        result = HcertBusinessRules.Apply(verifier.Verify(hc1, Clock), new HcertRules(EuRulesAnd(invalidateModerna, otherCountry), "EU"), ValueSets);
        Assert.False(result.IsValid);
        Assert.Equal(HcertFailure.BusinessRule, result.Outcome);
        Assert.Contains("IR-DE-0001", result.Reason);
        var outcome = result.Rules!.Single(o => o.Rule.Identifier == "IR-DE-0001");
        Assert.True(outcome.Result);
        Assert.False(outcome.Passed);
    }

    [Fact]
    public void The_latest_version_valid_at_the_verification_time_is_applied()
    {
        var (hc1, verifier) = DeVaccination();
        var v1 = Rule("VR-XX-0001", "Acceptance", "XX", "1.0.0", "2021-05-01T00:00:00Z", Holds);
        var v2Later = Rule("VR-XX-0001", "Acceptance", "XX", "1.1.0", "2021-07-01T00:00:00Z", Fails);
        var v0 = Rule("VR-XX-0001", "Acceptance", "XX", "0.9.0", "2021-04-01T00:00:00Z", Fails);
        var set = new DccRuleSet(new[] { v0, v1, v2Later }.Select(DccRule.FromJson));
        var early = HcertBusinessRules.Apply(verifier.Verify(hc1, Clock), new HcertRules(set, "XX"), ValueSets);
        Assert.True(early.IsValid, early.Reason);
        Assert.Equal("1.0.0", Assert.Single(early.Rules!).Rule.VersionText);
        var later = HcertBusinessRules.Apply(verifier.Verify(hc1, Clock.AddDays(40)), new HcertRules(set, "XX"), ValueSets);
        Assert.Equal(HcertFailure.BusinessRule, later.Outcome);
        Assert.Equal("1.1.0", Assert.Single(later.Rules!).Rule.VersionText);
    }

    [Fact]
    public void A_rule_that_cannot_be_evaluated_fails_closed()
    {
        var (hc1, verifier) = DeVaccination();
        // "in" on an object is an evaluation error: the verdict is not valid, the rule's result unknown (null).
        var broken = Rule("VR-XX-0002", "Acceptance", "XX", "1.0.0", "2021-05-01T00:00:00Z", """{"in": ["a", {"var": "payload.nam"}]}""");
        var result = HcertBusinessRules.Apply(verifier.Verify(hc1, Clock), new HcertRules(new DccRuleSet([DccRule.FromJson(broken)]), "XX"), ValueSets);
        Assert.Equal(HcertFailure.BusinessRule, result.Outcome);
        var outcome = Assert.Single(result.Rules!);
        Assert.Null(outcome.Result);
        Assert.Contains("could not be evaluated", result.Reason);
    }

    [Fact]
    public void A_country_without_acceptance_rules_in_the_set_is_not_a_pass()
    {
        var (hc1, verifier) = DeVaccination();
        var result = HcertBusinessRules.Apply(verifier.Verify(hc1, Clock), new HcertRules(DccRuleSet.Load(Path.Combine(RulesRoot, "EU")), "ZZ"), ValueSets);
        Assert.Equal(HcertFailure.BusinessRule, result.Outcome);
        Assert.Contains("no acceptance rule of ZZ", result.Reason);
    }

    [Fact]
    public void Nothing_is_evaluated_when_the_signature_does_not_verify()
    {
        var (hc1, _) = DeVaccination();
        var untrusted = new HcertVerifier(new TrustStore([])).Verify(hc1, Clock);
        var result = HcertBusinessRules.Apply(untrusted, new HcertRules(DccRuleSet.Load(Path.Combine(RulesRoot, "EU")), "EU"), ValueSets);
        Assert.Same(untrusted, result);
        Assert.Null(result.Rules);
    }

    [Fact]
    public void The_external_parameters_are_the_eu_verifiers()
    {
        var (hc1, verifier) = DeVaccination();
        // A rule that holds only when every external parameter is as the EU verifier passes it.
        var probe = Rule("VR-XX-0003", "Acceptance", "XX", "1.0.0", "2021-05-01T00:00:00Z", """
            {"and": [
              {"===": [{"var": "external.countryCode"}, "XX"]},
              {"===": [{"var": "external.issuerCountryCode"}, "DE"]},
              {"===": [{"var": "external.region"}, "BY"]},
              {"var": "external.kid"},
              {"in": ["EU/1/20/1507", {"var": "external.valueSets.vaccines-covid-19-names"}]},
              {"not-after": [{"plusTime": [{"var": "external.iat"}, 0, "day"]}, {"plusTime": [{"var": "external.validationClock"}, 0, "day"]},
                             {"plusTime": [{"var": "external.exp"}, 0, "day"]}]}
            ]}
            """);
        var result = HcertBusinessRules.Apply(verifier.Verify(hc1, Clock), new HcertRules(new DccRuleSet([DccRule.FromJson(probe)]), "XX", "BY"), ValueSets);
        Assert.True(result.IsValid, result.Reason);
        Assert.True(Assert.Single(result.Rules!).Result);
    }
}
