using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using Vc.JsonLd;

namespace Vc.JsonLd.Bench;

/// <summary>Where the benchmark finds its inputs: ../shared next to the repository (VCHEALTH_SHARED overrides).</summary>
public static class Inputs
{
    public static string Shared
    {
        get
        {
            if (Environment.GetEnvironmentVariable("VCHEALTH_SHARED") is { Length: > 0 } s) return Path.GetFullPath(s);
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "VcHealth.sln")))
                    return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
            throw new DirectoryNotFoundException("VcHealth.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string RepoRoot => Path.GetFullPath(Path.Combine(Shared, "..", "main"));

    /// <summary>The W3C eddsa-rdfc-2022 vector: a VC 2.0 credential (proof removed) and its proof options.
    /// (shared/testdata/who/icvp/icvp-yf-w3c-vc.unsigned.json needs the smart-icvp DVC context, which is not
    /// bundled, so the W3C VC 2.0 credential stands in for a typical credential.)</summary>
    public static (byte[] Document, byte[] ProofOptions) Credential()
    {
        var dir = Path.Combine(Shared, "testdata", "di-vectors", "eddsa", "eddsa-rdfc-2022");
        var signed = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "signedDataInt.json")))!.AsObject();
        signed.Remove("proof");
        return (Encoding.UTF8.GetBytes(signed.ToJsonString()), File.ReadAllBytes(Path.Combine(dir, "proofConfigDataInt.json")));
    }
}

[MemoryDiagnoser]
[ShortRunJob]
public class CanonicalizeCredential
{
    private byte[] _doc = null!;
    private byte[] _proof = null!;
    private JsonLdOptions _cached = null!;
    private IReadOnlyList<RdfQuad> _quads = null!;

    [GlobalSetup]
    public void Setup()
    {
        (_doc, _proof) = Inputs.Credential();
        _cached = new JsonLdOptions { ContextCache = new ContextCache() };
        JsonLdProcessor.Canonicalize(_doc, _cached);
        using var d = JsonDocument.Parse(_doc);
        _quads = JsonLdProcessor.ToRdf(d.RootElement, _cached);
    }

    /// <summary>Document + proof options, contexts cached (the verifier's steady state).</summary>
    [Benchmark(Baseline = true)]
    public int DocumentAndProof_Cached() =>
        JsonLdProcessor.Canonicalize(_doc, _cached).CanonicalNQuads.Length
        + JsonLdProcessor.Canonicalize(_proof, _cached).CanonicalNQuads.Length;

    /// <summary>Document + proof options, every context processed from scratch.</summary>
    [Benchmark]
    public int DocumentAndProof_Uncached() =>
        JsonLdProcessor.Canonicalize(_doc, new JsonLdOptions()).CanonicalNQuads.Length
        + JsonLdProcessor.Canonicalize(_proof, new JsonLdOptions()).CanonicalNQuads.Length;

    /// <summary>The credential alone, contexts cached.</summary>
    [Benchmark]
    public int Document_Cached() => JsonLdProcessor.Canonicalize(_doc, _cached).CanonicalNQuads.Length;

    /// <summary>RDFC-1.0 alone on the credential's quads.</summary>
    [Benchmark]
    public int Rdfc_Only() => Rdfc10.Canonicalize(_quads).CanonicalNQuads.Length;
}

public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains("--quick"))
        {
            Quick();
            return 0;
        }
        var summary = BenchmarkRunner.Run<CanonicalizeCredential>(args: args.Where(a => a != "--no-node").ToArray());
        if (!args.Contains("--no-node")) CompareWithNode(summary);
        return 0;
    }

    /// <summary>A Stopwatch loop (no BenchmarkDotNet): wall and process CPU time per operation.</summary>
    private static void Quick()
    {
        var b = new CanonicalizeCredential();
        b.Setup();
        foreach (var (name, f) in new (string, Func<int>)[]
                 {
                     ("document+proof, cached", b.DocumentAndProof_Cached),
                     ("document+proof, uncached", b.DocumentAndProof_Uncached),
                     ("RDFC only", b.Rdfc_Only),
                 })
        {
            var (wall, cpu) = Measure(f, 1000);
            Console.WriteLine($"{name}: {wall:F1} µs/op wall, {cpu:F1} µs/op CPU");
        }
    }

    /// <summary>Wall and process CPU microseconds per call (CPU time is robust on a shared, loaded machine).</summary>
    public static (double Wall, double Cpu) Measure(Func<int> f, int milliseconds)
    {
        for (int i = 0; i < 300; i++) f();
        int n = 0;
        var proc = Process.GetCurrentProcess();
        var cpu0 = proc.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        while (sw.ElapsedMilliseconds < milliseconds) { f(); n++; }
        sw.Stop();
        proc.Refresh();
        return (sw.Elapsed.TotalMicroseconds / n, (proc.TotalProcessorTime - cpu0).TotalMicroseconds / n);
    }

    /// <summary>Runs node/jsonld-bench.mjs (jsonld.js 9 + rdf-canonize) on the same inputs and prints the ratio.</summary>
    private static void CompareWithNode(BenchmarkDotNet.Reports.Summary summary)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "node", "jsonld-bench.mjs");
        var toolsJs = Path.Combine(Inputs.RepoRoot, "tools", "js");
        if (!File.Exists(Path.Combine(toolsJs, "node_modules", "jsonld", "package.json")))
        {
            Console.WriteLine($"node comparison skipped: {toolsJs}/node_modules has no jsonld (run npm ci there)");
            return;
        }
        string output;
        try
        {
            var psi = new ProcessStartInfo("node", $"\"{script}\" \"{Inputs.Shared}\" \"{toolsJs}\"")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var p = Process.Start(psi)!;
            output = p.StandardOutput.ReadToEnd();
            var err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                Console.WriteLine("node comparison failed: " + err);
                return;
            }
        }
        catch (Exception e)
        {
            Console.WriteLine("node comparison skipped: " + e.Message);
            return;
        }
        Console.WriteLine(output.TrimEnd());
        var js = JsonDocument.Parse(output.Split('\n').Last(l => l.StartsWith('{'))).RootElement;
        double jsWall = js.GetProperty("documentAndProofMs").GetDouble() * 1000;
        double jsCpu = js.GetProperty("documentAndProofCpuMs").GetDouble() * 1000;
        Console.WriteLine();
        Console.WriteLine("Side by side (document + proof options, µs per operation; > 1 = this library faster):");
        foreach (var report in summary.Reports)
        {
            if (report.ResultStatistics is null) continue;
            var name = report.BenchmarkCase.Descriptor.WorkloadMethod.Name;
            if (!name.StartsWith("DocumentAndProof", StringComparison.Ordinal)) continue;
            double us = report.ResultStatistics.Mean / 1000.0;
            Console.WriteLine($"  BenchmarkDotNet {name}: {us:F1} µs vs jsonld.js wall {jsWall:F1} µs → {jsWall / us:F1}×");
        }
        var b = new CanonicalizeCredential();
        b.Setup();
        var (wall, cpu) = Measure(b.DocumentAndProof_Cached, 3000);
        Console.WriteLine($"  same-window loop, cached: wall {wall:F1} µs vs {jsWall:F1} µs → {jsWall / wall:F1}×; " +
                          $"CPU {cpu:F1} µs vs {jsCpu:F1} µs → {jsCpu / cpu:F1}×");
    }
}
