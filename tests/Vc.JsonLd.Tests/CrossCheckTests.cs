using System.Text;
using System.Text.Json.Nodes;
using Vc.JsonLd;
using Vc.TestSupport;

namespace Vc.JsonLd.Tests;

/// <summary>Same canonical N-Quads as jsonld.js 9.0.0 for the JS-generated credentials (incl. a VP with two VCs).</summary>
public class CrossCheckTests
{
    public static TheoryData<string> Files()
    {
        var d = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "CrossCheck"), "*.nq"))
            d.Add(Path.GetFileName(f));
        return d;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Matches_jsonld_js(string file)
    {
        var source = Path.Combine(TestPaths.TestData("di-vectors"), "js-generated", file.Replace(".jsonld-js.nq", ".json"));
        var node = JsonNode.Parse(File.ReadAllText(source))!.AsObject();
        node.Remove("proof");
        var ours = JsonLdProcessor.Canonicalize(Encoding.UTF8.GetBytes(node.ToJsonString()),
            new JsonLdOptions { ContextCache = DataIntegrityVectorTests.SharedCache }).CanonicalNQuads;
        Assert.Equal(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "CrossCheck", file)), ours);
    }
}
