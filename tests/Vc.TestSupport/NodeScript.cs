using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Vc.TestSupport;

/// <summary>
/// Runs a cross-check script of tests/js with Node.js (the reference stacks pinned in tools/js): one JSON request on
/// stdin, one JSON answer on stdout; a failing or silent script is an exception carrying its stderr.
/// </summary>
public static class NodeScript
{
    public static async Task<JsonNode> RunAsync(string script, string request, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(File.Exists("/usr/bin/node") ? "/usr/bin/node" : "node", [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("node did not start");
        await process.StandardInput.WriteAsync(request);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(cts.Token);
        var output = await stdout;
        if (process.ExitCode != 0 || output.Length == 0)
            throw new InvalidOperationException($"{Path.GetFileName(script)}: node exited {process.ExitCode}: {await stderr}");
        return JsonNode.Parse(output)!;
    }
}
