using System.CommandLine;

namespace Vc.Node.Cli;

/// <summary>
/// The command tree, built for one call (its symbols hold the call's context; nothing is shared between calls).
/// Each group is declared beside its bodies in its own file.
/// </summary>
internal static class CliTree
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("""
            vchealth: verifiable health credentials (W3C VC 2.0, HCERT / EU DCC, ICVP) over did:ethr and an on-chain trust registry.
            Every command prints JSON on stdout; errors are one JSON object {"error":{"type","message"}} on stderr.
            Exit codes: 0 ok/valid, 1 negative answer, 2 usage error, 3 could not be carried out.
            """)
        {
            HelpName = "vchealth",
        };
        foreach (var option in context.Common.All) root.Options.Add(option);
        root.Subcommands.Add(NodeCommands.Node(context));
        root.Subcommands.Add(NodeCommands.Status(context));
        root.Subcommands.Add(DemoCommand.Declare(context));
        root.Subcommands.Add(LedgerCommands.Declare(context));
        root.Subcommands.Add(ApiKeyCommands.Declare(context));
        root.Subcommands.Add(VcCommands.IssuerCommand(context));
        root.Subcommands.Add(VcCommands.VcCommand(context));
        root.Subcommands.Add(VcCommands.VpCommand(context));
        root.Subcommands.Add(DidCommands.Declare(context));
        root.Subcommands.Add(DccCliCommands.Declare(context));
        root.Subcommands.Add(PkiCommands.Declare(context));
        root.Subcommands.Add(TrustCommands.Declare(context));
        root.Subcommands.Add(CanonCommand.Declare(context));
        root.Subcommands.Add(VcCommands.KeyCommand(context));
        root.Subcommands.Add(CompletionCommand.Declare(context));
        return root;
    }
}
