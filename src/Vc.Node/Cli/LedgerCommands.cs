using System.Text.Json.Nodes;
using Vc.Agent;
using Vc.Node.Hosting;

namespace Vc.Node.Cli;

/// <summary>`vchealth ledger start|stop|status`: the embedded ledger daemon used by one-shot commands.</summary>
public static class LedgerCommands
{
    public static async Task<int> RunAsync(CliContext context, string[] argv)
    {
        var args = new CliArgs(argv);
        var verb = args.Positional(0, "start|stop|status");
        var settings = CliContext.LedgerSettingsFrom(args);
        args.EnsureAllUsed();
        switch (verb)
        {
            case "start":
            case "status":
                await using (var ledger = await NodeLedger.OpenAsync(settings, detachIfStarted: true))
                    CliOutput.Write(context.Out, await NodeStatus.ReadAsync(ledger, settings));
                return ExitCodes.Ok;
            case "stop":
                var stopped = await NodeLedger.StopDaemonAsync(settings);
                CliOutput.Write(context.Out, new JsonObject { ["stopped"] = stopped });
                return ExitCodes.Ok;
            default:
                throw new UsageException($"unknown ledger command '{verb}' (start|stop|status)");
        }
    }
}
