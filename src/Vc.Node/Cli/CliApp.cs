using Vc.Did.Ledger;

namespace Vc.Node.Cli;

/// <summary>The vchealth command-line tool: a thin layer over the library calls, one group per area.</summary>
public static class CliApp
{
    private delegate Task<int> Command(CliContext context, string[] args);

    private static readonly (string Name, string Summary, Command Run)[] Commands =
    [
        ("node", "serve the HTTP API (embedded ledger unless --rpc)", NodeCommands.NodeAsync),
        ("status", "start or reuse the ledger and print the node status JSON", NodeCommands.StatusAsync),
        ("demo", "run the whole story on the embedded default", DemoCommand.RunAsync),
        ("ledger", "start|stop|status of the embedded ledger daemon", LedgerCommands.RunAsync),
        ("apikey", "create|revoke API keys for the node's write endpoints", ApiKeyCommands.RunAsync),
        ("issuer", "create|list issuer instances of this node (DID + key + cryptosuite)", VcCommands.IssuerAsync),
        ("vc", "issue|verify|status W3C verifiable credentials", VcCommands.VcAsync),
        ("vp", "create|verify verifiable presentations", VcCommands.VpAsync),
        ("did", "create|add-key|rotate-key|revoke-key|add-delegate|add-service|change-owner|deactivate|resolve did:ethr / did:key", DidCommands.RunAsync),
        ("dcc", "verify|sign|qr HCERT / EU DCC and ICVP QR codes (HC1:)", DccCliCommands.RunAsync),
        ("pki", "dev-country CC --out DIR: a development CSCA + DSC for HCERT signing", PkiCommands.RunAsync),
        ("trust", "init|onboard|add-issuer|suspend|reinstate|remove|check|audit|snapshot on the trust registry", TrustCommands.RunAsync),
        ("canon", "RDFC-1.0 canonical N-Quads of a JSON-LD (or --nquads) file", CanonCommand.RunAsync),
        ("key", "generate a wallet/issuer key (did:key); prints the public part", VcCommands.KeyAsync),
    ];

    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var context = new CliContext(stdout ?? Console.Out, stderr ?? Console.Error);
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintUsage(context.Out);
            return args.Length == 0 ? ExitCodes.Usage : ExitCodes.Ok;
        }
        var command = Commands.FirstOrDefault(c => c.Name == args[0]);
        if (command.Run is null)
        {
            CliOutput.Error(context.Err, "usage", $"unknown command '{args[0]}' (try: vchealth --help)");
            return ExitCodes.Usage;
        }
        try
        {
            return await command.Run(context, args[1..]);
        }
        catch (UsageException e)
        {
            CliOutput.Error(context.Err, "usage", e.Message);
            return ExitCodes.Usage;
        }
        catch (LedgerException e)
        {
            CliOutput.Error(context.Err, "ledger." + e.Error, e.Message);
            return ExitCodes.Failed;
        }
        catch (CliFailure e)
        {
            CliOutput.Error(context.Err, e.Type, e.Message);
            return ExitCodes.Failed;
        }
        catch (CliInput.InputException e)
        {
            CliOutput.Error(context.Err, "input", e.Message);
            return ExitCodes.Failed;
        }
        catch (Vc.Agent.Storage.StoreException e)
        {
            CliOutput.Error(context.Err, "store", e.Message);
            return ExitCodes.Failed;
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            CliOutput.Error(context.Err, "crypto", e.Message);
            return ExitCodes.Failed;
        }
        catch (Vc.Interop.TrustLists.TrustListException e)
        {
            CliOutput.Error(context.Err, "trustlist." + e.Failure, e.Message);
            return ExitCodes.Failed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            CliOutput.Error(context.Err, "io", e.Message);
            return ExitCodes.Failed;
        }
    }

    private static void PrintUsage(TextWriter w)
    {
        w.WriteLine("usage: vchealth <command> [arguments] [--options]");
        w.WriteLine();
        foreach (var (name, summary, _) in Commands) w.WriteLine($"  {name,-10} {summary}");
        w.WriteLine();
        w.WriteLine("Common options: --data DIR (default $VCHEALTH_HOME or ~/.vchealth), --rpc URL, --registry ADDRESS");
        w.WriteLine("Exit codes: 0 ok/valid, 1 negative answer, 2 usage error, 3 could not be carried out");
    }
}
