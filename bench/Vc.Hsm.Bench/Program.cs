// Issuance through an HSM: ICVP credentials signed per second with the issuer key in SoftHSM2 (PKCS#11, the token
// makes every signature) beside the same suite with an in-memory key, in one run; and the bare signature rates.
// Rates per CPU-second of this process (SoftHSM2 runs in-process, so the token's work is counted) and per wall
// second, single thread, after warm-up. Needs the Debian package softhsm2; run in Release:
//   dotnet run -c Release --project bench/Vc.Hsm.Bench -- [seconds]
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Vc.Agent.Keys;
using Vc.Credentials.DataIntegrity;
using Vc.Credentials.Icvp;
using Vc.Credentials.Issuance;
using Vc.Credentials.Keys;
using Vc.Did.Keys;

var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 3.0;
var now = new DateTimeOffset(2025, 11, 1, 12, 0, 0, TimeSpan.Zero);

// A throw-away SoftHSM2 token in a temp folder (its config reaches the module through SOFTHSM2_CONF, read by getenv).
var dir = Directory.CreateTempSubdirectory("vchealth-hsm-bench-").FullName;
try
{
    var conf = Path.Combine(dir, "softhsm2.conf");
    File.WriteAllText(conf, $"directories.tokendir = {Directory.CreateDirectory(Path.Combine(dir, "tokens")).FullName}\nobjectstore.backend = file\nlog.level = ERROR\n");
    if (Native.setenv("SOFTHSM2_CONF", conf, 1) != 0) throw new InvalidOperationException("setenv failed");
    var init = new ProcessStartInfo("softhsm2-util") { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in new[] { "--init-token", "--free", "--label", "bench", "--pin", "1234-bench", "--so-pin", "1234-so" }) init.ArgumentList.Add(a);
    init.Environment["SOFTHSM2_CONF"] = conf;
    using (var p = Process.Start(init)!) { p.WaitForExit(); if (p.ExitCode != 0) throw new InvalidOperationException("softhsm2-util --init-token failed"); }
    var pin = Path.Combine(dir, "pin");
    File.WriteAllText(pin, "1234-bench");
    string Uri(string label) => $"pkcs11:token=bench;object={label}?pin-source=file:{pin}";

    var proofs = new DataIntegrityProofs(new JsonLdRdfCanonicalizer());
    System.Text.Json.Nodes.JsonObject Unsigned(string issuerDid) => new IcvpCredentialBuilder().Build(
        new IcvpHolder("Jane Doe", "1990-04-12") { Sex = "female", Nationality = "KEN", Nid = "AB1234567", Ndt = "PPN" },
        new IcvpDose("YellowFeverProductd8a09f80301dc05e124f99ffe7711fc0", "1D47", new DateOnly(2025, 10, 1), "S4D123") { ClinicianName = "Dr. A. Mwangi", Issuer = "KEN", DoseNumber = 1 },
        issuerDid, "urn:uuid:6f1c2a52-1d47-4c8b-9a51-0c0ffee0a001");

    using var store = new Pkcs11IssuerKeyStore();
    Console.WriteLine($"ICVP credential issuance, {seconds:0.#} s per measurement, 1 thread, {Environment.ProcessorCount} cores on the machine; SoftHSM2 {SoftHsmVersion()}");
    Console.WriteLine($"{"",-44}{"CPU-s rate",12}{"wall rate",12}");
    foreach (var (suite, type) in new[] { ("ecdsa-rdfc-2019", KeyType.P256), ("ecdsa-sd-2023", KeyType.P256), ("eddsa-rdfc-2022", KeyType.Ed25519) })
    {
        using var memory = (IDisposable)SigningKeys.Generate(type);
        using var token = store.Generate(type, Uri("bench-" + suite));
        var memoryRate = await IssuanceRate((ISigningKey)memory);
        var tokenRate = await IssuanceRate(token.Signer);
        Console.WriteLine($"{suite + " issuance, in-memory key",-44}{memoryRate.Cpu,12:N0}{memoryRate.Wall,12:N0}");
        Console.WriteLine($"{suite + " issuance, SoftHSM2 key",-44}{tokenRate.Cpu,12:N0}{tokenRate.Wall,12:N0}   ({tokenRate.Cpu / memoryRate.Cpu:P0} of in-memory)");
        // The node's path: the issuer's key is asked of its key store for each issuance (kept open after the first).
        var tokenUnsigned = Unsigned(IssuerProfile.ForDidKey(token.Signer, suite).Issuer);
        var perIssue = await Rate(async () =>
        {
            using var opened = store.Open(token.Location, type);
            await new CredentialIssuer(proofs, IssuerProfile.ForDidKey(opened.Signer, suite)).IssueAsync(tokenUnsigned, now);
        });
        Console.WriteLine($"{"  same, key from the agent's key store (node path)",-44}{perIssue.Cpu,12:N0}{perIssue.Wall,12:N0}   ({perIssue.Cpu / memoryRate.Cpu:P0} of in-memory)");

        async Task<(double Cpu, double Wall)> IssuanceRate(ISigningKey key)
        {
            var issuer = new CredentialIssuer(proofs, IssuerProfile.ForDidKey(key, suite));
            var unsigned = Unsigned(issuer.Profile.Issuer);
            return await Rate(() => issuer.IssueAsync(unsigned, now));
        }
    }
    var data = new byte[32];
    foreach (var type in new[] { KeyType.P256, KeyType.Ed25519 })
    {
        using var memory = (IDisposable)SigningKeys.Generate(type);
        using var token = store.Generate(type, Uri("raw-" + type));
        var m = await Rate(async () => await ((ISigningKey)memory).SignAsync(data));
        var t = await Rate(async () => await token.Signer.SignAsync(data));
        Console.WriteLine($"{"bare " + type + " signature, in-memory key",-44}{m.Cpu,12:N0}{m.Wall,12:N0}");
        Console.WriteLine($"{"bare " + type + " signature, SoftHSM2 key",-44}{t.Cpu,12:N0}{t.Wall,12:N0}   ({t.Cpu / m.Cpu:P0} of in-memory)");
    }
}
finally
{
    Directory.Delete(dir, recursive: true);
}

async Task<(double Cpu, double Wall)> Rate(Func<Task> action)
{
    await SteadyState.WarmUpAsync(action);
    var process = Process.GetCurrentProcess();
    var cpu0 = process.TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    long n = 0;
    while (sw.Elapsed.TotalSeconds < seconds) { await action(); n++; }
    process.Refresh();
    return (n / (process.TotalProcessorTime - cpu0).TotalSeconds, n / sw.Elapsed.TotalSeconds);
}

static string SoftHsmVersion()
{
    var psi = new ProcessStartInfo("softhsm2-util", "--version") { RedirectStandardOutput = true };
    using var p = Process.Start(psi)!;
    var v = p.StandardOutput.ReadToEnd().Trim();
    p.WaitForExit();
    return v;
}

static class Native
{
    [DllImport("libc", SetLastError = true)]
    internal static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
