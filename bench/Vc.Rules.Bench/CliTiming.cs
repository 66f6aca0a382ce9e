using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.Rules;
using Vc.TestSupport;

/// <summary>
/// `cli [runs]`: where a `vchealth rules test` call's time goes, in one run. (1) The rule schema's first use in a fresh
/// process — JsonSchema.Net (what `rules test` used before, the baseline) beside the shipped validator — each measured
/// inside a child process (`first-use json-schema-net|shipped`), median of the runs. (2) Wall time of the published CLI
/// (`./vchealth`, built on first use) for `rules test` beside `--help` (the process start-up floor), median of the runs,
/// against the 0.3 s budget.
/// </summary>
internal static class CliTiming
{
    private static string Rule => TestPaths.TestData("dcc-business-rules/EU/VR-EU-0000/rule.json");
    private static string Test => TestPaths.TestData("dcc-business-rules/EU/VR-EU-0000/tests/test001.json");

    public static async Task RunAsync(string[] args)
    {
        if (args[0] == "first-use")
        {
            Console.WriteLine(FirstUse(args[1]).ToString("F2", CultureInfo.InvariantCulture));
            return;
        }
        var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var self = Environment.ProcessPath!;
        var dll = typeof(CliTiming).Assembly.Location;
        double Child(string which)
        {
            var psi = new ProcessStartInfo(self, [dll, "first-use", which]) { RedirectStandardOutput = true };
            using var p = Process.Start(psi)!;
            var text = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return double.Parse(text.Trim(), CultureInfo.InvariantCulture);
        }
        var root = FindRoot();
        var cli = Path.Combine(root, "vchealth");
        Wall(cli, ["--help"]); // builds the CLI on first use
        var baseline = Median(Enumerable.Range(0, runs).Select(_ => Child("json-schema-net")));
        var shipped = Median(Enumerable.Range(0, runs).Select(_ => Child("shipped")));
        var help = Median(Enumerable.Range(0, runs).Select(_ => Wall(cli, ["--help"])));
        var rules = Median(Enumerable.Range(0, runs).Select(_ => Wall(cli, ["rules", "test", Rule, Test])));
        Console.WriteLine($"median of {runs} runs each; machine load average now {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine($"{"rule schema, first use in a process",-46} {"ms",8}   beside");
        Console.WriteLine($"{"  JsonSchema.Net (before; baseline)",-46} {baseline,8:F1}   1.00x");
        Console.WriteLine($"{"  shipped validator (now)",-46} {shipped,8:F1}   {shipped / baseline:F3}x");
        Console.WriteLine($"{"published CLI, wall time",-46} {"ms",8}");
        Console.WriteLine($"{"  vchealth --help (start-up floor)",-46} {help * 1000,8:F0}");
        Console.WriteLine($"{"  vchealth rules test RULE TEST",-46} {rules * 1000,8:F0}   budget 300 ms; {(rules - help) * 1000:F0} ms above start-up");
        await Task.CompletedTask;
    }

    /// <summary>Milliseconds from nothing to the first validation of a published rule, in this fresh process.</summary>
    private static double FirstUse(string which)
    {
        var rule = JsonNode.Parse(File.ReadAllText(Rule));
        var sw = Stopwatch.StartNew();
        bool valid;
        if (which == "shipped") valid = DccRule.Validate(rule).Count == 0;
        else
        {
            using var stream = typeof(DccRule).Assembly.GetManifestResourceStream("Vc.Rules.validation-rule.schema.json")!;
            var schema = Json.Schema.JsonSchema.FromText(new StreamReader(stream).ReadToEnd(), new Json.Schema.BuildOptions { SchemaRegistry = new Json.Schema.SchemaRegistry() });
            using var doc = JsonDocument.Parse(rule!.ToJsonString());
            valid = schema.Evaluate(doc.RootElement, new Json.Schema.EvaluationOptions { OutputFormat = Json.Schema.OutputFormat.Flag }).IsValid;
        }
        var ms = sw.Elapsed.TotalMilliseconds;
        if (!valid) throw new InvalidOperationException("the published rule must be valid");
        return ms;
    }

    private static double Wall(string cli, string[] args)
    {
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(new ProcessStartInfo(cli, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return sw.Elapsed.TotalSeconds;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "vchealth")) && File.Exists(Path.Combine(dir.FullName, "VcHealth.sln"))) return dir.FullName;
        throw new InvalidOperationException("run from inside the repository");
    }
}
