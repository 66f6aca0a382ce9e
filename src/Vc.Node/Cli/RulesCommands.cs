using System.CommandLine;
using Vc.Rules;

namespace Vc.Node.Cli;

/// <summary>
/// `vchealth rules test RULE.json TEST.json…`: runs a gateway validation rule (CertLogic) on test files in the
/// dgc-business-rules-testdata format. Prints exactly
/// {"rule": ID, "results": [{"test", "name", "expected", "actual", "error"}], "passed": N, "failed": M};
/// exit 0 only when every test's actual equals its expected, 1 otherwise, 3 when a file cannot be used (missing,
/// not JSON, an invalid rule or a file that is not a rule test).
/// </summary>
public static class RulesCommands
{
    public static Command Declare(CliContext context)
    {
        var rule = CliParse.Required("RULE", "the rule (gateway validation-rule JSON)");
        var tests = new Argument<string[]>("TEST") { Description = "test files {name, payload, external, expected}", Arity = ArgumentArity.OneOrMore };
        var test = new Command("test", "run a rule on its tests; exit 0 only when every test gives its expected result") { rule, tests };
        test.SetAction((parse, _) => Task.FromResult(Test(context, parse.GetRequiredValue(rule), parse.GetValue(tests) ?? [])));
        return new Command("rules") { test };
    }

    private static int Test(CliContext context, string rulePath, IReadOnlyList<string> testPaths)
    {
        var rule = Read(rulePath, "rule", path => DccRule.FromJson(DccRuleSet.ReadJson(path)));
        // Every test file is read before any runs: an unusable one makes the whole call exit 3, with nothing printed.
        var cases = testPaths.Select(p => (Path: p, Case: Read(p, "test", DccRuleTestCase.Load))).ToList();
        // Written with a Utf8JsonWriter, not through serializer options: the first use of JsonSerializerOptions in a
        // process builds its reflection-based resolver (~0.05 s of a call whose budget is 0.3 s).
        using var buffer = new MemoryStream();
        var passed = 0;
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions
        {
            Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            w.WriteStartObject();
            w.WriteString("rule", rule.Identifier);
            w.WriteStartArray("results");
            foreach (var (path, testCase) in cases)
            {
                var outcome = testCase.Run(rule);
                if (outcome.Result == testCase.Expected) passed++;
                w.WriteStartObject();
                w.WriteString("test", path);
                w.WriteString("name", testCase.Name);
                w.WriteBoolean("expected", testCase.Expected);
                if (outcome.Result is { } actual) w.WriteBoolean("actual", actual); else w.WriteNull("actual");
                w.WriteString("error", outcome.Error);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("passed", passed);
            w.WriteNumber("failed", cases.Count - passed);
            w.WriteEndObject();
        }
        context.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        return passed == cases.Count ? ExitCodes.Ok : ExitCodes.Negative;
    }

    private static T Read<T>(string path, string what, Func<string, T> read)
    {
        try { return read(path); }
        catch (DccRuleException e) { throw new CliFailure("rules.InvalidRule", $"{path}: {e.Message}"); }
        catch (InvalidDataException e) { throw new CliFailure($"rules.Invalid{Capitalised(what)}", e.Message); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliFailure("rules.Unreadable", $"cannot read the {what} file {path}: {e.Message}");
        }
    }

    internal static T ReadFile<T>(string path, string what, Func<string, T> read) => Read(path, what, read);

    private static string Capitalised(string s) => char.ToUpperInvariant(s[0]) + s[1..];
}

/// <summary>`--rules DIR_OR_FILE --country CC [--region R]` of `dcc verify`: --country is needed with --rules and --region;
/// --country alone applies the rules imported into the trust store (`trust import-rules`). An unusable rule set is a
/// typed failure (exit 3).</summary>
internal static class RulesCli
{
    /// <summary>The rules given on the command line, or (Given null) the arrival country whose stored rules apply.</summary>
    public sealed record Choice(Vc.Interop.Hcert.HcertRules? Given, string? Country, string? Region)
    {
        public async Task<Vc.Interop.Hcert.HcertRules?> ResolveAsync(Vc.Agent.VcAgent agent) =>
            Given ?? (Country is { } country ? await agent.StoredRulesAsync(country, Region) : null);
    }

    public static Choice Load(string? rules, string? country, string? region)
    {
        if (rules is null && country is null && region is null) return new(null, null, null);
        if (country is null) throw new UsageException(rules is null ? "--region needs --country CC" : "--rules needs --country CC (the arrival country)");
        if (!(country.Length == 2 && country.All(char.IsAsciiLetter)))
            throw new UsageException($"--country must be an ISO 3166-1 alpha-2 code, got '{country}'");
        if (rules is null) return new(null, country.ToUpperInvariant(), region);
        var set = RulesCommands.ReadFile(rules, "rule", DccRuleSet.Load);
        return new(new Vc.Interop.Hcert.HcertRules(set, country.ToUpperInvariant(), region), country.ToUpperInvariant(), region);
    }
}
