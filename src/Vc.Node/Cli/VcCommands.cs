using Vc.Did.Keys;
using System.CommandLine;
using Vc.Agent.Storage;
using System.Text.Json.Nodes;
using Vc.Credentials.Issuance;
using Vc.Credentials.Keys;
using Vc.Credentials.Presentations;
using Vc.Credentials.Verification;
using Vc.Node.Hosting;
using Vc.Agent;

namespace Vc.Node.Cli;

/// <summary>
/// `vchealth issuer create|list`, `vchealth vc issue|verify|status`, `vchealth vp create|verify`, `vchealth key generate`:
/// thin layers over <see cref="IssuerService"/> and the Vc.Credentials verifiers.
/// </summary>
public static class VcCommands
{
    public static Command IssuerCommand(CliContext context)
    {
        var idArgument = CliParse.Required("ID", "the issuer id (unique on this node)");
        var method = CliParse.Choice("--method", "the issuer's DID method (default key)", "METHOD", "key", "ethr");
        var cryptosuite = CliParse.Choice("--cryptosuite", "the issuer's cryptosuite (default eddsa-rdfc-2022)", "SUITE", "eddsa-rdfc-2022", "eddsa-jcs-2022", "ecdsa-rdfc-2019", "ecdsa-sd-2023");
        var keyStore = CliParse.Text("--key-store", "keep the signing key in a PKCS#11 token: 'pkcs11:token=T;object=O?pin-source=file:PIN' (generated there, or the key it holds under that name; PIN from the file or VCHEALTH_PKCS11_PIN)", "URI");
        var create = new Command("create", "create an issuer instance (DID + key encrypted at rest, or in an HSM with --key-store pkcs11:…)") { idArgument, method, cryptosuite, keyStore };
        create.SetAction(async (parse, _) =>
        {
            await using var runtime = await context.OpenAgentAsync(parse);
            var request = new CreateIssuerRequest(parse.GetRequiredValue(idArgument), parse.GetValue(method) ?? "key", parse.GetValue(cryptosuite) ?? "eddsa-rdfc-2022", parse.GetValue(keyStore));
            var record = await Guard(() => runtime.IssuerService.CreateAsync(request));
            CliOutput.Write(context.Out, Api.VcApiEndpoints.Profile(record));
            return ExitCodes.Ok;
        });
        var list = new Command("list", "list the issuer instances of this node");
        list.SetAction(async (parse, _) =>
        {
            await using var runtime = await context.OpenAgentAsync(parse);
            CliOutput.Write(context.Out, new JsonArray((await runtime.Issuers.ListAsync()).Select(r => (JsonNode)Api.VcApiEndpoints.Profile(r)).ToArray()));
            return ExitCodes.Ok;
        });
        var dscId = CliParse.Required("ID", "the issuer id");
        var dscCert = CliParse.Text("--cert", "the DSC a CSCA issued to this issuer (PEM)", "DSC.pem", required: true);
        var dscKey = CliParse.Text("--key", "the DSC's private key (PKCS#8 PEM)", "KEY.pem", required: true);
        var dscChain = CliParse.Text("--chain", "the DSC's issuer chain (PEM), kept for trust-list exports", "CHAIN.pem");
        var dsc = new Command("dsc", "attach a DSC to the issuer (stored encrypted; bound in a did:ethr issuer's DID document)") { dscId, dscCert, dscKey, dscChain };
        dsc.SetAction(async (parse, _) =>
        {
            var certificatePem = await CliInput.ReadTextAsync(parse.GetRequiredValue(dscCert));
            var keyPem = await CliInput.ReadTextAsync(parse.GetRequiredValue(dscKey));
            System.Security.Cryptography.X509Certificates.X509Certificate2 certificate;
            try { certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(certificatePem, keyPem); }
            catch (System.Security.Cryptography.CryptographicException e) { throw new CliFailure("invalid-dsc", "certificate/key: " + e.Message); }
            using var attached = certificate;
            var chain = parse.GetValue(dscChain) is { } chainFile ? VcAgent.ParseChain(await CliInput.ReadTextAsync(chainFile)) : [];
            await using var runtime = await context.OpenAgentAsync(parse);
            var done = await Guard(() => runtime.AttachDscAsync(parse.GetRequiredValue(dscId), attached, chain));
            CliOutput.Write(context.Out, done.ToJson());
            return ExitCodes.Ok;
        });
        return new Command("issuer") { create, list, dsc };
    }

    public static Command VcCommand(CliContext context)
    {
        return new Command("vc") { VcIssue(context), VcVerify(context), VcStatus(context), VcDerive(context) };
    }

    private static Argument<string> CredentialFile() => CliParse.Required("FILE", "the credential (JSON), or - for stdin");

    private static Command VcIssue(CliContext context)
    {
        var file = CredentialFile();
        var issuerOption = CliParse.Text("--issuer", "an issuer of this node (see issuer create)", "ID");
        var status = CliParse.Text("--status", "status list entries to add: revocation,suspension", "PURPOSES");
        status.CompletionSources.Add("revocation", "suspension", "revocation,suspension");
        var keyOption = CliParse.Text("--key", "sign with this did:key secret key file instead of an issuer", "FILE");
        var suiteOption = CliParse.Choice("--cryptosuite", "the cryptosuite (default: the issuer's; one its key signs with)", "SUITE", "eddsa-rdfc-2022", "eddsa-jcs-2022", "ecdsa-rdfc-2019", "ecdsa-jcs-2019", "ecdsa-sd-2023");
        var mandatoryOption = CliParse.Many("--mandatory", "ecdsa-sd-2023: a JSON pointer every derived credential discloses (repeatable; default: the ICVP profile, else issuer, validity and status)", "POINTER");
        var versionOption = CliParse.Choice("--vc-version", "issue as VC Data Model 1.1 or 2.0 (default: the model the credential's @context names)", "V", "1.1", "2.0");
        var command = new Command("issue", "sign a credential with Data Integrity (--issuer ID [--status P] | --key FILE) [--cryptosuite S] [--mandatory POINTER…] [--vc-version 1.1|2.0]")
        {
            file, issuerOption, status, keyOption, suiteOption, mandatoryOption, versionOption,
        };
        // Two ways to issue; an option of the other way is refused, not ignored.
        command.Validators.Add(r =>
        {
            if (r.GetResult(keyOption) is not null && (r.GetResult(issuerOption) ?? r.GetResult(status)) is { } other)
                r.AddError($"--key signs without an issuer of this node: {other.IdentifierToken?.Value} does not apply");
            else if (r.GetResult(mandatoryOption) is not null && r.GetValue(suiteOption) is { } s && s != "ecdsa-sd-2023")
                r.AddError($"--mandatory applies to ecdsa-sd-2023, not {s}");
        });
        command.SetAction(async (parse, _) =>
        {
            var credential = await CliInput.ReadObjectAsync(parse.GetRequiredValue(file));
            await using var runtime = await context.OpenAgentAsync(parse);
            JsonObject signed;
            if (parse.GetValue(keyOption) is { } keyFile)
            {
                var suite = parse.GetValue(suiteOption);
                using var key = (IDisposable)SigningKeys.FromSecretKeyMultibase((await CliInput.ReadTextAsync(keyFile)).Trim());
                var issuer = new CredentialIssuer(runtime.Credentials.Proofs, IssuerProfile.ForDidKey((ISigningKey)key, suite) with { MandatoryPointers = Pointers(parse.GetValue(mandatoryOption)) });
                signed = await Guard(() => issuer.IssueAsync(credential, vcVersion: parse.GetValue(versionOption)));
            }
            else
            {
                var issuerId = parse.GetValue(issuerOption) ?? throw new UsageException("vc issue needs --issuer ID (an issuer of this node) or --key FILE");
                var purposes = parse.GetValue(status) is { } s ? s.Split(',', StringSplitOptions.RemoveEmptyEntries) : [];
                signed = await Guard(() => runtime.IssuerService.IssueAsync(issuerId, credential, purposes,
                    new IssueOptions(parse.GetValue(suiteOption), Pointers(parse.GetValue(mandatoryOption)), parse.GetValue(versionOption))));
            }
            CliOutput.Write(context.Out, signed);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static IReadOnlyList<string>? Pointers(string[]? values) => values is { Length: > 0 } ? values : null;

    /// <summary>`vchealth vc derive FILE --reveal POINTER… [--out FILE]`: the holder's ecdsa-sd-2023 derived credential.</summary>
    private static Command VcDerive(CliContext context)
    {
        var file = CliParse.Required("FILE", "a credential with an ecdsa-sd-2023 base proof (JSON), or - for stdin");
        var reveal = CliParse.Many("--reveal", "a JSON pointer to disclose besides the mandatory ones (repeatable)", "POINTER");
        var output = CliParse.Text("--out", "also write the derived credential to this file (0600)", "FILE");
        var command = new Command("derive", "derive a credential disclosing only the mandatory parts and the --reveal pointers (ecdsa-sd-2023)") { file, reveal, output };
        command.SetAction(async (parse, _) =>
        {
            var credential = await CliInput.ReadObjectAsync(parse.GetRequiredValue(file));
            await using var runtime = await context.OpenAgentAsync(parse);
            var derived = await Guard(() => Task.FromResult(runtime.DeriveCredential(credential, parse.GetValue(reveal) ?? [])));
            if (parse.GetValue(output) is { } path) await SecretFiles.WriteAsync(path, derived.ToJsonString(CliOutput.Json));
            CliOutput.Write(context.Out, derived);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Option<bool> StrictIssuerBindingFlag() =>
        CliParse.Flag("--strict-issuer-binding", "an issuer (holder) that is not a DID fails the controller check instead of being reported as not established");

    private static Command VcVerify(CliContext context)
    {
        var file = CredentialFile();
        var at = CliParse.Time("--at", "verify as of this time");
        var noStatus = CliParse.Flag("--no-status", "do not check the credential's status lists");
        var strict = StrictIssuerBindingFlag();
        var trust = CliParse.Many("--trust", "trust files; the did:web DID documents among them (e.g. GDHCN) are held for did:web", "FILE");
        var didWebOffline = CliParse.Flag("--did-web-offline", "resolve did:web only from the --trust files' documents (no fetches)");
        var staleness = MaxStaleness();
        var command = new Command("verify", "verify a credential and print every check; exit 0 only when verified") { file, at, noStatus, strict, trust, didWebOffline, staleness };
        var pack = new PackOptions();
        pack.AddTo(command);
        command.SetAction(async (parse, _) =>
        {
            var options = new VerificationOptions
            {
                Now = parse.GetValue(at), CheckStatus = !parse.GetValue(noStatus), StrictIssuerBinding = parse.GetValue(strict), MaxStaleness = parse.GetValue(staleness),
            };
            return await VerifyAsync(context, parse, parse.GetRequiredValue(file), (agent, document) => agent.VerifyCredentialAsync(document, options), pack,
                parse.GetValue(trust), parse.GetValue(didWebOffline));
        });
        return command;
    }

    private static Command VcStatus(CliContext context)
    {
        var file = CredentialFile();
        var purposeOption = CliParse.Choice("--purpose", "which status entry (default revocation)", "PURPOSE", "revocation", "suspension");
        var unset = CliParse.Flag("--unset", "clear the status bit (reinstate) instead of setting it");
        var command = new Command("status", "set (or --unset) a credential's status bit on this node's status list") { file, purposeOption, unset };
        command.SetAction(async (parse, _) =>
        {
            var credential = await CliInput.ReadObjectAsync(parse.GetRequiredValue(file));
            var purpose = parse.GetValue(purposeOption) ?? "revocation";
            var value = !parse.GetValue(unset);
            await using var runtime = await context.OpenAgentAsync(parse);
            var entries = credential["credentialStatus"] switch
            {
                JsonObject o => [o],
                JsonArray a => a.OfType<JsonObject>().ToArray(),
                _ => Array.Empty<JsonObject>(),
            };
            var entry = entries.FirstOrDefault(e => Api.VcApiEndpoints.Str(e, "statusPurpose") == purpose)
                ?? throw new CliInput.InputException($"the credential has no '{purpose}' status entry");
            if (!int.TryParse(entry["statusListIndex"]?.ToString(), out var index) || Api.VcApiEndpoints.Str(entry, "statusListCredential") is not { } list)
                throw new CliInput.InputException("the status entry needs statusListCredential and statusListIndex");
            var change = await Guard(() => runtime.IssuerService.SetStatusAsync(list, index, value));
            CliOutput.Write(context.Out, change);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command VpCommand(CliContext context)
    {
        var credentialFiles = new Argument<string[]>("VC") { Description = "credential files to present", Arity = ArgumentArity.ZeroOrMore };
        var holderKey = CliParse.Text("--holder-key", "the holder's did:key secret key file", "FILE", required: true);
        var createChallenge = CliParse.Text("--challenge", "the verifier's challenge (nonce)", "C", required: true);
        var createDomain = CliParse.Text("--domain", "the verifier's domain", "D");
        var suiteOption = CliParse.Choice("--cryptosuite", "the proof's cryptosuite", "SUITE", "eddsa-rdfc-2022", "eddsa-jcs-2022", "ecdsa-rdfc-2019");
        var create = new Command("create", "a verifiable presentation of credentials, signed by the holder")
        {
            credentialFiles, holderKey, createChallenge, createDomain, suiteOption,
        };
        create.SetAction(async (parse, _) =>
        {
            var keyFile = parse.GetRequiredValue(holderKey);
            var challenge = parse.GetRequiredValue(createChallenge);
            var domain = parse.GetValue(createDomain);
            var suite = parse.GetValue(suiteOption);
            var credentials = new List<JsonObject>();
            foreach (var file in parse.GetValue(credentialFiles) ?? []) credentials.Add(await CliInput.ReadObjectAsync(file));
            await using var runtime = await context.OpenAgentAsync(parse);
            using var key = (IDisposable)SigningKeys.FromSecretKeyMultibase((await CliInput.ReadTextAsync(keyFile)).Trim());
            var profile = IssuerProfile.ForDidKey((ISigningKey)key, suite);
            var holder = new HolderProfile(profile.Issuer, profile.VerificationMethod, profile.Key, profile.Cryptosuite);
            var vp = await Guard(() => new PresentationSigner(runtime.Credentials.Proofs).CreateAsync(holder, credentials, challenge, domain));
            CliOutput.Write(context.Out, vp);
            return ExitCodes.Ok;
        });

        var presentationFile = CliParse.Required("FILE", "the presentation (JSON), or - for stdin");
        var verifyChallenge = CliParse.Text("--challenge", "the challenge the proof must carry", "C");
        var verifyDomain = CliParse.Text("--domain", "the domain the proof must carry", "D");
        var at = CliParse.Time("--at", "verify as of this time");
        var noStatus = CliParse.Flag("--no-status", "do not check the credentials' status lists");
        var holderBinding = CliParse.Flag("--holder-binding", "require every credential subject to be the holder (not a VC DM 2.0 rule)");
        var secured = CliParse.Flag("--require-secured-credentials", "fail on an embedded credential without a proof instead of reporting it as unsecured");
        var strict = StrictIssuerBindingFlag();
        var staleness = MaxStaleness();
        var verify = new Command("verify", "verify a presentation and its credentials; exit 0 only when verified")
        {
            presentationFile, verifyChallenge, verifyDomain, at, noStatus, holderBinding, secured, strict, staleness,
        };
        var pack = new PackOptions();
        pack.AddTo(verify);
        verify.SetAction(async (parse, _) =>
        {
            var options = new VerificationOptions
            {
                Challenge = parse.GetValue(verifyChallenge),
                Domain = parse.GetValue(verifyDomain),
                Now = parse.GetValue(at),
                CheckStatus = !parse.GetValue(noStatus),
                RequireHolderBinding = parse.GetValue(holderBinding),
                RequireSecuredCredentials = parse.GetValue(secured),
                StrictIssuerBinding = parse.GetValue(strict),
                MaxStaleness = parse.GetValue(staleness),
            };
            return await VerifyAsync(context, parse, parse.GetRequiredValue(presentationFile), (agent, document) => agent.VerifyPresentationAsync(document, options), pack);
        });
        return new Command("vp") { create, verify };
    }

    /// <summary>--max-staleness: the ledger state age accepted while the ledger cannot be asked (as the API's maxStalenessSeconds).</summary>
    private static Option<TimeSpan?> MaxStaleness() =>
        CliParse.Duration("--max-staleness", "accept a proof resting on ledger state this old while the ledger cannot be asked (the answer names its block)",
            TimeSpan.FromSeconds(Vc.Node.Api.VcApiEndpoints.MaxStalenessSeconds));

    /// <summary>`vchealth key generate --out FILE [--type Ed25519|P-256|secp256k1]`: a wallet or issuer key; only the public part is printed.</summary>
    public static Command KeyCommand(CliContext context)
    {
        var outOption = CliParse.Text("--out", "the secret key file to write (0600)", "FILE", required: true);
        var typeOption = CliParse.Choice("--type", "the key type (default Ed25519)", "TYPE", "Ed25519", "P-256", "secp256k1");
        var generate = new Command("generate", "generate a wallet / issuer / ledger key; prints only the public part") { outOption, typeOption };
        generate.SetAction((parse, _) => GenerateAsync(context, parse.GetRequiredValue(outOption), parse.GetValue(typeOption) ?? "Ed25519"));
        return new Command("key") { generate };
    }

    private static async Task<int> GenerateAsync(CliContext context, string output, string typeName)
    {
        if (typeName is "secp256k1" or "ethereum")
            return await EthereumKeyAsync(context, output);
        if (Vc.Agent.Keys.Pkcs11Uri.IsPkcs11(output))
            return Pkcs11Key(context, output, typeName);
        var type = typeName switch
        {
            "Ed25519" or "ed25519" => KeyType.Ed25519,
            "P-256" or "p256" or "P256" => KeyType.P256,
            var t => throw new UsageException($"--type must be Ed25519 or P-256, got '{t}'"),
        };
        var suite = type == KeyType.Ed25519 ? "eddsa-rdfc-2022" : "ecdsa-rdfc-2019";
        var (secret, _) = IssuerKeys.Generate(suite);
        try
        {
            var header = type == KeyType.Ed25519 ? Vc.Did.Encoding.Multicodec.Ed25519Private : Vc.Did.Encoding.Multicodec.P256Private;
            await SecretFiles.WriteAsync(output, Vc.Did.Encoding.Multibase.EncodeBase58Btc([.. header, .. secret]));
            using var key = (IDisposable)IssuerKeys.Load(type, secret);
            var profile = IssuerProfile.ForDidKey((ISigningKey)key);
            CliOutput.Write(context.Out, new JsonObject
            {
                ["did"] = profile.Issuer, ["verificationMethod"] = profile.VerificationMethod,
                ["publicKeyMultibase"] = ((ISigningKey)key).PublicKey.PublicKeyMultibase, ["secretKeyFile"] = Path.GetFullPath(output),
            });
            return ExitCodes.Ok;
        }
        finally { Array.Clear(secret); }
    }

    /// <summary>
    /// A P-256 key generated inside a PKCS#11 token (sensitive, not extractable): prints the URI (without secrets) and
    /// the public key (PEM, for the CSCA that issues the DSC; did:key) — the private key never exists outside the token.
    /// </summary>
    private static int Pkcs11Key(CliContext context, string uri, string typeName)
    {
        if (typeName is not ("P-256" or "p256" or "P256"))
            throw new UsageException($"keys in a PKCS#11 token are P-256 here (--type P-256), got '{typeName}'");
        try
        {
            using var key = Vc.Agent.Keys.Pkcs11EcdsaKey.Generate(Vc.Agent.Keys.Pkcs11Uri.Parse(uri));
            var q = key.ExportParameters(false).Q;
            var verification = Vc.Did.Keys.VerificationKey.FromEcPoint(Vc.Did.Keys.KeyType.P256, q.X, q.Y);
            CliOutput.Write(context.Out, new JsonObject
            {
                ["key"] = key.Uri.ToString(), ["type"] = "P-256",
                ["did"] = "did:key:" + verification.PublicKeyMultibase, ["publicKeyMultibase"] = verification.PublicKeyMultibase,
                ["publicKeyPem"] = key.ExportSubjectPublicKeyInfoPem(),
                ["sensitiveAndNonExtractable"] = key.IsSensitiveAndNonExtractable(),
            });
            return ExitCodes.Ok;
        }
        catch (Vc.Agent.Keys.Pkcs11KeyException e) { throw new CliFailure("pkcs11", e.Message); }
    }

    /// <summary>A secp256k1 (Ethereum) account key for ledger roles: trust anchor, participant admin, DID controller.</summary>
    private static async Task<int> EthereumKeyAsync(CliContext context, string output)
    {
        var key = Nethereum.Signer.EthECKey.GenerateKey();
        await SecretFiles.WriteAsync(output, key.GetPrivateKey());
        CliOutput.Write(context.Out, new JsonObject { ["address"] = key.GetPublicAddress(), ["secretKeyFile"] = Path.GetFullPath(output) });
        return ExitCodes.Ok;
    }

    /// <summary>
    /// The node's verification of a file (its strict JSON reading first): the cryptographic result with the trust
    /// decision beside it, printed as the node answers; exit 0 only when verified.
    /// </summary>
    private static async Task<int> VerifyAsync(CliContext context, ParseResult parse, string file, Func<VcAgent, System.Text.Json.JsonElement, Task<CredentialVerdict>> verify,
        PackOptions packOptions, IReadOnlyList<string>? trustFiles = null, bool didWebOffline = false)
    {
        var input = await CliInput.ReadObjectAsync(file);
        var pack = await packOptions.LoadAsync(context, parse);
        await using var agent = await context.OpenAgentAsync(parse, trustFiles, didWebOffline: didWebOffline, pack: pack);
        using var document = System.Text.Json.JsonDocument.Parse(input.ToJsonString());
        var verdict = await verify(agent, document.RootElement);
        CliOutput.Write(context.Out, verdict.ToJson());
        return verdict.Verified ? ExitCodes.Ok : ExitCodes.Negative;
    }

    /// <summary>Turns library failures the user can act on into typed CLI failures.</summary>
    private static async Task<T> Guard<T>(Func<Task<T>> action)
    {
        try { return await action(); }
        catch (IssuerServiceException e) { throw new CliFailure("issuer." + e.Kind, e.Message); }
        catch (CredentialException e) { throw new CliFailure("credential." + e.Code, e.Message); }
    }
}

/// <summary>A typed failure of a command: printed as {"error":{type,message}}, exit code 3.</summary>
public sealed class CliFailure(string type, string message) : Exception(message)
{
    public string Type { get; } = type;
}
