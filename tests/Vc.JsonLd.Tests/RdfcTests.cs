using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Vc.JsonLd;
using Xunit.Abstractions;

namespace Vc.JsonLd.Tests;

public class RdfcTests(ITestOutputHelper output)
{
    /// <summary>An n-clique of blank nodes: every node linked to every other (the W3C poison graph is a 10-clique).</summary>
    internal static string Clique(int n)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (i != j) sb.Append($"_:n{i} <urn:ex:p> _:n{j} .\n");
        return sb.ToString();
    }

    [Fact]
    public void Work_needed_by_the_W3C_positives_and_cliques()
    {
        int max = 0;
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RdfcSuiteTests.Root, "manifest.jsonld")));
        foreach (var e in doc.RootElement.GetProperty("entries").EnumerateArray())
        {
            if (e.GetProperty("type").GetString() != "rdfc:RDFC10EvalTest") continue;
            var r = Rdfc10.CanonicalizeNQuads(File.ReadAllText(Path.Combine(RdfcSuiteTests.Root, e.GetProperty("action").GetString()!)),
                new RdfcOptions { MaxWorkFactor = null, HashAlgorithm = e.TryGetProperty("hashAlgorithm", out _) ? System.Security.Cryptography.HashAlgorithmName.SHA384 : System.Security.Cryptography.HashAlgorithmName.SHA256 });
            max = Math.Max(max, r.HashNDegreeQuadsCalls);
            if (r.HashNDegreeQuadsCalls > 50) output.WriteLine($"{e.GetProperty("id")}: {r.HashNDegreeQuadsCalls} calls, {r.Permutations} permutations");
        }
        output.WriteLine($"max over W3C positives: {max}");
        for (int n = 2; n <= 6; n++)
        {
            var r = Rdfc10.CanonicalizeNQuads(Clique(n), new RdfcOptions { MaxWorkFactor = null, MaxPermutations = long.MaxValue });
            output.WriteLine($"{n}-clique: {r.HashNDegreeQuadsCalls} calls, {r.Permutations} permutations");
        }
        Assert.InRange(max, 1, 1000); // the hardest W3C positive (high complexity) needs at most a few hundred
    }

    [Theory]
    [InlineData("SHA256")]
    [InlineData("SHA384")]
    public void The_canonical_hash_is_the_hash_of_the_canonical_document(string algorithm)
    {
        var hash = new System.Security.Cryptography.HashAlgorithmName(algorithm);
        var dataset = NQuads.Parse("""
            _:x <http://ex/p> "b" .
            _:y <http://ex/p> "a" .
            _:x <http://ex/q> _:y .
            <http://ex/s> <http://ex/p> _:x .
            <http://ex/s> <http://ex/p> _:x .
            """);
        var canonical = Rdfc10.Canonicalize(dataset).CanonicalUtf8.ToArray();
        Assert.Equal(System.Security.Cryptography.CryptographicOperations.HashData(hash, canonical), Rdfc10.HashCanonical(dataset, hash));
    }
}
