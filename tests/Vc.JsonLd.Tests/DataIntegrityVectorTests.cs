using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.JsonLd;
using Vc.TestSupport;

namespace Vc.JsonLd.Tests;

/// <summary>The W3C Data Integrity vectors' canonical forms (shared/testdata/di-vectors), with bundled contexts only.</summary>
public class DataIntegrityVectorTests
{
    private static string Root => TestPaths.TestData("di-vectors");

    public static TheoryData<string> Dirs()
    {
        var d = new TheoryData<string>();
        foreach (var dir in new[]
                 {
                     "eddsa/eddsa-rdfc-2022", "eddsa/eddsa-rdfc-2022/employ",
                     "ecdsa/ecdsa-rdfc-2019-p256", "ecdsa/ecdsa-rdfc-2019-p256/employ",
                     "ecdsa/ecdsa-rdfc-2019-p384", "ecdsa/ecdsa-rdfc-2019-p384/employ",
                 })
            d.Add(dir);
        return d;
    }

    internal static readonly ContextCache SharedCache = new();

    [Theory]
    [MemberData(nameof(Dirs))]
    public void Canonical_document_and_proof_config_match_the_vectors(string dir)
    {
        var path = Path.Combine(Root, dir);
        var hash = dir.Contains("p384") ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;
        var rdfc = new RdfcOptions { HashAlgorithm = hash };
        var options = new JsonLdOptions { ContextCache = SharedCache };

        var signed = JsonNode.Parse(File.ReadAllText(Directory.GetFiles(path, "signed*.json").Single()))!.AsObject();
        signed.Remove("proof");
        using var doc = JsonDocument.Parse(signed.ToJsonString());
        var canonDoc = JsonLdProcessor.Canonicalize(doc.RootElement, options, rdfc).CanonicalNQuads;
        Assert.Equal(File.ReadAllText(Directory.GetFiles(path, "canonDoc*.txt").Single()).TrimEnd('\n') + "\n", canonDoc);

        using var proof = JsonDocument.Parse(File.ReadAllText(Directory.GetFiles(path, "proofConfig*.json").Single()));
        var canonProof = JsonLdProcessor.Canonicalize(proof.RootElement, options, rdfc).CanonicalNQuads;
        Assert.Equal(File.ReadAllText(Directory.GetFiles(path, "proofCanon*.txt").Single()).TrimEnd('\n') + "\n", canonProof);

        // the hashes of the vectors follow from the canonical forms
        var docHash = Convert.ToHexStringLower(hash == HashAlgorithmName.SHA384
            ? SHA384.HashData(System.Text.Encoding.UTF8.GetBytes(canonDoc))
            : SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonDoc)));
        Assert.Equal(File.ReadAllText(Directory.GetFiles(path, "docHash*.txt").Single()).Trim(), docHash);
    }

    [Fact]
    public void Js_generated_credentials_canonicalize_with_bundled_contexts()
    {
        foreach (var f in Directory.GetFiles(Path.Combine(Root, "js-generated"), "v*.json"))
        {
            var node = JsonNode.Parse(File.ReadAllText(f))!.AsObject();
            node.Remove("proof");
            using var doc = JsonDocument.Parse(node.ToJsonString());
            var r = JsonLdProcessor.Canonicalize(doc.RootElement, new JsonLdOptions { ContextCache = SharedCache });
            Assert.NotEmpty(r.CanonicalNQuads);
        }
    }
}
