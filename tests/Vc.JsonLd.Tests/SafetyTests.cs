using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Vc.JsonLd;

namespace Vc.JsonLd.Tests;

/// <summary>Bad input is rejected with typed errors, in bounded time and memory.</summary>
public class SafetyTests
{
    private const string V2 = "https://www.w3.org/ns/credentials/v2";

    private static JsonLdException ToRdfFails(string json, JsonLdOptions? options = null)
    {
        using var doc = JsonLdProcessor.Parse(json);
        return Assert.Throws<JsonLdException>(() => JsonLdProcessor.ToRdf(doc.RootElement, options));
    }

    private static string Vc(string subject) =>
        $$"""{"@context":["{{V2}}"],"type":["VerifiableCredential"],"issuer":"did:example:1","credentialSubject":{{subject}}}""";

    [Fact]
    public void Deeply_nested_json_is_rejected_while_parsing()
    {
        var json = new string('[', 100_000) + new string(']', 100_000);
        var e = Assert.Throws<JsonLdException>(() => JsonLdProcessor.Parse(json));
        Assert.Equal(JsonLdErrorCode.MaxDepthExceeded, e.Code);
    }

    [Fact]
    public void Deeply_nested_element_parsed_elsewhere_is_rejected_by_expansion()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 200; i++) sb.Append("{\"http://ex/p\":");
        sb.Append("1");
        for (int i = 0; i < 200; i++) sb.Append('}');
        using var doc = JsonDocument.Parse(sb.ToString(), new JsonDocumentOptions { MaxDepth = 1000 });
        var e = Assert.Throws<JsonLdException>(() => JsonLdProcessor.ToRdf(doc.RootElement));
        Assert.Equal(JsonLdErrorCode.MaxDepthExceeded, e.Code);
    }

    [Fact]
    public void Context_recursion_overflows()
    {
        var loader = DocumentLoader.Empty
            .With("https://ex.test/a", Encoding.UTF8.GetBytes("""{"@context":["https://ex.test/b"]}"""))
            .With("https://ex.test/b", Encoding.UTF8.GetBytes("""{"@context":["https://ex.test/a"]}"""));
        var e = ToRdfFails("""{"@context":"https://ex.test/a","@id":"urn:x","urn:p":"v"}""", new JsonLdOptions { DocumentLoader = loader });
        Assert.Equal(JsonLdErrorCode.ContextOverflow, e.Code);
    }

    [Fact]
    public void Huge_literals_and_documents_are_rejected()
    {
        var big = new string('x', JsonLdLimits.Default.MaxStringLength + 1);
        var e = ToRdfFails(Vc($$"""{"id":"did:example:s","name":"{{big}}"}"""));
        Assert.Equal(JsonLdErrorCode.SizeLimitExceeded, e.Code);

        var huge = Encoding.UTF8.GetBytes("[\"" + new string('y', JsonLdLimits.Default.MaxDocumentBytes) + "\"]");
        var e2 = Assert.Throws<JsonLdException>(() => JsonLdProcessor.Parse(huge));
        Assert.Equal(JsonLdErrorCode.SizeLimitExceeded, e2.Code);
    }

    [Fact]
    public void Unknown_context_is_an_error_naming_the_url()
    {
        var e = ToRdfFails("""{"@context":["https://evil.example/ctx"],"@id":"urn:x"}""");
        Assert.Equal(JsonLdErrorCode.LoadingRemoteContextFailed, e.Code);
        Assert.Contains("https://evil.example/ctx", e.Message);
    }

    [Fact]
    public void Poison_graph_from_json_ld_hits_the_work_limit_quickly()
    {
        // a 10-clique of blank nodes written as JSON-LD
        var nodes = new List<string>();
        for (int i = 0; i < 10; i++)
        {
            var links = string.Join(",", Enumerable.Range(0, 10).Where(j => j != i).Select(j => $$"""{"@id":"_:n{{j}}"}"""));
            nodes.Add($$"""{"@id":"_:n{{i}}","urn:ex:p":[{{links}}]}""");
        }
        using var doc = JsonDocument.Parse("[" + string.Join(",", nodes) + "]");
        var e = Assert.Throws<RdfcException>(() => JsonLdProcessor.Canonicalize(doc.RootElement));
        Assert.Equal(RdfcErrorCode.WorkLimitExceeded, e.Code);
    }

    [Fact]
    public void Work_limit_is_configurable()
    {
        var six = RdfcTests.Clique(6);
        var e = Assert.Throws<RdfcException>(() => Rdfc10.CanonicalizeNQuads(six)); // work factor 1: 6 calls
        Assert.Equal(RdfcErrorCode.WorkLimitExceeded, e.Code);
        Assert.Equal(6, e.HashNDegreeQuadsCalls);
        var r = Rdfc10.CanonicalizeNQuads(six, new RdfcOptions { MaxWorkFactor = 5 }); // 7,776 calls allowed
        Assert.InRange(r.HashNDegreeQuadsCalls, 1297, 7776); // more than factor 4 would allow
        Assert.Equal(r.CanonicalNQuads, Rdfc10.CanonicalizeNQuads(six, new RdfcOptions { MaxWorkFactor = null }).CanonicalNQuads);
        e = Assert.Throws<RdfcException>(() => Rdfc10.CanonicalizeNQuads(six, new RdfcOptions { MaxWorkFactor = null, MaxHashNDegreeQuadsCalls = 100 }));
        Assert.Equal(RdfcErrorCode.WorkLimitExceeded, e.Code);
        Assert.Equal(100, e.HashNDegreeQuadsCalls);
    }

    [Fact]
    public void Bundled_context_with_wrong_hash_is_refused()
    {
        var ex = Assert.Throws<InvalidDataException>(() =>
            DocumentLoader.Empty.With("https://ex.test/c", Encoding.UTF8.GetBytes("""{"@context":{}}"""), new string('0', 64)));
        Assert.Contains("https://ex.test/c", ex.Message);
    }

    [Fact]
    public void Bundled_loader_serves_the_shared_contexts()
    {
        foreach (var url in new[] { V2, "https://w3id.org/security/data-integrity/v2", "https://www.w3.org/ns/did/v1",
                     "https://www.w3.org/2018/credentials/v1", "https://w3id.org/security/multikey/v1" })
            Assert.True(DocumentLoader.Bundled.Contains(url), url);
        Assert.Equal("59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734", DocumentLoader.Bundled.Load(V2).Sha256);
    }

    [Fact]
    public void Callers_can_add_contexts()
    {
        var loader = DocumentLoader.Bundled.With("https://ex.test/icvp/v1",
            Encoding.UTF8.GetBytes("""{"@context":{"@protected":true,"vaccine":"https://ex.test/icvp#vaccine"}}"""));
        using var doc = JsonLdProcessor.Parse(
            $$$"""{"@context":["{{{V2}}}","https://ex.test/icvp/v1"],"type":"VerifiableCredential","issuer":"did:ex:1","credentialSubject":{"vaccine":"YF"}}""");
        var quads = JsonLdProcessor.ToRdf(doc.RootElement, new JsonLdOptions { DocumentLoader = loader });
        Assert.Contains(quads, q => q.Predicate.Value == "https://ex.test/icvp#vaccine");
        Assert.False(DocumentLoader.Bundled.Contains("https://ex.test/icvp/v1")); // the bundled loader is unchanged
    }

    [Fact]
    public void Safe_mode_undefined_term_is_an_error()
    {
        var e = ToRdfFails(Vc("""{"id":"did:example:s","undefinedTerm":"x"}"""));
        Assert.Equal(JsonLdErrorCode.TermWouldBeDropped, e.Code);
        Assert.Contains("undefinedTerm", e.Message);
    }

    [Fact]
    public void Safe_mode_undefined_type_is_an_error()
    {
        var e = ToRdfFails($$$"""{"@context":["{{{V2}}}"],"type":["VerifiableCredential","NoSuchType"],"issuer":"did:example:1","credentialSubject":{"id":"did:example:s"}}""");
        Assert.Equal(JsonLdErrorCode.TermWouldBeDropped, e.Code);
        Assert.Contains("NoSuchType", e.Message);
    }

    [Fact]
    public void Safe_mode_relative_id_is_an_error()
    {
        var e = ToRdfFails(Vc("""{"id":"relative/path"}"""));
        Assert.Equal(JsonLdErrorCode.TermWouldBeDropped, e.Code);
    }

    [Fact]
    public void Safe_mode_off_drops_silently()
    {
        using var doc = JsonLdProcessor.Parse(Vc("""{"id":"did:example:s","undefinedTerm":"x"}"""));
        var quads = JsonLdProcessor.ToRdf(doc.RootElement, new JsonLdOptions { SafeMode = false });
        Assert.DoesNotContain(quads, q => q.Object.Value == "x");
    }

    [Fact]
    public void Protected_term_redefinition_is_an_error()
    {
        var e = ToRdfFails($$"""{"@context":["{{V2}}",{"name":"https://evil.example/name"}],"type":"VerifiableCredential","issuer":"did:example:1"}""");
        Assert.Equal(JsonLdErrorCode.ProtectedTermRedefinition, e.Code);
        Assert.Equal("protected term redefinition", e.SpecCode);
    }

    [Fact]
    public void Unsupported_options_fail_clearly()
    {
        using var doc = JsonLdProcessor.Parse("""{"@id":"urn:x","urn:p":"v"}""");
        var e = Assert.Throws<JsonLdException>(() => JsonLdProcessor.ToRdf(doc.RootElement, new JsonLdOptions { RdfDirection = "compound-literal" }));
        Assert.Equal(JsonLdErrorCode.UnsupportedFeature, e.Code);
        Assert.StartsWith("unsupported JSON-LD feature", e.Message);
    }

    [Fact]
    public void Out_of_range_numbers_are_rejected()
    {
        var e = ToRdfFails("""{"@id":"urn:x","urn:p":1e400}""");
        Assert.Equal(JsonLdErrorCode.InvalidJson, e.Code);
    }

    [Fact]
    public void Many_distinct_inline_contexts_keep_the_cache_bounded()
    {
        var cache = new ContextCache(capacity: 16);
        var options = new JsonLdOptions { ContextCache = cache };
        for (int i = 0; i < 100; i++)
        {
            using var doc = JsonLdProcessor.Parse($$"""{"@context":{"p{{i}}":"urn:p{{i}}"},"@id":"urn:x","p{{i}}":"v"}""");
            Assert.Single(JsonLdProcessor.ToRdf(doc.RootElement, options));
            Assert.True(cache.Count <= 16);
        }
    }

    [Fact]
    public void Many_inline_contexts_in_one_document_are_bounded()
    {
        var nodes = Enumerable.Range(0, 1500).Select(i => $$"""{"@context":{"p":"urn:p{{i}}"},"@id":"urn:n{{i}}","p":"v"}""");
        using var doc = JsonLdProcessor.Parse("[" + string.Join(",", nodes) + "]");
        var e = Assert.Throws<JsonLdException>(() => JsonLdProcessor.ToRdf(doc.RootElement));
        Assert.Equal(JsonLdErrorCode.SizeLimitExceeded, e.Code);
    }

    [Fact]
    public void Duplicate_keys_are_rejected()
    {
        var e = Assert.Throws<JsonLdException>(() => JsonLdProcessor.Parse("""{"@id":"urn:a","@id":"urn:b"}"""));
        Assert.Equal(JsonLdErrorCode.InvalidJson, e.Code);
    }
}
