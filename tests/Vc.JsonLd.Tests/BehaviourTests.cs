using System.Text;
using System.Text.Json;
using Vc.JsonLd;

namespace Vc.JsonLd.Tests;

public class BehaviourTests
{
    [Theory]
    [InlineData("1.1", "\"1.1E0\"^^<http://www.w3.org/2001/XMLSchema#double>")]
    [InlineData("5", "\"5\"^^<http://www.w3.org/2001/XMLSchema#integer>")]
    [InlineData("5.0", "\"5\"^^<http://www.w3.org/2001/XMLSchema#integer>")]
    [InlineData("-0.5", "\"-5.0E-1\"^^<http://www.w3.org/2001/XMLSchema#double>")]
    [InlineData("1e21", "\"1.0E21\"^^<http://www.w3.org/2001/XMLSchema#double>")]
    [InlineData("1e20", "\"100000000000000000000\"^^<http://www.w3.org/2001/XMLSchema#integer>")]
    [InlineData("1e-7", "\"1.0E-7\"^^<http://www.w3.org/2001/XMLSchema#double>")]
    [InlineData("123.456", "\"1.23456E2\"^^<http://www.w3.org/2001/XMLSchema#double>")]
    [InlineData("true", "\"true\"^^<http://www.w3.org/2001/XMLSchema#boolean>")]
    public void Native_literals_use_canonical_forms(string json, string expected)
    {
        using var doc = JsonDocument.Parse($$"""{"@id":"urn:s","urn:p":{{json}}}""");
        var q = Assert.Single(JsonLdProcessor.ToRdf(doc.RootElement));
        Assert.Equal(expected, q.Object.ToString());
    }

    [Fact]
    public void Canonical_sort_uses_code_points_not_utf16_units()
    {
        // U+FFFD sorts before U+1F600 by code point, after it by UTF-16 code unit (D83D < FFFD)
        var nq = "<urn:s> <urn:p> \"\U0001F600\" .\n<urn:s> <urn:p> \"\uFFFD\" .\n";
        var r = Rdfc10.CanonicalizeNQuads(nq);
        Assert.Equal("<urn:s> <urn:p> \"\uFFFD\" .\n<urn:s> <urn:p> \"\U0001F600\" .\n", r.CanonicalNQuads);
        Assert.True(CodePointComparer.Instance.Compare("\uFFFD", "\U0001F600") < 0);
        Assert.True(string.CompareOrdinal("\uFFFD", "\U0001F600") > 0);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(40)] // past the scan: duplicates found through a set
    public void Duplicate_quads_do_not_change_the_canonical_form(int quadsPerBlankNode)
    {
        var lines = Enumerable.Range(0, quadsPerBlankNode).Select(i => $"_:x <urn:p{i}> _:y .\n").ToList();
        lines.Add("_:y <urn:q> \"v\" .\n");
        var once = Rdfc10.CanonicalizeNQuads(string.Concat(lines));
        var twice = Rdfc10.CanonicalizeNQuads(string.Concat(lines.Concat(lines.AsEnumerable().Reverse())));
        Assert.Equal(once.CanonicalNQuads, twice.CanonicalNQuads);
        Assert.Equal(quadsPerBlankNode + 1, twice.CanonicalQuads.Count);
    }

    [Fact]
    public void Input_labels_starting_with_c14n_are_relabelled()
    {
        var r = Rdfc10.CanonicalizeNQuads("_:c14n9 <urn:p> _:x .\n");
        Assert.Equal("_:c14n1 <urn:p> _:c14n0 .\n", r.CanonicalNQuads); // order decided by the first-degree hashes
        Assert.Equal("c14n1", r.IssuedIdentifiers["c14n9"]);
        Assert.Equal("c14n0", r.IssuedIdentifiers["x"]);
    }

    [Fact]
    public void Json_literals_are_jcs_canonicalized()
    {
        using var doc = JsonDocument.Parse("""{"@context":{"j":{"@id":"urn:j","@type":"@json"}},"@id":"urn:s","j":{"b":[1.0,2e0,"x"],"a":null}}""");
        var q = Assert.Single(JsonLdProcessor.ToRdf(doc.RootElement));
        Assert.Equal("{\"a\":null,\"b\":[1,2,\"x\"]}", q.Object.Value);
        Assert.Equal("http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON", q.Object.Datatype);
    }

    [Theory]
    [InlineData("""{"a":"\ud800"}""", true)]
    [InlineData("""{"a":"x\udc00"}""", true)]
    [InlineData("""{"a":"\ud800\u0041"}""", true)]
    [InlineData("""{"\ud800":1}""", true)]
    [InlineData("""{"a":"\ud83d\ude00"}""", false)]
    [InlineData("""{"a":"\\ud800"}""", false)] // an escaped backslash, then the letters "ud800"
    [InlineData("""{"a":"\u00e9\n"}""", false)]
    public void Lone_surrogate_escapes_are_found(string json, bool lone) =>
        Assert.Equal(lone, IJson.HasLoneSurrogateEscape(System.Text.Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void Jcs_strings_refuse_lone_surrogates_where_json_stringify_escapes_them()
    {
        var sb = new System.Text.StringBuilder();
        Assert.True(JcsString.TryAppend(sb, "a\"\\\n\u0001\U0001F600é"));
        Assert.Equal("\"a\\\"\\\\\\n\\u0001\U0001F600é\"", sb.ToString());
        Assert.False(JcsString.TryAppend(new System.Text.StringBuilder(), "x\ud800"));
        sb.Clear();
        Assert.True(JcsString.TryAppend(sb, "x\ud800y\udc00", escapeLoneSurrogates: true));
        Assert.Equal("\"x\\ud800y\\udc00\"", sb.ToString());
    }

    [Fact]
    public void A_lone_surrogate_is_bad_input_however_the_document_was_parsed()
    {
        const string json = """{"@context":{"n":"urn:n"},"@id":"urn:s","n":"\ud800"}""";
        var e = Assert.Throws<JsonLdException>(() => JsonLdProcessor.Parse(json));
        Assert.Equal(JsonLdErrorCode.InvalidJson, e.Code);
        using var parsedElsewhere = JsonDocument.Parse(json); // System.Text.Json accepts it and throws when reading it
        e = Assert.Throws<JsonLdException>(() => JsonLdProcessor.ToRdf(parsedElsewhere.RootElement));
        Assert.Equal(JsonLdErrorCode.InvalidJson, e.Code);
    }

    [Fact]
    public void Nquads_round_trip_escapes()
    {
        var q = new RdfQuad(RdfTerm.Iri("urn:s"), RdfTerm.Iri("urn:p"), RdfTerm.Literal("a\"b\\c\nd\te\u0001\u007f"), RdfTerm.DefaultGraph);
        var text = NQuads.Serialize(new[] { q });
        Assert.Equal("<urn:s> <urn:p> \"a\\\"b\\\\c\\nd\\te\\u0001\\u007F\" .\n", text);
        Assert.Equal(q, Assert.Single(NQuads.Parse(text)));
    }

    [Fact]
    public void Bad_nquads_raise_typed_errors()
    {
        var e = Assert.Throws<RdfcException>(() => NQuads.Parse("<urn:s> <urn:p> \"unterminated .\n"));
        Assert.Equal(RdfcErrorCode.InvalidNQuads, e.Code);
    }

    [Fact]
    public void Expand_returns_the_expanded_form()
    {
        using var doc = JsonDocument.Parse("""{"@context":{"@vocab":"http://ex/"},"@id":"urn:s","name":"n","tags":["a","b"]}""");
        var x = JsonLdProcessor.Expand(doc.RootElement);
        Assert.Equal("""[{"@id":"urn:s","http://ex/name":[{"@value":"n"}],"http://ex/tags":[{"@value":"a"},{"@value":"b"}]}]""",
            x.ToJsonString());
    }

    [Fact]
    public void Credentials_v2_with_data_integrity_v2_context_has_no_protected_conflict()
    {
        const string body = """
            "type":["VerifiableCredential"],"issuer":"did:example:issuer","validFrom":"2025-01-01T00:00:00Z",
            "credentialSubject":{"id":"did:example:subject","name":"Jane"},
            "proof":{"type":"DataIntegrityProof","cryptosuite":"eddsa-rdfc-2022","proofPurpose":"assertionMethod",
                     "verificationMethod":"did:example:issuer#key-1","created":"2025-01-01T00:00:00Z","proofValue":"z1"}}
            """;
        using var a = JsonLdProcessor.Parse("""{"@context":["https://www.w3.org/ns/credentials/v2"],""" + body);
        using var b = JsonLdProcessor.Parse(
            """{"@context":["https://www.w3.org/ns/credentials/v2","https://w3id.org/security/data-integrity/v2"],""" + body);
        var ca = JsonLdProcessor.Canonicalize(a.RootElement).CanonicalNQuads;
        Assert.Equal(ca, JsonLdProcessor.Canonicalize(b.RootElement).CanonicalNQuads);
        Assert.Contains("<https://w3id.org/security#proof> _:c14n", ca); // proof lives in its own named graph
    }

    [Fact]
    public void Shared_cache_is_thread_safe_and_gives_identical_results()
    {
        var cache = new ContextCache();
        var options = new JsonLdOptions { ContextCache = cache };
        var json = File.ReadAllBytes(Path.Combine(Vc.TestSupport.TestPaths.TestData("di-vectors"), "js-generated", "vc-eddsa-rdfc-2022-rich.json"));
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        node.Remove("proof");
        var bytes = Encoding.UTF8.GetBytes(node.ToJsonString());
        var expected = JsonLdProcessor.Canonicalize(bytes, new JsonLdOptions()).CanonicalNQuads;
        var results = new string[64];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            i => results[i] = JsonLdProcessor.Canonicalize(bytes, options).CanonicalNQuads);
        Assert.All(results, r => Assert.Equal(expected, r));
        Assert.True(cache.Hits > 0);
        Assert.True(cache.Count > 0);
    }

    [Theory]
    [InlineData("proof")]
    [InlineData("credentialSubject")]
    [InlineData("absent")]
    [InlineData("name")] // only a top-level entry is omitted: the subject keeps its name
    public void Canonicalize_omitting_a_top_level_entry_equals_canonicalizing_the_document_without_it(string omitted)
    {
        const string json = """
            {"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:uuid:1","type":["VerifiableCredential"],
             "issuer":"did:example:issuer","validFrom":"2025-01-01T00:00:00Z",
             "credentialSubject":{"id":"did:example:subject","name":"Jane"},
             "proof":{"type":"DataIntegrityProof","cryptosuite":"eddsa-rdfc-2022","proofPurpose":"assertionMethod",
                      "verificationMethod":"did:example:issuer#key-1","created":"2025-01-01T00:00:00Z","proofValue":"z1"}}
            """;
        using var secured = JsonLdProcessor.Parse(json);
        var without = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        without.Remove(omitted);
        using var unsecured = JsonLdProcessor.Parse(without.ToJsonString());
        var expected = JsonLdProcessor.Canonicalize(unsecured.RootElement).CanonicalNQuads;
        Assert.Equal(expected, JsonLdProcessor.CanonicalizeOmitting(secured.RootElement, omitted).CanonicalNQuads);
        var full = JsonLdProcessor.Canonicalize(secured.RootElement).CanonicalNQuads;
        if (omitted is "proof" or "credentialSubject") Assert.NotEqual(full, expected);
        else Assert.Equal(full, expected);
        if (omitted == "name") Assert.Contains("\"Jane\"", expected);
    }

    [Fact]
    public void Canonicalize_omitting_a_keyword_is_refused()
    {
        using var doc = JsonLdProcessor.Parse("""{"@context":{"@vocab":"https://example.org/"},"a":1}""");
        Assert.Throws<ArgumentException>(() => JsonLdProcessor.CanonicalizeOmitting(doc.RootElement, "@context"));
    }

    [Fact]
    public void A_replacement_context_is_read_in_place_of_the_documents_own()
    {
        using var secured = JsonDocument.Parse("""{"@context":{"p":"urn:p","v":"urn:v"},"p":"x","v":"secret"}""");
        using var proof = JsonDocument.Parse("""{"@context":{"p":"urn:other"},"p":"y","v":"z","@id":"urn:proof"}""");
        using var expectedDoc = JsonDocument.Parse("""{"@context":{"p":"urn:p","v":"urn:v"},"p":"y","@id":"urn:proof"}""");
        var expected = JsonLdProcessor.Canonicalize(expectedDoc.RootElement).CanonicalNQuads;
        var actual = JsonLdProcessor.CanonicalizeOmitting(proof.RootElement, "v", secured.RootElement.GetProperty("@context"));
        Assert.Equal(expected, actual.CanonicalNQuads);
    }
}
