using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace Vc.Node.Tests;

/// <summary>
/// A verifier's verdict under ledger faults, with a real Anvil: when the ledger cannot be asked and what is known of
/// it does not cover a proof's time, the answer is "not verified" with a typed problem — never "verified" from
/// unknown state — and the node says it is not ready.
/// </summary>
public sealed class LedgerFaultTests
{
    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    /// <summary>A did:ethr credential of a fresh node, and a way to verify it (status, answer).</summary>
    private static async Task<Func<Task<(HttpStatusCode, JsonObject)>>> IssueAsync(NodeFixture node, string id = "fault") =>
        VerifyOf(node, await IssueVcAsync(node, id));

    /// <summary>A new did:ethr issuer of the node and a credential it issued.</summary>
    internal static async Task<JsonNode> IssueVcAsync(NodeFixture node, string id)
    {
        using var admin = node.With(node.AdminKey);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/issuers", new { id, method = "ethr" })).StatusCode);
        var issued = await TryIssueAsync(node, id);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        return (await issued.Content.ReadFromJsonAsync<JsonObject>())!["verifiableCredential"]!;
    }

    internal static async Task<HttpResponseMessage> TryIssueAsync(NodeFixture node, string id)
    {
        using var issuer = node.With(node.IssueKey);
        return await issuer.PostAsync($"/issuers/{id}/credentials/issue", Json(new JsonObject
        {
            ["credential"] = new JsonObject
            {
                ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"),
                ["type"] = new JsonArray("VerifiableCredential", "ExampleAlumniCredential"),
                ["credentialSubject"] = new JsonObject { ["id"] = "did:example:holder", ["alumniOf"] = "Example University" },
            },
        }));
    }

    internal static Func<Task<(HttpStatusCode, JsonObject)>> VerifyOf(NodeFixture node, JsonNode vc, JsonObject? options = null) => async () =>
    {
        var body = new JsonObject { ["verifiableCredential"] = vc.DeepClone() };
        if (options is not null) body["options"] = options.DeepClone();
        var response = await node.Anonymous.PostAsync("/credentials/verify", Json(body));
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    };

    internal static async Task AssertLedgerUnavailableAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("ledger-unavailable", (string?)JsonNode.Parse(text)!["type"]);
    }

    private static async Task<int> AnvilPidAsync(NodeFixture node) =>
        (int)JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(node.DataDirectory, "ledger", "daemon.json")))!["Pid"]!;

    internal static void AssertIndeterminate(HttpStatusCode status, JsonObject answer)
    {
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False((bool)answer["verified"]!);
        var problem = answer["problemDetails"]!.AsArray().Single();
        Assert.EndsWith("#VERIFICATION_METHOD_RESOLUTION_ERROR", (string?)problem!["type"]);
        Assert.Contains("ledger", (string?)problem["detail"], StringComparison.OrdinalIgnoreCase);
        Assert.Null(answer["trust"]);
        Assert.Equal("cannot-tell", (string?)answer["summary"]?["status"]); // unknown, neither valid nor invalid
    }

    [Fact]
    public async Task With_the_ledger_killed_a_did_ethr_credential_is_not_verified_and_the_node_is_not_ready()
    {
        var node = new NodeFixture();
        await node.InitializeAsync();
        try
        {
            var verify = await IssueAsync(node);
            Assert.Equal(HttpStatusCode.OK, (await verify()).Item1);
            Assert.Equal(HttpStatusCode.OK, (await node.Anonymous.GetAsync("/ready")).StatusCode);

            // SIGKILL the node's Anvil (its pid is in the ledger's daemon record).
            using (var anvil = Process.GetProcessById(await AnvilPidAsync(node)))
            {
                anvil.Kill();
                await anvil.WaitForExitAsync();
            }

            var (status, answer) = await verify();
            AssertIndeterminate(status, answer);

            var ready = await node.Anonymous.GetAsync("/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.False((bool)(await ready.Content.ReadFromJsonAsync<JsonObject>())!["ready"]!);
        }
        finally
        {
            await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task With_the_ledger_killed_and_started_again_on_its_state_the_running_node_is_ready_and_verifies_again()
    {
        var node = new NodeFixture();
        await node.InitializeAsync();
        var settings = new Vc.Agent.LedgerSettings { DataDirectory = node.DataDirectory };
        try
        {
            var verify = await IssueAsync(node, "comeback");
            Assert.Equal(HttpStatusCode.OK, (await verify()).Item1);
            var nodeUrl = node.Services.GetRequiredService<Vc.Agent.NodeLedger>().Connection.RpcUrl;
            var pid = await AnvilPidAsync(node);
            using (var anvil = Process.GetProcessById(pid))
            {
                anvil.Kill();
                await anvil.WaitForExitAsync();
            }
            var (status, answer) = await verify();
            AssertIndeterminate(status, answer);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await node.Anonymous.GetAsync("/ready")).StatusCode);

            // The operator starts the data directory's ledger again (`vchealth ledger start`): from the saved state, at
            // the address the dead one had. The node was not restarted.
            await using (var restarted = await Vc.Agent.NodeLedger.OpenAsync(settings, detachIfStarted: true))
            {
                Assert.Equal("embedded-daemon", restarted.Mode);
                Assert.Equal(nodeUrl, restarted.Connection.RpcUrl);
                Assert.NotEqual(pid, await AnvilPidAsync(node));
            }
            var ready = await node.Anonymous.GetAsync("/ready");
            Assert.True(ready.StatusCode == HttpStatusCode.OK, await ready.Content.ReadAsStringAsync());
            var (again, verdict) = await verify();
            Assert.True(again == HttpStatusCode.OK && (bool)verdict["verified"]!, verdict.ToJsonString());
            // Nothing was lost: the issuer's key is confirmed on the chain again, so it signs.
            Assert.Equal(HttpStatusCode.Created, (await TryIssueAsync(node, "comeback")).StatusCode);
        }
        finally
        {
            await Vc.Agent.NodeLedger.StopDaemonAsync(settings); // before the fixture deletes the data directory
            await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task With_the_ledger_paused_the_verdict_is_indeterminate_within_the_rpc_timeout_and_recovers_when_it_resumes()
    {
        var node = new NodeFixture();
        await node.InitializeAsync();
        var pid = 0;
        try
        {
            var verify = await IssueAsync(node);
            Assert.Equal(HttpStatusCode.OK, (await verify()).Item1);
            pid = await AnvilPidAsync(node);
            await PauseAsync(pid); // the ledger accepts connections but never answers

            var (status, answer) = await verify();
            AssertIndeterminate(status, answer);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await node.Anonymous.GetAsync("/ready")).StatusCode);

            Signal("CONT", pid);
            pid = 0;
            Assert.Equal(HttpStatusCode.OK, (await verify()).Item1);
            Assert.Equal(HttpStatusCode.OK, (await node.Anonymous.GetAsync("/ready")).StatusCode);
        }
        finally
        {
            if (pid != 0) Signal("CONT", pid);
            await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task With_the_ledger_killed_issuance_is_refused_and_only_an_accepted_staleness_verifies_naming_its_block()
    {
        var node = new NodeFixture();
        await node.InitializeAsync();
        try
        {
            var vc = await IssueVcAsync(node, "fault");
            var verify = VerifyOf(node, vc);
            var (_, first) = await verify();
            Assert.True((bool)first["verified"]!);
            using (var anvil = Process.GetProcessById(await AnvilPidAsync(node)))
            {
                anvil.Kill();
                await anvil.WaitForExitAsync();
            }

            // A did:ethr issuer whose current key cannot be confirmed does not sign (typed 503), for no caller.
            await AssertLedgerUnavailableAsync(await TryIssueAsync(node, "fault"));

            // Without an accepted staleness the verdict is indeterminate; with one it verifies and says what it rests on.
            var (status, answer) = await verify();
            AssertIndeterminate(status, answer);
            Assert.Contains("no staleness accepted", (string?)answer["problemDetails"]![0]!["detail"]);
            var (stale, staleAnswer) = await VerifyOf(node, vc, new JsonObject { ["maxStalenessSeconds"] = 3600 })();
            Assert.True(stale == HttpStatusCode.OK, staleAnswer.ToJsonString());
            var basis = staleAnswer["checks"]!.AsArray().Single(c => ((string?)c!["check"])!.EndsWith(".ledgerState", StringComparison.Ordinal))!;
            Assert.Matches("resting on block [0-9]+ \\(20[0-9]{2}-", (string?)basis["detail"]);

            // A staleness out of bounds is the caller's mistake (400 problem), not a verdict.
            using var bad = await node.Anonymous.PostAsync("/credentials/verify", Json(new JsonObject
            {
                ["verifiableCredential"] = vc.DeepClone(), ["options"] = new JsonObject { ["maxStalenessSeconds"] = -5 },
            }));
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            await node.DisposeAsync();
        }
    }

    /// <summary>
    /// SIGSTOP, then waits until every thread of the process has stopped: the signal is delivered asynchronously, and a
    /// thread still running (busy machine) could answer one more request after kill returned.
    /// </summary>
    private static async Task PauseAsync(int pid)
    {
        Signal("STOP", pid);
        for (var attempt = 0; attempt < 2000; attempt++)
        {
            if (Directory.EnumerateDirectories($"/proc/{pid}/task").All(Stopped)) return;
            await Task.Delay(5);
        }
        Assert.Fail($"process {pid} did not stop after SIGSTOP");

        static bool Stopped(string task)
        {
            var stat = File.ReadAllText(Path.Combine(task, "stat"));
            return stat[stat.LastIndexOf(')') + 2] is 'T' or 't'; // "pid (comm) S …": the state follows the last ')'
        }
    }

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
