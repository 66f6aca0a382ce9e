using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Vc.Credentials.Icvp;
using Vc.Interop.Hcert;
using Vc.Interop.Pki;
using Vc.Interop.Revocation;
using Vc.Node.Cli;

namespace Vc.Node.Tests;

/// <summary>EU DCC revocation in the node: imported lists (HTTP and CLI) and bridge consistency — an HCERT bridged
/// from a credential is revoked while that credential is revoked or suspended, and published as such.</summary>
public sealed class HcertRevocationTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private async Task<string> IssuerWithDsc(string id)
    {
        using var admin = node.With(node.AdminKey);
        var created = await admin.PostAsJsonAsync("/issuers", new { id, method = "key" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var pki = CountryPki.Create("KE");
        using var dsc = pki.IssueDsc("DSC " + id);
        var attach = await admin.PostAsync($"/issuers/{id}/dsc", Json(new JsonObject
        {
            ["certificate"] = dsc.ExportCertificatePem(), ["privateKey"] = dsc.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(),
        }));
        Assert.Equal(HttpStatusCode.OK, attach.StatusCode);
        return (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["did"]!;
    }

    private async Task<JsonObject> Issue(string issuer, string did, string? status)
    {
        var unsigned = new IcvpCredentialBuilder().Build(
            new IcvpHolder("Jane Doe", "1990-04-12") { Sex = "female", Nationality = "KEN" },
            new IcvpDose("YellowFeverProductd8a09f80301dc05e124f99ffe7711fc0", "1D47", new DateOnly(2025, 10, 1), "S4D123") { ClinicianName = "Dr. A. Mwangi" },
            did);
        using var client = node.With(node.IssueKey);
        var body = new JsonObject { ["credential"] = unsigned };
        if (status is not null) body["options"] = new JsonObject { ["credentialStatus"] = status };
        var response = await client.PostAsync($"/issuers/{issuer}/credentials/issue", Json(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (JsonObject)(await response.Content.ReadFromJsonAsync<JsonObject>())!["verifiableCredential"]!;
    }

    private async Task<string> Bridge(JsonObject vc)
    {
        using var client = node.With(node.IssueKey);
        var response = await client.PostAsync("/bridge/vc-to-hcert", Json(new JsonObject
        {
            ["verifiableCredential"] = vc.DeepClone(), ["options"] = new JsonObject { ["acceptOmitted"] = new JsonArray("credentialStatus") },
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["hc1"]!;
    }

    private async Task<JsonObject> Verify(string hc1) =>
        (await (await node.Anonymous.PostAsync("/hcert/verify", Json(new JsonObject { ["hc1"] = hc1 }))).Content.ReadFromJsonAsync<JsonObject>())!;

    private async Task SetStatus(JsonObject vc, string purpose, bool value)
    {
        using var client = node.With(node.RevokeKey);
        var response = await client.PostAsync("/credentials/status", Json(new JsonObject
        {
            ["verifiableCredential"] = vc.DeepClone(), ["statusPurpose"] = purpose, ["status"] = value,
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static string SignatureBatch(string hc1, string type = "SIGNATURE")
    {
        var decoded = HcertCodec.Decode(hc1);
        var hashes = DccRevocationHashes.Compute(decoded.Cose, decoded.Claims, decoded.EuDcc);
        return new JsonObject
        {
            ["country"] = "KE", ["kid"] = Convert.ToBase64String(hashes.Kid), ["hashType"] = type,
            ["entries"] = new JsonArray(new JsonObject { ["hash"] = Convert.ToBase64String(hashes.Of(DccRevocationHashes.Parse(type)!.Value)!) }),
        }.ToJsonString();
    }

    [Fact]
    public async Task A_revoked_or_suspended_credential_revokes_the_HCERTs_bridged_from_it_and_the_node_publishes_them()
    {
        var did = await IssuerWithDsc("rev-ke");
        var revocable = await Issue("rev-ke", did, "revocation");
        var suspendable = await Issue("rev-ke", did, "suspension");
        var untouched = await Issue("rev-ke", did, "revocation");
        var (hcRevoked, hcSuspended, hcUntouched) = (await Bridge(revocable), await Bridge(suspendable), await Bridge(untouched));
        foreach (var hc1 in new[] { hcRevoked, hcSuspended, hcUntouched })
            Assert.True((bool)(await Verify(hc1))["valid"]!);

        await SetStatus(revocable, "revocation", true);
        await SetStatus(suspendable, "suspension", true);
        var revoked = await Verify(hcRevoked);
        Assert.Equal("Revoked", (string?)revoked["outcome"]);
        Assert.Contains("SIGNATURE", (string?)revoked["reason"]);
        Assert.Equal("Revoked", (string?)(await Verify(hcSuspended))["outcome"]);
        Assert.True((bool)(await Verify(hcUntouched))["valid"]!);

        // Published in the gateway's batch format: the two hashes under the DSC's kid, nothing of the third.
        var published = JsonNode.Parse(await node.Anonymous.GetStringAsync("/hcert/revocation"))!;
        var list = DccRevocationList.Parse(Encoding.UTF8.GetBytes(published.ToJsonString()));
        var at = DateTimeOffset.UtcNow; // the node's own batches carry no expires: applied at any time
        Assert.NotNull(list.Revoked(Hashes(hcRevoked), at));
        Assert.NotNull(list.Revoked(Hashes(hcSuspended), at));
        Assert.Null(list.Revoked(Hashes(hcUntouched), at));

        // A suspension lifted lifts the HCERT's revocation too.
        await SetStatus(suspendable, "suspension", false);
        Assert.True((bool)(await Verify(hcSuspended))["valid"]!);
    }

    private static DccRevocationHashes Hashes(string hc1)
    {
        var decoded = HcertCodec.Decode(hc1);
        return DccRevocationHashes.Compute(decoded.Cose, decoded.Claims, decoded.EuDcc);
    }

    [Fact]
    public async Task An_imported_gateway_batch_revokes_over_HTTP_and_imports_need_the_revoke_scope()
    {
        var did = await IssuerWithDsc("rev-import-http");
        var hc1 = await Bridge(await Issue("rev-import-http", did, null));
        Assert.True((bool)(await Verify(hc1))["valid"]!);
        var batch = JsonNode.Parse(SignatureBatch(hc1))!;

        Assert.Equal(HttpStatusCode.Unauthorized, (await node.Anonymous.PostAsync("/hcert/revocation", Json(batch))).StatusCode);
        using (var issue = node.With(node.IssueKey))
            Assert.Equal(HttpStatusCode.Forbidden, (await issue.PostAsync("/hcert/revocation", Json(batch))).StatusCode);
        using var revoke = node.With(node.RevokeKey);
        var bad = await revoke.PostAsync("/hcert/revocation", Json(new JsonObject { ["kid"] = "AQID", ["hashType"] = "MD5", ["entries"] = new JsonArray() }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);

        var imported = await revoke.PostAsync("/hcert/revocation", Json(batch));
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        Assert.Equal(1, (int)(await imported.Content.ReadFromJsonAsync<JsonObject>())!["entries"]!);
        var verdict = await Verify(hc1);
        Assert.Equal("Revoked", (string?)verdict["outcome"]);
        Assert.Contains("(KE)", (string?)verdict["reason"]);
    }

    [Fact]
    public async Task The_CLI_imports_a_revocation_file_and_dcc_verify_then_says_revoked()
    {
        var did = await IssuerWithDsc("rev-import-cli");
        var hc1 = await Bridge(await Issue("rev-import-cli", did, null));
        var dir = Directory.CreateTempSubdirectory("vchealth-rev-").FullName;
        var file = Path.Combine(dir, "batch.json");
        await File.WriteAllTextAsync(file, "[" + SignatureBatch(hc1) + "]");

        async Task<(int Code, string Out, string Err)> Cli(params string[] args)
        {
            var (o, e) = (new StringWriter(), new StringWriter());
            var code = await CliApp.RunAsync([.. args, "--data", node.DataDirectory, "--public-url", node.BaseUrl], o, e);
            return (code, o.ToString(), e.ToString());
        }

        Assert.Equal(ExitCodes.Ok, (await Cli("dcc", "verify", hc1)).Code);
        var imported = await Cli("trust", "import-revocation", file, "--allow-unverified");
        Assert.True(imported.Code == ExitCodes.Ok, imported.Err);
        Assert.Equal(1, (int)JsonNode.Parse(imported.Out)!["entries"]!);
        var (code, output, _) = await Cli("dcc", "verify", hc1);
        Assert.Equal(ExitCodes.Negative, code);
        Assert.Equal("Revoked", (string?)JsonNode.Parse(output)!["outcome"]);

        await File.WriteAllTextAsync(file, """{"kid":"AQID","hashType":"UCI","entries":[{"hash":"AQID"}]}""");
        var refused = await Cli("trust", "import-revocation", file, "--allow-unverified");
        Assert.Equal(ExitCodes.Failed, refused.Code);
        Assert.Equal("revocation.Invalid", (string?)JsonNode.Parse(refused.Err)!["error"]!["type"]);
        Assert.Equal(ExitCodes.Failed, (await Cli("trust", "import-revocation", Path.Combine(dir, "missing.json"), "--allow-unverified")).Code);
    }
}
