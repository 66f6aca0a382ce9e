using Vc.Agent;
using Vc.Node.Hosting;

namespace Vc.Node.Cli;

/// <summary>`vchealth node` (serve HTTP) and `vchealth status` (print the ledger status once).</summary>
public static class NodeCommands
{
    public static async Task<int> NodeAsync(CliContext context, string[] argv)
    {
        var args = new CliArgs(argv);
        var options = new NodeOptions
        {
            Ledger = CliContext.LedgerSettingsFrom(args),
            Urls = args.Option("urls") ?? "http://127.0.0.1:8480",
            TlsCertificatePath = args.Option("tls-cert"),
            TlsKeyPath = args.Option("tls-key"),
            PublicRequestsPerSecond = args.Option("rate-limit") is { } r ? CliParse.PositiveInt(r, "--rate-limit") : 5000,
            PublicUrl = args.Option("public-url"),
            TrustFiles = args.All("trust"),
            GatewayTrustAnchorPath = args.Option("gateway-anchor"),
        };
        args.EnsureAllUsed();
        await using var ledger = await NodeLedger.OpenAsync(options.Ledger, detachIfStarted: false);
        await using var app = await NodeApp.BuildAsync(options, ledger);
        await app.StartAsync();
        context.Err.WriteLine($"vchealth node listening on {string.Join(", ", NodeApp.ListeningAddresses(app))} (ledger {ledger.Mode}, chain {ledger.Connection.ChainId})");
        await app.WaitForShutdownAsync();
        return ExitCodes.Ok;
    }

    public static async Task<int> StatusAsync(CliContext context, string[] argv)
    {
        var args = new CliArgs(argv);
        var settings = CliContext.LedgerSettingsFrom(args);
        args.EnsureAllUsed();
        await using var ledger = await NodeLedger.OpenAsync(settings, detachIfStarted: false);
        CliOutput.Write(context.Out, await NodeStatus.ReadAsync(ledger, settings));
        return ExitCodes.Ok;
    }
}
