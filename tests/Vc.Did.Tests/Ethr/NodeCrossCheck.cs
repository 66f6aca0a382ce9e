using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.TestSupport;

namespace Vc.Did.Tests.Ethr;

/// <summary>Runs tests/js/did/crosscheck.mjs (ethers writer, npm ethr-did-resolver 11.1.3) with a JSON request.</summary>
public static class NodeCrossCheck
{
    public static async Task<JsonElement> RunAsync(JsonObject request, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(TestPaths.RepoRoot, "tests", "js", "did", "crosscheck.mjs"));
        using var node = Process.Start(psi)!;
        await node.StandardInput.WriteAsync(request.ToJsonString());
        node.StandardInput.Close();
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try { await node.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { node.Kill(true); throw new TimeoutException("crosscheck.mjs timed out: " + await stderr); }
        Assert.True(node.ExitCode == 0, "crosscheck.mjs failed: " + await stderr);
        using var doc = JsonDocument.Parse(await stdout);
        return doc.RootElement.Clone();
    }
}
