using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.JsonLd;
using Vc.TestSupport;
using Xunit.Abstractions;

namespace Vc.JsonLd.Tests;

/// <summary>RDFC-1.0 work bound (RdfcOptions.MaxWorkFactor) against rdf-canonize's maxWorkFactor, through
/// tests/js/jsonld/rdfc.mjs: the same datasets accepted (with the same canonical form) and refused.</summary>
public class RdfcWorkBoundTests(ITestOutputHelper output)
{
    /// <summary>Random datasets: cliques of 2–6 blank nodes, loose blank nodes, IRIs and literals, blank nodes
    /// sometimes naming graphs, labels in random order.</summary>
    internal static string RandomGraph(Random rnd)
    {
        var quads = new HashSet<string>();
        var labels = Enumerable.Range(0, 40).Select(i => $"x{rnd.Next(1000)}_{i}").OrderBy(_ => rnd.Next()).ToList();
        int next = 0;
        string Fresh() => "_:" + labels[next++];
        int cliques = rnd.Next(1, 3);
        var loose = new List<string>();
        for (int c = 0; c < cliques; c++)
        {
            int n = rnd.Next(2, 7);
            var nodes = Enumerable.Range(0, n).Select(_ => Fresh()).ToList();
            string p = rnd.Next(3) == 0 ? "<urn:ex:q>" : "<urn:ex:p>";
            foreach (var a in nodes)
                foreach (var b in nodes)
                    if (a != b) quads.Add($"{a} {p} {b} .");
            if (rnd.Next(3) == 0) quads.Add($"{nodes[0]} <urn:ex:name> \"distinct\" ."); // breaks the symmetry
            loose.AddRange(nodes);
        }
        for (int i = rnd.Next(0, 4); i > 0; i--) loose.Add(Fresh());
        for (int i = rnd.Next(0, 8); i > 0; i--)
        {
            var s = loose[rnd.Next(loose.Count)];
            var o = rnd.Next(3) switch { 0 => "<urn:ex:o>", 1 => $"\"v{rnd.Next(3)}\"", _ => loose[rnd.Next(loose.Count)] };
            var g = rnd.Next(6) == 0 ? " " + loose[rnd.Next(loose.Count)] : "";
            quads.Add($"{s} <urn:ex:r{rnd.Next(2)}> {o}{g} .");
        }
        return string.Concat(quads.OrderBy(_ => rnd.Next()).Select(q => q + "\n"));
    }

    [Fact]
    public async Task Accepts_and_refuses_as_rdf_canonize_on_random_graphs_at_factors_1_and_3()
    {
        var rnd = new Random(1407);
        var cases = new List<(string NQuads, int Factor)>();
        for (int i = 0; i < 150; i++)
        {
            var g = RandomGraph(rnd);
            cases.Add((g, 1));
            cases.Add((g, 3));
        }
        var theirs = await RunAsync(cases.Select(c => (c.NQuads, c.Factor, "sha256")).ToList());
        var tally = new Dictionary<(int, bool), int>();
        for (int i = 0; i < cases.Count; i++)
        {
            var (nq, factor) = cases[i];
            var js = theirs[i]!.AsObject();
            bool jsAccepts = js["canonical"] is not null;
            try
            {
                var r = Rdfc10.CanonicalizeNQuads(nq, new RdfcOptions { MaxWorkFactor = factor });
                Assert.True(jsAccepts, $"rdf-canonize refused ({js["error"]}), we accepted at factor {factor}:\n{nq}");
                Assert.Equal((string)js["canonical"]!, r.CanonicalNQuads);
            }
            catch (RdfcException e) when (e.Code == RdfcErrorCode.WorkLimitExceeded)
            {
                Assert.False(jsAccepts, $"we refused ({e.Message}), rdf-canonize accepted at factor {factor}:\n{nq}");
                Assert.Contains("Maximum deep iterations exceeded", (string)js["error"]!);
            }
            tally[(factor, jsAccepts)] = tally.GetValueOrDefault((factor, jsAccepts)) + 1;
        }
        output.WriteLine(string.Join(", ", tally.OrderBy(t => t.Key).Select(t => $"factor {t.Key.Item1} {(t.Key.Item2 ? "accepted" : "refused")}: {t.Value}")));
        foreach (var factor in new[] { 1, 3 })
            foreach (var accepted in new[] { true, false })
                Assert.True(tally.GetValueOrDefault((factor, accepted)) >= 10, $"too few cases: factor {factor} accepted={accepted}");
    }

    [Fact]
    public async Task W3C_inputs_at_factor_1_and_a_170_clique_are_refused_exactly_as_by_rdf_canonize()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RdfcSuiteTests.Root, "manifest.jsonld")));
        var cases = new List<(string NQuads, int Factor, string Hash)>();
        foreach (var e in doc.RootElement.GetProperty("entries").EnumerateArray())
        {
            var sha384 = e.TryGetProperty("hashAlgorithm", out var h) && h.GetString() == "SHA384";
            cases.Add((File.ReadAllText(Path.Combine(RdfcSuiteTests.Root, e.GetProperty("action").GetString()!)), 1, sha384 ? "sha384" : "sha256"));
        }
        cases.Add((RdfcTests.Clique(170), 1, "sha256"));
        var theirs = await RunAsync(cases);
        int refused = 0;
        for (int i = 0; i < cases.Count; i++)
        {
            var options = new RdfcOptions { MaxWorkFactor = 1, HashAlgorithm = new(cases[i].Hash.ToUpperInvariant()) };
            bool jsAccepts = theirs[i]!["canonical"] is not null;
            RdfcException? ours = null;
            try { Rdfc10.CanonicalizeNQuads(cases[i].NQuads, options); }
            catch (RdfcException e) when (e.Code == RdfcErrorCode.WorkLimitExceeded) { ours = e; }
            Assert.True(jsAccepts == (ours is null), $"case {i}: rdf-canonize {theirs[i]!.ToJsonString()}, ours {ours?.Message}");
            if (ours is not null)
            {
                refused++;
                // rdf-canonize: "Maximum deep iterations exceeded (N)." after N calls; we stop at the same count
                var n = long.Parse(((string)theirs[i]!["error"]!).Split('(', ')')[1]);
                Assert.Equal(n, ours.HashNDegreeQuadsCalls);
            }
        }
        output.WriteLine($"{cases.Count} inputs, {refused} refused at factor 1 by both");
        Assert.Equal(19 + 1, refused); // 18 medium/high positives + the poison graph + the 170-clique
    }

    [Fact]
    public void A_170_node_clique_is_refused_after_170_calls()
    {
        var clique = RdfcTests.Clique(170); // 28,730 quads, 170 blank nodes sharing one first-degree hash
        var e = Assert.Throws<RdfcException>(() => Rdfc10.CanonicalizeNQuads(clique));
        Assert.Equal(RdfcErrorCode.WorkLimitExceeded, e.Code);
        Assert.Equal(170, e.HashNDegreeQuadsCalls); // 170^1: the first depth-first chain of calls, then refused
        e = Assert.Throws<RdfcException>(() => Rdfc10.CanonicalizeNQuads(clique, new RdfcOptions { MaxWorkFactor = 0 }));
        Assert.Equal(0, e.HashNDegreeQuadsCalls);
    }

    [Fact]
    public void A_negative_work_factor_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RdfcOptions { MaxWorkFactor = -1 });
    }

    private static async Task<JsonArray> RunAsync(List<(string NQuads, int Factor, string Hash)> cases)
    {
        var request = new JsonObject
        {
            ["cases"] = new JsonArray(cases.Select(c => (JsonNode?)new JsonObject { ["nquads"] = c.NQuads, ["factor"] = c.Factor, ["hash"] = c.Hash }).ToArray()),
        };
        var answer = (JsonArray)await NodeScript.RunAsync(Path.Combine(TestPaths.RepoRoot, "tests", "js", "jsonld", "rdfc.mjs"), request.ToJsonString());
        Assert.Equal(cases.Count, answer.Count);
        return answer;
    }
}
