using Vc.JsonLd;

namespace Vc.JsonLd.Tests;

/// <summary>JsonLdOptions.UnwrapEmbeddedContext: jsonld.js's reading of {"@context": {"@context": {…}}}, off by default.</summary>
public sealed class UnwrapEmbeddedContextTests
{
    // The shape of W3C JSON-LD test er56, which the spec answers with a keyword redefinition error.
    private const string Wrapped = """{"@context": {"@context": {"p": "ex:p"}}, "@id": "ex:1", "p": "value"}""";
    private const string Plain = """{"@context": {"p": "ex:p"}, "@id": "ex:1", "p": "value"}""";

    [Fact]
    public void By_default_a_wrapped_embedded_context_is_a_keyword_redefinition()
    {
        using var doc = JsonLdProcessor.Parse(Wrapped);
        var e = Assert.Throws<JsonLdException>(() => JsonLdProcessor.ToRdf(doc.RootElement, new JsonLdOptions { DocumentLoader = DocumentLoader.Empty }));
        Assert.Equal(JsonLdErrorCode.KeywordRedefinition, e.Code);
    }

    [Fact]
    public void With_the_option_it_reads_as_its_inner_context()
    {
        using var wrapped = JsonLdProcessor.Parse(Wrapped);
        using var plain = JsonLdProcessor.Parse(Plain);
        var options = new JsonLdOptions { DocumentLoader = DocumentLoader.Empty, UnwrapEmbeddedContext = true };

        var quads = JsonLdProcessor.Canonicalize(wrapped.RootElement, options);

        Assert.Equal(JsonLdProcessor.Canonicalize(plain.RootElement, options).CanonicalNQuads, quads.CanonicalNQuads);
        Assert.Equal("<ex:1> <ex:p> \"value\" .\n", quads.CanonicalNQuads);
    }
}
