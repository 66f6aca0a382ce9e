using Vc.Fuzz;
using Vc.Interop.Hcert;
using Vc.Interop.TrustLists;
using Vc.TestSupport;

namespace Vc.Fuzz.Tests;

/// <summary>
/// The fuzzing corpora (bench/fuzz/corpus/TARGET: seeds, minimised findings, a sample of each campaign's queue) as
/// regression tests: every file goes through its target under the campaign's contract — a result or the library's
/// typed error, nothing else — in-process, without AFL or instrumentation.
/// </summary>
public sealed class CorpusRegressionTests
{
    private static string Corpus(string target) => Path.Combine(TestPaths.RepoRoot, "bench", "fuzz", "corpus", target);

    public static TheoryData<string> Targets => new(FuzzTargets.All.Select(t => t.Name));

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_corpus_input_gives_a_result_or_the_librarys_typed_error(string name)
    {
        var target = FuzzTargets.Find(name)!;
        var files = Directory.GetFiles(Corpus(name));
        Assert.NotEmpty(files);
        var escaped = new List<string>();
        var accepted = 0;
        foreach (var file in files)
        {
            try
            {
                if (target.Run(File.ReadAllBytes(file)) == FuzzOutcome.Accepted) accepted++;
            }
            catch (Exception e)
            {
                escaped.Add($"{Path.GetFileName(file)}: {e.GetType().FullName}: {e.Message}");
            }
        }
        Assert.True(escaped.Count == 0, $"{escaped.Count} of {files.Length} inputs broke the contract:\n" + string.Join("\n", escaped));
        // The seeds hold inputs the library accepts: the target reaches its real path, not only the first check.
        Assert.True(accepted > 0, $"no input of {files.Length} was accepted");
    }

    [Fact]
    public void Every_target_has_a_corpus_and_every_corpus_a_target()
    {
        var folders = Directory.GetDirectories(Path.Combine(TestPaths.RepoRoot, "bench", "fuzz", "corpus")).Select(Path.GetFileName).Order();
        Assert.Equal(FuzzTargets.All.Select(t => t.Name).Order(), folders);
    }

    [Fact]
    public void An_exception_outside_the_typed_errors_escapes_the_target_as_a_finding()
    {
        var target = new FuzzTarget("t", "throws by input", input => input[0] switch
        {
            0 => throw new HcertException(HcertFailure.Base45, "typed"),
            1 => throw new IndexOutOfRangeException(),
            _ => (object?)null,
        }, typeof(HcertException));
        Assert.Equal(FuzzOutcome.Rejected, target.Run([0]));
        Assert.Equal(FuzzOutcome.Accepted, target.Run([2]));
        Assert.Throws<IndexOutOfRangeException>(() => target.Run([1]));
    }

    [Fact]
    public void The_hcert_targets_world_verifies_the_ICVP_seed_so_campaigns_reach_the_content_checks()
    {
        var result = FuzzFixtures.Verifier.Value.Verify(File.ReadAllText(Path.Combine(Corpus("hcert"), "icvp-yf-HC1.txt")).Trim());
        Assert.True(result.IsValid, $"{result.Outcome}: {result.Reason}");
        Assert.Equal(FuzzFixtures.Clock, result.Clock);
    }

    [Fact]
    public void The_gateway_seed_list_yields_its_DSC_under_the_fixture_anchor()
    {
        var list = EuGatewayTrustList.Load(File.ReadAllBytes(Path.Combine(Corpus("eu-gateway"), "list-xa.json")), FuzzFixtures.GatewayAnchor.Value);
        Assert.Empty(list.Rejected);
        Assert.Equal("XA", Assert.Single(list.Entries).Country);
    }
}
