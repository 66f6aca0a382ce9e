using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Vc.Node.Tests;

public sealed class VcApiTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private static JsonObject SampleCredential() => new()
    {
        ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"),
        ["type"] = new JsonArray("VerifiableCredential", "ExampleAlumniCredential"),
        ["validFrom"] = "2025-01-01T00:00:00Z",
        ["credentialSubject"] = new JsonObject { ["id"] = "did:example:holder", ["alumniOf"] = "Example University" },
    };

    private async Task<string> CreateIssuer(string id, string cryptosuite = "eddsa-rdfc-2022")
    {
        using var admin = node.With(node.AdminKey);
        var response = await admin.PostAsJsonAsync("/issuers", new { id, method = "key", cryptosuite });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return id;
    }

    private async Task<JsonObject> Issue(string issuer, bool withStatus)
    {
        using var client = node.With(node.IssueKey);
        var body = new JsonObject { ["credential"] = SampleCredential() };
        if (withStatus) body["options"] = new JsonObject { ["credentialStatus"] = true };
        var response = await client.PostAsync($"/issuers/{issuer}/credentials/issue", Json(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (JsonObject)(await response.Content.ReadFromJsonAsync<JsonObject>())!["verifiableCredential"]!;
    }

    private async Task<(HttpStatusCode Status, JsonObject Body)> Verify(JsonObject vc)
    {
        var response = await node.Anonymous.PostAsync("/credentials/verify", Json(new JsonObject { ["verifiableCredential"] = vc.DeepClone() }));
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("eddsa-rdfc-2022")]
    [InlineData("eddsa-jcs-2022")]
    [InlineData("ecdsa-rdfc-2019")]
    public async Task Issued_credential_verifies_with_200_and_every_check_reported(string suite)
    {
        var vc = await Issue(await CreateIssuer("iss-" + suite, suite), withStatus: true);
        Assert.Equal(suite, (string?)vc["proof"]!["cryptosuite"]);

        var (status, result) = await Verify(vc);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True((bool)result["verified"]!);
        Assert.Empty(result["problemDetails"]!.AsArray());
        Assert.Contains(result["checks"]!.AsArray(), c => (string?)c!["check"] == "status" && (bool)c["valid"]!);
    }

    [Fact]
    public async Task A_presentation_verifies_with_200_and_a_wrong_challenge_gives_400()
    {
        using var holderKey = Vc.Credentials.Keys.Ed25519SigningKey.FromSeed(Enumerable.Repeat((byte)9, 32).ToArray());
        var holderDid = Vc.Did.Key.DidKeyResolver.CreateDid(holderKey.PublicKey);
        using var issuer = node.With(node.IssueKey);
        var credential = SampleCredential();
        credential["credentialSubject"]!["id"] = holderDid;
        var issued = await issuer.PostAsync($"/issuers/{await CreateIssuer("vp-issuer")}/credentials/issue", Json(new JsonObject { ["credential"] = credential }));
        var vc = (JsonObject)(await issued.Content.ReadFromJsonAsync<JsonObject>())!["verifiableCredential"]!;
        var signer = new Vc.Credentials.Presentations.PresentationSigner(new Vc.Credentials.DataIntegrity.DataIntegrityProofs(new Vc.Credentials.DataIntegrity.JsonLdRdfCanonicalizer()));
        var holder = new Vc.Credentials.Presentations.HolderProfile(holderDid, Vc.Did.Key.DidKeyResolver.VerificationMethodId(holderKey.PublicKey), holderKey);
        var vp = await signer.CreateAsync(holder, [vc], "challenge-1", "verifier.example");

        async Task<(HttpStatusCode, JsonObject)> Present(string challenge)
        {
            var body = new JsonObject { ["verifiablePresentation"] = vp.DeepClone(), ["options"] = new JsonObject { ["challenge"] = challenge, ["domain"] = "verifier.example" } };
            var response = await node.Anonymous.PostAsync("/presentations/verify", Json(body));
            return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
        }

        var (status, result) = await Present("challenge-1");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True((bool)result["verified"]!, result.ToJsonString());
        var (wrongStatus, wrong) = await Present("challenge-2");
        Assert.Equal(HttpStatusCode.BadRequest, wrongStatus);
        Assert.Contains(wrong["problemDetails"]!.AsArray(), p => ((string?)p!["type"])!.Contains("INVALID_CHALLENGE"));
    }

    [Fact]
    public async Task A_modified_credential_fails_with_400_and_a_proof_problem()
    {
        var vc = await Issue(await CreateIssuer("tamper"), withStatus: false);
        vc["credentialSubject"]!["alumniOf"] = "Another University";

        var (status, result) = await Verify(vc);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False((bool)result["verified"]!);
        Assert.Contains(result["problemDetails"]!.AsArray(), p => ((string?)p!["type"])!.Contains("PROOF_VERIFICATION_ERROR"));
    }

    [Fact]
    public async Task Revoking_through_the_status_endpoint_makes_verification_fail_as_revoked()
    {
        var vc = await Issue(await CreateIssuer("revoker"), withStatus: true);
        Assert.Equal(HttpStatusCode.OK, (await Verify(vc)).Status);

        using var revoker = node.With(node.RevokeKey);
        var change = await revoker.PostAsync("/credentials/status", Json(new JsonObject
        {
            ["verifiableCredential"] = vc.DeepClone(), ["statusPurpose"] = "revocation", ["status"] = true,
        }));
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);

        var (status, result) = await Verify(vc);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(result["problemDetails"]!.AsArray(), p => ((string?)p!["title"])!.Contains("evoked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Status_list_credential_is_served_signed_at_its_url()
    {
        var vc = await Issue(await CreateIssuer("lists"), withStatus: true);
        var url = (string)vc["credentialStatus"]!["statusListCredential"]!;
        var list = await node.Anonymous.GetFromJsonAsync<JsonObject>(url);

        Assert.Contains("BitstringStatusListCredential", list!["type"]!.AsArray().Select(t => (string?)t));
        Assert.NotNull(list["proof"]);
        Assert.Equal(HttpStatusCode.OK, (await Verify(list)).Status);
    }

    [Fact]
    public async Task Writes_without_a_key_get_401_and_with_the_wrong_scope_403()
    {
        var anonymous = await node.Anonymous.PostAsync("/issuers", Json(new JsonObject { ["id"] = "x" }));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var wrongKey = node.With("vch_000000000000_notakey");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongKey.PostAsync("/issuers", Json(new JsonObject { ["id"] = "x" }))).StatusCode);

        using var issueOnly = node.With(node.IssueKey);
        var forbidden = await issueOnly.PostAsync("/issuers", Json(new JsonObject { ["id"] = "x" }));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType?.MediaType);

        using var revokeOnly = node.With(node.RevokeKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await revokeOnly.PostAsync("/issuers/any/credentials/issue", Json(new JsonObject()))).StatusCode);
    }

    [Fact]
    public async Task Bad_requests_get_clear_4xx_answers()
    {
        var malformed = await node.Anonymous.PostAsync("/credentials/verify", new StringContent("{\"verifiableCredential\": ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);

        var wrongType = await node.Anonymous.PostAsync("/credentials/verify", new StringContent("<xml/>", Encoding.UTF8, "application/xml"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);

        var deep = new string('[', 200) + new string(']', 200);
        var tooDeep = await node.Anonymous.PostAsync("/credentials/verify", new StringContent(deep, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, tooDeep.StatusCode);

        var huge = new StringContent("{\"x\":\"" + new string('a', 3 * 1024 * 1024) + "\"}", Encoding.UTF8, "application/json");
        // Expect: 100-continue — the node answers 413 from Content-Length before the client sends the body, so the
        // answer is read rather than raced by a reset while 3 MB are still being written.
        using var oversized = new HttpRequestMessage(HttpMethod.Post, "/credentials/verify") { Content = huge };
        oversized.Headers.ExpectContinue = true;
        var tooLarge = await node.Anonymous.SendAsync(oversized);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);

        var missing = await node.Anonymous.PostAsync("/credentials/verify", Json(new JsonObject { ["credential"] = 1 }));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);

        // A signed document must mean one thing to every reader: duplicate member names are refused (I-JSON).
        var duplicate = await node.Anonymous.PostAsync("/credentials/verify",
            new StringContent("{\"verifiableCredential\": {\"id\": \"urn:a\", \"id\": \"urn:b\"}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Contains("malformed-json", await duplicate.Content.ReadAsStringAsync());

        // I-JSON again: an escaped lone surrogate parses, but has no text; refused up front, on every JSON endpoint.
        const string lone = "{\"verifiableCredential\": {\"id\": \"urn:\\ud800\"}, \"credential\": {\"id\": \"urn:\\udc00\"}}";
        var loneVerify = await node.Anonymous.PostAsync("/credentials/verify", new StringContent(lone, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, loneVerify.StatusCode);
        using var loneIssuer = node.With(node.IssueKey);
        var loneIssue = await loneIssuer.PostAsync("/issuers/any/credentials/issue", new StringContent(lone, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, loneIssue.StatusCode);

        using var issuer = node.With(node.IssueKey);
        Assert.Equal(HttpStatusCode.NotFound, (await issuer.PostAsync("/issuers/nobody/credentials/issue", Json(new JsonObject { ["credential"] = SampleCredential() }))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await node.Anonymous.GetAsync("/no/such/path")).StatusCode);

        // The node is still healthy after all of that.
        Assert.Equal(HttpStatusCode.OK, (await node.Anonymous.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task Creating_an_issuer_twice_is_a_conflict_and_bad_ids_are_refused()
    {
        await CreateIssuer("twice");
        using var admin = node.With(node.AdminKey);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("/issuers", new { id = "twice" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/issuers", new { id = "../etc" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/issuers", new { id = "ok", cryptosuite = "rsa-2000" })).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api()
    {
        var doc = await node.Anonymous.GetFromJsonAsync<JsonObject>("/openapi/v1.json");
        Assert.NotNull(doc!["paths"]!["/credentials/verify"]);
    }
    // ---- W3C suite statements over HTTP (VC DM 2.0 §4.7, §5.3, VC 1.1 on request, §4.13 options)

    private async Task<(HttpStatusCode Status, JsonObject Body)> IssueRaw(string issuer, JsonObject body)
    {
        using var client = node.With(node.IssueKey);
        var response = await client.PostAsync($"/issuers/{issuer}/credentials/issue", Json(body));
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    [Theory]
    [InlineData("""{"issuer": null}""", "issuer")]
    [InlineData("""{"issuer": 42}""", "issuer")]
    [InlineData("""{"relatedResource": ["https://www.w3.org/ns/credentials/v2"]}""", "relatedResource")]
    [InlineData("""{"relatedResource": [{"id": "https://www.w3.org/ns/credentials/v2"}]}""", "digestSRI or a digestMultibase")]
    [InlineData("""{"relatedResource": [{"id": "https://www.w3.org/ns/credentials/v2", "digestMultibase": "uM4RgWQc3RUDtjJCSgTJtTfvpZ7SPEg_LNO0ESlovQC0"}]}""", "does not match")]
    public async Task Bad_issue_input_is_a_400_problem_naming_the_rule(string patch, string expected)
    {
        var issuer = await CreateIssuer("w3c-in-" + Math.Abs(patch.GetHashCode()).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var credential = SampleCredential();
        foreach (var (name, value) in (JsonObject)JsonNode.Parse(patch)!) credential[name] = value?.DeepClone();

        var (status, problem) = await IssueRaw(issuer, new JsonObject { ["credential"] = credential });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, (string?)problem["detail"]);
    }

    [Fact]
    public async Task A_VC_1_1_credential_is_issued_on_request_and_verifies()
    {
        var issuer = await CreateIssuer("w3c-v11");
        var (status, body) = await IssueRaw(issuer, new JsonObject { ["credential"] = SampleCredential(), ["options"] = new JsonObject { ["vcVersion"] = "1.1" } });
        var (wrongStatus, _) = await IssueRaw(issuer, new JsonObject { ["credential"] = SampleCredential(), ["options"] = new JsonObject { ["vcVersion"] = 1.1 } });

        Assert.Equal(HttpStatusCode.Created, status);
        var vc = (JsonObject)body["verifiableCredential"]!;
        Assert.Equal("https://www.w3.org/2018/credentials/v1", (string?)vc["@context"]![0]);
        Assert.Equal("2025-01-01T00:00:00Z", (string?)vc["issuanceDate"]);
        var (verifyStatus, result) = await Verify(vc);
        Assert.Equal(HttpStatusCode.OK, verifyStatus);
        Assert.True((bool)result["verified"]!, result.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, wrongStatus);
    }

    [Fact]
    public async Task Presentation_options_are_typed_and_holder_binding_is_asked_for_explicitly()
    {
        var vp = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2"),
            ["type"] = new JsonArray("VerifiablePresentation"),
            ["verifiableCredential"] = new JsonArray(SampleCredential().Also(c => c["issuer"] = "did:example:issuer")),
        };
        async Task<(HttpStatusCode, JsonObject)> Present(JsonObject options)
        {
            var response = await node.Anonymous.PostAsync("/presentations/verify", Json(new JsonObject { ["verifiablePresentation"] = vp.DeepClone(), ["options"] = options }));
            return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
        }

        var (open, openBody) = await Present(new JsonObject());
        var (bound, _) = await Present(new JsonObject { ["holderBinding"] = true });
        var (secured, _) = await Present(new JsonObject { ["requireSecuredCredentials"] = true });
        var (challenged, _) = await Present(new JsonObject { ["challenge"] = "c" });
        var (badType, _) = await Present(new JsonObject { ["holderBinding"] = "yes" });

        Assert.Equal(HttpStatusCode.OK, open);
        Assert.False((bool)openBody["credentialResults"]![0]!["verified"]!);
        Assert.Equal(HttpStatusCode.BadRequest, bound);
        Assert.Equal(HttpStatusCode.BadRequest, secured);
        Assert.Equal(HttpStatusCode.BadRequest, challenged);
        Assert.Equal(HttpStatusCode.BadRequest, badType);
    }
}

internal static class W3cJsonObjectExtensions
{
    public static JsonObject Also(this JsonObject o, Action<JsonObject> edit)
    {
        edit(o);
        return o;
    }
}
