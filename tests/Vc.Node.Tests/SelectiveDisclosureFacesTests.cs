using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Vc.Credentials.Icvp;
using Vc.Node.Cli;

namespace Vc.Node.Tests;

/// <summary>
/// ecdsa-sd-2023 through both faces: issuers with a P-256 key issue base proofs (ICVP profile by default, or
/// --mandatory pointers), the holder derives through `vc derive` and POST /credentials/derive — the same derived
/// document, byte for byte, since derivation is deterministic — and both faces verify it alike; a base proof is refused.
/// </summary>
public sealed partial class SelectiveDisclosureFacesTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vchealth-sd-").FullName;

    private async Task<(int Code, JsonNode? Out, string Err)> Cli(params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var code = await CliApp.RunAsync([.. args, "--data", node.DataDirectory, "--public-url", node.BaseUrl], o, e);
        var text = o.ToString();
        return (code, text.Length > 0 ? JsonNode.Parse(text) : null, e.ToString());
    }

    private async Task<JsonNode> CliOk(params string[] args)
    {
        var (code, output, err) = await Cli(args);
        Assert.True(code is ExitCodes.Ok or ExitCodes.Negative, $"vchealth {string.Join(' ', args)} → {code}: {err}");
        return output!;
    }

    private async Task<(int Status, JsonNode? Body)> Http(string key, string path, JsonNode body)
    {
        using var client = key.Length == 0 ? new HttpClient { BaseAddress = new Uri(node.BaseUrl) } : node.With(key);
        using var response = await client.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    private string File(string name, JsonNode content)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, content.ToJsonString());
        return path;
    }

    private static JsonObject Icvp(string did) => new IcvpCredentialBuilder().Build(
        new IcvpHolder("Jane Doe", "1990-04-12") { Sex = "female", Nationality = "KEN" },
        new IcvpDose("YellowFeverProductd8a09f80301dc05e124f99ffe7711fc0", "1D47", new DateOnly(2025, 10, 1), "S4D123") { ClinicianName = "Dr. A. Mwangi" },
        did);

    private static JsonNode? WithoutCallTime(JsonNode? verification) =>
        JsonNode.Parse(CallTime().Replace(verification?.ToJsonString() ?? "null", "<now>"));

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")]
    private static partial Regex CallTime();

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Issue_derive_and_verify_answer_alike_through_the_cli_and_the_node()
    {
        // P-256 issuers for ecdsa-sd-2023, one per face.
        var cliIssuer = await CliOk("issuer", "create", "sd-cli", "--cryptosuite", "ecdsa-sd-2023");
        var (status, httpIssuer) = await Http(node.AdminKey, "/issuers", new JsonObject { ["id"] = "sd-http", ["cryptosuite"] = "ecdsa-sd-2023" });
        Assert.Equal(201, status);
        Assert.Equal("ecdsa-sd-2023", (string?)cliIssuer["cryptosuite"]);
        Assert.Equal("ecdsa-sd-2023", (string?)httpIssuer!["cryptosuite"]);

        // Base proofs (ICVP profile mandatory pointers).
        var cliBase = (JsonObject)await CliOk("vc", "issue", File("icvp-cli.json", Icvp((string)cliIssuer["did"]!)), "--issuer", "sd-cli", "--status", "revocation");
        var (issued, httpBody) = await Http(node.IssueKey, "/issuers/sd-http/credentials/issue", new JsonObject
        {
            ["credential"] = Icvp((string)httpIssuer["did"]!), ["options"] = new JsonObject { ["credentialStatus"] = "revocation" },
        });
        Assert.Equal(201, issued);
        var httpBase = (JsonObject)httpBody!["verifiableCredential"]!;
        foreach (var b in new[] { cliBase, httpBase })
        {
            Assert.Equal("ecdsa-sd-2023", (string?)b["proof"]!["cryptosuite"]);
            Assert.StartsWith("u2V0A", (string?)b["proof"]!["proofValue"]); // base header 0xd95d00
        }

        // A base proof is not for verifiers: both faces refuse it alike, with a typed problem.
        var cliRefused = await CliOk("vc", "verify", File("base.json", cliBase));
        var (refusedStatus, httpRefused) = await Http("", "/credentials/verify", new JsonObject { ["verifiableCredential"] = cliBase.DeepClone() });
        Assert.Equal(400, refusedStatus);
        Assert.False((bool)cliRefused["verified"]!);
        Assert.Contains("base proof", cliRefused.ToJsonString(), StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(WithoutCallTime(cliRefused), WithoutCallTime(httpRefused)));

        // Derive through both faces from each base credential: the same document.
        foreach (var (name, baseVc) in new[] { ("cli", cliBase), ("http", httpBase) })
        {
            var output = Path.Combine(_dir, $"derived-{name}.json");
            var cliDerived = await CliOk("vc", "derive", File($"base-{name}.json", baseVc), "--reveal", "/credentialSubject/name", "--out", output);
            var (derivedStatus, httpDerived) = await Http("", "/credentials/derive", new JsonObject
            {
                ["verifiableCredential"] = baseVc.DeepClone(), ["options"] = new JsonObject { ["selectivePointers"] = new JsonArray("/credentialSubject/name") },
            });
            Assert.Equal(201, derivedStatus);
            Assert.True(JsonNode.DeepEquals(cliDerived, httpDerived!["verifiableCredential"]), $"{cliDerived.ToJsonString()}\n{httpDerived.ToJsonString()}");
            Assert.True(JsonNode.DeepEquals(cliDerived, JsonNode.Parse(System.IO.File.ReadAllText(output))));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, System.IO.File.GetUnixFileMode(output));

            // Disclosed: the ICVP mandatory part and the name; not disclosed: date of birth, batch, clinician.
            var subject = (JsonObject)cliDerived["credentialSubject"]!;
            var details = (JsonObject)subject["vaccineDetails"]!;
            Assert.Equal("Jane Doe", (string?)subject["name"]);
            Assert.False(subject.ContainsKey("dob"));
            Assert.False(details.ContainsKey("batchNo"));
            Assert.False(details.ContainsKey("clinicianName"));
            Assert.True(details.ContainsKey("disease") && details.ContainsKey("date") && details.ContainsKey("productID"));
            Assert.NotNull(cliDerived["credentialStatus"]);

            var cliVerified = await CliOk("vc", "verify", output);
            var (verifiedStatus, httpVerified) = await Http("", "/credentials/verify", new JsonObject { ["verifiableCredential"] = cliDerived.DeepClone() });
            Assert.True((bool)cliVerified["verified"]!, cliVerified.ToJsonString());
            Assert.Equal(200, verifiedStatus);
            Assert.True(JsonNode.DeepEquals(WithoutCallTime(cliVerified), WithoutCallTime(httpVerified)));
        }

        // A pointer that names nothing: a typed error through both faces.
        var (code, _, err) = await Cli("vc", "derive", File("base-bad.json", cliBase), "--reveal", "/credentialSubject/nothing");
        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("ProofGenerationError", err, StringComparison.Ordinal);
        var (badStatus, problem) = await Http("", "/credentials/derive", new JsonObject
        {
            ["verifiableCredential"] = cliBase.DeepClone(), ["options"] = new JsonObject { ["selectivePointers"] = new JsonArray("/credentialSubject/nothing") },
        });
        Assert.Equal(400, badStatus);
        Assert.Contains("ProofGenerationError", (string?)problem!["type"] ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mandatory_pointers_and_a_key_file_issue_an_sd_credential_and_misuse_is_a_usage_error()
    {
        var keyFile = Path.Combine(_dir, "p256.key");
        var key = await CliOk("key", "generate", "--type", "P-256", "--out", keyFile);
        var credential = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"),
            ["type"] = new JsonArray("VerifiableCredential", "ExampleAlumniCredential"),
            ["validFrom"] = "2025-01-01T00:00:00Z",
            ["credentialSubject"] = new JsonObject { ["id"] = "did:example:holder", ["alumniOf"] = "Example University" },
        };
        var signed = await CliOk("vc", "issue", File("alumni.json", credential), "--key", keyFile, "--cryptosuite", "ecdsa-sd-2023", "--mandatory", "/issuer", "--mandatory", "/validFrom");
        Assert.Equal((string?)key["did"], (string?)signed["issuer"]);
        var derived = await CliOk("vc", "derive", File("alumni-signed.json", signed));
        Assert.Null(derived["credentialSubject"]); // nothing selected beyond the mandatory issuer and validFrom
        Assert.Equal("2025-01-01T00:00:00Z", (string?)derived["validFrom"]);

        var (code, _, err) = await Cli("vc", "issue", File("alumni2.json", credential), "--key", keyFile, "--cryptosuite", "ecdsa-rdfc-2019", "--mandatory", "/issuer");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--mandatory", err, StringComparison.Ordinal);
    }
}
