using Vc.Agent;
using System.CommandLine;
using Vc.Node.Hosting;

namespace Vc.Node.Cli;

/// <summary>What every command gets: its output streams and the options common to all commands.</summary>
public sealed record CliContext(TextWriter Out, TextWriter Err)
{
    /// <summary>The one clock of this call, handed to everything the commands build (the system clock unless a caller injects one).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The common options, declared once on the root and inherited by every command (recursive).</summary>
    public CommonOptions Common { get; } = new();

    /// <summary>--data DIR, else VCHEALTH_HOME, else ~/.vchealth.</summary>
    public static string DefaultDataDirectory() =>
        Environment.GetEnvironmentVariable("VCHEALTH_HOME") is { Length: > 0 } home
            ? home
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".vchealth");

    /// <summary>The data directory of this call (absolute).</summary>
    public string DataDirectory(ParseResult parse) => Path.GetFullPath(parse.GetValue(Common.Data) ?? DefaultDataDirectory());

    /// <summary>The ledger options every ledger-using command accepts: --data, --rpc, --registry.</summary>
    public LedgerSettings LedgerSettingsFrom(ParseResult parse) => new()
    {
        DataDirectory = DataDirectory(parse),
        RpcUrl = parse.GetValue(Common.Rpc),
        RegistryAddress = parse.GetValue(Common.Registry),
        RelayerKey = Environment.GetEnvironmentVariable("VCHEALTH_RELAYER_KEY"),
        Confirmations = Environment.GetEnvironmentVariable("VCHEALTH_CONFIRMATIONS") is { Length: > 0 } depth
            ? int.TryParse(depth, out var n) && n is >= 0 and <= 1000 ? n : throw new UsageException($"VCHEALTH_CONFIRMATIONS must be a number of blocks (0–1000), got '{depth}'")
            : 0,
    };

    /// <summary>
    /// The application of this call, built by the same factory and from the same configuration as the node's
    /// (data directory, --rpc, --registry, public URL): the CLI and the HTTP API answer alike.
    /// </summary>
    public Task<VcAgent> OpenAgentAsync(ParseResult parse, IReadOnlyList<string>? trustFiles = null, string? gatewayAnchor = null,
        string? trustCertificates = null, bool didWebOffline = false, VerifierPack? pack = null) =>
        VcAgent.OpenAsync(new AgentOptions
        {
            Ledger = LedgerSettingsFrom(parse), PublicUrl = parse.GetValue(Common.PublicUrl) ?? VcAgent.DefaultPublicUrl,
            TrustFiles = trustFiles ?? [], GatewayTrustAnchorPath = gatewayAnchor, TrustCertificatesDirectory = trustCertificates,
            Database = Database(parse),
            DidWebOffline = didWebOffline,
            Pack = pack,
            Time = Time,
        });

    /// <summary>--db URL, else VCHEALTH_DB, else null (SQLite in the data directory).</summary>
    public string? Database(ParseResult parse) =>
        parse.GetValue(Common.Db) ?? (Environment.GetEnvironmentVariable("VCHEALTH_DB") is { Length: > 0 } db ? db : null);
}

/// <summary>`--data DIR`, `--rpc URL`, `--registry ADDRESS`: accepted by every command so scripts can pass them uniformly.</summary>
public sealed class CommonOptions
{
    public Option<string> Data { get; } = new("--data")
    {
        Description = "the node's data directory (default $VCHEALTH_HOME, else ~/.vchealth)", HelpName = "DIR", Recursive = true,
    };

    public Option<Uri> Rpc { get; } = new("--rpc")
    {
        Description = "an Ethereum-compatible JSON-RPC node instead of the embedded Anvil", HelpName = "URL", Recursive = true,
        CustomParser = CliParse.HttpUrl,
    };

    public Option<string> Registry { get; } = new("--registry")
    {
        Description = "a DID registry (ERC-1056) deployed elsewhere", HelpName = "ADDRESS", Recursive = true,
    };

    /// <summary>The node's public base URL, minted into status list URLs and used to tell this node's lists from others'.</summary>
    public Option<string> PublicUrl { get; } = new("--public-url")
    {
        Description = "the node's public base URL (status list URLs; default " + VcAgent.DefaultPublicUrl + ")", HelpName = "URL", Recursive = true,
    };

    /// <summary>A PostgreSQL database shared by several nodes, instead of SQLite in the data directory.</summary>
    public Option<string> Db { get; } = new("--db")
    {
        Description = "a PostgreSQL database (postgres://user:password@host:port/db) instead of SQLite in the data directory (default $VCHEALTH_DB)",
        HelpName = "URL", Recursive = true, CustomParser = CliParse.PostgresUrl,
    };

    public IEnumerable<Option> All => [Data, Rpc, Registry, PublicUrl, Db];
}
