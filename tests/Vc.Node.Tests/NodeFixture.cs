using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Headers;
using Vc.Agent;
using Vc.Node.Hosting;
using Vc.Agent.Storage;

namespace Vc.Node.Tests;

/// <summary>
/// A running node on a free loopback port with its own data directory and embedded ledger, plus API keys
/// of each scope. Shared by the tests of one class.
/// </summary>
public sealed class NodeFixture : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("vchealth-api-").FullName;
    private NodeLedger? _ledger;
    private WebApplication? _app;

    public HttpClient Anonymous { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";
    public string AdminKey { get; private set; } = "";
    public string IssueKey { get; private set; } = "";
    public string RevokeKey { get; private set; } = "";
    /// <summary>A configured ledger node (e.g. a proxy in front of an Anvil) instead of the embedded one.</summary>
    public Uri? RpcUrl { get; init; }
    /// <summary>The outbound policy (default: the environment's, loopback http allowed in these tests).</summary>
    public Vc.Did.Net.OutboundPolicy? Outbound { get; init; }

    public async Task InitializeAsync()
    {
        var options = new NodeOptions { Ledger = new LedgerSettings { DataDirectory = _data, RpcUrl = RpcUrl }, Urls = "http://127.0.0.1:0", Outbound = Outbound ?? Vc.Did.Net.OutboundPolicy.FromEnvironment() };
        _ledger = await NodeLedger.OpenAsync(options.Ledger, detachIfStarted: false);
        _app = await NodeApp.BuildAsync(options, _ledger);
        await _app.StartAsync();
        BaseUrl = NodeApp.ListeningAddresses(_app)[0];
        Anonymous = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        var keys = _app.Services.GetRequiredService<ApiKeys>();
        AdminKey = (await keys.CreateAsync(ApiScope.ManageIssuers, "admin")).Secret;
        IssueKey = (await keys.CreateAsync(ApiScope.Issue, "issuer")).Secret;
        RevokeKey = (await keys.CreateAsync(ApiScope.Revoke, "revoker")).Secret;
    }

    public IServiceProvider Services => _app!.Services;

    /// <summary>The node's data directory: CLI calls with --data on it share the node's configuration and ledger.</summary>
    public string DataDirectory => _data;

    public HttpClient With(string key)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public async Task DisposeAsync()
    {
        Anonymous.Dispose();
        if (_app is not null) { await _app.StopAsync(); await _app.DisposeAsync(); }
        if (_ledger is not null) await _ledger.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}
