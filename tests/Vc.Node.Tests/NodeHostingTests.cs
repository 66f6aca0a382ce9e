using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Vc.Agent;
using Vc.Node.Hosting;

namespace Vc.Node.Tests;

public sealed class NodeHostingTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("vchealth-node-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync()
    {
        Directory.Delete(_data, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Health_endpoint_reports_chain_id_block_and_deployed_contracts_over_http()
    {
        var options = new NodeOptions { Ledger = new LedgerSettings { DataDirectory = _data }, Urls = "http://127.0.0.1:0" };
        await using var ledger = await NodeLedger.OpenAsync(options.Ledger, detachIfStarted: false);
        await using var app = await NodeApp.BuildAsync(options, ledger);
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(NodeApp.ListeningAddresses(app)[0]) };

        var health = await http.GetFromJsonAsync<JsonObject>("/health");

        Assert.Equal("ok", (string?)health!["status"]);
        Assert.Equal(31337, (long)health["ledger"]!["chainId"]!);
        Assert.True((long)health["ledger"]!["blockNumber"]! >= 1);
        Assert.StartsWith("0x", (string?)health["ledger"]!["contracts"]!["EthereumDIDRegistry"]);
        await app.StopAsync();
    }

    [Fact]
    public async Task With_a_tls_certificate_and_key_the_node_serves_https()
    {
        // A self-signed P-256 certificate for 127.0.0.1, valid around the run, as PEM files like an operator's.
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=127.0.0.1", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        var san = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        var certPath = Path.Combine(_data, "tls.pem");
        var keyPath = Path.Combine(_data, "tls.key.pem");
        await File.WriteAllTextAsync(certPath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());

        var options = new NodeOptions
        {
            Ledger = new LedgerSettings { DataDirectory = _data }, Urls = "https://127.0.0.1:0", TlsCertificatePath = certPath, TlsKeyPath = keyPath,
        };
        await using var ledger = await NodeLedger.OpenAsync(options.Ledger, detachIfStarted: false);
        await using var app = await NodeApp.BuildAsync(options, ledger);
        await app.StartAsync();
        var address = NodeApp.ListeningAddresses(app)[0];
        Assert.StartsWith("https://", address);
        // The client trusts exactly the node's certificate (pinned by thumbprint), as a test CA would be trusted.
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
        };
        using var https = new HttpClient(handler) { BaseAddress = new Uri(address) };

        var health = await https.GetFromJsonAsync<JsonObject>("/health");

        Assert.Equal("ok", (string?)health!["status"]);
        await app.StopAsync();
    }

    [Fact]
    public async Task Embedded_ledger_keeps_its_contracts_and_height_when_the_node_restarts()
    {
        var settings = new LedgerSettings { DataDirectory = _data };
        JsonObject first;
        await using (var ledger = await NodeLedger.OpenAsync(settings, detachIfStarted: false))
        {
            Assert.Equal("embedded", ledger.Mode);
            first = await NodeStatus.ReadAsync(ledger);
        }
        await using var again = await NodeLedger.OpenAsync(settings, detachIfStarted: false);
        var second = await NodeStatus.ReadAsync(again);

        Assert.Equal(first["ledger"]!["contracts"]!.ToJsonString(), second["ledger"]!["contracts"]!.ToJsonString());
        Assert.True((long)second["ledger"]!["blockNumber"]! >= (long)first["ledger"]!["blockNumber"]!);
    }

    [Fact]
    public async Task A_second_process_reuses_the_running_embedded_ledger()
    {
        var settings = new LedgerSettings { DataDirectory = _data };
        await using var owner = await NodeLedger.OpenAsync(settings, detachIfStarted: false);
        await using var user = await NodeLedger.OpenAsync(settings, detachIfStarted: false);
        Assert.Equal("embedded-shared", user.Mode);
        Assert.Equal(owner.Connection.RpcUrl, user.Connection.RpcUrl);
        Assert.Equal(owner.Connection.Contracts.Addresses, user.Connection.Contracts.Addresses);
    }
}
