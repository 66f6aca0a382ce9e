using System.Text.Json.Nodes;
using Nethereum.Signer;
using Vc.Agent;
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
        var args = new CliArgs(argv, "relay", "all", "allow-unverified");
        var verb = args.Positional(0, "init|onboard|add-issuer|suspend|reinstate|remove|check|audit|snapshot|import-gateway|import-gdhcn|export-gdhcn|export-gateway");
        var settings = CliContext.LedgerSettingsFrom(args);
        try
        {
            return verb switch
            {
                "init" => await InitAsync(context, args, settings),
                "check" when args.Positionals.Count == 2 => await CheckSubjectAsync(context, args, settings),
                "check" => await CheckAsync(context, args, settings),
                "import-gateway" or "import-gdhcn" => await ImportAsync(context, args, settings, verb),
                "export-gdhcn" or "export-gateway" => await ExportAsync(context, args, settings, verb),
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
        catch (Vc.Trust.Bridge.TrustBridgeException e) when (e.Error == Vc.Trust.Bridge.TrustBridgeError.InvalidInput)
        {
            throw new UsageException(e.Message);
        }
        catch (Vc.Trust.Bridge.TrustBridgeException e)
        {
            throw new CliFailure("trust." + e.Error, e.Message);
        }
    }

    /// <summary>
    /// PKI → ledger: `trust import-gateway LIST.json --anchor TA.pem --country DE --participant DEU --key ADMIN` or
    /// `trust import-gdhcn DOC.json --participant XXA [--source XXA] --key ADMIN (--anchor-key WHO.pem | --allow-unverified)`.
    /// Only keys whose list signatures verify are registered (kid + thumbprint); exit 1 when any key was rejected.
    /// </summary>
    private static async Task<int> ImportAsync(CliContext context, CliArgs args, LedgerSettings settings, string verb)
    {
        var file = args.Positional(1, "trust list file");
        var participant = CountryCode.Parse(args.Required("participant"));
        var key = await KeyAsync(args.Required("key"));
        var options = new Vc.Trust.Bridge.PkiImportOptions
        {
            Mode = args.Flag("relay") ? WriteMode.Relayed : WriteMode.Direct,
            At = args.Option("at") is { } at ? CliParse.Time(at, "--at") : null,
        };
        string? gatewayCountry = null, anchorPath = null, anchorKeyPath = null, source = null;
        var allowUnverified = false;
        if (verb == "import-gateway")
        {
            gatewayCountry = args.Required("country");
            anchorPath = args.Required("anchor");
        }
        else
        {
            source = args.Option("source");
            anchorKeyPath = args.Option("anchor-key");
            allowUnverified = args.Flag("allow-unverified");
            if (anchorKeyPath is null && !allowUnverified)
                throw new UsageException("import-gdhcn needs --anchor-key PEM (the list signer's public key) or --allow-unverified");
        }
        var certsDir = args.Option("certs");
        args.EnsureAllUsed();
        var bytes = System.Text.Encoding.UTF8.GetBytes(await CliInput.ReadTextAsync(file));
        await using var ledger = await NodeLedger.OpenAsync(settings, detachIfStarted: true);
        var record = await RequireRegistryAsync(settings, ledger);
        var client = await TrustRegistryClient.OpenAsync(ledger.Connection, record.Address);
        var reader = new TrustRegistryReader(ledger.Connection, record.Address, record.DeploymentBlock);
        var importer = new Vc.Trust.Bridge.PkiTrustImporter(client, reader, CertificatesOf(settings, certsDir));
        Vc.Trust.Bridge.ImportReport report;
        if (verb == "import-gateway")
        {
            using var anchor = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(await CliInput.ReadTextAsync(anchorPath!));
            report = await importer.ImportGatewayAsync(bytes, anchor, gatewayCountry!, participant, key, options);
        }
        else
        {
            System.Security.Cryptography.ECDsa? anchorKey = null;
            if (anchorKeyPath is not null)
            {
                anchorKey = System.Security.Cryptography.ECDsa.Create();
                anchorKey.ImportFromPem(await CliInput.ReadTextAsync(anchorKeyPath));
            }
            using (anchorKey)
                report = await importer.ImportGdhcnAsync(bytes, new Vc.Trust.Bridge.GdhcnImportOptions
                {
                    ProofVerifier = anchorKey is null ? null : new Vc.Interop.TrustLists.JwsDetachedProofVerifier(anchorKey),
                    AllowUnverifiedProof = allowUnverified,
                }, participant, key, source, options);
        }
        CliOutput.Write(context.Out, report);
        return report.Rejected == 0 ? ExitCodes.Ok : ExitCodes.Negative;
    }

    /// <summary>
    /// Ledger → PKI: `trust export-gdhcn --domain ICVP [--participant KEN] (--host HOST | --did DID) --proof-key KEY.pem [--out FILE]`
    /// or `trust export-gateway --participant KEN --country KE --upload UP.pem --upload-key UP.key.pem [--out FILE]`.
    /// </summary>
    private static async Task<int> ExportAsync(CliContext context, CliArgs args, LedgerSettings settings, string verb)
    {
        var participant = args.Option("participant") is { } p ? CountryCode.Parse(p) : (CountryCode?)null;
        var at = args.Option("at") is { } t ? CliParse.Time(t, "--at") : (DateTimeOffset?)null;
        var output = args.Option("out");
        var certsDir = args.Option("certs");
        string? domainText = null, host = null, did = null, proofKeyPath = null, proofVm = null, country = null, upload = null, uploadKey = null;
        if (verb == "export-gdhcn")
        {
            domainText = args.Required("domain");
            host = args.Option("host");
            did = args.Option("did");
            proofKeyPath = args.Required("proof-key");
            proofVm = args.Option("proof-vm");
            if (host is null && did is null) throw new UsageException("export-gdhcn needs --host HOST or --did did:web:…");
        }
        else
        {
            if (participant is null) throw new UsageException("export-gateway needs --participant (alpha-3)");
            country = args.Required("country");
            upload = args.Required("upload");
            uploadKey = args.Required("upload-key");
        }
        args.EnsureAllUsed();
        await using var ledger = await NodeLedger.OpenAsync(settings, detachIfStarted: true);
        var record = await RequireRegistryAsync(settings, ledger);
        var reader = new TrustRegistryReader(ledger.Connection, record.Address, record.DeploymentBlock);
        var exporter = new Vc.Trust.Bridge.LedgerTrustExporter(reader, CertificatesOf(settings, certsDir));
        Vc.Trust.Bridge.TrustListExport export;
        if (verb == "export-gdhcn")
        {
            var domain = TrustDomainCodes.Parse(domainText!);
            did ??= Vc.Trust.Bridge.LedgerTrustExporter.GdhcnDid(host!, domain, participant);
            using var proofKey = System.Security.Cryptography.ECDsa.Create();
            proofKey.ImportFromPem(await CliInput.ReadTextAsync(proofKeyPath!));
            export = await exporter.ExportGdhcnAsync(did, domain, participant, proofKey, proofVm ?? did + "#proof", at);
        }
        else
        {
            using var uploadCertificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(upload!, uploadKey!);
            export = await exporter.ExportGatewayAsync(participant!.Value, country!, uploadCertificate, at);
        }
        if (output is null)
        {
            context.Out.WriteLine(export.Document);
            return ExitCodes.Ok;
        }
        await File.WriteAllTextAsync(output, export.Document);
        CliOutput.Write(context.Out, new JsonObject
        {
            ["file"] = Path.GetFullPath(output), ["asOfBlock"] = export.AsOfBlock,
            ["kids"] = new JsonArray(export.Kids.Select(k => (JsonNode)k).ToArray()), ["skipped"] = export.Skipped.Count,
        });
        return ExitCodes.Ok;
    }

    /// <summary>`trust check SUBJECT --domain D [--country C] [--at T]` with SUBJECT a DID URL (did:…#key) or kid:BASE64.</summary>
    private static async Task<int> CheckSubjectAsync(CliContext context, CliArgs args, LedgerSettings settings)
    {
        var subject = Vc.Trust.Bridge.TrustSubject.Parse(args.Positional(1, "subject (did:…#fragment or kid:BASE64)"));
        var domain = TrustDomainCodes.Parse(args.Required("domain"));
        var country = args.Option("country") is { } c ? CountryCode.Parse(c) : (CountryCode?)null;
        var at = args.Option("at") is { } t ? CliParse.Time(t, "--at") : (DateTimeOffset?)null;
        var certsDir = args.Option("certs");
        args.EnsureAllUsed();
        await using var ledger = await NodeLedger.OpenAsync(settings, detachIfStarted: true);
        var record = await RequireRegistryAsync(settings, ledger);
        var reader = new TrustRegistryReader(ledger.Connection, record.Address, record.DeploymentBlock);
        await using var dids = await Vc.Agent.LedgerDids.OpenAsync(ledger, settings.DataDirectory);
        var service = new Vc.Trust.Bridge.TrustService(reader, CertificatesOf(settings, certsDir), dids.Resolver);
        var verdict = await service.CheckKeyAsync(subject, domain, country, at);
        CliOutput.Write(context.Out, verdict);
        return verdict.Trusted ? ExitCodes.Ok : ExitCodes.Negative;
    }

    private static Vc.Trust.Bridge.ITrustCertificateSource CertificatesOf(LedgerSettings settings, string? dir) =>
        new Vc.Trust.Bridge.FolderCertificateSource(dir ?? Path.Combine(settings.DataDirectory, "trust-certificates"));

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
