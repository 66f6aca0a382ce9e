using System.Text.Json;
using Vc.JsonLd;

namespace Vc.JsonLd.Tests;

/// <summary>JSON keys read through the shared name table come out exactly as System.Text.Json decodes them.</summary>
public class PropertyNamesTests
{
    private static List<string> Names(PropertyNames table, string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateObject().Select(table.Name).ToList();
    }

    [Fact]
    public void Escaped_non_ascii_and_long_keys_are_decoded_not_taken_raw()
    {
        var table = new PropertyNames();
        var longKey = new string('k', PropertyNames.MaxNameLength + 1);
        var json = $$"""{"na\u006de": 1, "näme": 2, "{{longKey}}": 3, "name": 4, "a\"b": 5}""";
        Assert.Equal(["name", "näme", longKey, "name", "a\"b"], Names(table, json));
        Assert.Equal(["name", "näme", longKey, "name", "a\"b"], Names(table, json)); // second time from the table
    }

    [Fact]
    public void A_known_key_is_one_shared_string()
    {
        var table = new PropertyNames();
        var first = Names(table, """{"credentialSubject": 1}""")[0];
        var second = Names(table, """{"credentialSubject": 2}""")[0];
        Assert.Same(first, second);
    }

    [Fact]
    public void Colliding_and_numerous_keys_still_come_out_right()
    {
        var table = new PropertyNames();
        for (int batch = 0; batch < 3; batch++)
        {
            var keys = Enumerable.Range(0, 5000).Select(i => $"k{batch}_{i}").ToList();
            var json = "{" + string.Join(",", keys.Select(k => $"\"{k}\":0")) + "}";
            Assert.Equal(keys, Names(table, json));
        }
    }

    [Fact]
    public void Canonicalization_reads_an_escaped_key_as_its_decoded_name()
    {
        const string context = """{"@context": {"name": "https://schema.org/name"}, "@id": "urn:x:1", """;
        var options = new JsonLdOptions { ContextCache = new ContextCache() };
        using var plain = JsonDocument.Parse(context + "\"name\": \"A\"}");
        using var escaped = JsonDocument.Parse(context + "\"na\\u006de\": \"A\"}");
        var expected = JsonLdProcessor.Canonicalize(plain.RootElement, options).CanonicalNQuads;
        Assert.Equal("<urn:x:1> <https://schema.org/name> \"A\" .\n", expected);
        Assert.Equal(expected, JsonLdProcessor.Canonicalize(escaped.RootElement, options).CanonicalNQuads);
    }
}
