using System.Text;
using System.Text.Json;
using CsCheck;
using Vc.JsonLd;
using Xunit.Abstractions;

namespace Vc.JsonLd.Tests;

/// <summary>
/// The direct RDF path against expansion + toRdf on random credential-shaped documents: the W3C contexts the node
/// ships (type-scoped and protected terms) and an inline context with the features the direct path reads (aliases,
/// @id/@vocab/datatype/language mappings, @set, type- and property-scoped contexts) and those it leaves to expansion
/// (@list, value objects, nested contexts). Wherever the direct path answers, the canonical dataset is the same; where
/// expansion fails, it does not answer.
/// </summary>
public class DirectRdfPropertyTests(ITestOutputHelper output)
{
    private const string Inline = """
        {"@vocab": "https://ex.org/v#", "id": "@id", "type": "@type", "ex": "https://ex.org/",
         "link": {"@id": "ex:link", "@type": "@id"}, "kind": {"@id": "ex:kind", "@type": "@vocab"},
         "when": {"@id": "ex:when", "@type": "http://www.w3.org/2001/XMLSchema#date"},
         "label": {"@id": "ex:label", "@language": "en"}, "plain": {"@id": "ex:plain", "@language": null},
         "tags": {"@id": "ex:tags", "@container": "@set"}, "ordered": {"@id": "ex:ordered", "@container": "@list"},
         "Thing": {"@id": "ex:Thing", "@context": {"size": {"@id": "ex:size", "@type": "http://www.w3.org/2001/XMLSchema#integer"}}},
         "nested": {"@id": "ex:nested", "@context": {"deep": {"@id": "ex:deep", "@type": "@id"}}},
         "Other": "ex:Other"}
        """;

    private static readonly string[] Contexts =
    [
        "\"https://www.w3.org/ns/credentials/v2\"",
        "[\"https://www.w3.org/ns/credentials/v2\", \"https://www.w3.org/ns/credentials/examples/v2\"]",
        Inline,
        "[\"https://www.w3.org/ns/credentials/v2\", " + Inline + "]",
    ];

    private static readonly string[] Keys =
    [
        "id", "type", "@id", "@type", "name", "description", "issuer", "validFrom", "credentialSubject", "link", "kind",
        "when", "label", "plain", "tags", "ordered", "size", "nested", "deep", "ex:other", "https://ex.org/abs", "unknownTerm",
    ];

    private static readonly string[] Strings =
    [
        "plain", "with \"quotes\" and \\", "line\nbreak\ttab", "ünïcødé ✓", "emoji 😀", "", "2024-02-29", "_:b1", "_:b2",
        "https://ex.org/x", "ex:y", "did:example:123", "relative/path", "Thing", "Other", "VerifiableCredential",
    ];

    private static string RandomDocument(Random rnd)
    {
        var sb = new StringBuilder();
        sb.Append("{\"@context\": ").Append(Contexts[rnd.Next(Contexts.Length)]);
        foreach (var (key, value) in Entries(rnd, 0)) sb.Append(", ").Append(key).Append(": ").Append(value);
        return sb.Append('}').ToString();
    }

    private static IEnumerable<(string Key, string Value)> Entries(Random rnd, int depth)
    {
        var used = new HashSet<string>();
        int n = rnd.Next(1, 5);
        for (int i = 0; i < n; i++)
        {
            var key = Keys[rnd.Next(Keys.Length)];
            if (!used.Add(key)) continue;
            yield return (Quote(key), key is "type" or "@type" ? Types(rnd) : Value(rnd, depth));
        }
        if (rnd.Next(12) == 0) yield return ("\"@value\"", "\"v\"");
    }

    private static string Types(Random rnd) => rnd.Next(3) switch
    {
        0 => Quote(Strings[rnd.Next(12, Strings.Length)]),
        1 => "[" + Quote("Thing") + ", " + Quote(Strings[rnd.Next(9, Strings.Length)]) + "]",
        _ => "[]",
    };

    private static string Value(Random rnd, int depth)
    {
        switch (rnd.Next(depth < 3 ? 10 : 7))
        {
            case 0: case 1: case 2: return Quote(Strings[rnd.Next(Strings.Length)]);
            case 3: return rnd.Next(4) switch { 0 => "3", 1 => "-0.5", 2 => "1e21", _ => "7.0" };
            case 4: return rnd.Next(2) == 0 ? "true" : "false";
            case 5: return "null";
            case 6: return "[" + string.Join(", ", Enumerable.Range(0, rnd.Next(0, 3)).Select(_ => Value(rnd, depth + 1))) + "]";
            default:
                return "{" + string.Join(", ", Entries(rnd, depth + 1).Select(e => e.Key + ": " + e.Value)) + "}";
        }
    }

    private static string Quote(string s) => JsonSerializer.Serialize(s);

    private static (string? Direct, string? Full, bool FullFailed) Both(string json, bool safeMode)
    {
        var options = new JsonLdOptions { SafeMode = safeMode, ContextCache = new ContextCache() };
        using var doc = JsonDocument.Parse(json);
        string? full = null;
        bool failed = false;
        try { full = Rdfc10.Canonicalize(JsonLdProcessor.ToRdf(doc.RootElement, options)).CanonicalNQuads; }
        catch (JsonLdException) { failed = true; }
        var direct = new Processor(options).TryToRdfDirect(doc.RootElement);
        return (direct is null ? null : Rdfc10.Canonicalize(direct).CanonicalNQuads, full, failed);
    }

    [Fact]
    public void On_random_credential_shaped_documents_the_direct_path_agrees_with_expansion_and_toRdf()
    {
        int answered = 0, total = 0;
        Gen.Int.Sample(seed =>
        {
            var rnd = new Random(seed);
            var json = RandomDocument(rnd);
            var (direct, full, failed) = Both(json, safeMode: rnd.Next(2) == 0);
            Interlocked.Increment(ref total);
            if (direct is null) return true;
            Interlocked.Increment(ref answered);
            if (failed || direct != full)
                throw new Xunit.Sdk.XunitException($"seed {seed}: {json}\nfull ({(failed ? "failed" : "ok")}):\n{full}\ndirect:\n{direct}");
            return true;
        }, iter: 2000);
        output.WriteLine($"direct path answered {answered} of {total} random documents");
        Assert.InRange(answered, total / 5, total);
    }
}
