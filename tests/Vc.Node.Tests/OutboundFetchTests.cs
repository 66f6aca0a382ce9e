using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Vc.Node.Tests;

/// <summary>
/// The status lists a credential names are fetched only once its proof verified (and, in a presentation, once the
/// presentation's proof verified): an unverified document cannot make the node connect anywhere.
/// </summary>
public sealed class OutboundFetchTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    [Fact]
    public async Task Status_urls_of_unverified_credentials_and_presentations_are_never_fetched()
    {
        // A listener standing for "any host, any port" the input might name; a connection attempt shows up as pending.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/status/1";
        using var admin = node.With(node.AdminKey);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/issuers", new { id = "ssrf", method = "key" })).StatusCode);
        using var issuer = node.With(node.IssueKey);
        var issued = await issuer.PostAsync("/issuers/ssrf/credentials/issue", Json(new JsonObject
        {
            ["credential"] = new JsonObject
            {
                ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"),
                ["type"] = new JsonArray("VerifiableCredential", "ExampleAlumniCredential"),
                ["credentialSubject"] = new JsonObject { ["id"] = "did:example:holder", ["alumniOf"] = "Example University" },
                ["credentialStatus"] = new JsonObject
                {
                    ["type"] = "BitstringStatusListEntry", ["statusPurpose"] = "revocation", ["statusListIndex"] = "7", ["statusListCredential"] = url,
                },
            },
        }));
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var vc = (await issued.Content.ReadFromJsonAsync<JsonObject>())!["verifiableCredential"]!;

        // A tampered credential: its proof fails, so its status URL is left alone.
        var tampered = vc.DeepClone();
        tampered["credentialSubject"]!["alumniOf"] = "Other University";
        var refused = await node.Anonymous.PostAsync("/credentials/verify", Json(new JsonObject { ["verifiableCredential"] = tampered }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.False(listener.Pending(), "the node connected to a URL named by a credential whose proof failed");

        // A valid credential in an unsigned presentation: the presentation fails first, nothing is fetched.
        var unsigned = await node.Anonymous.PostAsync("/presentations/verify", Json(new JsonObject
        {
            ["verifiablePresentation"] = new JsonObject
            {
                ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2"),
                ["type"] = new JsonArray("VerifiablePresentation"),
                ["verifiableCredential"] = new JsonArray(vc.DeepClone()),
            },
            ["options"] = new JsonObject { ["challenge"] = "c-1" },
        }));
        Assert.Equal(HttpStatusCode.BadRequest, unsigned.StatusCode);
        Assert.False(listener.Pending(), "the node connected to a URL named inside an unverified presentation");

        // The control: the same credential, verified, does ask that URL (so the listener would have seen the others).
        var verify = node.Anonymous.PostAsync("/credentials/verify", Json(new JsonObject { ["verifiableCredential"] = vc.DeepClone() }));
        var accepted = 0;
        while (!verify.IsCompleted)
        {
            // Every connection (the client retries a closed one once) is closed at once: the fetch fails, typed.
            var next = listener.AcceptTcpClientAsync();
            if (await Task.WhenAny(next, verify) == next) { using var connection = await next; accepted++; }
        }
        Assert.True(accepted > 0);
        var answer = await verify;
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("STATUS_RETRIEVAL_ERROR", await answer.Content.ReadAsStringAsync());
    }
}
