using System.CommandLine;
using System.Text.Json.Nodes;
using Vc.Agent;
using Vc.Node.Hosting;

namespace Vc.Node.Cli;

/// <summary>`vchealth ledger start|stop|status`: the embedded ledger daemon used by one-shot commands.</summary>
public static class LedgerCommands
{
    public static Command Declare(CliContext context)
    {
        var group = new Command("ledger");
        foreach (var (verb, description) in new[]
        {
            ("start", "start the embedded ledger as a background daemon (or reuse it) and print its status"),
            ("stop", "stop the embedded ledger daemon"),
            ("status", "print the ledger status (starting the daemon if needed)"),
        })
        {
            var command = new Command(verb, description);
            command.SetAction((parse, _) => RunAsync(context, verb, context.LedgerSettingsFrom(parse)));
            group.Subcommands.Add(command);
        }
        return group;
    }

    private static async Task<int> RunAsync(CliContext context, string verb, LedgerSettings settings)
    {
        switch (verb)
        {
            case "start":
            case "status":
                await using (var ledger = await NodeLedger.OpenAsync(settings, detachIfStarted: true))
                    CliOutput.Write(context.Out, await NodeStatus.ReadAsync(ledger, settings));
                return ExitCodes.Ok;
            default:
                var stopped = await NodeLedger.StopDaemonAsync(settings);
                CliOutput.Write(context.Out, new JsonObject { ["stopped"] = stopped });
                return ExitCodes.Ok;
        }
    }
}
