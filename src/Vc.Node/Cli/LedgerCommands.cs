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
        group.Subcommands.Add(DeployCommand(context));
        return group;
    }

    /// <summary>`ledger deploy --rpc URL --key FILE [--anchor ADDRESS]`: our contracts on any EVM chain, once (idempotent).</summary>
    private static Command DeployCommand(CliContext context)
    {
        var key = CliParse.Text("--key", "file holding the hex secp256k1 key of the funded account that deploys (0600)", "FILE", required: true);
        var anchor = CliParse.Text("--anchor", "the trust registry's trust anchor address (default: the deploying account)", "ADDRESS");
        var command = new Command("deploy", "deploy the DID registry and the trust registry on the --rpc chain (or find them: idempotent) and print their addresses")
        {
            key, anchor,
        };
        command.SetAction(async (parse, ct) =>
        {
            var settings = context.LedgerSettingsFrom(parse);
            if (settings.RpcUrl is null) throw new UsageException("ledger deploy needs --rpc URL (the embedded ledger deploys its contracts itself)");
            Nethereum.Signer.EthECKey secret;
            try { secret = Vc.Trust.TrustKeys.ParsePrivateKey(await CliInput.ReadTextAsync(parse.GetRequiredValue(key))); }
            catch (Vc.Trust.TrustRegistryException e) { throw new CliInput.InputException($"{parse.GetRequiredValue(key)}: {e.Message}"); }
            LedgerDeploymentResult result;
            try { result = await LedgerDeployment.DeployAsync(settings, secret, parse.GetValue(anchor), ct); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            CliOutput.Write(context.Out, result);
            return ExitCodes.Ok;
        });
        return command;
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
