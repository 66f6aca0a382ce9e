using System.Text.Json;
using Vc.JsonLd;
using Xunit.Abstractions;

namespace Vc.JsonLd.Tests;

/// <summary>The direct path (plain node objects read straight into quads, for canonicalization) against expansion
/// followed by toRdf, on every W3C expand and toRdf input: where it answers, the canonical dataset is the same;
/// where the full algorithms fail, it does not answer.</summary>
public class DirectRdfTests(ITestOutputHelper output)
{
    public static TheoryData<string> Cases()
    {
        var d = new TheoryData<string>();
        foreach (var id in JsonLdSuite.Tests.Keys) d.Add(id);
        return d;
    }

    private static (string? Direct, string? Full, string? FullError) Both(string id)
    {
        var t = JsonLdSuite.Tests[id];
        JsonLdOptions options;
        try
        {
            options = JsonLdSuite.OptionsFor(t);
            _ = new Processor(options); // unsupported options
        }
        catch (JsonLdException) { return (null, null, "unsupported options"); }
        using var input = JsonLdProcessor.Parse(File.ReadAllBytes(Path.Combine(JsonLdSuite.Root, t.Input)));
        var direct = new Processor(options).TryToRdfDirect(input.RootElement);
        string? full = null, error = null;
        try { full = Rdfc10.Canonicalize(JsonLdProcessor.ToRdf(input.RootElement, options)).CanonicalNQuads; }
        catch (JsonLdException e) { error = e.SpecCode; }
        catch (RdfcException e) { error = e.Code.ToString(); }
        string? directCanonical = null;
        if (direct is not null)
        {
            try { directCanonical = Rdfc10.Canonicalize(direct).CanonicalNQuads; }
            catch (RdfcException e) { directCanonical = "RDFC error " + e.Code; }
        }
        return (directCanonical, full, error);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Where_the_direct_path_answers_it_gives_the_dataset_of_expansion_and_toRdf(string id)
    {
        var (direct, full, error) = Both(id);
        if (direct is null) return;
        Assert.True(error is null, $"the full algorithms fail ({error}) but the direct path answered:\n{direct}");
        Assert.Equal(full, direct);
    }

    [Fact]
    public void The_direct_path_answers_for_most_plain_documents_of_the_suites()
    {
        int answered = 0, total = 0;
        foreach (var id in JsonLdSuite.Tests.Keys)
        {
            var (direct, full, _) = Both(id);
            if (full is null) continue;
            total++;
            if (direct is not null) answered++;
        }
        output.WriteLine($"direct path answered {answered} of {total} documents the full algorithms convert");
        // The suites exercise every corner of JSON-LD; a good share is still plain node objects.
        Assert.InRange(answered, total / 5, total);
    }
}
