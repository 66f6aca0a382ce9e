using Vc.Agent;
using Vc.Node.Hosting;

namespace Vc.Node.Cli;

/// <summary>What every command gets: its output streams and the node's data directory.</summary>
public sealed record CliContext(TextWriter Out, TextWriter Err)
{
    /// <summary>--data DIR, else VCHEALTH_HOME, else ~/.vchealth.</summary>
    public static string DefaultDataDirectory() =>
        Environment.GetEnvironmentVariable("VCHEALTH_HOME") is { Length: > 0 } home
            ? home
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".vchealth");

    /// <summary>The ledger options every ledger-using command accepts: --data, --rpc, --registry.</summary>
    public static LedgerSettings LedgerSettingsFrom(CliArgs args) => new()
    {
        DataDirectory = Path.GetFullPath(args.Option("data") ?? DefaultDataDirectory()),
        RpcUrl = args.Option("rpc") is { } rpc ? ParseRpc(rpc) : null,
        RegistryAddress = args.Option("registry"),
        RelayerKey = Environment.GetEnvironmentVariable("VCHEALTH_RELAYER_KEY"),
    };

    private static Uri ParseRpc(string rpc) =>
        Uri.TryCreate(rpc, UriKind.Absolute, out var uri) && (uri.Scheme == "http" || uri.Scheme == "https")
            ? uri
            : throw new UsageException($"--rpc must be an http(s) URL, got '{rpc}'");
}
