using Vc.Agent;
using System.CommandLine;
using Vc.Node.Hosting;

namespace Vc.Node.Cli;

/// <summary>`vchealth node` (serve HTTP) and `vchealth status` (print the ledger status once).</summary>
public static class NodeCommands
{
    public static Command Node(CliContext context)
    {
        var urls = CliParse.Text("--urls", "where to listen (default http://127.0.0.1:8480)", "URL");
        var tlsCert = CliParse.Text("--tls-cert", "TLS certificate (PEM)", "PEM");
        var tlsKey = CliParse.Text("--tls-key", "TLS private key (PEM)", "PEM");
        var rateLimit = CliParse.PositiveInt("--rate-limit", "public requests per second per client (default 5000)", "N");
        var trust = CliParse.Many("--trust", "a DSC, EU gateway trust list or GDHCN DID document for HCERT verification", "FILE");
        var anchor = CliParse.Text("--gateway-anchor", "the trust anchor certificate of EU gateway trust lists", "CERT");
        var didWebOffline = CliParse.Flag("--did-web-offline", "resolve did:web only from the --trust files' did:web documents (no fetches)");
        var rules = CliParse.Text("--rules", "business rules (a rule file or folder) applied when a verification names an arrival country", "DIR_OR_FILE");
        var pack = new PackOptions();
        var command = new Command("node")
        {
            urls, tlsCert, tlsKey, rateLimit, trust, anchor, didWebOffline, rules,
        };
        pack.AddTo(command);
        command.SetAction(async (parse, _) =>
        {
            // A border verifier: no ledger, every answer from the pack (refused at start when too old, and again per answer).
            var offline = await pack.LoadAsync(context, parse);
            var ruleSet = parse.GetValue(rules) is { } rulesPath ? RulesCommands.ReadFile(rulesPath, "rule", Vc.Rules.DccRuleSet.Load) : null;
            var options = new NodeOptions
            {
                Ledger = context.LedgerSettingsFrom(parse),
                Urls = parse.GetValue(urls) ?? "http://127.0.0.1:8480",
                TlsCertificatePath = parse.GetValue(tlsCert),
                TlsKeyPath = parse.GetValue(tlsKey),
                PublicRequestsPerSecond = parse.GetValue(rateLimit) ?? 5000,
                PublicUrl = parse.GetValue(context.Common.PublicUrl), // unset: the listening address
                TrustFiles = parse.GetValue(trust) ?? [],
                GatewayTrustAnchorPath = parse.GetValue(anchor),
                Database = context.Database(parse),
                DidWebOffline = parse.GetValue(didWebOffline),
                Pack = offline,
                Rules = ruleSet,
                Time = context.Time,
            };
            return offline is null ? await NodeAsync(context, options) : await OfflineNodeAsync(context, options, offline);
        });
        return command;
    }

    private static async Task<int> NodeAsync(CliContext context, NodeOptions options)
    {
        await using var ledger = await NodeLedger.OpenAsync(options.Ledger, detachIfStarted: false);
        await using var app = await NodeApp.BuildAsync(options, ledger);
        await app.StartAsync();
        context.Err.WriteLine($"vchealth node listening on {string.Join(", ", NodeApp.ListeningAddresses(app))} (ledger {ledger.Mode}, chain {ledger.Connection.ChainId})");
        await app.WaitForShutdownAsync();
        return ExitCodes.Ok;
    }

    private static async Task<int> OfflineNodeAsync(CliContext context, NodeOptions options, VerifierPack pack)
    {
        await using var app = await NodeApp.BuildAsync(options, ledger: null);
        await app.StartAsync();
        context.Err.WriteLine($"vchealth node listening on {string.Join(", ", NodeApp.ListeningAddresses(app))} (no ledger: offline pack of block {pack.Block} at {pack.BlockTime:O}, max age {pack.MaxAge})");
        await app.WaitForShutdownAsync();
        return ExitCodes.Ok;
    }

    public static Command Status(CliContext context)
    {
        var command = new Command("status");
        command.SetAction((parse, _) => StatusAsync(context, context.LedgerSettingsFrom(parse)));
        return command;
    }

    private static async Task<int> StatusAsync(CliContext context, LedgerSettings settings)
    {
        await using var ledger = await NodeLedger.OpenAsync(settings, detachIfStarted: false);
        CliOutput.Write(context.Out, await NodeStatus.ReadAsync(ledger, settings));
        return ExitCodes.Ok;
    }
}
