using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Vc.Agent;
using Vc.Agent.Keys;
using Vc.Agent.Storage;
using Vc.Credentials.Issuance;
using Vc.Credentials.Keys;
using Vc.Did.Keys;
using Vc.Node.Cli;

namespace Vc.Node.Tests;

/// <summary>
/// Issuer keys in an HSM (SoftHSM2 through PKCS#11): `issuer create --key-store pkcs11:…` generates the key in the
/// token, its public key is published on did:ethr, every proof and the key rotation go through the token, and the
/// node and the CLI verify the credentials. The node runs in-process; CLI calls share its data directory.
/// </summary>
[Collection(SoftHsmCollection.Name)]
public sealed class HsmIssuerTests(SoftHsmFixture hsm, NodeFixture node) : IClassFixture<NodeFixture>
{
    private static JsonObject Credential() => new()
    {
        ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"),
        ["type"] = new JsonArray("VerifiableCredential", "ExampleAlumniCredential"),
        ["validFrom"] = "2025-01-01T00:00:00Z",
        ["credentialSubject"] = new JsonObject { ["id"] = "did:example:holder", ["alumniOf"] = "Example University", ["name"] = "Erika" },
    };

    private async Task<(int Code, string Out, string Err)> Cli(params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var code = await CliApp.RunAsync([.. args, "--data", node.DataDirectory], o, e);
        return (code, o.ToString(), e.ToString());
    }

    private async Task<JsonObject> CreateHsmIssuer(string id, string suite, string uri)
    {
        var created = await Cli("issuer", "create", id, "--method", "ethr", "--cryptosuite", suite, "--key-store", uri);
        Assert.True(created.Code == ExitCodes.Ok, created.Out + created.Err);
        return JsonNode.Parse(created.Out)!.AsObject();
    }

    private async Task<JsonObject> Issue(string issuer)
    {
        using var client = node.With(node.IssueKey);
        var response = await client.PostAsync($"/issuers/{issuer}/credentials/issue",
            new StringContent(new JsonObject { ["credential"] = Credential() }.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (JsonObject)(await response.Content.ReadFromJsonAsync<JsonObject>())!["verifiableCredential"]!;
    }

    /// <summary>Verified by the node (POST /credentials/verify) and by the CLI (vc verify), or refused by both.</summary>
    private async Task AssertVerifies(JsonObject vc, bool expected = true)
    {
        var response = await node.Anonymous.PostAsync("/credentials/verify",
            new StringContent(new JsonObject { ["verifiableCredential"] = vc.DeepClone() }.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True((response.StatusCode == HttpStatusCode.OK) == expected, $"node: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var file = Path.Combine(hsm.Directory, $"vc-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, vc.ToJsonString());
        var cli = await Cli("vc", "verify", file);
        Assert.True((cli.Code == ExitCodes.Ok) == expected, $"cli: {cli.Code} {cli.Out}{cli.Err}");
        if (!expected) Assert.Equal(ExitCodes.Negative, cli.Code);
    }

    /// <summary>The DID document's method <paramref name="vmId"/> carries <paramref name="key"/> (multibase, or a JWK whose x is its last 32 bytes).</summary>
    private async Task AssertPublished(string did, string vmId, VerificationKey key)
    {
        var document = JsonNode.Parse(await node.Anonymous.GetStringAsync("/1.0/identifiers/" + did))!["didDocument"]!;
        var method = document["verificationMethod"]!.AsArray().Single(m => (string?)m!["id"] == vmId)!.ToJsonString();
        var x = Convert.ToBase64String(key.RawBytes[^32..]).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.True(method.Contains(key.PublicKeyMultibase, StringComparison.Ordinal) || method.Contains($"\"x\":\"{x}\"", StringComparison.Ordinal), method);
        Assert.Contains(document["assertionMethod"]!.AsArray(), m => (string?)m == vmId);
    }

    private static ISigningKey OpenFromToken(Pkcs11Module module, string uri, KeyType type) => type == KeyType.P256
        ? Pkcs11EcdsaKey.Open(Pkcs11Uri.Parse(uri), module)
        : Pkcs11Ed25519Key.Open(Pkcs11Uri.Parse(uri), module);

    private static bool SensitiveAndNonExtractable(ISigningKey key) => key switch
    {
        Pkcs11EcdsaKey p => p.IsSensitiveAndNonExtractable(),
        Pkcs11Ed25519Key e => e.IsSensitiveAndNonExtractable(),
        _ => false,
    };

    [Theory]
    [InlineData("ecdsa-rdfc-2019", KeyType.P256)]
    [InlineData("ecdsa-jcs-2019", KeyType.P256)]
    [InlineData("ecdsa-sd-2023", KeyType.P256)]
    [InlineData("eddsa-rdfc-2022", KeyType.Ed25519)]
    [InlineData("eddsa-jcs-2022", KeyType.Ed25519)]
    public async Task An_issuer_key_generated_in_the_token_is_published_on_did_ethr_and_signs_credentials_that_the_node_and_CLI_verify(string suite, KeyType type)
    {
        var id = "hsm-" + suite;
        var uri = hsm.Uri("key-" + suite);
        var profile = await CreateHsmIssuer(id, suite, uri);
        Assert.Equal($"pkcs11:token={SoftHsmFixture.Token};object=key-{suite}", (string)profile["keyStore"]!);
        Assert.DoesNotContain("pin", profile.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        // The store keeps the URI only: no sealed secret to decrypt for this issuer.
        var store = node.Services.GetRequiredService<IssuerStore>();
        var stored = await store.FindForSigningAsync(id);
        Assert.Equal(uri, stored!.Issuer.KeyUri);
        Assert.Empty(stored.EncryptedKey);

        using (var module = Pkcs11Module.Acquire(Pkcs11Uri.DefaultModule))
        {
            var key = OpenFromToken(module, uri, type);
            try
            {
                Assert.True(SensitiveAndNonExtractable(key));
                await AssertPublished((string)profile["did"]!, (string)profile["verificationMethod"]!, key.PublicKey);
            }
            finally { ((IDisposable)key).Dispose(); }
        }

        var vc = await Issue(id);
        Assert.Equal(suite, (string)vc["proof"]!["cryptosuite"]!);
        if (suite == "ecdsa-sd-2023")
        {
            // A base proof is for the holder: the verifier gets a derived credential.
            var file = Path.Combine(hsm.Directory, $"base-{suite}.json");
            await File.WriteAllTextAsync(file, vc.ToJsonString());
            var derived = await Cli("vc", "derive", file, "--reveal", "/credentialSubject/alumniOf");
            Assert.True(derived.Code == ExitCodes.Ok, derived.Out + derived.Err);
            vc = JsonNode.Parse(derived.Out)!.AsObject();
            Assert.Null(vc["credentialSubject"]!["name"]);
        }
        await AssertVerifies(vc);
        var tampered = (JsonObject)vc.DeepClone();
        tampered["credentialSubject"]!["alumniOf"] = "Another University";
        await AssertVerifies(tampered, expected: false);
    }

    [Theory]
    [InlineData("ecdsa-rdfc-2019", KeyType.P256)]
    [InlineData("eddsa-rdfc-2022", KeyType.Ed25519)]
    public async Task Rotation_generates_the_new_key_in_the_token_old_and_new_credentials_verify_and_the_retired_key_no_longer_signs(string suite, KeyType type)
    {
        var id = "rot-" + suite;
        var uri = hsm.Uri("rot-" + suite);
        var profile = await CreateHsmIssuer(id, suite, uri);
        var before = await Issue(id);
        var rpc = node.Services.GetRequiredService<NodeLedger>().Connection.RpcUrl;
        await DevChainClock.NextBlockAfterAsync(rpc, DateTimeOffset.Parse((string)before["proof"]!["created"]!, System.Globalization.CultureInfo.InvariantCulture));

        using var admin = node.With(node.AdminKey);
        var rotated = await admin.PostAsync($"/issuers/{id}/keys/rotate", null);
        Assert.True(rotated.StatusCode == HttpStatusCode.OK, await rotated.Content.ReadAsStringAsync());
        var newMethod = (string)(await rotated.Content.ReadFromJsonAsync<JsonObject>())!["verificationMethod"]!;
        Assert.NotEqual((string)profile["verificationMethod"]!, newMethod);

        // The successor is a second key of the same token (label ….2), generated there; the store names it by URI.
        var store = node.Services.GetRequiredService<IssuerStore>();
        var newUri = (await store.FindAsync(id))!.KeyUri!;
        Assert.Equal($"pkcs11:token={SoftHsmFixture.Token};object=rot-{suite}.2", Pkcs11Uri.Parse(newUri).ToString());
        using (var module = Pkcs11Module.Acquire(Pkcs11Uri.DefaultModule))
        {
            var newKey = OpenFromToken(module, newUri, type);
            try
            {
                Assert.True(SensitiveAndNonExtractable(newKey));
                await AssertPublished((string)profile["did"]!, newMethod, newKey.PublicKey);
            }
            finally { ((IDisposable)newKey).Dispose(); }
        }

        await AssertVerifies(before);
        var after = await Issue(id);
        Assert.Equal(newMethod, (string)after["proof"]!["verificationMethod"]!);
        await AssertVerifies(after);

        // The retired key is still in the token, but a proof it makes now is refused: the ledger ended it.
        using (var module = Pkcs11Module.Acquire(Pkcs11Uri.DefaultModule))
        {
            var oldKey = OpenFromToken(module, uri, type);
            try
            {
                var forger = new CredentialIssuer(node.Services.GetRequiredService<VcAgent>().Credentials.Proofs,
                    new IssuerProfile((string)profile["did"]!, (string)profile["verificationMethod"]!, oldKey, suite));
                await AssertVerifies(await forger.IssueAsync(Credential()), expected: false);
            }
            finally { ((IDisposable)oldKey).Dispose(); }
        }
    }

    [Fact]
    public async Task The_issuers_token_key_also_signs_its_HCERTs_through_the_token()
    {
        var uri = hsm.Uri("key-hcert");
        await CreateHsmIssuer("hsm-hcert", "ecdsa-rdfc-2019", uri);
        var dir = Path.Combine(hsm.Directory, "hcert");
        var pki = await Cli("pki", "dev-country", "KE", "--out", dir, "--dsc-key", uri);
        Assert.True(pki.Code == ExitCodes.Ok, pki.Out + pki.Err);
        var dsc = (string)JsonNode.Parse(pki.Out)!["files"]!["dsc"]!;
        var payload = Path.Combine(hsm.Directory, "hcert.json");
        await File.WriteAllTextAsync(payload, """{"ver":"1.3.0","nam":{"fn":"Musterfrau","gn":"Erika","fnt":"MUSTERFRAU","gnt":"ERIKA"},"dob":"1964-08-12","v":[{"tg":"840539006","vp":"1119349007","mp":"EU/1/20/1528","ma":"ORG-100030215","dn":2,"sd":2,"dt":"2021-05-29","co":"KE","is":"MoH","ci":"URN:UVCI:01KE/IZ12345A/5CWLU12RNOB9RXSEOP6FG8#W"}]}""");
        var signed = await Cli("dcc", "sign", payload, "--cert", dsc, "--key", uri, "--iss", "KE");
        Assert.True(signed.Code == ExitCodes.Ok, signed.Out + signed.Err);
        var verified = await Cli("dcc", "verify", signed.Out.Trim(), "--trust", dsc);
        Assert.True(verified.Code == ExitCodes.Ok, verified.Out + verified.Err);
        Assert.True((bool)JsonNode.Parse(verified.Out)!["valid"]!, verified.Out);
        // The same token key signs the issuer's credentials.
        await AssertVerifies(await Issue("hsm-hcert"));
    }

    [Fact]
    public async Task A_wrong_PIN_is_a_typed_key_store_error_on_create_and_on_issue_that_never_shows_the_PIN()
    {
        var wrongPin = Path.Combine(hsm.Directory, "wrong-issuer.pin");
        await File.WriteAllTextAsync(wrongPin, "9999-wrong");
        var refused = await Cli("issuer", "create", "hsm-wrong", "--cryptosuite", "ecdsa-rdfc-2019",
            "--key-store", $"pkcs11:token={SoftHsmFixture.PinToken};object=wrong?pin-source=file:{wrongPin}");
        Assert.Equal(ExitCodes.Failed, refused.Code);
        var error = JsonNode.Parse(refused.Err)!["error"]!;
        Assert.Equal("issuer.key-store", (string)error["type"]!);
        Assert.Contains("login", (string)error["message"]!);
        Assert.DoesNotContain("9999-wrong", refused.Err);
        Assert.Null(await node.Services.GetRequiredService<IssuerStore>().FindAsync("hsm-wrong"));

        // An issuer whose PIN changes under it (before the node first opens its key): issuance answers 503 key-store,
        // without the PIN.
        var pin = Path.Combine(hsm.Directory, "changing.pin");
        await File.WriteAllTextAsync(pin, await File.ReadAllTextAsync(hsm.PinFile));
        await CreateHsmIssuer("hsm-pin", "eddsa-rdfc-2022", $"pkcs11:token={SoftHsmFixture.PinToken};object=pin-changes?pin-source=file:{pin}");
        await File.WriteAllTextAsync(pin, "8888-wrong");
        using var client = node.With(node.IssueKey);
        var response = await client.PostAsync("/issuers/hsm-pin/credentials/issue",
            new StringContent(new JsonObject { ["credential"] = Credential() }.ToJsonString(), Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("key-store", body);
        Assert.Contains("login", body);
        Assert.DoesNotContain("8888-wrong", body);
        Assert.DoesNotContain("4711-user", body);

        // The CLI says the same.
        var file = Path.Combine(hsm.Directory, "pin-vc.json");
        await File.WriteAllTextAsync(file, Credential().ToJsonString());
        var cli = await Cli("vc", "issue", file, "--issuer", "hsm-pin");
        Assert.Equal(ExitCodes.Failed, cli.Code);
        Assert.Equal("issuer.key-store", (string)JsonNode.Parse(cli.Err)!["error"]!["type"]!);
        Assert.DoesNotContain("8888-wrong", cli.Err);
    }

    [Fact]
    public async Task The_nodes_issuer_create_API_takes_the_key_store_too_and_refuses_what_is_not_a_pkcs11_URI()
    {
        using var admin = node.With(node.AdminKey);
        var uri = hsm.Uri("api-key");
        var created = await admin.PostAsJsonAsync("/issuers", new { id = "hsm-api", method = "key", cryptosuite = "ecdsa-jcs-2019", keyStore = uri });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        Assert.DoesNotContain("pin", await created.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(uri, (await node.Services.GetRequiredService<IssuerStore>().FindAsync("hsm-api"))!.KeyUri);
        await AssertVerifies(await Issue("hsm-api"));

        var bad = await admin.PostAsJsonAsync("/issuers", new { id = "hsm-bad", keyStore = "/tmp/key.pem" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var inline = await admin.PostAsJsonAsync("/issuers", new { id = "hsm-inline", keyStore = $"pkcs11:token={SoftHsmFixture.Token};object=x?pin-value=4711-user" });
        Assert.Equal(HttpStatusCode.BadRequest, inline.StatusCode);
        Assert.DoesNotContain("4711-user", await inline.Content.ReadAsStringAsync());
    }
}
