using Vc.Node.Cli;

namespace Vc.Node.Tests;

/// <summary>The README's run command: the whole story through the node's HTTP API, on a fresh data directory.</summary>
public sealed class EndToEndStoryTests
{
    [Fact]
    public async Task The_demo_story_runs_every_step_as_expected_on_a_fresh_node()
    {
        var dir = Directory.CreateTempSubdirectory("vchealth-e2e-").FullName;
        try
        {
            var (output, errors) = (new StringWriter(), new StringWriter());
            var code = await CliApp.RunAsync(["demo", "--data", Path.Combine(dir, "data"), "--out", Path.Combine(dir, "out")], output, errors);
            var text = output.ToString();

            Assert.True(code == ExitCodes.Ok, text + errors);
            Assert.Contains("demo: all 9 steps behaved as expected", text);
            Assert.DoesNotContain("FAILED", text);
            Assert.True(new FileInfo(Path.Combine(dir, "out", "icvp-ke-bridged.png")).Length > 0);
            Assert.True(new FileInfo(Path.Combine(dir, "out", "icvp-gh-hcert.png")).Length > 0);
            Assert.Contains("\"hashType\": \"SIGNATURE\"", File.ReadAllText(Path.Combine(dir, "out", "hcert-revocation-batches.json")));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
