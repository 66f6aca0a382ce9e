using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Vc.Node.Tests;

/// <summary>
/// The OpenAPI document is a contract a client generator can use: it parses without errors, lists every endpoint the
/// node maps with request bodies, responses and the Bearer scheme on write endpoints — and real requests to every
/// endpoint get answers (status, content type, body) that the document describes.
/// </summary>
public sealed class OpenApiContractTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private JsonObject? _document;

    private async Task<JsonObject> DocumentAsync() =>
        _document ??= JsonNode.Parse(await node.Anonymous.GetStringAsync("/openapi/v1.json"))!.AsObject();

    [Fact]
    public async Task The_document_parses_and_lists_every_mapped_endpoint_with_bodies_responses_and_security()
    {
        var text = await node.Anonymous.GetStringAsync("/openapi/v1.json");
        var read = OpenApiDocument.Parse(text, OpenApiConstants.Json, new OpenApiReaderSettings());
        Assert.Empty(read.Diagnostic?.Errors ?? []);
        var document = read.Document!;
        Assert.False(string.IsNullOrEmpty(document.Info.Title));
        Assert.True(document.Components?.SecuritySchemes?.ContainsKey("bearer"));

        var endpoints = node.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>() is not null && !e.RoutePattern.RawText!.StartsWith("/openapi", StringComparison.Ordinal))
            .ToArray();
        Assert.True(endpoints.Length >= 16);
        foreach (var endpoint in endpoints)
        {
            var path = "/" + endpoint.RoutePattern.RawText!.TrimStart('/').Replace("{*", "{");
            Assert.True(document.Paths.TryGetValue(path, out var item), $"{path} is not in the document");
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods)
            {
                var operation = item!.Operations![HttpMethod.Parse(method)];
                var where = $"{method} {path}";
                Assert.Contains(operation.Responses!.Keys, k => k.StartsWith('2'));
                foreach (var (code, response) in operation.Responses)
                {
                    Assert.False(string.IsNullOrEmpty(response.Description), $"{where} {code}: no description");
                    Assert.True(response.Content is { Count: > 0 }, $"{where} {code}: no body described");
                    if (code is not ("200" or "201"))
                        Assert.True(response.Content.Keys.Any(k => k.Contains("problem", StringComparison.Ordinal)) || code is "400" or "404" or "410" or "501" or "503",
                            $"{where} {code}: an error without problem details");
                }
                if (method == "POST" && path != "/issuers/{id}/keys/rotate")
                    Assert.True(operation.RequestBody?.Content?.ContainsKey("application/json"), $"{where}: no JSON request body");
                var scoped = endpoint.Metadata.GetMetadata<Api.RequiredScope>() is not null;
                Assert.Equal(scoped, operation.Security is { Count: > 0 });
                if (scoped)
                {
                    Assert.Contains("401", operation.Responses.Keys);
                    Assert.Contains("403", operation.Responses.Keys);
                    Assert.NotEmpty(operation.Security![0].Values.Single());
                }
            }
        }
    }

    [Fact]
    public async Task Real_requests_and_answers_of_every_endpoint_match_the_document()
    {
        using var admin = node.With(node.AdminKey);
        using var issue = node.With(node.IssueKey);
        using var revoke = node.With(node.RevokeKey);
        var anonymous = node.Anonymous;

        await Check(await anonymous.GetAsync("/health"), "GET", "/health");
        await Check(await anonymous.GetAsync("/rules/countries"), "GET", "/rules/countries");
        await Check(await anonymous.GetAsync("/ready"), "GET", "/ready");

        var create = Body(new JsonObject { ["id"] = "oa-key", ["method"] = "key" });
        await Check(await admin.PostAsync("/issuers", create), "POST", "/issuers", create, expect: 201);
        await Check(await admin.PostAsync("/issuers", Body(new JsonObject { ["id"] = "oa-key" })), "POST", "/issuers", expect: 409);
        await Check(await anonymous.PostAsync("/issuers", Body(new JsonObject { ["id"] = "oa-x" })), "POST", "/issuers", expect: 401);
        await Check(await issue.PostAsync("/issuers", Body(new JsonObject { ["id"] = "oa-x" })), "POST", "/issuers", expect: 403);
        await Check(await admin.PostAsync("/issuers", new StringContent("{", Encoding.UTF8, "application/json")), "POST", "/issuers", expect: 400);
        await Check(await admin.PostAsync("/issuers", new StringContent("id=x", Encoding.UTF8, "text/plain")), "POST", "/issuers", expect: 415);
        var ethr = Body(new JsonObject { ["id"] = "oa-ethr", ["method"] = "ethr" });
        await Check(await admin.PostAsync("/issuers", ethr), "POST", "/issuers", ethr, expect: 201);
        await Check(await anonymous.GetAsync("/issuers/oa-key"), "GET", "/issuers/{id}");
        await Check(await anonymous.GetAsync("/issuers/nope"), "GET", "/issuers/{id}", expect: 404);

        var credential = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"),
            ["type"] = new JsonArray("VerifiableCredential", "ExampleAlumniCredential"),
            ["credentialSubject"] = new JsonObject { ["id"] = "did:example:holder", ["alumniOf"] = "Example University" },
        };
        var issueBody = Body(new JsonObject { ["credential"] = credential.DeepClone(), ["options"] = new JsonObject { ["credentialStatus"] = true } });
        var issued = await Check(await issue.PostAsync("/issuers/oa-ethr/credentials/issue", issueBody), "POST", "/issuers/{id}/credentials/issue", issueBody, expect: 201);
        var vc = issued!["verifiableCredential"]!.AsObject();
        await Check(await issue.PostAsync("/issuers/nope/credentials/issue", Body(new JsonObject { ["credential"] = credential.DeepClone() })),
            "POST", "/issuers/{id}/credentials/issue", expect: 404);

        var verify = Body(new JsonObject { ["verifiableCredential"] = vc.DeepClone() });
        await Check(await anonymous.PostAsync("/credentials/verify", verify), "POST", "/credentials/verify", verify, expect: 200);
        var tampered = (JsonObject)vc.DeepClone();
        tampered["credentialSubject"]!["alumniOf"] = "Other University";
        await Check(await anonymous.PostAsync("/credentials/verify", Body(new JsonObject { ["verifiableCredential"] = tampered })), "POST", "/credentials/verify", expect: 400);

        // ecdsa-sd-2023: a base proof from a P-256 issuer, derived by the (public) derive endpoint.
        await Check(await admin.PostAsync("/issuers", Body(new JsonObject { ["id"] = "oa-sd", ["cryptosuite"] = "ecdsa-sd-2023" })), "POST", "/issuers", expect: 201);
        var sdIssue = Body(new JsonObject { ["credential"] = credential.DeepClone(), ["options"] = new JsonObject { ["mandatoryPointers"] = new JsonArray("/issuer") } });
        var sdBase = (await Check(await issue.PostAsync("/issuers/oa-sd/credentials/issue", sdIssue), "POST", "/issuers/{id}/credentials/issue", sdIssue, expect: 201))!["verifiableCredential"]!;
        var derive = Body(new JsonObject { ["verifiableCredential"] = sdBase.DeepClone(), ["options"] = new JsonObject { ["selectivePointers"] = new JsonArray("/credentialSubject/alumniOf") } });
        var derived = await Check(await anonymous.PostAsync("/credentials/derive", derive), "POST", "/credentials/derive", derive, expect: 201);
        await Check(await anonymous.PostAsync("/credentials/verify", Body(new JsonObject { ["verifiableCredential"] = derived!["verifiableCredential"]!.DeepClone() })),
            "POST", "/credentials/verify", expect: 200);
        await Check(await anonymous.PostAsync("/credentials/derive", Body(new JsonObject
        {
            ["verifiableCredential"] = sdBase.DeepClone(), ["options"] = new JsonObject { ["selectivePointers"] = new JsonArray("/credentialSubject/nothing") },
        })), "POST", "/credentials/derive", expect: 400);

        var unsignedVp = Body(new JsonObject
        {
            ["verifiablePresentation"] = new JsonObject
            {
                ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2"),
                ["type"] = new JsonArray("VerifiablePresentation"),
                ["verifiableCredential"] = new JsonArray(vc.DeepClone()),
            },
            ["options"] = new JsonObject { ["challenge"] = "c-1" },
        });
        await Check(await anonymous.PostAsync("/presentations/verify", unsignedVp), "POST", "/presentations/verify", unsignedVp, expect: 400);

        var listUrl = new Uri(vc["credentialStatus"]!["statusListCredential"]!.GetValue<string>());
        await Check(await anonymous.GetAsync(listUrl.AbsolutePath), "GET", "/status-lists/{listId}");
        await Check(await anonymous.GetAsync("/status-lists/nope"), "GET", "/status-lists/{listId}", expect: 404);
        var status = Body(new JsonObject { ["verifiableCredential"] = vc.DeepClone(), ["statusPurpose"] = "revocation" });
        await Check(await revoke.PostAsync("/credentials/status", status), "POST", "/credentials/status", status);

        var did = vc["issuer"]!.GetValue<string>();
        await Check(await anonymous.GetAsync("/1.0/identifiers/" + did), "GET", "/1.0/identifiers/{did}");
        await Check(await anonymous.GetAsync("/1.0/identifiers/did:ethr:0x7a69:0x00000000000000000000000000000000000000zz"), "GET", "/1.0/identifiers/{did}", expect: 400);
        await Check(await anonymous.GetAsync("/1.0/identifiers/did:nope:1"), "GET", "/1.0/identifiers/{did}", expect: 501);
        var rotate = Body(new JsonObject { ["overlapSeconds"] = 60 });
        await Check(await admin.PostAsync("/issuers/oa-ethr/keys/rotate", rotate), "POST", "/issuers/{id}/keys/rotate", rotate);
        await Check(await admin.PostAsync("/issuers/nope/keys/rotate", Body(new JsonObject())), "POST", "/issuers/{id}/keys/rotate", expect: 404);

        using var pki = Vc.Interop.Pki.CountryPki.Create("KE");
        using var dsc = pki.IssueDsc("DSC OpenAPI");
        var attach = Body(new JsonObject
        {
            ["certificate"] = dsc.ExportCertificatePem(),
            ["privateKey"] = dsc.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(),
            ["chain"] = pki.Csca.ExportCertificatePem(),
        });
        await Check(await admin.PostAsync("/issuers/oa-key/dsc", attach), "POST", "/issuers/{id}/dsc", attach);
        await Check(await admin.PostAsync("/issuers/nope/dsc", attach), "POST", "/issuers/{id}/dsc", expect: 404);

        var icvp = new Vc.Credentials.Icvp.IcvpCredentialBuilder().Build(
            new Vc.Credentials.Icvp.IcvpHolder("Jane Doe", "1990-04-12"),
            new Vc.Credentials.Icvp.IcvpDose("YellowFeverProductd8a09f80301dc05e124f99ffe7711fc0", "1D47", new DateOnly(2025, 10, 1), "S4D123") { ClinicianName = "Dr. A. Mwangi" },
            JsonNode.Parse(await anonymous.GetStringAsync("/issuers/oa-key"))!["did"]!.GetValue<string>());
        var keyIssued = await issue.PostAsync("/issuers/oa-key/credentials/issue", Body(new JsonObject { ["credential"] = icvp }));
        var keyVc = JsonNode.Parse(await keyIssued.Content.ReadAsStringAsync())!["verifiableCredential"]!;
        var toHcert = Body(new JsonObject { ["verifiableCredential"] = keyVc.DeepClone() });
        var bridged = await Check(await issue.PostAsync("/bridge/vc-to-hcert", toHcert), "POST", "/bridge/vc-to-hcert", toHcert);
        var notOurs = Body(new JsonObject { ["verifiableCredential"] = vc.DeepClone() });
        await Check(await issue.PostAsync("/bridge/vc-to-hcert", notOurs), "POST", "/bridge/vc-to-hcert", expect: 400);
        var garbage = Body(new JsonObject { ["hc1"] = "HC1:not-base45" });
        await Check(await anonymous.PostAsync("/hcert/verify", garbage), "POST", "/hcert/verify", garbage, expect: 400);
        await Check(await issue.PostAsync("/bridge/hcert-to-vc", garbage), "POST", "/bridge/hcert-to-vc", garbage, expect: 422);
        var hc1 = Body(new JsonObject { ["hc1"] = bridged!["hc1"]!.GetValue<string>() });
        await Check(await anonymous.PostAsync("/hcert/verify", hc1), "POST", "/hcert/verify", hc1);
        await Check(await issue.PostAsync("/bridge/hcert-to-vc", hc1), "POST", "/bridge/hcert-to-vc", hc1, expect: 201);

        // EU DCC revocation: the node's published batches, and an import (scope revoke) of a batch for the bridged HCERT.
        await Check(await anonymous.GetAsync("/hcert/revocation"), "GET", "/hcert/revocation");
        var decoded = Vc.Interop.Hcert.HcertCodec.Decode(bridged["hc1"]!.GetValue<string>());
        var hashes = Vc.Interop.Revocation.DccRevocationHashes.Compute(decoded.Cose, decoded.Claims, decoded.EuDcc);
        var batch = Body(new JsonObject
        {
            ["batches"] = new JsonArray(new JsonObject
            {
                ["country"] = "KE", ["kid"] = Convert.ToBase64String(hashes.Kid), ["hashType"] = "SIGNATURE",
                ["entries"] = new JsonArray(new JsonObject { ["hash"] = Convert.ToBase64String(hashes.Signature) }),
            }),
        });
        await Check(await anonymous.PostAsync("/hcert/revocation", batch), "POST", "/hcert/revocation", expect: 401);
        await Check(await issue.PostAsync("/hcert/revocation", batch), "POST", "/hcert/revocation", expect: 403);
        var badBatch = Body(new JsonObject { ["batches"] = new JsonArray(new JsonObject { ["kid"] = "AQID", ["hashType"] = "MD5" }) });
        await Check(await revoke.PostAsync("/hcert/revocation", badBatch), "POST", "/hcert/revocation", expect: 400);
        await Check(await revoke.PostAsync("/hcert/revocation", batch), "POST", "/hcert/revocation", batch, expect: 201);
        var revokedReport = await Check(await anonymous.PostAsync("/hcert/verify", hc1), "POST", "/hcert/verify", hc1, expect: 400);
        Assert.Equal("Revoked", (string?)revokedReport!["outcome"]);

        await Check(await anonymous.GetAsync("/trust-list?format=gdhcn"), "GET", "/trust-list", expect: 404);
    }

    private static StringContent Body(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    /// <summary>
    /// Checks an exchange against the document: the request body against the operation's request schema, the
    /// answer's status among the documented ones, its content type documented for that status, its body valid
    /// against the documented schema. Returns the body.
    /// </summary>
    private async Task<JsonNode?> Check(HttpResponseMessage response, string method, string path, StringContent? request = null, int? expect = 200)
    {
        var text = await response.Content.ReadAsStringAsync();
        var where = $"{method} {path} → {(int)response.StatusCode}: {text[..Math.Min(text.Length, 400)]}";
        if (expect is { } e) Assert.True((int)response.StatusCode == e, where);
        var document = await DocumentAsync();
        var operation = document["paths"]![path]![method.ToLowerInvariant()]!.AsObject();
        if (request is not null)
        {
            var requestSchema = operation["requestBody"]!["content"]!["application/json"]!["schema"]!;
            AssertValid(document, requestSchema, JsonNode.Parse(await request.ReadAsStringAsync()), $"{method} {path} request");
        }
        var documented = operation["responses"]![((int)response.StatusCode).ToString()];
        Assert.True(documented is not null, where + " — status not documented");
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var content = documented!["content"]!.AsObject();
        var match = content.FirstOrDefault(c => MediaTypeHeaderValue.Parse(c.Key).MediaType == mediaType);
        Assert.True(match.Value is not null, $"{where} — content type {mediaType} not documented ({string.Join(", ", content.Select(c => c.Key))})");
        var body = JsonNode.Parse(text);
        AssertValid(document, match.Value!["schema"]!, body, where);
        return body;
    }

    /// <summary>Evaluates an OpenAPI 3.1 schema (JSON Schema 2020-12) with the document's component schemas as $defs.</summary>
    private static void AssertValid(JsonObject document, JsonNode schema, JsonNode? instance, string where)
    {
        var defs = document["components"]!["schemas"]!.ToJsonString().Replace("#/components/schemas/", "#/$defs/");
        var root = $$"""{"$schema":"https://json-schema.org/draft/2020-12/schema","$defs":{{defs}},"allOf":[{{schema.ToJsonString().Replace("#/components/schemas/", "#/$defs/")}}]}""";
        var compiled = JsonSchema.FromText(root, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        using var parsed = JsonDocument.Parse(instance?.ToJsonString() ?? "null");
        var result = compiled.Evaluate(parsed.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(x => $"{d.InstanceLocation} {x.Key}: {x.Value}"));
        Assert.True(result.IsValid, $"{where}\n  does not match the documented schema: {string.Join("; ", errors)}");
    }
}
