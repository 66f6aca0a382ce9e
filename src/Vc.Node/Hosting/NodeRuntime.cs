using Vc.Did.Core;
using Vc.Did.Key;
using Vc.Node.Services;
using Vc.Node.Storage;

namespace Vc.Node.Hosting;

/// <summary>
/// The node's composition root without HTTP: store, key protection, issuers, status lists, the credential
/// machinery. The ASP.NET node registers these instances; CLI commands use them directly — the same calls.
/// </summary>
public sealed class NodeRuntime
{
    public required string DataDirectory { get; init; }
    public required NodeStore Store { get; init; }
    public required KeyProtector Protector { get; init; }
    public required ApiKeys ApiKeys { get; init; }
    public required IssuerStore Issuers { get; init; }
    public required StatusListStore StatusLists { get; init; }
    public required NodeUrls Urls { get; init; }
    public required NodeStatusListFetcher StatusListFetcher { get; init; }
    public required CredentialServices Credentials { get; init; }
    public required IssuerService IssuerService { get; init; }
    public required BridgeService Bridge { get; init; }

    /// <summary>The default public URL when none is configured and no server is listening (CLI use).</summary>
    public const string DefaultPublicUrl = "http://127.0.0.1:8480";

    public static async Task<NodeRuntime> OpenAsync(string dataDirectory, string? publicUrl,
        IEnumerable<IDidMethodResolver>? extraResolvers = null, IDidMethodProvisioner? provisioner = null,
        IReadOnlyList<Vc.Interop.TrustLists.TrustEntry>? hcertTrust = null)
    {
        var store = await NodeStore.OpenAsync(dataDirectory);
        var protector = KeyProtector.FromConfiguration(dataDirectory);
        var urls = new NodeUrls(publicUrl);
        var issuers = new IssuerStore(store, protector);
        var statusLists = new StatusListStore(store);
        IssuerService? issuerService = null;
        var fetcher = new NodeStatusListFetcher(urls, () => issuerService!, new HttpClient { Timeout = TimeSpan.FromSeconds(5) });
        var resolver = new CompositeDidResolver([new DidKeyResolver(), .. extraResolvers ?? []]);
        var credentials = new CredentialServices(resolver, fetcher);
        issuerService = new IssuerService(issuers, statusLists, credentials, urls, provisioner);
        return new NodeRuntime
        {
            DataDirectory = dataDirectory, Store = store, Protector = protector, ApiKeys = new ApiKeys(store),
            Issuers = issuers, StatusLists = statusLists, Urls = urls, StatusListFetcher = fetcher,
            Credentials = credentials, IssuerService = issuerService,
            Bridge = new BridgeService(issuers, issuerService, credentials, hcertTrust ?? []),
        };
    }
}
