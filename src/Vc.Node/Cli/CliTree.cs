using System.Collections.Immutable;
using System.CommandLine;

namespace Vc.Node.Cli;

/// <summary>
/// The command tree, built for one call (its symbols hold the call's context; nothing is shared between calls).
/// Each group is declared beside its bodies in its own file; the summaries of the top-level commands are here.
/// </summary>
internal static class CliTree
{
    private static readonly ImmutableArray<(string Name, string Summary, Func<CliContext, Command> Declare)> TopLevel =
    [
        ("node", "serve the HTTP API on 127.0.0.1 (embedded ledger unless --rpc)", NodeCommands.Node),
        ("status", "start or reuse the ledger and print the node status JSON", NodeCommands.Status),
        ("demo", "run the whole story on the embedded default; exit 0 only if every step behaves as expected", DemoCommand.Declare),
        ("ledger", "start|stop|status of the embedded ledger daemon (reused by one-shot commands); deploy our contracts on any EVM chain", LedgerCommands.Declare),
        ("apikey", "create|revoke API keys for the node's write endpoints", ApiKeyCommands.Declare),
        ("issuer", "create|list|dsc issuer instances of this node (DID + key + cryptosuite, and the DSC a CSCA issued to it)", VcCommands.IssuerCommand),
        ("vc", "issue|verify|status|derive W3C verifiable credentials", VcCommands.VcCommand),
        ("vp", "create|verify verifiable presentations", VcCommands.VpCommand),
        ("did", "create|add-key|rotate-key|revoke-key|add-delegate|add-service|change-owner|deactivate|bind-dsc|resolve did:ethr / did:key", DidCommands.Declare),
        ("dcc", "verify|sign|qr HCERT / EU DCC and ICVP QR codes (HC1:)", DccCliCommands.Declare),
        ("bridge", "vc-to-hcert|hcert-to-vc: a credential as an HC1 QR code, an HCERT as a credential", BridgeCommands.Declare),
        ("pki", "dev-country CC --out DIR: a development CSCA + DSC for HCERT signing", PkiCommands.Declare),
        ("trust", "init|onboard|add-issuer|suspend|reinstate|remove|check|audit|snapshot|import-…|export-… on the trust registry", TrustCommands.Declare),
        ("canon", "RDFC-1.0 canonical N-Quads of a JSON-LD (or --nquads) file", CanonCommand.Declare),
        ("key", "generate a wallet/issuer key (did:key) or a ledger key; prints the public part", VcCommands.KeyCommand),
        ("rules", "test RULE.json TEST.json…: run a CertLogic (EU DCC business) rule on its test files", RulesCommands.Declare),
        ("completion", "shell completion scripts (completion bash)", CompletionCommand.Declare),
        ("wallet", "init|import|list|show|present|qr|remove: the holder's encrypted wallet (own did:key)", WalletCommands.Declare),
        ("pack", "build --out FILE: the signed offline verifier pack (registry, issuer key histories, DSCs, trust and status lists) as of one block", PackCommands.Declare),
    ];

    /// <summary>
    /// The tree for a call. Only the top-level commands named in <paramref name="args"/> (or in a [suggest] directive's
    /// command line) are declared in full; the others are their name and summary, enough for the root's help, typo
    /// suggestions and completion. Declaring all of them costs a one-shot call type loads it never uses (Nethereum for
    /// trust, …). Null: the whole tree.
    /// </summary>
    public static Command Build(CliContext context, IReadOnlyList<string>? args = null)
    {
        var named = args is null ? null : Words(args);
        // A plain command, not System.CommandLine's RootCommand: that one creates its help and version options and the
        // [suggest] directive on every call, loading the localized resources for their texts (~10 ms of a one-shot call).
        // Help is the option below, [suggest] is answered by CliApp.
        var root = new Command("vchealth", """
            vchealth: verifiable health credentials (W3C VC 2.0, HCERT / EU DCC, ICVP) over did:ethr and an on-chain trust registry.
            Every command prints JSON on stdout; errors are one JSON object {"error":{"type","message"}} on stderr.
            Exit codes: 0 ok/valid, 1 negative answer, 2 usage error, 3 could not be carried out.
            """)
        {
            new Option<bool>("--help", "-h", "-?") { Description = "show help and usage", Recursive = true, Action = new CliHelpAction() },
        };
        foreach (var option in context.Common.All) root.Options.Add(option);
        foreach (var (name, summary, declare) in TopLevel)
        {
            var command = named is null || named.Contains(name) ? declare(context) : new Command(name);
            command.Description = summary;
            root.Subcommands.Add(command);
        }
        return root;
    }

    private static HashSet<string> Words(IReadOnlyList<string> args)
    {
        var words = new HashSet<string>(args, StringComparer.Ordinal);
        // `vchealth "[suggest:N]" "vc verify --"`: the command line to complete is one argument.
        if (args.Count > 0 && args[0].StartsWith("[suggest", StringComparison.Ordinal))
            foreach (var arg in args.Skip(1))
                words.UnionWith(arg.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return words;
    }
}
