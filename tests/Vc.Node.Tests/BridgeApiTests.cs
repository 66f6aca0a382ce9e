using System.Security.Cryptography.X509Certificates;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Vc.Credentials.Icvp;
using Vc.Interop.Pki;

namespace Vc.Node.Tests;

public sealed class BridgeApiTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private async Task<JsonObject> IssuerWithDsc(string id)
    {
        using var admin = node.With(node.AdminKey);
        var created = await admin.PostAsJsonAsync("/issuers", new { id, method = "ethr" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var pki = CountryPki.Create("KE");
        using var dsc = pki.IssueDsc("DSC " + id);
        var attach = await admin.PostAsync($"/issuers/{id}/dsc", Json(new JsonObject
        {
            ["certificate"] = dsc.ExportCertificatePem(),
            ["privateKey"] = dsc.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(),
        }));
        Assert.Equal(HttpStatusCode.OK, attach.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task<JsonObject> IssueIcvp(string issuer, string did)
    {
        var unsigned = new IcvpCredentialBuilder().Build(
            new IcvpHolder("Jane Doe", "1990-04-12") { Sex = "female", Nationality = "KEN" },
            new IcvpDose("YellowFeverProductd8a09f80301dc05e124f99ffe7711fc0", "1D47", new DateOnly(2025, 10, 1), "S4D123") { ClinicianName = "Dr. A. Mwangi" },
            did);
        using var client = node.With(node.IssueKey);
        var response = await client.PostAsync($"/issuers/{issuer}/credentials/issue", Json(new JsonObject { ["credential"] = unsigned }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (JsonObject)(await response.Content.ReadFromJsonAsync<JsonObject>())!["verifiableCredential"]!;
    }

    [Fact]
    public async Task Icvp_vc_to_hc1_qr_that_the_hcert_endpoint_verifies_and_back_to_a_vc_with_evidence()
    {
        var profile = await IssuerWithDsc("moh-ke-bridge");
        var vc = await IssueIcvp("moh-ke-bridge", (string)profile["did"]!);
        var document = JsonNode.Parse(await node.Anonymous.GetStringAsync("/1.0/identifiers/" + (string)profile["did"]!))!["didDocument"]!;
        Assert.Contains(document["service"]!.AsArray(), s => (string?)s!["type"] == "DscBinding"); // the DSC is bound in the DID document
        using var issuer = node.With(node.IssueKey);

        var toHcert = await issuer.PostAsync("/bridge/vc-to-hcert", Json(new JsonObject { ["verifiableCredential"] = vc.DeepClone() }));
        Assert.Equal(HttpStatusCode.OK, toHcert.StatusCode);
        var bridged = (await toHcert.Content.ReadFromJsonAsync<JsonObject>())!;
        var hc1 = (string)bridged["hc1"]!;
        Assert.StartsWith("HC1:", hc1);

        var byQr = await node.Anonymous.PostAsync("/hcert/verify", Json(new JsonObject { ["qrPng"] = (string)bridged["qrPng"]! }));
        Assert.Equal(HttpStatusCode.OK, byQr.StatusCode);
        Assert.Equal("Icvp", (string?)(await byQr.Content.ReadFromJsonAsync<JsonObject>())!["payloadType"]);

        var toVc = await issuer.PostAsync("/bridge/hcert-to-vc", Json(new JsonObject { ["hc1"] = hc1 }));
        Assert.Equal(HttpStatusCode.Created, toVc.StatusCode);
        var back = (JsonObject)(await toVc.Content.ReadFromJsonAsync<JsonObject>())!["verifiableCredential"]!;
        Assert.Equal(vc["credentialSubject"]!.ToJsonString(), back["credentialSubject"]!.ToJsonString());
        Assert.Equal(hc1, (string?)back["evidence"]![0]!["hc1"]);

        var verify = await node.Anonymous.PostAsync("/credentials/verify", Json(new JsonObject { ["verifiableCredential"] = back.DeepClone() }));
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
    }

    [Fact]
    public async Task Bridge_refusals_are_clear()
    {
        using var issuer = node.With(node.IssueKey);
        var tampered = await issuer.PostAsync("/hcert/verify", Json(new JsonObject { ["hc1"] = "HC1:NOTBASE45!!" }));
        Assert.Equal(HttpStatusCode.BadRequest, tampered.StatusCode);
        Assert.Equal("Base45", (string?)(await tampered.Content.ReadFromJsonAsync<JsonObject>())!["outcome"]);

        var noInput = await issuer.PostAsync("/hcert/verify", Json(new JsonObject()));
        Assert.Equal(HttpStatusCode.BadRequest, noInput.StatusCode);

        var unsignedIcvp = new JsonObject { ["verifiableCredential"] = new JsonObject { ["type"] = "VerifiableCredential" } };
        Assert.Equal(HttpStatusCode.BadRequest, (await issuer.PostAsync("/bridge/vc-to-hcert", Json(unsignedIcvp))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await node.Anonymous.PostAsync("/bridge/hcert-to-vc", Json(new JsonObject { ["hc1"] = "HC1:x" }))).StatusCode);
    }
}
