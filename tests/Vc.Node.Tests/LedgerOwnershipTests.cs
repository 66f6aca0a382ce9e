using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Vc.Agent;
using Vc.Agent.Storage;
using Vc.Did.Ledger;
using Vc.Node.Cli;
using Vc.Node.Hosting;

namespace Vc.Node.Tests;

/// <summary>
/// One embedded ledger per data directory (issue #15, finding 1): a node, a ledger outage, one-shot commands and
/// node restarts never run two Anvils on one state file, never lose a written block, and never roll the chain back.
/// </summary>
public sealed class LedgerOwnershipTests
{
    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    /// <summary>A node on the data directory's ledger, as `vchealth node` runs it (its ledger opened non-detached).</summary>
    private sealed class RunningNode(NodeLedger ledger, WebApplication app, HttpClient admin, HttpClient issuer, HttpClient anonymous) : IAsyncDisposable
    {
        public NodeLedger Ledger => ledger;
        public HttpClient Admin => admin;
        public HttpClient Issuer => issuer;
        public HttpClient Anonymous => anonymous;

        public static async Task<RunningNode> StartAsync(string data, TimeProvider clock)
        {
            var options = new NodeOptions { Ledger = new LedgerSettings { DataDirectory = data }, Urls = "http://127.0.0.1:0", Time = clock };
            var ledger = await NodeLedger.OpenAsync(options.Ledger, detachIfStarted: false);
            var app = await NodeApp.BuildAsync(options, ledger);
            await app.StartAsync();
            var url = new Uri(NodeApp.ListeningAddresses(app)[0]);
            var keys = app.Services.GetRequiredService<ApiKeys>();
            HttpClient With(string? key)
            {
                var client = new HttpClient { BaseAddress = url };
                if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
                return client;
            }
            return new RunningNode(ledger, app,
                With((await keys.CreateAsync(ApiScope.ManageIssuers, "admin")).Secret),
                With((await keys.CreateAsync(ApiScope.Issue, "issuer")).Secret), With(null));
        }

        public async Task<JsonNode> IssueAsync(string issuerId)
        {
            var issued = await issuer.PostAsync($"/issuers/{issuerId}/credentials/issue", Json(new JsonObject
            {
                ["credential"] = new JsonObject
                {
                    ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"),
                    ["type"] = new JsonArray("VerifiableCredential", "ExampleAlumniCredential"),
                    ["credentialSubject"] = new JsonObject { ["id"] = "did:example:holder", ["alumniOf"] = "Example University" },
                },
            }));
            Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
            return (await issued.Content.ReadFromJsonAsync<JsonObject>())!["verifiableCredential"]!;
        }

        public async Task AssertVerifiedAsync(JsonNode vc)
        {
            var response = await anonymous.PostAsync("/credentials/verify", Json(new JsonObject { ["verifiableCredential"] = vc.DeepClone() }));
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }

        public async ValueTask DisposeAsync()
        {
            admin.Dispose(); issuer.Dispose(); anonymous.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
            await ledger.DisposeAsync();
        }
    }

    private static async Task<long> HeightAsync(Uri rpc)
    {
        using var client = new LedgerRpc(rpc);
        return (long)(await client.Client.CallAsync<Nethereum.Hex.HexTypes.HexBigInteger>(ChainReads.BlockNumber())).Value;
    }

    /// <summary>
    /// The node's and the CLI's clock, caught up with the chain where a proof follows a key change: Anvil stamps blocks
    /// mined within one second a second apart, so after a few quick writes the chain runs ahead of the wall clock, and a
    /// proof made "now" would predate the key it is made with (resolution as of the proof's time). That is not what
    /// this test is about.
    /// </summary>
    private readonly TestClock _clock = TestClock.Wall();

    private Task ChainTimeReachedAsync(Uri rpc) => DevChainClock.CatchUpAsync(rpc, _clock);

    private static JsonObject Record(string data) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(data, "ledger", "daemon.json")))!.AsObject();

    private async Task<int> CliAsync(params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var code = await CliApp.RunAsync(args, o, e, _clock);
        Assert.True(code == ExitCodes.Ok, $"{string.Join(' ', args)}: {code} {e}");
        return code;
    }

    [Fact]
    public async Task An_outage_a_one_shot_command_and_a_node_restart_keep_one_ledger_and_never_roll_the_chain_back()
    {
        var data = Directory.CreateTempSubdirectory("vchealth-own-").FullName;
        var settings = new LedgerSettings { DataDirectory = data };
        RunningNode? node = null;
        try
        {
            // The node starts its own ledger; an issuer is created, issues, rotates its key, issues again.
            node = await RunningNode.StartAsync(data, _clock);
            Assert.Equal("embedded", node.Ledger.Mode);
            Assert.Equal(HttpStatusCode.Created, (await node.Admin.PostAsJsonAsync("/issuers", new { id = "a", method = "ethr" })).StatusCode);
            await ChainTimeReachedAsync(node.Ledger.Connection.RpcUrl);
            var before = await node.IssueAsync("a");
            // The rotation lands in a later second than the proof (a proof and a key change in the same second are
            // ordered by nothing: resolution as of the proof's time would see the changed document).
            var created = DateTimeOffset.Parse((string)before["proof"]!["created"]!, System.Globalization.CultureInfo.InvariantCulture);
            await DevChainClock.NextBlockAfterAsync(node.Ledger.Connection.RpcUrl, created);
            Assert.Equal(HttpStatusCode.OK, (await node.Admin.PostAsync("/issuers/a/keys/rotate", Json(new JsonObject { ["overlapSeconds"] = 3600 }))).StatusCode);
            await ChainTimeReachedAsync(node.Ledger.Connection.RpcUrl);
            var after = await node.IssueAsync("a");
            // Both verify before the outage: whatever fails later was lost by the ledger, not by the issuance.
            await node.AssertVerifiedAsync(before);
            await node.AssertVerifiedAsync(after);
            var written = await HeightAsync(node.Ledger.Connection.RpcUrl);
            var nodeAnvil = (int)Record(data)["Pid"]!;

            // The ledger dies at once (no chance to dump anything): each write was saved when it returned.
            using (var anvil = Process.GetProcessById(nodeAnvil)) { anvil.Kill(); await anvil.WaitForExitAsync(); }

            // A one-shot command during the outage starts the data directory's ledger (a daemon) from the saved state.
            await CliAsync("issuer", "create", "b", "--method", "ethr", "--data", data);
            var daemon = Record(data);
            var daemonPid = (int)daemon["Pid"]!;
            Assert.NotEqual(nodeAnvil, daemonPid);
            Assert.True((bool)daemon["Detached"]!);
            var daemonUrl = new Uri((string)daemon["RpcUrl"]!);
            var afterCli = await HeightAsync(daemonUrl);
            Assert.True(afterCli > written, $"the chain went back or stood still: {afterCli} after {written}");

            // The node stops: the daemon's record is not the node's to remove.
            await node.DisposeAsync();
            node = null;
            Assert.Equal(daemonPid, (int)Record(data)["Pid"]!);
            Assert.True(AnvilProcess.IsAlive(daemonPid));

            // The node restarts on the running daemon (no second Anvil on the same state) and every credential verifies.
            node = await RunningNode.StartAsync(data, _clock);
            Assert.Equal("embedded-shared", node.Ledger.Mode);
            Assert.Equal(daemonUrl, node.Ledger.Connection.RpcUrl);
            Assert.True(await HeightAsync(daemonUrl) >= afterCli);
            await node.AssertVerifiedAsync(before);
            await node.AssertVerifiedAsync(after);
            await ChainTimeReachedAsync(daemonUrl);
            var fromB = await node.IssueAsync("b");
            await node.AssertVerifiedAsync(fromB);

            // A one-shot command beside the running node uses the same ledger.
            var height = await HeightAsync(daemonUrl);
            await CliAsync("issuer", "create", "c", "--method", "ethr", "--data", data);
            Assert.Equal(daemonPid, (int)Record(data)["Pid"]!);
            Assert.True(await HeightAsync(daemonUrl) > height);

            await node.DisposeAsync();
            node = null;
            Assert.True(await NodeLedger.StopDaemonAsync(settings));
            Assert.False(AnvilProcess.IsAlive(daemonPid));

            // Started again from what was saved: nothing lost, nothing rolled back.
            node = await RunningNode.StartAsync(data, _clock);
            Assert.Equal("embedded", node.Ledger.Mode);
            Assert.True(await HeightAsync(node.Ledger.Connection.RpcUrl) > height);
            await node.AssertVerifiedAsync(before);
            await node.AssertVerifiedAsync(after);
            await node.AssertVerifiedAsync(fromB);
        }
        finally
        {
            if (node is not null) await node.DisposeAsync();
            await NodeLedger.StopDaemonAsync(settings);
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Two_openers_of_one_data_directory_share_one_ledger_and_a_second_anvil_cannot_take_its_lock()
    {
        var data = Directory.CreateTempSubdirectory("vchealth-own-").FullName;
        var settings = new LedgerSettings { DataDirectory = data };
        try
        {
            var opened = await Task.WhenAll(NodeLedger.OpenAsync(settings, detachIfStarted: false), NodeLedger.OpenAsync(settings, detachIfStarted: false));
            try
            {
                Assert.Equal(["embedded", "embedded-shared"], opened.Select(l => l.Mode).Order(StringComparer.Ordinal));
                Assert.Equal(opened[0].Connection.RpcUrl, opened[1].Connection.RpcUrl);

                // Bypassing the decision: Anvil itself refuses to run on a held lock (typed), so the state is never shared.
                var refused = await Assert.ThrowsAsync<LedgerException>(() => AnvilProcess.StartAsync(new AnvilOptions
                {
                    StatePath = Path.Combine(data, "ledger", "anvil-state.json"),
                    LockPath = Path.Combine(data, "ledger", "anvil.lock"),
                }));
                Assert.Equal(LedgerError.Busy, refused.Error);
            }
            finally
            {
                foreach (var l in opened) await l.DisposeAsync();
            }
            Assert.False(File.Exists(Path.Combine(data, "ledger", "daemon.json")));
            var mode = File.GetUnixFileMode(Path.Combine(data, "ledger", "anvil-state.json"));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        }
        finally { Directory.Delete(data, recursive: true); }
    }
}
