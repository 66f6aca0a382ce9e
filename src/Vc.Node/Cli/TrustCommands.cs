using System.CommandLine;
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
    public static Command Declare(CliContext context)
    {
        var group = new Command("trust");

        var anchorAddress = CliParse.Text("--anchor", "the anchor's (WHO's) address", "ADDRESS");
        var anchorKey = CliParse.Text("--anchor-key", "or the anchor's key file (its address is used)", "FILE");
        var init = new Command("init", "deploy the trust registry on this chain (or print the existing one)") { anchorAddress, anchorKey };
        init.SetAction((parse, _) => Run(async () =>
        {
            var anchor = parse.GetValue(anchorAddress) ?? (parse.GetValue(anchorKey) is { } f ? (await KeyAsync(f)).GetPublicAddress() : null)
                ?? throw new UsageException("trust init needs --anchor ADDRESS or --anchor-key FILE");
            return await InitAsync(context, context.LedgerSettingsFrom(parse), anchor);
        }));
        group.Subcommands.Add(init);

        group.Subcommands.Add(Check(context));
        group.Subcommands.Add(RevocationCommands.Import(context));
        group.Subcommands.Add(GatewayImportCommands.ImportRules(context));
        group.Subcommands.Add(RevocationCommands.Export(context));

        var auditCountry = CliParse.Required("COUNTRY", "the participant (ISO alpha-3)");
        var auditIssuer = CliParse.Optional("ISSUER", "one issuer only (DID or kid:BASE64)");
        var audit = new Command("audit", "the participant's (or one issuer's) governance events") { auditCountry, auditIssuer };
        audit.SetAction((parse, _) => Run(() => AuditAsync(context, context.LedgerSettingsFrom(parse),
            CountryCode.Parse(parse.GetRequiredValue(auditCountry)), parse.GetValue(auditIssuer) is { } i ? IssuerRef.Parse(i) : null)));
        group.Subcommands.Add(audit);

        var onboardCountry = CliParse.Required("COUNTRY", "the participant (ISO alpha-3)");
        var admin = CliParse.Text("--admin", "the participant admin's address", "ADDRESS", required: true);
        var onboardDomains = Domains("the trust domains it may register issuers for");
        group.Subcommands.Add(Write(context, "onboard", "onboard a participant (anchor's key)", [onboardCountry], [admin, onboardDomains],
            parse => new OnboardParticipant(CountryCode.Parse(parse.GetRequiredValue(onboardCountry)),
                parse.GetRequiredValue(admin), TrustDomainCodes.Parse(parse.GetRequiredValue(onboardDomains)))));

        var issuerCountry = CliParse.Required("COUNTRY", "the participant (ISO alpha-3)");
        var did = CliParse.Text("--did", "the issuer's DID", "DID");
        var kid = CliParse.Text("--kid", "or the issuer's DSC kid (base64)", "BASE64");
        var issuerDomains = Domains("the issuer's trust domains");
        var validFrom = CliParse.Time("--valid-from", "trusted from");
        var validUntil = CliParse.Time("--valid-until", "trusted until");
        var thumbprint = CliParse.Text("--thumbprint", "the DSC's SHA-256 thumbprint (hex), with --kid", "HEX");
        group.Subcommands.Add(Write(context, "add-issuer", "register an issuer (DID or DSC kid) of a participant (its admin's key)",
            [issuerCountry], [did, kid, issuerDomains, validFrom, validUntil, thumbprint],
            parse => new AddIssuer(new IssuerRegistration(
                CountryCode.Parse(parse.GetRequiredValue(issuerCountry)),
                parse.GetValue(did) is { } d ? IssuerRef.Did(d)
                    : parse.GetValue(kid) is { } k ? IssuerRef.KidBase64(k)
                    : throw new UsageException("add-issuer needs --did DID or --kid BASE64 (with --thumbprint HEX)"),
                TrustDomainCodes.Parse(parse.GetRequiredValue(issuerDomains)),
                parse.GetValue(validFrom),
                parse.GetValue(validUntil),
                parse.GetValue(thumbprint) is { } t ? Bytes32.Parse(t) : null))));

        foreach (var (verb, what) in new[] { ("suspend", "suspend"), ("reinstate", "reinstate"), ("remove", "remove") })
        {
            var country = CliParse.Required("COUNTRY", "the participant (ISO alpha-3)");
            var issuer = CliParse.Optional("ISSUER", "one of its issuers (DID or kid:BASE64) instead of the participant");
            group.Subcommands.Add(Write(context, verb, $"{what} a participant or one of its issuers", [country, issuer], [],
                parse => StatusOperation(verb, CountryCode.Parse(parse.GetRequiredValue(country)),
                    parse.GetValue(issuer) is { } i ? IssuerRef.Parse(i) : null)));
        }

        var snapshotCountry = CliParse.Optional("COUNTRY", "the participant (or --all)");
        var all = CliParse.Flag("--all", "every participant");
        var snapshot = Write(context, "snapshot", "anchor a Merkle snapshot of a participant's (or --all) entries", [snapshotCountry], [all], _ => null,
            parse => parse.GetValue(all) ? null : parse.GetValue(snapshotCountry) ?? throw new UsageException("snapshot needs COUNTRY or --all"));
        group.Subcommands.Add(snapshot);

        group.Subcommands.Add(CommitList(context));
        group.Subcommands.Add(Prove(context));

        group.Subcommands.Add(Import(context, "import-gateway"));
        group.Subcommands.Add(Import(context, "import-gdhcn"));
        group.Subcommands.Add(Export(context, "export-gdhcn"));
        group.Subcommands.Add(Export(context, "export-gateway"));
        return group;
    }

    private static Option<string> Domains(string description)
    {
        var option = CliParse.Text("--domains", description + " (comma-separated: ICVP, DCC…)", "DOMAINS", required: true);
        option.CompletionSources.Add("ICVP", "DCC", "ICVP,DCC");
        return option;
    }

    private static Option<string> Certs() =>
        CliParse.Text("--certs", "the folder of DSC certificates by thumbprint (default DATA/trust-certificates)", "DIR");

    /// <summary>
    /// A governance write: its arguments and options, plus --key and --relay; <paramref name="operation"/> builds what
    /// to send (null for a snapshot, built from the chain), <paramref name="snapshotCountry"/> which snapshot.
    /// </summary>
    private static Command Write(CliContext context, string verb, string description, Argument[] arguments, Option[] options,
        Func<ParseResult, TrustOperation?> operation, Func<ParseResult, string?>? snapshotCountry = null)
    {
        var key = CliParse.Text("--key", "the signer's key file (secp256k1, hex)", "FILE", required: true);
        var relay = CliParse.Flag("--relay", "send as a chain-bound signed write through the node's relayer (the signer needs no ether)");
        var command = new Command(verb, description);
        foreach (var argument in arguments) command.Arguments.Add(argument);
        foreach (var option in options) command.Options.Add(option);
        command.Options.Add(key);
        command.Options.Add(relay);
        command.SetAction((parse, _) => Run(async () =>
        {
            var signer = await KeyAsync(parse.GetRequiredValue(key));
            var mode = parse.GetValue(relay) ? WriteMode.Relayed : WriteMode.Direct;
            var op = operation(parse);
            var country = snapshotCountry?.Invoke(parse);
            return await WriteAsync(context, context.LedgerSettingsFrom(parse), verb, signer, mode, op, country);
        }));
        return command;
    }

    /// <summary>`trust check COUNTRY ISSUER --domain D [--at T] [--thumbprint HEX]` or `trust check SUBJECT --domain D [--country C] [--at T]`.</summary>
    private static Command Check(CliContext context)
    {
        var first = CliParse.Required("COUNTRY|SUBJECT", "the participant (ISO alpha-3), or a key: did:…#fragment or kid:BASE64");
        var second = CliParse.Optional("ISSUER", "with COUNTRY: the issuer (DID or kid:BASE64)");
        var domain = CliParse.Text("--domain", "the trust domain (ICVP, DCC…)", "DOMAIN", required: true);
        domain.CompletionSources.Add("ICVP", "DCC");
        var country = CliParse.Text("--country", "with SUBJECT: the expected participant", "CC");
        var at = CliParse.Time("--at", "the trust answer as of this time");
        var thumbprint = CliParse.Text("--thumbprint", "with COUNTRY ISSUER: the DSC's SHA-256 thumbprint (hex)", "HEX");
        var certs = Certs();
        var proof = CliParse.Text("--proof", "with COUNTRY ISSUER: the issuer's entry and Merkle proof in the participant's committed list (from `trust prove`)", "FILE");
        var command = new Command("check", "is this issuer (or key) trusted for a domain? exit 0 trusted, 1 not") { first, second, domain, country, at, thumbprint, certs, proof };
        // Each form has its own options: one of the other form is refused, not ignored.
        command.Validators.Add(r =>
        {
            var subjectForm = r.GetResult(second) is null;
            foreach (var misplaced in subjectForm ? new Option[] { thumbprint, proof } : [country, certs])
                if (r.GetResult(misplaced) is not null)
                    r.AddError($"{misplaced.Name} does not apply to trust check {(subjectForm ? "SUBJECT" : "COUNTRY ISSUER")}");
            // A committed list answers for now only: its earlier roots are not kept on chain.
            if (r.GetResult(proof) is not null && r.GetResult(at) is not null)
                r.AddError("--proof answers for the current list: --at does not apply");
        });
        command.SetAction((parse, _) => Run(() =>
        {
            var settings = context.LedgerSettingsFrom(parse);
            if (parse.GetValue(second) is not { } issuer)
                return CheckSubjectAsync(context, parse, Vc.Trust.Bridge.TrustSubject.Parse(parse.GetRequiredValue(first)),
                    TrustDomainCodes.Parse(parse.GetRequiredValue(domain)), parse.GetValue(country) is { } c ? CountryCode.Parse(c) : null,
                    parse.GetValue(at), parse.GetValue(certs));
            var query = new TrustQuery(
                CountryCode.Parse(parse.GetRequiredValue(first)),
                IssuerRef.Parse(issuer),
                TrustDomainCodes.Parse(parse.GetRequiredValue(domain)),
                parse.GetValue(at),
                parse.GetValue(thumbprint) is { } t ? Bytes32.Parse(t) : null);
            if (parse.GetValue(proof) is { } proofFile)
                return CheckListedAsync(context, settings, query, proofFile);
            return CheckAsync(context, settings, query);
        }));
        return command;
    }

    /// <summary>Library failures as CLI answers: invalid input is a usage error, the rest typed failures.</summary>
    private static async Task<int> Run(Func<Task<int>> body)
    {
        try
        {
            return await body();
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

    private static Command Import(CliContext context, string verb)
    {
        var gateway = verb == "import-gateway";
        var file = CliParse.Required(gateway ? "LIST" : "DOC", gateway ? "the EU gateway trust list (JSON)" : "the GDHCN trust list: its DID document (a file), or its did:web DID to read it where it is published");
        var participantOption = CliParse.Text("--participant", "the participant the keys are registered for (ISO alpha-3)", "CC", required: true);
        var keyOption = CliParse.Text("--key", "the participant admin's key file (secp256k1, hex)", "FILE", required: true);
        var relay = CliParse.Flag("--relay", "send as chain-bound signed writes through the node's relayer");
        var atOption = CliParse.Time("--at", "check the list's certificates as of this time");
        var certs = Certs();
        var command = new Command(verb, gateway
            ? "PKI → ledger: the DSCs of an EU gateway list whose signatures verify become registry entries; exit 1 when any was rejected"
            : "PKI → ledger: the keys of a GDHCN trust list whose proof verifies become registry entries; exit 1 when any was rejected")
        {
            file, participantOption, keyOption, relay, atOption, certs,
        };
        Option<string>? countryOption = null, anchorOption = null, sourceOption = null, anchorKeyOption = null;
        Option<bool>? allowUnverifiedOption = null;
        if (gateway)
        {
            command.Options.Add(countryOption = CliParse.Text("--country", "the list's country (ISO alpha-2)", "CC", required: true));
            command.Options.Add(anchorOption = CliParse.Text("--anchor", "the gateway's trust anchor certificate (PEM)", "TA.pem", required: true));
        }
        else
        {
            command.Options.Add(sourceOption = CliParse.Text("--source", "the participant the list came from (default: the list's)", "CC"));
            command.Options.Add(anchorKeyOption = CliParse.Text("--anchor-key", "the list signer's public key (PEM)", "PEM"));
            command.Options.Add(allowUnverifiedOption = CliParse.Flag("--allow-unverified", "import without checking the list's proof"));
        }
        command.SetAction((parse, _) => Run(async () =>
        {
            var participant = CountryCode.Parse(parse.GetRequiredValue(participantOption));
            var key = await KeyAsync(parse.GetRequiredValue(keyOption));
            var options = new Vc.Trust.Bridge.PkiImportOptions
            {
                Mode = parse.GetValue(relay) ? WriteMode.Relayed : WriteMode.Direct,
                At = parse.GetValue(atOption),
            };
            var allowUnverified = allowUnverifiedOption is not null && parse.GetValue(allowUnverifiedOption);
            var anchorKeyPath = anchorKeyOption is null ? null : parse.GetValue(anchorKeyOption);
            if (!gateway && anchorKeyPath is null && !allowUnverified)
                throw new UsageException("import-gdhcn needs --anchor-key PEM (the list signer's public key) or --allow-unverified");
            return await ImportAsync(context, context.LedgerSettingsFrom(parse), verb, parse.GetRequiredValue(file), participant, key, options,
                countryOption is null ? null : parse.GetRequiredValue(countryOption), anchorOption is null ? null : parse.GetRequiredValue(anchorOption),
                anchorKeyPath, allowUnverified, sourceOption is null ? null : parse.GetValue(sourceOption), parse.GetValue(certs));
        }));
        return command;
    }

    /// <summary>
    /// PKI → ledger: `trust import-gateway LIST.json --anchor TA.pem --country DE --participant DEU --key ADMIN` or
    /// `trust import-gdhcn DOC.json --participant XXA [--source XXA] --key ADMIN (--anchor-key WHO.pem | --allow-unverified)`.
    /// Only keys whose list signatures verify are registered (kid + thumbprint); exit 1 when any key was rejected.
    /// </summary>
    private static async Task<int> ImportAsync(CliContext context, LedgerSettings settings, string verb, string file, CountryCode participant, EthECKey key,
        Vc.Trust.Bridge.PkiImportOptions options, string? gatewayCountry, string? anchorPath, string? anchorKeyPath, bool allowUnverified, string? source,
        string? certsDir)
    {
        // import-gdhcn reads a did:web trust list where it is published when given its DID (GDHCN publishes them so).
        var fromDidWeb = verb == "import-gdhcn" && file.StartsWith("did:web:", StringComparison.Ordinal);
        var bytes = fromDidWeb ? [] : System.Text.Encoding.UTF8.GetBytes(await CliInput.ReadTextAsync(file));
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
            var gdhcn = new Vc.Trust.Bridge.GdhcnImportOptions
            {
                ProofVerifier = anchorKey is null ? null : new Vc.Interop.TrustLists.JwsDetachedProofVerifier(anchorKey),
                AllowUnverifiedProof = allowUnverified,
            };
            using (anchorKey)
            {
                if (fromDidWeb)
                {
                    using var didWeb = await Vc.Agent.VcAgent.DidWebResolverAsync(Vc.Did.Net.OutboundPolicy.FromEnvironment(), context.Time);
                    report = await importer.ImportGdhcnAsync(file, didWeb, gdhcn, participant, key, source, options);
                }
                else report = await importer.ImportGdhcnAsync(bytes, gdhcn, participant, key, source, options);
            }
        }
        CliOutput.Write(context.Out, report);
        return report.Rejected == 0 ? ExitCodes.Ok : ExitCodes.Negative;
    }

    private static Command Export(CliContext context, string verb)
    {
        var gdhcn = verb == "export-gdhcn";
        var participantOption = CliParse.Text("--participant", gdhcn ? "one participant only (ISO alpha-3)" : "the participant (ISO alpha-3)", "CC", required: !gdhcn);
        var atOption = CliParse.Time("--at", "the registry as of this time");
        var outOption = CliParse.Text("--out", "write the document to this file (default: print it)", "FILE");
        var certs = Certs();
        var command = new Command(verb, gdhcn
            ? "ledger → PKI: the registry as a signed GDHCN did:web trust list"
            : "ledger → PKI: the registry as EU gateway items signed with an upload certificate")
        {
            participantOption, atOption, outOption, certs,
        };
        if (gdhcn)
        {
            var domainOption = CliParse.Text("--domain", "the trust domain (ICVP, DCC…)", "DOMAIN", required: true);
            var hostOption = CliParse.Text("--host", "the did:web host", "HOST");
            var didOption = CliParse.Text("--did", "or the full did:web", "DID");
            var proofKeyOption = CliParse.Text("--proof-key", "the list signer's private key (PEM)", "PEM", required: true);
            var proofVmOption = CliParse.Text("--proof-vm", "the proof's verification method (default DID#proof)", "DIDURL");
            foreach (var option in new Option[] { domainOption, hostOption, didOption, proofKeyOption, proofVmOption }) command.Options.Add(option);
            command.SetAction((parse, _) => Run(() =>
            {
                var host = parse.GetValue(hostOption);
                var did = parse.GetValue(didOption);
                if (host is null && did is null) throw new UsageException("export-gdhcn needs --host HOST or --did did:web:…");
                var participant = parse.GetValue(participantOption) is { } p ? CountryCode.Parse(p) : (CountryCode?)null;
                return ExportAsync(context, context.LedgerSettingsFrom(parse), verb, participant, parse.GetValue(atOption), parse.GetValue(outOption), parse.GetValue(certs),
                    parse.GetRequiredValue(domainOption), host, did, parse.GetRequiredValue(proofKeyOption), parse.GetValue(proofVmOption), null, null, null);
            }));
        }
        else
        {
            var countryOption = CliParse.Text("--country", "the participant's country (ISO alpha-2)", "CC", required: true);
            var uploadOption = CliParse.Text("--upload", "the upload certificate (PEM)", "PEM", required: true);
            var uploadKeyOption = CliParse.Text("--upload-key", "its private key (PEM)", "PEM", required: true);
            foreach (var option in new Option[] { countryOption, uploadOption, uploadKeyOption }) command.Options.Add(option);
            command.SetAction((parse, _) => Run(() => ExportAsync(context, context.LedgerSettingsFrom(parse), verb,
                CountryCode.Parse(parse.GetRequiredValue(participantOption)), parse.GetValue(atOption), parse.GetValue(outOption), parse.GetValue(certs),
                null, null, null, null, null, parse.GetRequiredValue(countryOption), parse.GetRequiredValue(uploadOption), parse.GetRequiredValue(uploadKeyOption))));
        }
        return command;
    }

    /// <summary>
    /// Ledger → PKI: `trust export-gdhcn --domain ICVP [--participant KEN] (--host HOST | --did DID) --proof-key KEY.pem [--out FILE]`
    /// or `trust export-gateway --participant KEN --country KE --upload UP.pem --upload-key UP.key.pem [--out FILE]`.
    /// </summary>
    private static async Task<int> ExportAsync(CliContext context, LedgerSettings settings, string verb, CountryCode? participant, DateTimeOffset? at,
        string? output, string? certsDir, string? domainText, string? host, string? did, string? proofKeyPath, string? proofVm,
        string? country, string? upload, string? uploadKey)
    {
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
    /// <summary>The agent's trust check, as the node's GET /trust/check answers it.</summary>
    private static async Task<int> CheckSubjectAsync(CliContext context, ParseResult parse, Vc.Trust.Bridge.TrustSubject subject,
        TrustDomains domain, CountryCode? country, DateTimeOffset? at, string? certsDir)
    {
        await using var agent = await context.OpenAgentAsync(parse, trustCertificates: certsDir);
        Vc.Trust.Bridge.TrustVerdict verdict;
        try { verdict = await agent.CheckTrustAsync(subject, domain, country, at); }
        catch (AgentException e) { throw new CliFailure(e.Type, e.Message); }
        CliOutput.Write(context.Out, AgentJson.ToNode(verdict));
        return verdict.Trusted ? ExitCodes.Ok : ExitCodes.Negative;
    }

    private static Vc.Trust.Bridge.ITrustCertificateSource CertificatesOf(LedgerSettings settings, string? dir) =>
        new Vc.Trust.Bridge.FolderCertificateSource(dir ?? Path.Combine(settings.DataDirectory, "trust-certificates"));

    private static async Task<int> InitAsync(CliContext context, LedgerSettings settings, string anchor)
    {
        await using var ledger = await NodeLedger.OpenAsync(settings, detachIfStarted: true);
        var record = await TrustRegistryRecord.ReadAsync(settings, ledger.Connection)
            ?? await TrustRegistryRecord.DeployAsync(settings, ledger.Connection, anchor);
        CliOutput.Write(context.Out, record);
        return ExitCodes.Ok;
    }

    private static async Task<int> WriteAsync(CliContext context, LedgerSettings settings, string verb, EthECKey key, WriteMode mode,
        TrustOperation? operation, string? snapshotCountry)
    {
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

    private static async Task<int> CheckAsync(CliContext context, LedgerSettings settings, TrustQuery query)
    {
        await using var ledger = await NodeLedger.OpenAsync(settings, detachIfStarted: true);
        var record = await RequireRegistryAsync(settings, ledger);
        var decision = await new TrustRegistryReader(ledger.Connection, record.Address, record.DeploymentBlock).CheckAsync(query);
        CliOutput.Write(context.Out, decision);
        return decision.Trusted ? ExitCodes.Ok : ExitCodes.Negative;
    }

    /// <summary>The listed-issuer route: the proof's entry must be the issuer asked about; one read of the chain.</summary>
    private static async Task<int> CheckListedAsync(CliContext context, LedgerSettings settings, TrustQuery query, string proofFile)
    {
        var proof = ListedIssuerProof.Parse(System.Text.Encoding.UTF8.GetBytes(await CliInput.ReadTextAsync(proofFile)));
        if (proof.Country != query.Country || proof.Entry.Issuer != query.Issuer)
            throw new UsageException($"{proofFile} proves {proof.Entry.Issuer} of {proof.Country}, not {query.Issuer} of {query.Country}");
        await using var ledger = await NodeLedger.OpenAsync(settings, detachIfStarted: true);
        var record = await RequireRegistryAsync(settings, ledger);
        var decision = await new TrustRegistryReader(ledger.Connection, record.Address, record.DeploymentBlock)
            .CheckListedAsync(proof, query.Domain, query.Thumbprint);
        CliOutput.Write(context.Out, decision);
        return decision.Trusted ? ExitCodes.Ok : ExitCodes.Negative;
    }

    /// <summary>`trust commit-list LIST --key FILE [--relay]`: the participant's whole issuer list as one on-chain root.</summary>
    private static Command CommitList(CliContext context)
    {
        var list = CliParse.Required("LIST", "the issuer list: {\"country\":\"KEN\",\"issuers\":[{\"issuer\":\"did:…\"|\"kid:…\",\"domains\":[\"ICVP\"],…}]}");
        var key = CliParse.Text("--key", "the participant admin's key file (secp256k1, hex)", "FILE", required: true);
        var relay = CliParse.Flag("--relay", "send as a chain-bound signed write through the node's relayer (the signer needs no ether)");
        var command = new Command("commit-list", "commit a participant's issuer list as one Merkle root (replaces its previous list; earlier proofs go stale)")
            { list, key, relay };
        command.SetAction((parse, _) => Run(async () =>
        {
            var issuers = await ReadListAsync(parse.GetRequiredValue(list));
            var signer = await KeyAsync(parse.GetRequiredValue(key));
            var settings = context.LedgerSettingsFrom(parse);
            await using var ledger = await NodeLedger.OpenAsync(settings, detachIfStarted: true);
            var record = await RequireRegistryAsync(settings, ledger);
            var client = await TrustRegistryClient.OpenAsync(ledger.Connection, record.Address);
            var result = await client.ExecuteAsync(issuers.Commit(), signer, parse.GetValue(relay) ? WriteMode.Relayed : WriteMode.Direct);
            CliOutput.Write(context.Out, new { country = issuers.Country, root = issuers.Root, leafCount = issuers.Count, write = result });
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>`trust prove LIST ISSUER`: an issuer's entry with its inclusion proof (offline; exit 1 when not listed).</summary>
    private static Command Prove(CliContext context)
    {
        var list = CliParse.Required("LIST", "the participant's issuer list (as committed)");
        var issuer = CliParse.Required("ISSUER", "the issuer (DID or kid:BASE64)");
        var command = new Command("prove", "an issuer's entry and Merkle proof in a committed issuer list, for `trust check --proof`") { list, issuer };
        command.SetAction((parse, _) => Run(async () =>
        {
            var issuers = await ReadListAsync(parse.GetRequiredValue(list));
            var who = IssuerRef.Parse(parse.GetRequiredValue(issuer));
            if (issuers.Prove(who) is not { } proof)
            {
                CliOutput.Write(context.Out, new { listed = false, country = issuers.Country, issuer = who, root = issuers.Root });
                return ExitCodes.Negative;
            }
            CliOutput.Write(context.Out, proof);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task<IssuerList> ReadListAsync(string file) =>
        IssuerList.Parse(System.Text.Encoding.UTF8.GetBytes(await CliInput.ReadTextAsync(file)));

    private static async Task<int> AuditAsync(CliContext context, LedgerSettings settings, CountryCode country, IssuerRef? issuer)
    {
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
