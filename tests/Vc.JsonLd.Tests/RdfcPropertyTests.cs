using System.Text;
using CsCheck;
using Vc.JsonLd;

namespace Vc.JsonLd.Tests;

/// <summary>RDFC-1.0 properties: the canonical form ignores blank node labels and quad order.</summary>
public class RdfcPropertyTests
{
    private static (string Original, string Relabelled) RandomGraph(int seed)
    {
        var rnd = new Random(seed);
        int bnodes = rnd.Next(1, 7);
        int quads = rnd.Next(1, 16);
        var lines = new List<(int S, int P, int O, int G)>();
        for (int i = 0; i < quads; i++)
            lines.Add((rnd.Next(-2, bnodes), rnd.Next(0, 2), rnd.Next(-3, bnodes), rnd.Next(-2, bnodes)));
        var perm = Enumerable.Range(0, bnodes).OrderBy(_ => rnd.Next()).ToArray();
        string Term(int x, Func<int, string> label, string iri) => x >= 0 ? "_:" + label(x) : x == -3 ? "\"lit\"" : $"<urn:{iri}{-x}>";
        string Line((int S, int P, int O, int G) q, Func<int, string> label) =>
            $"{Term(q.S, label, "s")} <urn:p{q.P}> {Term(q.O, label, "o")}{(q.G == -2 ? "" : " " + Term(q.G, label, "g"))} .\n";
        var a = new StringBuilder();
        foreach (var q in lines) a.Append(Line(q, i => "n" + i));
        var b = new StringBuilder();
        foreach (var q in lines.OrderBy(_ => rnd.Next())) b.Append(Line(q, i => "c14n" + (perm[i] + 3)));
        return (a.ToString(), b.ToString());
    }

    [Fact]
    public void Canonical_form_is_independent_of_labels_and_order()
    {
        Gen.Int.Sample(seed =>
        {
            var (x, y) = RandomGraph(seed);
            var cx = Rdfc10.CanonicalizeNQuads(x).CanonicalNQuads;
            var cy = Rdfc10.CanonicalizeNQuads(y).CanonicalNQuads;
            return cx == cy;
        }, iter: 300);
    }

    [Fact]
    public void Canonical_output_is_sorted_and_parses_back_to_itself()
    {
        Gen.Int.Sample(seed =>
        {
            var (x, _) = RandomGraph(seed);
            var c = Rdfc10.CanonicalizeNQuads(x).CanonicalNQuads;
            var lines = c.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            for (int i = 1; i < lines.Length; i++)
                if (CodePointComparer.Instance.Compare(lines[i - 1], lines[i]) >= 0) return false;
            return Rdfc10.CanonicalizeNQuads(c).CanonicalNQuads == c;
        }, iter: 200);
    }
}
