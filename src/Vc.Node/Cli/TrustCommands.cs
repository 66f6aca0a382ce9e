using System.Text.Json.Nodes;
using Nethereum.Signer;
using Vc.Node.Hosting;
using Vc.Trust;

namespace Vc.Node.Cli;

/// <summary>
/// `vchealth trust init|onboard|add-issuer|suspend|reinstate|remove|check|audit|snapshot`: the on-chain trust
/// registry (GDHCN-shaped governance). Writes are signed with --key FILE (hex secp256k1 key) and sent directly,
/// or with --relay as chain-bound signed writes submitted by the node's relayer (the signer needs no ether).
/// </summary>
public static class TrustCommands
{
    public static async Task<int> RunAsync(CliContext context, string[] argv)
    {
        var args = new CliArgs(argv, "relay", "all");
        var verb = args.Positional(0, "init|onboard|add-issuer|suspend|reinstate|remove|check|audit|snapshot");
        var settings = CliContext.LedgerSettingsFrom(args);
        try
        {
            return verb switch
            {
                "init" => await InitAsync(context, args, settings),
                "check" => await CheckAsync(context, args, settings),
                "audit" => await AuditAsync(context, args, settings),
                "onboard" or "add-issuer" or "suspend" or "reinstate" or "remove" or "snapshot" => await WriteAsync(context, args, settings, verb),
                _ => throw new UsageException($"unknown trust command '{verb}'"),
            };
        }
        catch (TrustRegistryException e) when (!e.RevertedOnChain && e.Error is TrustRegistryError.InvalidCountryCode or TrustRegistryError.InvalidAddress
            or TrustRegistryError.InvalidDomains or TrustRegistryError.InvalidIssuer or TrustRegistryError.InvalidInput or TrustRegistryError.InvalidSnapshot)
        {
            throw new UsageException(e.Message);
        }
        catch (TrustRegistryException e)
        {
            throw new CliFailure("trust." + e.Error, e.Message);
        }
    }

    private static async Task<int> InitAsync(CliContext context, CliArgs args, LedgerSettings settings)
    {
        var anchor = args.Option("anchor") ?? (args.Option("anchor-key") is { } f ? (await KeyAsync(f)).GetPublicAddress() : null)
            ?? throw new UsageException("trust init needs --anchor ADDRESS or --anchor-key FILE");
        args.EnsureAllUsed();
        await using var ledger = await NodeLedger.OpenAsync(settings, detachIfStarted: true);
        var record = await TrustRegistryRecord.ReadAsync(settings, ledger.Connection)
            ?? await TrustRegistryRecord.DeployAsync(settings, ledger.Connection, anchor);
        CliOutput.Write(context.Out, record);
        return ExitCodes.Ok;
    }

    private static async Task<int> WriteAsync(CliContext context, CliArgs args, LedgerSettings settings, string verb)
    {
        var key = await KeyAsync(args.Required("key"));
        var mode = args.Flag("relay") ? WriteMode.Relayed : WriteMode.Direct;
        TrustOperation? operation = verb switch
        {
            "onboard" => new OnboardParticipant(CountryCode.Parse(args.Positional(1, "country (ISO alpha-3)")),
                args.Required("admin"), TrustDomainCodes.Parse(args.Required("domains"))),
            "add-issuer" => new AddIssuer(new IssuerRegistration(
                CountryCode.Parse(args.Positional(1, "country")),
                args.Option("did") is { } did ? IssuerRef.Did(did)
                    : args.Option("kid") is { } kid ? IssuerRef.KidBase64(kid)
                    : throw new UsageException("add-issuer needs --did DID or --kid BASE64 (with --thumbprint HEX)"),
                TrustDomainCodes.Parse(args.Required("domains")),
                args.Option("valid-from") is { } from ? CliParse.Time(from, "--valid-from") : null,
                args.Option("valid-until") is { } until ? CliParse.Time(until, "--valid-until") : null,
                args.Option("thumbprint") is { } t ? Bytes32.Parse(t) : null)),
            "suspend" or "reinstate" or "remove" => StatusOperation(verb, CountryCode.Parse(args.Positional(1, "country")),
                args.Positionals.Count > 2 ? IssuerRef.Parse(args.Positionals[2]) : null),
            _ => null,
        };
        var all = args.Flag("all");
        string? snapshotCountry = verb == "snapshot" && !all ? args.Positional(1, "country (or --all)") : null;
        args.EnsureAllUsed();
        await using var ledger = await NodeLedger.OpenAsync(settings, detachIfStarted: true);
        var record = await RequireRegistryAsync(settings, ledger);
        var client = await TrustRegistryClient.OpenAsync(ledger.Connection, record.Address);
        if (verb == "snapshot")
        {
            var reader = new TrustRegistryReader(ledger.Connection, record.Address, record.DeploymentBlock);
            var snapshot = await reader.BuildSnapshotAsync(snapshotCountry is null ? null : CountryCode.Parse(snapshotCountry));
            operation = AnchorSnapshot.Of(snapshot);
        }
        var result = await client.ExecuteAsync(operation!, key, mode);
        CliOutput.Write(context.Out, result);
        return ExitCodes.Ok;
    }

    private static TrustOperation StatusOperation(string verb, CountryCode country, IssuerRef? issuer) => (verb, issuer) switch
    {
        ("suspend", null) => TrustOperation.SuspendParticipant(country),
        ("reinstate", null) => TrustOperation.ReinstateParticipant(country),
        (_, null) => TrustOperation.RemoveParticipant(country),
        ("suspend", { } i) => TrustOperation.SuspendIssuer(country, i),
        ("reinstate", { } i) => TrustOperation.ReinstateIssuer(country, i),
        (_, { } i) => TrustOperation.RemoveIssuer(country, i),
    };

    private static async Task<int> CheckAsync(CliContext context, CliArgs args, LedgerSettings settings)
    {
        var query = new TrustQuery(
            CountryCode.Parse(args.Positional(1, "country")),
            IssuerRef.Parse(args.Positional(2, "issuer (DID or kid:BASE64)")),
            TrustDomainCodes.Parse(args.Required("domain")),
            args.Option("at") is { } at ? CliParse.Time(at, "--at") : null,
            args.Option("thumbprint") is { } t ? Bytes32.Parse(t) : null);
        args.EnsureAllUsed();
        await using var ledger = await NodeLedger.OpenAsync(settings, detachIfStarted: true);
        var record = await RequireRegistryAsync(settings, ledger);
        var decision = await new TrustRegistryReader(ledger.Connection, record.Address, record.DeploymentBlock).CheckAsync(query);
        CliOutput.Write(context.Out, decision);
        return decision.Trusted ? ExitCodes.Ok : ExitCodes.Negative;
    }

    private static async Task<int> AuditAsync(CliContext context, CliArgs args, LedgerSettings settings)
    {
        var country = CountryCode.Parse(args.Positional(1, "country"));
        var issuer = args.Positionals.Count > 2 ? IssuerRef.Parse(args.Positionals[2]) : null;
        args.EnsureAllUsed();
        await using var ledger = await NodeLedger.OpenAsync(settings, detachIfStarted: true);
        var record = await RequireRegistryAsync(settings, ledger);
        var events = await new TrustRegistryReader(ledger.Connection, record.Address, record.DeploymentBlock).GetAuditTrailAsync(country, issuer);
        CliOutput.Write(context.Out, events);
        return ExitCodes.Ok;
    }

    private static async Task<TrustRegistryRecord> RequireRegistryAsync(LedgerSettings settings, NodeLedger ledger) =>
        await TrustRegistryRecord.ReadAsync(settings, ledger.Connection)
            ?? throw new CliFailure("trust.NotInitialized", "no trust registry on this chain yet: run `vchealth trust init --anchor ADDRESS` first");

    private static async Task<EthECKey> KeyAsync(string file)
    {
        try { return TrustKeys.ParsePrivateKey(await CliInput.ReadTextAsync(file)); }
        catch (TrustRegistryException e) { throw new CliInput.InputException($"{file}: {e.Message}"); }
    }
}
