using Vc.Agent.Storage;
using System.Text.Json.Nodes;
using Vc.Credentials.Issuance;
using Vc.Credentials.Keys;
using Vc.Did.Keys;
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
    public static async Task<int> IssuerAsync(CliContext context, string[] argv)
    {
        var args = new CliArgs(argv);
        var verb = args.Positional(0, "create|list");
        await using var runtime = await OpenAsync(args);
        switch (verb)
        {
            case "create":
                var id = args.Positional(1, "issuer id");
                var request = new CreateIssuerRequest(id, args.Option("method") ?? "key", args.Option("cryptosuite") ?? "eddsa-rdfc-2022");
                args.EnsureAllUsed();
                var record = await Guard(() => runtime.IssuerService.CreateAsync(request));
                CliOutput.Write(context.Out, Api.VcApiEndpoints.Profile(record));
                return ExitCodes.Ok;
            case "list":
                args.EnsureAllUsed();
                CliOutput.Write(context.Out, new JsonArray((await runtime.Issuers.ListAsync()).Select(r => (JsonNode)Api.VcApiEndpoints.Profile(r)).ToArray()));
                return ExitCodes.Ok;
            default:
                throw new UsageException($"unknown issuer command '{verb}' (create|list)");
        }
    }

    public static async Task<int> VcAsync(CliContext context, string[] argv)
    {
        var args = new CliArgs(argv, "no-status", "unset");
        var verb = args.Positional(0, "issue|verify|status");
        switch (verb)
        {
            case "issue":
            {
                var credential = await CliInput.ReadObjectAsync(args.Positional(1, "credential file (or -)"));
                await using var runtime = await OpenAsync(args);
                JsonObject signed;
                if (args.Option("key") is { } keyFile)
                {
                    var suite = args.Option("cryptosuite");
                    args.EnsureAllUsed();
                    using var key = (IDisposable)SigningKeys.FromSecretKeyMultibase((await CliInput.ReadTextAsync(keyFile)).Trim());
                    var issuer = new CredentialIssuer(runtime.Credentials.Proofs, IssuerProfile.ForDidKey((ISigningKey)key, suite));
                    signed = await Guard(() => issuer.IssueAsync(credential));
                }
                else
                {
                    var issuerId = args.Option("issuer") ?? throw new UsageException("vc issue needs --issuer ID (an issuer of this node) or --key FILE");
                    var purposes = args.Option("status") is { } s ? s.Split(',', StringSplitOptions.RemoveEmptyEntries) : [];
                    args.EnsureAllUsed();
                    signed = await Guard(() => runtime.IssuerService.IssueAsync(issuerId, credential, purposes));
                }
                CliOutput.Write(context.Out, signed);
                return ExitCodes.Ok;
            }
            case "verify":
            {
                var credential = await CliInput.ReadObjectAsync(args.Positional(1, "credential file (or -)"));
                var options = new VerificationOptions
                {
                    Now = args.Option("at") is { } at ? CliParse.Time(at, "--at") : null,
                    CheckStatus = !args.Flag("no-status"),
                };
                await using var runtime = await OpenAsync(args);
                args.EnsureAllUsed();
                using var document = System.Text.Json.JsonDocument.Parse(credential.ToJsonString());
                var verdict = await runtime.VerifyCredentialAsync(document.RootElement, options);
                CliOutput.Write(context.Out, verdict.ToJson());
                return verdict.Verified ? ExitCodes.Ok : ExitCodes.Negative;
            }
            case "status":
            {
                var credential = await CliInput.ReadObjectAsync(args.Positional(1, "credential file (or -)"));
                var purpose = args.Option("purpose") ?? "revocation";
                var value = !args.Flag("unset");
                await using var runtime = await OpenAsync(args);
                args.EnsureAllUsed();
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
            }
            default:
                throw new UsageException($"unknown vc command '{verb}' (issue|verify|status)");
        }
    }

    public static async Task<int> VpAsync(CliContext context, string[] argv)
    {
        var args = new CliArgs(argv, "no-status");
        var verb = args.Positional(0, "create|verify");
        switch (verb)
        {
            case "create":
            {
                var keyFile = args.Required("holder-key");
                var challenge = args.Required("challenge");
                var domain = args.Option("domain");
                var suite = args.Option("cryptosuite");
                var credentials = new List<JsonObject>();
                foreach (var file in args.Positionals.Skip(1)) credentials.Add(await CliInput.ReadObjectAsync(file));
                await using var runtime = await OpenAsync(args);
                args.EnsureAllUsed();
                using var key = (IDisposable)SigningKeys.FromSecretKeyMultibase((await CliInput.ReadTextAsync(keyFile)).Trim());
                var profile = IssuerProfile.ForDidKey((ISigningKey)key, suite);
                var holder = new HolderProfile(profile.Issuer, profile.VerificationMethod, profile.Key, profile.Cryptosuite);
                var vp = await Guard(() => new PresentationSigner(runtime.Credentials.Proofs).CreateAsync(holder, credentials, challenge, domain));
                CliOutput.Write(context.Out, vp);
                return ExitCodes.Ok;
            }
            case "verify":
            {
                var presentation = await CliInput.ReadObjectAsync(args.Positional(1, "presentation file (or -)"));
                var options = new VerificationOptions
                {
                    Challenge = args.Option("challenge"),
                    Domain = args.Option("domain"),
                    Now = args.Option("at") is { } at ? CliParse.Time(at, "--at") : null,
                    CheckStatus = !args.Flag("no-status"),
                };
                await using var runtime = await OpenAsync(args);
                args.EnsureAllUsed();
                using var document = System.Text.Json.JsonDocument.Parse(presentation.ToJsonString());
                var verdict = await runtime.VerifyPresentationAsync(document.RootElement, options);
                CliOutput.Write(context.Out, verdict.ToJson());
                return verdict.Verified ? ExitCodes.Ok : ExitCodes.Negative;
            }
            default:
                throw new UsageException($"unknown vp command '{verb}' (create|verify)");
        }
    }

    /// <summary>`vchealth key generate --out FILE [--type Ed25519|P-256|secp256k1]`: a wallet or issuer key; only the public part is printed.</summary>
    public static async Task<int> KeyAsync(CliContext context, string[] argv)
    {
        var args = new CliArgs(argv);
        var verb = args.Positional(0, "generate");
        if (verb != "generate") throw new UsageException($"unknown key command '{verb}' (generate)");
        var output = args.Required("out");
        var typeName = args.Option("type") ?? "Ed25519";
        if (typeName is "secp256k1" or "ethereum")
        {
            args.EnsureAllUsed();
            return await EthereumKeyAsync(context, output);
        }
        var type = typeName switch
        {
            "Ed25519" or "ed25519" => KeyType.Ed25519,
            "P-256" or "p256" or "P256" => KeyType.P256,
            var t => throw new UsageException($"--type must be Ed25519 or P-256, got '{t}'"),
        };
        args.EnsureAllUsed();
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

    /// <summary>A secp256k1 (Ethereum) account key for ledger roles: trust anchor, participant admin, DID controller.</summary>
    private static async Task<int> EthereumKeyAsync(CliContext context, string output)
    {
        var key = Nethereum.Signer.EthECKey.GenerateKey();
        await SecretFiles.WriteAsync(output, key.GetPrivateKey());
        CliOutput.Write(context.Out, new JsonObject { ["address"] = key.GetPublicAddress(), ["secretKeyFile"] = Path.GetFullPath(output) });
        return ExitCodes.Ok;
    }

    /// <summary>The same agent the node builds, from the same configuration (data dir, --rpc, --registry, public URL).</summary>
    private static Task<VcAgent> OpenAsync(CliArgs args) =>
        VcAgent.OpenAsync(new AgentOptions { Ledger = CliContext.LedgerSettingsFrom(args), PublicUrl = args.Option("public-url") ?? VcAgent.DefaultPublicUrl });

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
