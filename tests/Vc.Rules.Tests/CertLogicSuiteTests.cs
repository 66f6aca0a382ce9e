using System.Text.Json.Nodes;
using Vc.Rules;
using Vc.TestSupport;

namespace Vc.Rules.Tests;

/// <summary>
/// The CertLogic specification's evaluation and validation test suites (shared/testdata/certlogic), data-driven over
/// every file of both folders, reading every field of their formats (schemas/CertLogic-testSuite.json and
/// CertLogic-validation-testSuite.json): a "skip" directive on a file, case or assertion skips it as the reference
/// runners do; an assertion's own expression overrides its case's.
/// </summary>
public sealed class CertLogicSuiteTests
{
    private static string EvalDir => TestPaths.TestData("certlogic/testSuite", "VCHEALTH_CERTLOGIC_TESTSUITE");
    private static string ValidationDir => TestPaths.TestData("certlogic/validation-testSuite", "VCHEALTH_CERTLOGIC_VALIDATION_TESTSUITE");

    private static JsonObject Load(string path) => (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;

    private static bool Skipped(JsonNode? owner) => owner?["directive"]?.GetValue<string>() == "skip";

    public static TheoryData<string, int> EvaluationCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var file in Directory.GetFiles(EvalDir, "*.json").Order(StringComparer.Ordinal))
        {
            var cases = Load(file)["cases"]!.AsArray();
            for (var i = 0; i < cases.Count; i++) data.Add(Path.GetFileName(file), i);
        }
        return data;
    }

    public static TheoryData<string, int> ValidationCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var file in Directory.GetFiles(ValidationDir, "*.json").Order(StringComparer.Ordinal))
        {
            var cases = Load(file)["cases"]!.AsArray();
            for (var i = 0; i < cases.Count; i++) data.Add(Path.GetFileName(file), i);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EvaluationCases))]
    public void Evaluation_case_matches_every_assertion(string file, int caseIndex)
    {
        var suite = Load(Path.Combine(EvalDir, file));
        var testCase = suite["cases"]![caseIndex]!;
        if (Skipped(suite) || Skipped(testCase)) return;
        var assertions = testCase["assertions"]!.AsArray();
        var run = 0;
        for (var i = 0; i < assertions.Count; i++)
        {
            var a = assertions[i]!.AsObject();
            if (Skipped(a)) continue;
            var label = $"{file} / {testCase["name"]} / {a["message"]?.GetValue<string>() ?? "#" + (i + 1)}";
            var exprNode = a.ContainsKey("certLogicExpression") ? a["certLogicExpression"] : testCase["certLogicExpression"];
            Assert.True(a.ContainsKey("certLogicExpression") || testCase.AsObject().ContainsKey("certLogicExpression"), $"{label}: no expression");
            var expr = CertLogicExpression.Compile(exprNode);
            var actual = expr.Evaluate(a["data"]).ToJson();
            var expected = a["expected"];
            Assert.True(JsonNode.DeepEquals(actual, expected),
                $"{label}: expected {expected?.ToJsonString() ?? "null"}, got {actual?.ToJsonString() ?? "null"}");
            run++;
        }
        Assert.True(run > 0 || assertions.All(x => Skipped(x)), "no assertion ran");
    }

    [Theory]
    [MemberData(nameof(ValidationCases))]
    public void Validation_case_reports_exactly_the_expected_issues(string file, int caseIndex)
    {
        var suite = Load(Path.Combine(ValidationDir, file));
        var testCase = suite["cases"]![caseIndex]!.AsObject();
        if (Skipped(suite) || Skipped(testCase)) return;
        var expr = testCase["certLogicExpression"];
        var expected = testCase["issues"]!.AsArray();
        var actual = CertLogicValidator.Validate(expr);
        var label = $"{file} / {testCase["name"]?.GetValue<string>() ?? "#" + (caseIndex + 1)} / {expr?.ToJsonString() ?? "null"}";
        Assert.True(expected.Count == actual.Count, $"{label}: expected {expected.ToJsonString()}, got [{string.Join(", ", actual)}]");
        for (var i = 0; i < actual.Count; i++)
        {
            Assert.Equal(expected[i]!["message"]!.GetValue<string>(), actual[i].Message);
            Assert.True(JsonNode.DeepEquals(expected[i]!["expr"], actual[i].Expr), $"{label}: issue #{i + 1} expr {actual[i].Expr?.ToJsonString()}");
        }
        // The evaluator refuses exactly what the validator refuses.
        if (actual.Count == 0) CertLogicExpression.Compile(expr);
        else Assert.Throws<CertLogicInvalidExpressionException>(() => CertLogicExpression.Compile(expr));
    }
}
