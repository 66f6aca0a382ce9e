// Offline verifier pack (issue #17): size and build time for the demo registry and for 1,000 issuers, and how long a
// verifier takes to open (hash, signature, age) the pack, printed beside the figures measured before.
// Usage: dotnet run -c Release --project bench/Vc.Pack.Bench [-- ISSUERS]   (default 1000)
//
// Set-up: `vchealth demo` on a fresh data directory (its own Anvil, trust registry, KEN with one did:ethr issuer and
// one DSC, status lists). Then ISSUERS more did:ethr issuers are created on the same chain (each DID with its key
// published in ERC-1056: one log each, as a node's issuer) and registered for KEN/ICVP in the trust registry by KEN's
// admin. Their status lists are not this node's, so the pack carries only the node's own (as a real pack does).
using System.Diagnostics;
using System.Text.Json;
using Vc.Agent;
using Vc.Credentials.Keys;
using Vc.Node.Cli;
using Vc.Trust;

var issuers = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1000;
const int Runs = 3;
var dir = Directory.CreateTempSubdirectory("vchealth-pack-bench-").FullName;
try
{
    var (o, e) = (new StringWriter(), new StringWriter());
    if (await CliApp.RunAsync(["demo", "--data", Path.Combine(dir, "data"), "--out", Path.Combine(dir, "out")], o, e) != 0)
        throw new InvalidOperationException("demo failed: " + o + e);
    var settings = new LedgerSettings { DataDirectory = Path.Combine(dir, "data", "demo") };
    await using var ledger = await NodeLedger.OpenAsync(settings, detachIfStarted: false);
    // As the demo's node: its gateway trust list travels in the pack too.
    await using var agent = await VcAgent.OpenAsync(new AgentOptions
    {
        Ledger = settings, PublicUrl = VcAgent.DefaultPublicUrl,
        TrustFiles = [Path.Combine(dir, "out", "gateway-trustlist.json")], GatewayTrustAnchorPath = Path.Combine(dir, "out", "gateway-trust-anchor.pem"),
    }, ledger);

    Console.WriteLine($"Offline verifier pack — {Environment.ProcessorCount} cores (shared), median of {Runs} builds, ledger: local Anvil");
    Console.WriteLine($"{"registry",-44} {"bytes",12} {"gzip",10} {"build ms",10} {"open ms",9}  baseline");
    await Measure("demo (KEN: 1 did:ethr issuer + 1 DSC)", "31.5 KB, build 1.0–1.1 s (README, previous session)");

    // ISSUERS more did:ethr issuers, each registered for KEN/ICVP.
    var kenAdmin = TrustKeys.ParsePrivateKey(await File.ReadAllTextAsync(Path.Combine(settings.DataDirectory, "ken-admin.eth")));
    var service = await agent.Trust.ServiceAsync() ?? throw new InvalidOperationException("no trust registry");
    var client = await TrustRegistryClient.OpenAsync(ledger.Connection, service.Registry.Address);
    var ken = CountryCode.Parse("KEN");
    var setUp = Stopwatch.StartNew();
    for (var i = 0; i < issuers; i++)
    {
        using var key = Ed25519SigningKey.Generate();
        // Set-up only (not measured): on a loaded machine the embedded ledger's per-write state save can time out, so a
        // write is tried again (a DID created twice is one more unregistered DID; a registration already mined is kept).
        var did = await Retry(() => agent.Ledger.CreateAsync(key.PublicKey, CancellationToken.None));
        Array.Clear(did.ControllerKey);
        await Retry(async () =>
        {
            try { return await client.ExecuteAsync(new AddIssuer(new IssuerRegistration(ken, IssuerRef.Did(did.Did), TrustDomains.Icvp)), kenAdmin, WriteMode.Relayed); }
            catch (TrustRegistryException e) when (e.Error == TrustRegistryError.IssuerExists) { return null; }
        });
    }
    Console.WriteLine($"(set-up: {issuers} did:ethr issuers created and registered in {setUp.Elapsed.TotalSeconds:F0} s)");
    await Measure($"demo + {issuers:N0} did:ethr issuers (KEN)", "not measured before");

    async Task Measure(string name, string baseline)
    {
        var times = new List<double>();
        byte[] bytes = [];
        PackBuildResult? built = null;
        for (var run = 0; run < Runs; run++)
        {
            var watch = Stopwatch.StartNew();
            built = await VerifierPackBuilder.BuildAsync(agent, TrustDomains.Icvp, CountryCode.Parse("KEN"));
            bytes = JsonSerializer.SerializeToUtf8Bytes(built.Pack);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        using var gz = new MemoryStream();
        using (var zip = new System.IO.Compression.GZipStream(gz, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true)) zip.Write(bytes);
        var opens = new List<double>();
        for (var run = 0; run < Runs; run++)
        {
            var watch = Stopwatch.StartNew();
            var pack = VerifierPack.Open(bytes, new HashSet<string> { built!.Summary.Key }, TimeProvider.System, VerifierPack.DefaultMaxAge);
            _ = pack.DidRegistry();
            _ = pack.TrustRegistry();
            opens.Add(watch.Elapsed.TotalMilliseconds);
        }
        var s = built!.Summary;
        Console.WriteLine($"{name,-44} {bytes.Length,12:N0} {gz.Length,10:N0} {Median(times),10:F0} {Median(opens),9:F0}  {baseline}");
        Console.WriteLine($"    block {s.Block}: {s.RegistryLogs} registry logs, {s.Issuers} entries, {s.EthrIssuers} did:ethr issuers with {s.DidLogs} ERC-1056 logs, "
            + $"{s.Dscs} DSCs, {s.TrustLists} trust lists, {s.StatusLists} status lists");
    }
}
finally
{
    Directory.Delete(dir, recursive: true);
}

static async Task<T> Retry<T>(Func<Task<T>> write)
{
    for (var attempt = 1; ; attempt++)
    {
        try { return await write(); }
        catch (Exception e) when (attempt < 5 && e is Vc.Did.Ethr.DidWriteException or TrustRegistryException or Vc.Did.Ledger.LedgerException)
        {
            Console.Error.WriteLine($"(set-up write failed, attempt {attempt}: {e.Message.Split('\n')[0]})");
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted[sorted.Length / 2];
}
