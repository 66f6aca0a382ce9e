using System.Text.Json.Nodes;
using Vc.Rules;
using Vc.TestSupport;

namespace Vc.Rules.Tests;

/// <summary>
/// shared/testdata/dcc-business-rules: the rule sets of 11 countries and the EU, each rule.json valid against the
/// gateway's validation-rule schema (with the identifier/AffectedFields fixes upstream's own tooling applies) and as
/// CertLogic, and every tests/*.json beside it passing: the rule on {payload, external}, truthiness = expected.
/// </summary>
public sealed class DccBusinessRulesTests
{
    private static string Root => TestPaths.TestData("dcc-business-rules", "VCHEALTH_DCC_BUSINESS_RULES");

    public static TheoryData<string> RuleFolders()
    {
        var data = new TheoryData<string>();
        foreach (var rule in Directory.GetFiles(Root, "rule.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(Root, Path.GetDirectoryName(rule)!));
        return data;
    }

    [Theory]
    [MemberData(nameof(RuleFolders))]
    public void Rule_is_valid_and_passes_its_tests(string folder)
    {
        var dir = Path.Combine(Root, folder);
        var json = DccRuleSet.ReadJson(Path.Combine(dir, "rule.json"));
        Assert.Empty(DccRule.Validate(json));
        var rule = DccRule.FromJson(json);
        var tests = Directory.Exists(Path.Combine(dir, "tests"))
            ? Directory.GetFiles(Path.Combine(dir, "tests"), "*.json").Order(StringComparer.Ordinal).ToArray() : [];
        var failures = new List<string>();
        foreach (var file in tests)
        {
            var test = DccRuleTestCase.Load(file);
            var outcome = test.Run(rule);
            if (outcome.Result != test.Expected)
                failures.Add($"{Path.GetFileName(file)} ({test.Name}): expected {test.Expected}, got {outcome.Result?.ToString() ?? "error: " + outcome.Error}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void All_rule_sets_and_tests_are_found()
    {
        Assert.True(Directory.GetFiles(Root, "rule.json", SearchOption.AllDirectories).Length >= 100);
        Assert.True(Directory.GetFiles(Root, "*.json", SearchOption.AllDirectories).Count(f => f.Contains($"{Path.DirectorySeparatorChar}tests{Path.DirectorySeparatorChar}")) >= 900);
    }

    [Fact]
    public void Shipped_schema_is_the_gateways_with_exactly_the_two_upstream_fixes()
    {
        using var stream = typeof(DccRule).Assembly.GetManifestResourceStream("Vc.Rules.validation-rule.schema.json")!;
        var shipped = JsonNode.Parse(stream)!;
        var gateway = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "schemas", "validation-rule.schema.json")))!;
        Assert.Equal(@"^(GR|VR|TR|RR|IR)-[A-Z]{2}-\d{4}$", shipped["properties"]!["Identifier"]!["pattern"]!.GetValue<string>());
        Assert.Equal(1, shipped["properties"]!["AffectedFields"]!["minItems"]!.GetValue<int>());
        gateway["properties"]!["Identifier"]!["pattern"] = @"^(GR|VR|TR|RR|IR)-[A-Z]{2}-\d{4}$";
        var af = gateway["properties"]!["AffectedFields"]!.AsObject();
        af.Remove("minLength");
        af["minItems"] = 1;
        Assert.True(JsonNode.DeepEquals(gateway, shipped));
    }

    [Fact]
    public void Invalid_rules_are_refused_with_each_problem_named()
    {
        var rule = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "EU", "VR-EU-0000", "rule.json")))!.AsObject();
        rule["Type"] = "Sometimes";
        rule["Logic"] = new JsonObject { ["all"] = new JsonArray() };
        var e = Assert.Throws<DccRuleException>(() => DccRule.FromJson(rule));
        Assert.Contains(e.Problems, p => p.Contains("/Type"));
        Assert.Contains(e.Problems, p => p.Contains("unrecognised operator: \"all\""));
        Assert.Equal("VR-EU-0000", e.Identifier);
    }
}
