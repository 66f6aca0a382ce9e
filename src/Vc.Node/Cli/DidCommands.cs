using Vc.Agent.Storage;
using System.CommandLine;
using System.Text.Json.Nodes;
using Vc.Did.Keys;
using Vc.Did.Ethr;
using Vc.Node.Hosting;
using Vc.Agent;

namespace Vc.Node.Cli;

/// <summary>
/// `vchealth did create|add-key|rotate-key|revoke-key|add-delegate|add-service|change-owner|deactivate|resolve`
/// on the ERC-1056 registry (default: the embedded ledger; --rpc URL --registry ADDRESS for any other).
/// Writes are signed by the DID's owner key (--key-file) and, by default, relayed as chain-bound signed writes
/// so the owner needs no ether (--mode typed|erc1056|direct).
/// </summary>
public static class DidCommands
{
    public static Command Declare(CliContext context)
    {
        var group = new Command("did");

        var didUrl = CliParse.Required("DID", "the DID (did:ethr, did:key, did:web…), optionally ?versionId=N or ?versionTime=T");
        var resolveNetwork = Network();
        var resolve = new Command("resolve", "resolve a DID; prints the resolution result exactly as the reference resolver") { didUrl, resolveNetwork };
        resolve.SetAction((parse, _) => Run(() => ResolveAsync(context, parse.GetRequiredValue(didUrl), context.LedgerSettingsFrom(parse), parse.GetValue(resolveNetwork))));
        group.Subcommands.Add(resolve);

        var newKeyFile = CliParse.Text("--key-file", "where to write the new DID's owner key (secp256k1, 0600; must not exist)", "FILE", required: true);
        var createNetwork = Network();
        var create = new Command("create", "create a did:ethr identity (a new owner key; nothing is written on the ledger)") { newKeyFile, createNetwork };
        create.SetAction((parse, _) => Run(() => CreateAsync(context, parse.GetRequiredValue(newKeyFile), context.LedgerSettingsFrom(parse), parse.GetValue(createNetwork))));
        group.Subcommands.Add(create);

        var keyType = KeyType();
        var publicKey = CliParse.Text("--public-key", "the public key, hex or multibase (Multikey)", "KEY", required: true);
        group.Subcommands.Add(Write(context, "add-key", "publish a verification key", [keyType, publicKey],
            parse => Single(KeyFrom(parse.GetRequiredValue(publicKey), parse.GetValue(keyType), "public-key"),
                (w, c, k) => w.PublishKeyAsync(c.Owner, c.Did.Address, k, c.Validity, c.Mode))));

        var revokeType = KeyType();
        var revokedKey = CliParse.Text("--public-key", "the public key to revoke, hex or multibase (Multikey)", "KEY", required: true);
        group.Subcommands.Add(Write(context, "revoke-key", "revoke a verification key", [revokeType, revokedKey],
            parse => Single(KeyFrom(parse.GetRequiredValue(revokedKey), parse.GetValue(revokeType), "public-key"),
                (w, c, k) => w.RevokeAttributeAsync(c.Owner, c.Did.Address, k.Name, k.Value, c.Mode))));

        var rotateType = KeyType();
        var oldKey = CliParse.Text("--old-public-key", "the key to retire, hex or multibase", "KEY", required: true);
        var newKey = CliParse.Text("--new-public-key", "the key that replaces it, hex or multibase", "KEY", required: true);
        var oldExpires = CliParse.Time("--old-expires-at", "when the old key stops verifying (default now)");
        group.Subcommands.Add(Write(context, "rotate-key", "replace a verification key (the old one still verifies what it signed before)", [rotateType, oldKey, newKey, oldExpires],
            parse => RotateWith(KeyFrom(parse.GetRequiredValue(oldKey), parse.GetValue(rotateType), "old-public-key"),
                KeyFrom(parse.GetRequiredValue(newKey), parse.GetValue(rotateType), "new-public-key"), parse.GetValue(oldExpires))));

        var delegateAddress = CliParse.Text("--delegate", "the delegate's address", "ADDRESS", required: true);
        var delegateType = CliParse.Choice("--type", "the delegate type (default veriKey)", "TYPE", "veriKey", "sigAuth");
        group.Subcommands.Add(Write(context, "add-delegate", "add a delegate", [delegateAddress, delegateType],
            parse => Single((Delegate: parse.GetRequiredValue(delegateAddress), Type: parse.GetValue(delegateType) ?? "veriKey"),
                (w, c, d) => w.AddDelegateAsync(c.Owner, c.Did.Address, d.Type, d.Delegate, c.Validity, c.Mode))));

        var endpoint = CliParse.Text("--endpoint", "the service endpoint", "URL", required: true);
        var serviceType = CliParse.Text("--type", "the service type", "TYPE", required: true);
        group.Subcommands.Add(Write(context, "add-service", "add a service endpoint", [endpoint, serviceType],
            parse => Single((Endpoint: parse.GetRequiredValue(endpoint), Type: parse.GetRequiredValue(serviceType)),
                (w, c, e) => w.AddServiceAsync(c.Owner, c.Did.Address, e.Type, e.Endpoint, c.Validity, c.Mode))));

        var newOwner = CliParse.Text("--new-owner", "the new owner's address", "ADDRESS", required: true);
        group.Subcommands.Add(Write(context, "change-owner", "hand the DID to another owner", [newOwner],
            parse => Single(parse.GetRequiredValue(newOwner), (w, c, o) => w.ChangeOwnerAsync(c.Owner, c.Did.Address, o, c.Mode))));

        group.Subcommands.Add(Write(context, "deactivate", "deactivate the DID (irreversible)", [],
            _ => (w, c) => One(w.DeactivateAsync(c.Owner, c.Did.Address, c.Mode))));

        var dsc = CliParse.Text("--dsc", "the issuer's Document Signer Certificate (PEM)", "PEM", required: true);
        var sca = CliParse.Text("--sca", "its signing CA certificate (PEM)", "PEM");
        group.Subcommands.Add(Write(context, "bind-dsc", "bind the issuer's DSC to its DID (a DscBinding service)", [dsc, sca],
            parse => BindDsc(parse.GetRequiredValue(dsc), parse.GetValue(sca))));
        return group;
    }

    private static Option<string> Network() =>
        CliParse.Text("--network", "the did:ethr network name or chain id (default: the ledger's chain id)", "NAME");

    private static Option<string> KeyType() => CliParse.Choice("--type", "the key type (default ed25519)", "TYPE", "ed25519", "p256", "x25519");

    /// <summary>What a write needs besides the writer: the owner key, the DID, the validity and the write mode.</summary>
    private sealed record WriteContext(EthrIdentity Owner, EthrDid Did, TimeSpan Validity, WriteMode Mode);

    private delegate Task<IReadOnlyList<WriteReceipt>> DidWrite(EthrDidWriter writer, WriteContext context);

    /// <summary>A write command: DID, --key-file, --mode, --validity, --network and its own options.</summary>
    private static Command Write(CliContext context, string verb, string description, Option[] options, Func<ParseResult, DidWrite> write)
    {
        var didArgument = CliParse.Required("DID", "the did:ethr to change");
        var keyFile = CliParse.Text("--key-file", "the DID owner's key file (secp256k1, hex)", "FILE", required: true);
        var mode = CliParse.Choice("--mode", "relayed chain-bound typed signature (default), relayed ERC-1056 signature, or a direct transaction", "MODE", "typed", "erc1056", "direct");
        var validity = CliParse.PositiveInt("--validity", "seconds the attribute stays valid (default a year)", "SECONDS");
        var network = Network();
        var command = new Command(verb, description) { didArgument, keyFile, mode, validity, network };
        foreach (var option in options) command.Options.Add(option);
        command.SetAction((parse, _) => Run(async () =>
        {
            var did = EthrDid.Parse(parse.GetRequiredValue(didArgument));
            var owner = await OwnerAsync(parse.GetRequiredValue(keyFile));
            var writeMode = (parse.GetValue(mode) ?? "typed") switch
            {
                "typed" => WriteMode.SignedTyped,
                "erc1056" => WriteMode.SignedErc1056,
                "direct" => WriteMode.Direct,
                var m => throw new UsageException($"--mode must be typed, erc1056 or direct, got '{m}'"),
            };
            var validFor = parse.GetValue(validity) is { } v ? TimeSpan.FromSeconds(v) : TimeSpan.FromDays(365);
            return await WriteAsync(context, context.LedgerSettingsFrom(parse), parse.GetValue(network), write(parse), new WriteContext(owner, did, validFor, writeMode));
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
        catch (DidWriteException e) when (e.Error is DidWriteError.InvalidInput or DidWriteError.ValueTooLarge)
        {
            throw new UsageException($"{e.Step}: {e.Message}");
        }
        catch (DidWriteException e)
        {
            throw new CliFailure("did." + e.Error, $"{e.Step}: {e.Message}");
        }
    }

    private static async Task<int> ResolveAsync(CliContext context, string didUrl, LedgerSettings settings, string? network)
    {
        Vc.Did.Core.DidResolutionResult result;
        if (!didUrl.StartsWith("did:ethr:", StringComparison.Ordinal))
            result = await Vc.Did.Core.CompositeDidResolver.Create().ResolveAsync(didUrl);
        else
        {
            await using var client = await OpenClientAsync(settings, network, readOnly: true, context.Time);
            result = await client.Resolver.ResolveAsync(didUrl);
        }
        context.Out.WriteLine(result.ToJson());
        return result.DidResolutionMetadata.Error switch
        {
            null => ExitCodes.Ok,
            Vc.Did.Core.DidResolutionErrors.NotFound => ExitCodes.Negative,
            _ => ExitCodes.Usage,
        };
    }

    private static async Task<int> CreateAsync(CliContext context, string keyFile, LedgerSettings settings, string? network)
    {
        if (File.Exists(keyFile)) throw new CliInput.InputException($"{keyFile} already exists; not overwriting a key");
        network ??= "0x" + (await ChainIdAsync(settings)).ToString("x");
        var identity = EthrIdentity.Create();
        await SecretFiles.WriteAsync(keyFile, identity.ExportPrivateKey());
        CliOutput.Write(context.Out, new JsonObject
        {
            ["did"] = identity.Did(network),
            ["address"] = identity.Address,
            ["publicKey"] = "0x" + Convert.ToHexStringLower(identity.PublicKey),
            ["keyFile"] = Path.GetFullPath(keyFile),
        });
        return ExitCodes.Ok;
    }

    private static async Task<int> WriteAsync(CliContext context, LedgerSettings settings, string? network, DidWrite write, WriteContext target)
    {
        await using var client = await OpenClientAsync(settings, network, readOnly: false, context.Time);
        var receipts = await write(client.Writer!, target);
        var output = new JsonObject
        {
            ["did"] = target.Did.Did,
            ["transactions"] = new JsonArray(receipts.Select(r => (JsonNode)new JsonObject
            {
                ["transactionHash"] = r.TransactionHash, ["block"] = r.BlockNumber, ["gasUsed"] = r.GasUsed,
            }).ToArray()),
        };
        CliOutput.Write(context.Out, output);
        return ExitCodes.Ok;
    }

    private static DidWrite RotateWith(KeyAttribute oldKey, KeyAttribute newKey, DateTimeOffset? expires) =>
        (w, c) => w.RotateKeyAsync(c.Owner, c.Did.Address, oldKey, newKey, c.Validity, expires, c.Mode);

    /// <summary>
    /// Binds the issuer's DSC to its DID: a `did/svc/DscBinding` service whose endpoint is the DSC key as a JWK with
    /// kid and x5c, so one issuer identity signs both VCs and HCERTs (checked against the trust registry by verifiers).
    /// </summary>
    private static DidWrite BindDsc(string dscPath, string? scaPath) => async (w, c) =>
    {
        using var dsc = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(await CliInput.ReadTextAsync(dscPath));
        using var sca = scaPath is null ? null : System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(await CliInput.ReadTextAsync(scaPath));
        return [await Vc.Trust.Bridge.DscBinding.PublishAsync(w, c.Owner, c.Did.Address, dsc, sca, c.Validity, c.Mode)];
    };

    private static DidWrite Single<T>(T value, Func<EthrDidWriter, WriteContext, T, Task<WriteReceipt>> op) =>
        (w, c) => One(op(w, c, value));

    private static async Task<IReadOnlyList<WriteReceipt>> One(Task<WriteReceipt> receipt) => [await receipt];

    /// <summary>--type ed25519|p256|x25519 with the public key as hex or multibase (Multikey).</summary>
    private static KeyAttribute KeyFrom(string text, string? typeName, string option)
    {
        var type = (typeName ?? "ed25519").ToLowerInvariant();
        byte[] raw;
        try
        {
            raw = text.StartsWith('z') ? VerificationKey.FromMultikey(text).RawBytes.ToArray() : Convert.FromHexString(text.StartsWith("0x", StringComparison.Ordinal) ? text[2..] : text);
        }
        catch (Exception e) when (e is FormatException or KeyFormatException)
        {
            throw new UsageException($"--{option} must be hex or a multibase public key: {e.Message}");
        }
        try
        {
            return type switch
            {
                "ed25519" => KeyAttribute.Ed25519Assertion(raw),
                "p256" or "p-256" => KeyAttribute.P256Assertion(raw),
                "x25519" => KeyAttribute.X25519KeyAgreement(raw),
                _ => throw new UsageException($"--type must be ed25519, p256 or x25519, got '{type}'"),
            };
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--{option}: {e.Message}");
        }
    }

    private static async Task<EthrIdentity> OwnerAsync(string keyFile)
    {
        var text = (await CliInput.ReadTextAsync(keyFile)).Trim();
        try { return EthrIdentity.FromPrivateKey(text); }
        catch (Exception e) when (e is FormatException or ArgumentException or IndexOutOfRangeException)
        {
            throw new CliInput.InputException($"{keyFile} does not hold a secp256k1 private key (hex)");
        }
    }

    private static async Task<long> ChainIdAsync(LedgerSettings settings)
    {
        if (settings.RpcUrl is not null) return await Vc.Did.Ledger.LedgerConnection.ReadChainIdAsync(settings.RpcUrl);
        await using var ledger = await NodeLedger.OpenAsync(settings, detachIfStarted: true);
        return ledger.Connection.ChainId;
    }

    private static async Task<EthrDidClient> OpenClientAsync(LedgerSettings settings, string? network, bool readOnly, TimeProvider clock)
    {
        if (readOnly && settings.RpcUrl is not null && settings.RegistryAddress is not null)
        {
            var chainId = await Vc.Did.Ledger.LedgerConnection.ReadChainIdAsync(settings.RpcUrl);
            return await EthrDidClient.OpenReadOnlyAsync(settings.RpcUrl, settings.RegistryAddress, network ?? "anvil",
                LedgerDids.IndexPath(settings.DataDirectory, chainId, settings.RegistryAddress), clock: clock);
        }
        if (readOnly && await NodeLedger.RunningEmbeddedAsync(settings) is { } running
            && running.Contracts.Addresses.TryGetValue(Vc.Did.Ledger.ContractArtifact.DidRegistry, out var registry))
        {
            var address = settings.RegistryAddress ?? registry;
            return await EthrDidClient.OpenReadOnlyAsync(running.RpcUrl, address, network ?? "anvil",
                LedgerDids.IndexPath(settings.DataDirectory, running.Contracts.ChainId, address), clock: clock);
        }
        await using var ledger = await NodeLedger.OpenAsync(settings, detachIfStarted: true);
        var c = ledger.Connection;
        return await EthrDidClient.OpenAsync(c, network ?? "anvil",
            LedgerDids.IndexPath(settings.DataDirectory, c.ChainId, c.Contracts[Vc.Did.Ledger.ContractArtifact.DidRegistry]), clock: clock);
    }
}
