using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Vc.Node.Tests;

/// <summary>
/// A verifier's verdict under ledger faults, with a real Anvil: when the ledger cannot be asked and what is known of
/// it does not cover a proof's time, the answer is "not verified" with a typed problem — never "verified" from
/// unknown state — and the node says it is not ready.
/// </summary>
public sealed class LedgerFaultTests
{
    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    [Fact]
    public async Task With_the_ledger_killed_a_did_ethr_credential_is_not_verified_and_the_node_is_not_ready()
    {
        var node = new NodeFixture();
        await node.InitializeAsync();
        try
        {
            using var admin = node.With(node.AdminKey);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/issuers", new { id = "fault", method = "ethr" })).StatusCode);
            using var issuer = node.With(node.IssueKey);
            var issued = await issuer.PostAsync("/issuers/fault/credentials/issue", Json(new JsonObject
            {
                ["credential"] = new JsonObject
                {
                    ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"),
                    ["type"] = new JsonArray("VerifiableCredential", "ExampleAlumniCredential"),
                    ["credentialSubject"] = new JsonObject { ["id"] = "did:example:holder", ["alumniOf"] = "Example University" },
                },
            }));
            var vc = (await issued.Content.ReadFromJsonAsync<JsonObject>())!["verifiableCredential"]!;
            async Task<(HttpStatusCode, JsonObject)> Verify()
            {
                var response = await node.Anonymous.PostAsync("/credentials/verify", Json(new JsonObject { ["verifiableCredential"] = vc.DeepClone() }));
                return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
            }
            Assert.Equal(HttpStatusCode.OK, (await Verify()).Item1);
            Assert.Equal(HttpStatusCode.OK, (await node.Anonymous.GetAsync("/ready")).StatusCode);

            // SIGKILL the node's Anvil (its pid is in the ledger's daemon record).
            var daemon = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(node.DataDirectory, "ledger", "daemon.json")))!;
            using (var anvil = Process.GetProcessById((int)daemon["Pid"]!))
            {
                anvil.Kill();
                await anvil.WaitForExitAsync();
            }

            var (status, answer) = await Verify();
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.False((bool)answer["verified"]!);
            var problem = answer["problemDetails"]!.AsArray().Single();
            Assert.EndsWith("#VERIFICATION_METHOD_RESOLUTION_ERROR", (string?)problem!["type"]);
            Assert.Contains("ledger", (string?)problem["detail"], StringComparison.OrdinalIgnoreCase);
            Assert.Null(answer["trust"]);

            var ready = await node.Anonymous.GetAsync("/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.False((bool)(await ready.Content.ReadFromJsonAsync<JsonObject>())!["ready"]!);
        }
        finally
        {
            await node.DisposeAsync();
        }
    }
}
