using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Vc.Node.Hosting;

namespace Vc.Node.Cli;

/// <summary>
/// `vchealth demo`: the whole story on the embedded default, each step printed with its result.
/// Exits 0 only if every step behaves as expected.
/// </summary>
public static class DemoCommand
{
    public static async Task<int> RunAsync(CliContext context, string[] argv)
    {
        var args = new CliArgs(argv);
        var options = new NodeOptions { Ledger = CliContext.LedgerSettingsFrom(args), Urls = "http://127.0.0.1:0" };
        args.EnsureAllUsed();
        var steps = new DemoSteps(context.Out);

        await using var ledger = await NodeLedger.OpenAsync(options.Ledger, detachIfStarted: false);
        await using var app = await NodeApp.BuildAsync(options, ledger);
        await app.StartAsync();
        var baseUrl = NodeApp.ListeningAddresses(app)[0];
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };

        await steps.RunAsync("node started with its ledger", async () =>
        {
            var health = await http.GetFromJsonAsync<JsonObject>("/health") ?? throw new DemoStepFailed("no health answer");
            if ((string?)health["status"] != "ok") throw new DemoStepFailed("health: " + health.ToJsonString());
            var l = health["ledger"]!;
            return $"{baseUrl} · ledger {l["mode"]} · chain {l["chainId"]} · block {l["blockNumber"]} · registry {l["contracts"]?["EthereumDIDRegistry"]}";
        });

        await app.StopAsync();
        return steps.Summary();
    }
}

/// <summary>A failed demo step: what was expected and what happened instead.</summary>
public sealed class DemoStepFailed(string message) : Exception(message);

/// <summary>Prints each step with its outcome and counts failures.</summary>
public sealed class DemoSteps(TextWriter output)
{
    private int _number, _failed;

    public async Task RunAsync(string title, Func<Task<string>> step)
    {
        _number++;
        try
        {
            var result = await step();
            output.WriteLine($"[{_number}] {title}: OK — {result}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _failed++;
            output.WriteLine($"[{_number}] {title}: FAILED — {e.Message}");
        }
    }

    public int Summary()
    {
        output.WriteLine(_failed == 0 ? $"demo: all {_number} steps behaved as expected" : $"demo: {_failed} of {_number} steps failed");
        return _failed == 0 ? ExitCodes.Ok : ExitCodes.Negative;
    }
}
