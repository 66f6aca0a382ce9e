using System.Text.Json.Nodes;
using Vc.Did.Core;
using Vc.Did.Keys;
using Vc.Did.Ethr;
using Vc.Did.Ledger;

namespace Vc.Agent;

/// <summary>
/// did:ethr for the node: one <see cref="EthrDidClient"/> on the node's ledger (indexed resolver with its
/// SQLite index in the data directory, relayed writer), exposed to the credential verifier as a
/// <see cref="IDidMethodResolver"/> and to issuer creation as a <see cref="IDidMethodProvisioner"/>.
/// </summary>
public sealed class LedgerDids : IDidMethodResolver, IDidMethodProvisioner, IAsyncDisposable
{
    public EthrDidClient Client { get; }
    public IDidResolver Resolver { get; }
    /// <summary>The network part of DIDs this node mints: the hex chain id (unambiguous across resolvers).</summary>
    public string Network { get; }
    private readonly TimeProvider _time;

    private LedgerDids(EthrDidClient client, TimeProvider time)
    {
        Client = client;
        _time = time;
        Resolver = CompositeDidResolver.Create(client.Resolver);
        Network = "0x" + client.Network.ChainId.ToString("x");
    }

    public static async Task<LedgerDids> OpenAsync(NodeLedger ledger, string dataDirectory, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        return new(await EthrDidClient.OpenAsync(ledger.Connection, "anvil",
            IndexPath(dataDirectory, ledger.Connection.ChainId, ledger.Connection.Contracts[Vc.Did.Ledger.ContractArtifact.DidRegistry]), clock: time), time);
    }

    /// <summary>
    /// Resolution only, on a ledger already running for <paramref name="dataDirectory"/> (no relayer, no deployment
    /// checks): what a one-shot verification needs. No writer: provisioning through it is refused.
    /// </summary>
    public static async Task<LedgerDids> OpenReadOnlyAsync(Uri rpcUrl, string registry, long chainId, string dataDirectory, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        return new(await EthrDidClient.OpenReadOnlyAsync(rpcUrl, registry, "anvil", IndexPath(dataDirectory, chainId, registry), clock: time), time);
    }

    /// <summary>One event index per chain and registry, kept in the data directory.</summary>
    public static string IndexPath(string dataDirectory, long chainId, string registry) =>
        Path.Combine(dataDirectory, $"ethr-index-{chainId}-{registry.ToLowerInvariant()}.db");

    // ---- IDidMethodResolver (credential verification) ----

    public string Method => Client.Resolver.Method;

    public Task<DidResolutionResult> ResolveAsync(string did, DidResolutionOptions? options = null, CancellationToken ct = default) =>
        Client.Resolver.ResolveAsync(did, options, ct);

    // ---- IDidMethodProvisioner (issuer creation) ----

    /// <summary>
    /// Creates an issuer identity: a fresh secp256k1 controller key (kept encrypted by the node), and the
    /// issuer's assertion key published on the registry through a chain-bound signed write relayed by the node.
    /// </summary>
    public async Task<ProvisionedDid> CreateAsync(VerificationKey assertionKey, CancellationToken ct)
    {
        var identity = EthrIdentity.Create();
        var did = identity.Did(Network);
        var receipt = await PublishAsync(identity, identity.Address, assertionKey, ct);
        var vm = await FindMethodAsync(did, assertionKey, ct);
        await WaitForBlockTimeAsync(did, ct);
        return new ProvisionedDid(did, vm, System.Text.Encoding.ASCII.GetBytes(identity.ExportPrivateKey()), new JsonObject
        {
            ["controller"] = identity.Address,
            ["keyPublishedInBlock"] = receipt.BlockNumber,
        });
    }

    /// <summary>Publishes a new assertion key and lets the old one expire after <paramref name="overlap"/> (zero: revoke now).</summary>
    public async Task<(string VerificationMethod, IReadOnlyList<WriteReceipt> Receipts)> RotateAsync(
        string did, byte[] controllerKey, VerificationKey oldKey, VerificationKey newKey, TimeSpan overlap, CancellationToken ct)
    {
        var owner = EthrIdentity.FromPrivateKey(System.Text.Encoding.ASCII.GetString(controllerKey));
        var writer = Client.Writer ?? throw new IssuerServiceException("unsupported", "the ledger is read-only here (no relayer)");
        var address = EthrDid.Parse(did).Address;
        var receipts = await writer.RotateKeyAsync(owner, address, Attribute(oldKey), Attribute(newKey), Validity,
            overlap > TimeSpan.Zero ? _time.GetUtcNow() + overlap : null, WriteMode.SignedTyped, ct);
        var vm = await FindMethodAsync(did, newKey, ct);
        await WaitForBlockTimeAsync(did, ct);
        return (vm, receipts);
    }

    /// <summary>Binds a DSC to a node issuer's DID (a DscBinding service carrying the DSC key as JWK with x5c).</summary>
    public async Task<WriteReceipt> BindDscAsync(string did, byte[] controllerKey, System.Security.Cryptography.X509Certificates.X509Certificate2 dsc,
        System.Security.Cryptography.X509Certificates.X509Certificate2? sca, CancellationToken ct)
    {
        var owner = EthrIdentity.FromPrivateKey(System.Text.Encoding.ASCII.GetString(controllerKey));
        var writer = Client.Writer ?? throw new IssuerServiceException("unsupported", "the ledger is read-only here (no relayer)");
        return await Vc.Trust.Bridge.DscBinding.PublishAsync(writer, owner, EthrDid.Parse(did).Address, dsc, sca, Validity, WriteMode.SignedTyped, ct);
    }

    /// <summary>Issuer keys stay valid on the ledger for years; rotation ends them early.</summary>
    private static readonly TimeSpan Validity = TimeSpan.FromDays(3650);

    private async Task<WriteReceipt> PublishAsync(EthrIdentity owner, string address, VerificationKey key, CancellationToken ct)
    {
        var writer = Client.Writer ?? throw new IssuerServiceException("unsupported", "the ledger is read-only here (no relayer)");
        return await writer.PublishKeyAsync(owner, address, Attribute(key), Validity, WriteMode.SignedTyped, ct);
    }

    private static KeyAttribute Attribute(VerificationKey key) => key.KeyType switch
    {
        KeyType.Ed25519 => KeyAttribute.Ed25519Assertion(key.RawBytes.ToArray()),
        KeyType.P256 => KeyAttribute.P256Assertion(key.RawBytes.ToArray()),
        _ => throw new IssuerServiceException("unsupported", $"{key.KeyType} keys cannot be published on did:ethr here"),
    };

    /// <summary>
    /// A key counts from its block's timestamp, and a dev chain mining bursts stamps blocks up to a second apart, ahead
    /// of the wall clock. Signing before the clock reaches that timestamp would date a proof before its own key:
    /// wait (briefly) until the DID's latest change lies in the past.
    /// </summary>
    private async Task WaitForBlockTimeAsync(string did, CancellationToken ct)
    {
        var result = await Client.Resolver.ResolveAsync(did, null, ct);
        if (!DateTimeOffset.TryParse(result.DidDocumentMetadata.Updated, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var updated)) return;
        await ChainClock.WaitPastAsync(updated, _time, ct);
    }

    /// <summary>The id the resolver gives the published key (#delegate-N, N from the registry's event counter).</summary>
    private async Task<string> FindMethodAsync(string did, VerificationKey key, CancellationToken ct)
    {
        var document = (await ResolveAsync(did, new DidResolutionOptions(), ct)).DidDocument;
        return document?.VerificationMethod.FirstOrDefault(m => m.Key is not null && m.Key.Equals(key) && document.Authorized(VerificationRelationship.AssertionMethod, m.Id) is not null)?.Id
            ?? throw new IssuerServiceException("invalid", $"the key published for {did} does not appear under assertionMethod");
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
