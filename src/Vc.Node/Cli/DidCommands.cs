using Vc.Agent.Storage;
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
    public static async Task<int> RunAsync(CliContext context, string[] argv)
    {
        var args = new CliArgs(argv);
        var verb = args.Positional(0, "create|add-key|rotate-key|revoke-key|add-delegate|add-service|change-owner|deactivate|bind-dsc|resolve");
        var settings = CliContext.LedgerSettingsFrom(args);
        try
        {
            return verb switch
            {
                "resolve" => await ResolveAsync(context, args, settings),
                "create" => await CreateAsync(context, args, settings),
                "add-key" or "rotate-key" or "revoke-key" or "add-delegate" or "add-service" or "change-owner" or "deactivate" or "bind-dsc"
                    => await WriteAsync(context, args, settings, verb),
                _ => throw new UsageException($"unknown did command '{verb}'"),
            };
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

    private static async Task<int> ResolveAsync(CliContext context, CliArgs args, LedgerSettings settings)
    {
        var didUrl = args.Positional(1, "DID[?versionId=N|?versionTime=T]");
        var network = args.Option("network");
        args.EnsureAllUsed();
        Vc.Did.Core.DidResolutionResult result;
        if (!didUrl.StartsWith("did:ethr:", StringComparison.Ordinal))
            result = await Vc.Did.Core.CompositeDidResolver.Create().ResolveAsync(didUrl);
        else
        {
            await using var client = await OpenClientAsync(settings, network, readOnly: true);
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

    private static async Task<int> CreateAsync(CliContext context, CliArgs args, LedgerSettings settings)
    {
        var keyFile = args.Required("key-file");
        var network = args.Option("network");
        args.EnsureAllUsed();
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

    private static async Task<int> WriteAsync(CliContext context, CliArgs args, LedgerSettings settings, string verb)
    {
        var did = EthrDid.Parse(args.Positional(1, "DID"));
        var owner = await OwnerAsync(args.Required("key-file"));
        var mode = (args.Option("mode") ?? "typed") switch
        {
            "typed" => WriteMode.SignedTyped,
            "erc1056" => WriteMode.SignedErc1056,
            "direct" => WriteMode.Direct,
            var m => throw new UsageException($"--mode must be typed, erc1056 or direct, got '{m}'"),
        };
        var validity = args.Option("validity") is { } v ? TimeSpan.FromSeconds(CliParse.PositiveInt(v, "--validity")) : TimeSpan.FromDays(365);
        Func<EthrDidWriter, Task<IReadOnlyList<WriteReceipt>>> write = verb switch
        {
            "add-key" => Single(KeyFrom(args, "public-key"), (w, k) => w.PublishKeyAsync(owner, did.Address, k, validity, mode)),
            "revoke-key" => Single(KeyFrom(args, "public-key"), (w, k) => w.RevokeAttributeAsync(owner, did.Address, k.Name, k.Value, mode)),
            "rotate-key" => RotateWith(args, owner, did, validity, mode),
            "add-delegate" => Single((Delegate: args.Required("delegate"), Type: args.Option("type") ?? "veriKey"),
                (w, d) => w.AddDelegateAsync(owner, did.Address, d.Type, d.Delegate, validity, mode)),
            "add-service" => Single((Endpoint: args.Required("endpoint"), Type: args.Required("type")),
                (w, e) => w.AddServiceAsync(owner, did.Address, e.Type, e.Endpoint, validity, mode)),
            "change-owner" => Single(args.Required("new-owner"), (w, o) => w.ChangeOwnerAsync(owner, did.Address, o, mode)),
            "bind-dsc" => BindDsc(args, owner, did, validity, mode),
            _ => w => One(w.DeactivateAsync(owner, did.Address, mode)),
        };
        var network = args.Option("network");
        args.EnsureAllUsed();
        await using var client = await OpenClientAsync(settings, network, readOnly: false);
        var receipts = await write(client.Writer!);
        var output = new JsonObject
        {
            ["did"] = did.Did,
            ["transactions"] = new JsonArray(receipts.Select(r => (JsonNode)new JsonObject
            {
                ["transactionHash"] = r.TransactionHash, ["block"] = r.BlockNumber, ["gasUsed"] = r.GasUsed,
            }).ToArray()),
        };
        CliOutput.Write(context.Out, output);
        return ExitCodes.Ok;
    }

    private static Func<EthrDidWriter, Task<IReadOnlyList<WriteReceipt>>> RotateWith(CliArgs args, EthrIdentity owner, EthrDid did, TimeSpan validity, WriteMode mode)
    {
        var oldKey = KeyFrom(args, "old-public-key");
        var newKey = KeyFrom(args, "new-public-key");
        var expires = args.Option("old-expires-at") is { } at ? CliParse.Time(at, "--old-expires-at") : (DateTimeOffset?)null;
        return w => w.RotateKeyAsync(owner, did.Address, oldKey, newKey, validity, expires, mode);
    }

    /// <summary>
    /// Binds the issuer's DSC to its DID: a `did/svc/DscBinding` service whose endpoint is the DSC key as a JWK with
    /// kid and x5c, so one issuer identity signs both VCs and HCERTs (checked against the trust registry by verifiers).
    /// </summary>
    private static Func<EthrDidWriter, Task<IReadOnlyList<WriteReceipt>>> BindDsc(CliArgs args, EthrIdentity owner, EthrDid did, TimeSpan validity, WriteMode mode)
    {
        var dscPath = args.Required("dsc");
        var scaPath = args.Option("sca");
        return async w =>
        {
            using var dsc = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(await CliInput.ReadTextAsync(dscPath));
            using var sca = scaPath is null ? null : System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(await CliInput.ReadTextAsync(scaPath));
            return [await Vc.Trust.Bridge.DscBinding.PublishAsync(w, owner, did.Address, dsc, sca, validity, mode)];
        };
    }

    private static Func<EthrDidWriter, Task<IReadOnlyList<WriteReceipt>>> Single<T>(T value, Func<EthrDidWriter, T, Task<WriteReceipt>> op) =>
        w => One(op(w, value));

    private static async Task<IReadOnlyList<WriteReceipt>> One(Task<WriteReceipt> receipt) => [await receipt];

    /// <summary>--type ed25519|p256|x25519 with the public key as hex or multibase (Multikey).</summary>
    private static KeyAttribute KeyFrom(CliArgs args, string option)
    {
        var text = args.Required(option);
        var type = (args.Option("type") ?? "ed25519").ToLowerInvariant();
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

    private static async Task<EthrDidClient> OpenClientAsync(LedgerSettings settings, string? network, bool readOnly)
    {
        if (readOnly && settings.RpcUrl is not null && settings.RegistryAddress is not null)
        {
            var chainId = await Vc.Did.Ledger.LedgerConnection.ReadChainIdAsync(settings.RpcUrl);
            return await EthrDidClient.OpenReadOnlyAsync(settings.RpcUrl, settings.RegistryAddress, network ?? "anvil",
                LedgerDids.IndexPath(settings.DataDirectory, chainId, settings.RegistryAddress));
        }
        if (readOnly && await NodeLedger.RunningEmbeddedAsync(settings) is { } running
            && running.Contracts.Addresses.TryGetValue(Vc.Did.Ledger.ContractArtifact.DidRegistry, out var registry))
        {
            var address = settings.RegistryAddress ?? registry;
            return await EthrDidClient.OpenReadOnlyAsync(running.RpcUrl, address, network ?? "anvil",
                LedgerDids.IndexPath(settings.DataDirectory, running.Contracts.ChainId, address));
        }
        await using var ledger = await NodeLedger.OpenAsync(settings, detachIfStarted: true);
        var c = ledger.Connection;
        return await EthrDidClient.OpenAsync(c, network ?? "anvil",
            LedgerDids.IndexPath(settings.DataDirectory, c.ChainId, c.Contracts[Vc.Did.Ledger.ContractArtifact.DidRegistry]));
    }
}
