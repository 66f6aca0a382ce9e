using System.Diagnostics;
using System.Text.Json.Nodes;
using Vc.TestSupport;

namespace Vc.Credentials.Tests;

/// <summary>Runs tests/js/vc/crosscheck.mjs (the Digital Bazaar stack, offline): one JSON request in, one JSON answer out.</summary>
internal static class JsStack
{
    public static string Script => Path.Combine(TestPaths.RepoRoot, "tests", "js", "vc", "crosscheck.mjs");

    public static async Task<JsonObject> RunAsync(JsonObject request, int timeoutSeconds = 120)
    {
        var psi = new ProcessStartInfo(File.Exists("/usr/bin/node") ? "/usr/bin/node" : "node", [Script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("node did not start");
        await process.StandardInput.WriteAsync(request.ToJsonString());
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        await process.WaitForExitAsync(cts.Token);
        var output = await stdout;
        if (process.ExitCode != 0 || output.Length == 0)
            throw new InvalidOperationException($"node exited {process.ExitCode}: {await stderr}");
        return (JsonObject)JsonNode.Parse(output)!;
    }

    public static JsonObject Ed25519Key(byte seedByte) => new() { ["type"] = "Ed25519", ["seedHex"] = Convert.ToHexString(Enumerable.Repeat(seedByte, 32).ToArray()) };
}
