using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Vc.Credentials.Issuance;
using Vc.Credentials.Keys;
using Vc.Agent;
using Vc.Agent.Storage;

namespace Vc.Node.Tests;

public sealed class DidApiTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private static JsonObject Credential() => new()
    {
        ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"),
        ["type"] = new JsonArray("VerifiableCredential", "ExampleAlumniCredential"),
        ["validFrom"] = "2025-01-01T00:00:00Z",
        ["credentialSubject"] = new JsonObject { ["id"] = "did:example:holder", ["alumniOf"] = "Example University" },
    };

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private async Task<JsonObject> CreateEthrIssuer(string id, string suite = "eddsa-rdfc-2022")
    {
        using var admin = node.With(node.AdminKey);
        var response = await admin.PostAsJsonAsync("/issuers", new { id, method = "ethr", cryptosuite = suite });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task<JsonObject> Issue(string issuer)
    {
        using var client = node.With(node.IssueKey);
        var response = await client.PostAsync($"/issuers/{issuer}/credentials/issue", Json(new JsonObject { ["credential"] = Credential() }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (JsonObject)(await response.Content.ReadFromJsonAsync<JsonObject>())!["verifiableCredential"]!;
    }

    private async Task<HttpStatusCode> Verify(JsonObject vc, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await node.Anonymous.PostAsync("/credentials/verify", Json(new JsonObject { ["verifiableCredential"] = vc.DeepClone() }));
        // The answer's checks explain a surprise; a matching status needs no explanation.
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{vc.ToJsonString()}");
        return response.StatusCode;
    }

    [Theory]
    [InlineData("eddsa-rdfc-2022")]
    [InlineData("ecdsa-rdfc-2019")]
    public async Task A_ledger_issuer_gets_a_did_ethr_whose_key_is_on_chain_and_its_credentials_verify(string suite)
    {
        var profile = await CreateEthrIssuer("ethr-" + suite, suite);
        var did = (string)profile["did"]!;
        Assert.StartsWith("did:ethr:0x7a69:0x", did);

        var resolution = await node.Anonymous.GetAsync("/1.0/identifiers/" + did);
        Assert.Equal(HttpStatusCode.OK, resolution.StatusCode);
        var document = JsonNode.Parse(await resolution.Content.ReadAsStringAsync())!["didDocument"]!;
        Assert.Contains(document["assertionMethod"]!.AsArray(), m => (string?)m == (string)profile["verificationMethod"]!);

        Assert.Equal(HttpStatusCode.OK, await Verify(await Issue("ethr-" + suite)));
    }

    [Fact]
    public async Task After_a_key_rotation_old_credentials_verify_and_new_signatures_with_the_old_key_fail()
    {
        await CreateEthrIssuer("rotating");
        var before = await Issue("rotating");
        var issuers = node.Services.GetRequiredService<IssuerStore>();
        var oldRecord = (await issuers.FindAsync("rotating"))!;
        var oldSeed = await issuers.SigningKeyAsync("rotating");
        // Key validity is judged per second of block time: the rotation lands in a second after the credential's proof.
        var rpc = node.Services.GetRequiredService<Vc.Agent.NodeLedger>().Connection.RpcUrl;
        await DevChainClock.NextBlockAfterAsync(rpc, DateTimeOffset.Parse((string)before["proof"]!["created"]!, System.Globalization.CultureInfo.InvariantCulture));

        using var admin = node.With(node.AdminKey);
        var rotated = await admin.PostAsync("/issuers/rotating/keys/rotate", null);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var newMethod = (string)(await rotated.Content.ReadFromJsonAsync<JsonObject>())!["verificationMethod"]!;
        Assert.NotEqual(oldRecord.VerificationMethod, newMethod);
        // (The rotation answers once its block time lies in the past, so the next proof is dated after it.)

        Assert.Equal(HttpStatusCode.OK, await Verify(before));
        Assert.Equal(HttpStatusCode.OK, await Verify(await Issue("rotating")));

        using var oldKey = Ed25519SigningKey.FromSeed(oldSeed);
        var forger = new CredentialIssuer(node.Services.GetRequiredService<VcAgent>().Credentials.Proofs,
            new IssuerProfile(oldRecord.Did, oldRecord.VerificationMethod, oldKey));
        var forged = await forger.IssueAsync(Credential());
        Assert.Equal(HttpStatusCode.BadRequest, await Verify(forged, HttpStatusCode.BadRequest));
    }

    [Theory]
    [InlineData(3600, HttpStatusCode.OK)]        // the old key stays valid through the overlap: a proof of that second verifies
    [InlineData(0, HttpStatusCode.BadRequest)]   // revoked in that second: the order within the second is unknown, refused
    public async Task A_proof_dated_in_the_second_of_its_keys_rotation_verifies_while_the_key_overlaps(int overlapSeconds, HttpStatusCode expected)
    {
        var id = "same-second-" + overlapSeconds;
        await CreateEthrIssuer(id);
        var issuers = node.Services.GetRequiredService<IssuerStore>();
        var oldRecord = (await issuers.FindAsync(id))!;
        var oldSeed = await issuers.SigningKeyAsync(id);
        using var admin = node.With(node.AdminKey);
        var rotated = await admin.PostAsync($"/issuers/{id}/keys/rotate", Json(new JsonObject { ["overlapSeconds"] = overlapSeconds }));
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        // The second of the rotation's last block (the old key's re-set with its overlap, or its revocation).
        var resolution = await node.Anonymous.GetFromJsonAsync<JsonObject>("/1.0/identifiers/" + oldRecord.Did);
        var rotationSecond = DateTimeOffset.Parse((string)resolution!["didDocumentMetadata"]!["updated"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.DoesNotContain(resolution["didDocument"]!["verificationMethod"]!.AsArray(), m => (string?)m!["id"] == oldRecord.VerificationMethod);

        // A proof by the old key under its old id, dated in that second (made just before the rotation's block).
        using var oldKey = Ed25519SigningKey.FromSeed(oldSeed);
        var issuer = new CredentialIssuer(node.Services.GetRequiredService<VcAgent>().Credentials.Proofs,
            new IssuerProfile(oldRecord.Did, oldRecord.VerificationMethod, oldKey));
        var proof = await issuer.IssueAsync(Credential(), rotationSecond);
        Assert.Equal(rotationSecond, DateTimeOffset.Parse((string)proof["proof"]!["created"]!, System.Globalization.CultureInfo.InvariantCulture));
        await Verify(proof, expected);
        var answer = await (await node.Anonymous.PostAsync("/credentials/verify", Json(new JsonObject { ["verifiableCredential"] = proof.DeepClone() }))).Content.ReadAsStringAsync();
        // The document at that second names the old key differently (re-set: a new #delegate-N) or not at all (revoked).
        Assert.Contains(expected == HttpStatusCode.OK ? "after a change in the proof's second" : "is not in its DID document", answer);
        // One second earlier the old key was the issuer's only key: verified either way.
        await Verify(await issuer.IssueAsync(Credential(), rotationSecond.AddSeconds(-1)));
    }

    [Fact]
    public async Task Resolution_answers_with_the_universal_resolver_status_codes()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await node.Anonymous.GetAsync("/1.0/identifiers/did:ethr:0x7a69:0x123")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await node.Anonymous.GetAsync("/1.0/identifiers/did:ethr:nonet:0x1111111111111111111111111111111111111111")).StatusCode);
        var fresh = await node.Anonymous.GetAsync("/1.0/identifiers/did:ethr:0x7a69:0x1111111111111111111111111111111111111111");
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode); // an unwritten did:ethr resolves to its default document
        var didKey = await node.Anonymous.GetAsync("/1.0/identifiers/did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2");
        Assert.Equal(HttpStatusCode.OK, didKey.StatusCode);
    }

    [Fact]
    public async Task did_key_issuers_cannot_rotate_and_say_why()
    {
        using var admin = node.With(node.AdminKey);
        await admin.PostAsJsonAsync("/issuers", new { id = "keyonly", method = "key" });
        var response = await admin.PostAsync("/issuers/keyonly/keys/rotate", null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("did:key", await response.Content.ReadAsStringAsync());
    }
}
