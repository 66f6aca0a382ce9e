using System.Text.Json.Nodes;
using Vc.Node.Cli;
using Vc.TestSupport;

namespace Vc.Node.Tests;

/// <summary>`vchealth rules test`: its exact output contract and exit codes, through the CLI's entry point.</summary>
public sealed class RulesCliTests : IDisposable
{
    private static readonly string Rules = TestPaths.TestData("dcc-business-rules");
    private readonly string _dir = Directory.CreateTempSubdirectory("vchealth-rules-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var code = await CliApp.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private string Write(string name, JsonNode json)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    private static JsonObject EuRule(string id) => JsonNode.Parse(File.ReadAllText(Path.Combine(Rules, "EU", id, "rule.json")))!.AsObject();

    [Fact]
    public async Task Every_test_of_a_rule_passing_prints_the_exact_report_and_exits_0()
    {
        var dir = Path.Combine(Rules, "EU", "VR-EU-0000");
        var tests = Directory.GetFiles(Path.Combine(dir, "tests"), "*.json").Order(StringComparer.Ordinal).ToArray();
        var relative = tests.Select(t => Path.GetRelativePath(Environment.CurrentDirectory, t)).ToArray();
        var (code, output, err) = await Run(["rules", "test", Path.Combine(dir, "rule.json"), .. relative]);
        Assert.True(code == ExitCodes.Ok, err);
        var report = JsonNode.Parse(output)!.AsObject();
        Assert.Equal(["rule", "results", "passed", "failed"], report.Select(p => p.Key));
        Assert.Equal("VR-EU-0000", (string?)report["rule"]);
        Assert.Equal(tests.Length, (int)report["passed"]!);
        Assert.Equal(0, (int)report["failed"]!);
        var results = report["results"]!.AsArray();
        Assert.Equal(tests.Length, results.Count);
        for (var i = 0; i < tests.Length; i++)
        {
            var r = results[i]!.AsObject();
            Assert.Equal(["test", "name", "expected", "actual", "error"], r.Select(p => p.Key));
            Assert.Equal(relative[i], (string?)r["test"]); // the path as given
            var file = JsonNode.Parse(File.ReadAllText(tests[i]))!;
            Assert.Equal((string?)file["name"], (string?)r["name"]);
            Assert.Equal((bool)file["expected"]!, (bool)r["expected"]!);
            Assert.Equal((bool)r["expected"]!, (bool)r["actual"]!);
            Assert.Null(r["error"]);
        }
    }

    [Fact]
    public async Task A_test_whose_result_differs_makes_exit_1()
    {
        var dir = Path.Combine(Rules, "EU", "VR-EU-0000");
        var test = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "tests", "test004.json")))!; // 2 v-events: false
        test["expected"] = true;
        var flipped = Write("flipped.json", test);
        var (code, output, _) = await Run("rules", "test", Path.Combine(dir, "rule.json"), Path.Combine(dir, "tests", "test001.json"), flipped);
        Assert.Equal(ExitCodes.Negative, code);
        var report = JsonNode.Parse(output)!;
        Assert.Equal(1, (int)report["passed"]!);
        Assert.Equal(1, (int)report["failed"]!);
        var r = report["results"]![1]!;
        Assert.True((bool)r["expected"]!);
        Assert.False((bool)r["actual"]!);
    }

    [Fact]
    public async Task An_evaluation_error_is_actual_null_with_its_text()
    {
        var rule = EuRule("VR-EU-0000");
        // "in" on a non-array is an error (spec: "operating on a non-array <operand 2> is considered an error").
        rule["Logic"] = JsonNode.Parse("""{"in": ["x", {"var": "payload.v"}]}""");
        var ruleFile = Write("rule.json", rule);
        var test = Write("t.json", JsonNode.Parse("""{"name": "v is an object", "payload": {"v": {"a": 1}}, "external": {}, "expected": false}""")!);
        var (code, output, _) = await Run("rules", "test", ruleFile, test);
        Assert.Equal(ExitCodes.Negative, code);
        var r = JsonNode.Parse(output)!["results"]![0]!.AsObject();
        Assert.True(r.ContainsKey("actual"));
        Assert.Null(r["actual"]);
        Assert.Contains("must be an array", (string?)r["error"]);
    }

    [Theory]
    [InlineData("missing-test", "rules.Unreadable")]
    [InlineData("invalid-json-test", "rules.InvalidTest")]
    [InlineData("not-a-test", "rules.InvalidTest")]
    [InlineData("invalid-rule", "rules.InvalidRule")]
    [InlineData("invalid-json-rule", "rules.InvalidRule")]
    [InlineData("missing-rule", "rules.Unreadable")]
    public async Task Unusable_input_exits_3_with_a_typed_error(string what, string type)
    {
        var ruleFile = Path.Combine(Rules, "EU", "VR-EU-0000", "rule.json");
        var testFile = Path.Combine(Rules, "EU", "VR-EU-0000", "tests", "test001.json");
        var bad = Path.Combine(_dir, "bad.json");
        switch (what)
        {
            case "missing-test": testFile = Path.Combine(_dir, "none.json"); break;
            case "invalid-json-test": File.WriteAllText(bad, "{\"payload\": "); testFile = bad; break;
            case "not-a-test": File.WriteAllText(bad, "{\"name\": \"no payload\"}"); testFile = bad; break;
            case "invalid-rule":
                var rule = EuRule("VR-EU-0000");
                rule["Logic"] = JsonNode.Parse("""{"all": [1]}""");
                ruleFile = Write("rule.json", rule);
                break;
            case "invalid-json-rule": File.WriteAllText(bad, "[{"); ruleFile = bad; break;
            case "missing-rule": ruleFile = Path.Combine(_dir, "none.json"); break;
        }
        var (code, output, err) = await Run("rules", "test", ruleFile, testFile);
        Assert.Equal(ExitCodes.Failed, code);
        Assert.Equal("", output);
        Assert.Equal(type, (string?)JsonNode.Parse(err)!["error"]!["type"]);
    }

    [Fact]
    public async Task No_test_file_is_a_usage_error()
    {
        var (code, _, err) = await Run("rules", "test", Path.Combine(Rules, "EU", "VR-EU-0000", "rule.json"));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("usage", (string?)JsonNode.Parse(err)!["error"]!["type"]);
    }
}
