using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Vc.Interop.Dcc;
using Vc.Interop.Hcert;
using Vc.Interop.TrustLists;
using Vc.Rules;
using Vc.TestSupport;

// Usage: dotnet run -c Release --project bench/Vc.Rules.Bench -- [seconds per measurement, default 2]
//        dotnet run -c Release --project bench/Vc.Rules.Bench -- cli [runs, default 10]   (see CliTiming.cs)
if (args.Length > 0 && args[0] is "cli" or "first-use")
{
    await CliTiming.RunAsync(args);
    return;
}
// One thread (= per core). Measured in one run, printed side by side: (1) EU rule-set applications and single rule
// evaluations per second over the DEV DCC payloads of shared/testdata/dgc-testdata, (2) full HCERT verification of the
// same certificates (the baseline), (3) the share of a verification + rules that the rules add.
var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 2.0;
var root = TestPaths.TestData("dgc-testdata");
var cases = new List<(string Hc1, DateTimeOffset Clock, X509Certificate2 Dsc)>();
foreach (var file in Directory.GetFiles(root, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
{
    if (JsonNode.Parse(File.ReadAllText(file)) is not JsonObject t || t["PREFIX"] is not JsonValue p || t["TESTCTX"]?["CERTIFICATE"] is not JsonValue c) continue;
    try
    {
        var dsc = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(c.GetValue<string>()));
        cases.Add((p.GetValue<string>(), HcertClock.Parse(t["TESTCTX"]!["VALIDATIONCLOCK"]!.GetValue<string>()), dsc));
    }
    catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException or HcertException) { }
}
var verifier = new HcertVerifier(new TrustStore(cases.Select(c => new TrustEntry(c.Dsc, TrustSource.Certificate))));
// The certificates whose signature verifies and which carry an EU DCC: the rules' input.
var verified = cases.Select(c => (c.Hc1, c.Clock, Result: verifier.Verify(c.Hc1, c.Clock)))
    .Where(c => c.Result.Passed(HcertStep.Signature) && c.Result.EuDcc is not null).ToList();
var rules = DccRuleSet.Load(TestPaths.TestData("dcc-business-rules/EU"));
var valueSets = new DccValueSets();
// The EU rules are valid from 2021-06-01; the DEV certificates' own clocks are earlier, so rules run at a fixed clock.
var ruleClock = new DateTimeOffset(2021, 7, 15, 12, 0, 0, TimeSpan.Zero);
var applied = verified.Select(c => c.Result with { Clock = ruleClock }).ToList();
var perCertificate = applied.Select(r => HcertBusinessRules.Apply(r, new HcertRules(rules, "EU"), valueSets).Rules!.Count).ToList();

double Rate(Action<int> once)
{
    for (var i = 0; i < 200; i++) once(i); // warm-up (tiered JIT)
    long n = 0;
    var sw = Stopwatch.StartNew();
    while (sw.Elapsed.TotalSeconds < seconds) { once((int)(n % int.MaxValue)); n++; }
    return n / sw.Elapsed.TotalSeconds;
}

var verifyRate = Rate(i => verifier.Verify(verified[i % verified.Count].Hc1, verified[i % verified.Count].Clock));
var rulesRate = Rate(i => HcertBusinessRules.Apply(applied[i % applied.Count], new HcertRules(rules, "EU"), valueSets));
// A single rule on a prepared data context: the evaluator alone (no payload copy, no value-set JSON).
var contexts = applied.Select(r => new JsonObject
{
    ["payload"] = JsonNode.Parse(r.EuDcc!.Value.GetRawText()),
    ["external"] = DccRuleSet.External(new DccRuleContext { CountryCode = "EU", ValidationClock = ruleClock }, valueSets.ToRulesJson()),
}).ToList();
var ruleList = rules.Rules.Where(r => r.IsValidAt(ruleClock)).ToList();
var evalRate = Rate(i => ruleList[i % ruleList.Count].Evaluate(contexts[(i / ruleList.Count) % contexts.Count]));

var avgRules = perCertificate.Average();
var share = (1 / rulesRate) / (1 / verifyRate + 1 / rulesRate);
Console.WriteLine($"DEV DCC certificates: {verified.Count} (of {cases.Count} cases); EU rules: {rules.Rules.Count}, applicable per certificate: {avgRules:F1} on average; {seconds} s per figure, one thread");
Console.WriteLine($"{"measure",-52} {"per second",12}   beside");
Console.WriteLine($"{"HCERT verification (baseline: full verify)",-52} {verifyRate,12:N0}   1.00x");
Console.WriteLine($"{"EU rule set applied to one certificate",-52} {rulesRate,12:N0}   {rulesRate / verifyRate:F2}x the verify rate");
Console.WriteLine($"{"single rule evaluations (prepared data context)",-52} {evalRate,12:N0}   {evalRate / verifyRate:F2}x");
Console.WriteLine($"share of verify + rules spent in the rules: {share:P1}");
