using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Vc.Credentials.Icvp;
using Vc.Node.Cli;

namespace Vc.Node.Tests;

/// <summary>
/// The two faces cannot disagree: each capability is run through the CLI (on the node's data directory and URL) and
/// through the HTTP node, and the answers are compared — the same JSON where the same object is asked about, the same
/// verdict where two issuers of the same kind are.
/// </summary>
public sealed partial class FacesAgreeTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vchealth-faces-").FullName;

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

    private async Task<(int Status, JsonNode? Body)> Http(string key, HttpMethod method, string path, JsonNode? body = null)
    {
        using var client = key.Length == 0 ? new HttpClient { BaseAddress = new Uri(node.BaseUrl) } : node.With(key);
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    private string File(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    private static JsonObject Icvp(string did) => new IcvpCredentialBuilder().Build(
        new IcvpHolder("Jane Doe", "1990-04-12") { Sex = "female", Nationality = "KEN" },
        new IcvpDose("YellowFeverProductd8a09f80301dc05e124f99ffe7711fc0", "1D47", new DateOnly(2025, 10, 1), "S4D123") { ClinicianName = "Dr. A. Mwangi" },
        did);

    /// <summary>The "valid at NOW" detail of the validity check names the moment of each call; nothing else is rewritten.</summary>
    private static JsonNode? WithoutCallTime(JsonNode? verification)
    {
        var copy = verification?.DeepClone();
        foreach (var check in copy?["checks"]?.AsArray() ?? [])
            if ((string?)check!["check"] == "validity" && (string?)check["detail"] is { } d) check["detail"] = CallTime().Replace(d, "<now>");
        if (copy?["credentialResults"] is JsonArray inner)
            for (var i = 0; i < inner.Count; i++) inner[i] = WithoutCallTime(inner[i]);
        return copy;
    }

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")]
    private static partial Regex CallTime();

    /// <summary>Two issuers' answers of the same kind: the issuer-specific values replaced by their roles.</summary>
    private static JsonNode? AsRole(JsonNode? answer, params (string Value, string Role)[] roles)
    {
        var text = answer?.ToJsonString() ?? "null";
        foreach (var (value, role) in roles) text = text.Replace(value, role, StringComparison.Ordinal);
        return JsonNode.Parse(text);
    }

    [Fact]
    public async Task Every_capability_answers_alike_through_the_cli_and_the_node()
    {
        var mismatches = new List<string>();
        void Same(string capability, JsonNode? cli, JsonNode? http)
        {
            if (!JsonNode.DeepEquals(cli, http)) mismatches.Add($"{capability}:\n  cli  {cli?.ToJsonString()}\n  http {http?.ToJsonString()}");
        }

        // Issuer create (key, ethr): one issuer of each kind per face; each face reads the other's issuers alike.
        var issuers = new Dictionary<string, JsonNode>();
        foreach (var method in new[] { "key", "ethr" })
        {
            issuers["cli-" + method] = await CliOk("issuer", "create", "cli-" + method, "--method", method);
            var (status, created) = await Http(node.AdminKey, HttpMethod.Post, "/issuers", new JsonObject { ["id"] = "http-" + method, ["method"] = method });
            Assert.Equal(201, status);
            issuers["http-" + method] = created!;
        }
        var listed = (await CliOk("issuer", "list")).AsArray();
        foreach (var (id, profile) in issuers)
        {
            Same($"issuer {id} (created, then read by the CLI)", listed.Single(p => (string?)p!["id"] == id), profile);
            Same($"issuer {id} (created, then read over HTTP)", (await Http("", HttpMethod.Get, "/issuers/" + id)).Body, profile);
        }
        string Did(string id) => (string)issuers[id]["did"]!;
        string Method(string id) => (string)issuers[id]["verificationMethod"]!;
        (string, string)[] Roles(string id) => [(Did(id), "<did>"), (Method(id), "<vm>"), (id, "<issuer>")];

        // DSC attach: CLI and HTTP attach a DSC of the same country PKI to their ledger issuer (bound in the DID document).
        using var pki = Vc.Interop.Pki.CountryPki.Create("KE");
        var dscs = new Dictionary<string, JsonNode>();
        foreach (var id in new[] { "cli-ethr", "http-ethr" })
        {
            using var dsc = pki.IssueDsc("DSC " + id);
            var (cert, key, chain) = (dsc.ExportCertificatePem(), dsc.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(), pki.Csca.ExportCertificatePem());
            dscs[id] = id.StartsWith("cli", StringComparison.Ordinal)
                ? await CliOk("issuer", "dsc", id, "--cert", File(id + ".pem", cert), "--key", File(id + ".key", key), "--chain", File(id + ".chain", chain))
                : (await Http(node.AdminKey, HttpMethod.Post, $"/issuers/{id}/dsc", new JsonObject { ["certificate"] = cert, ["privateKey"] = key, ["chain"] = chain })).Body!;
        }
        JsonNode? DscShape(JsonNode answer) => new JsonObject
        {
            ["issuer"] = (string?)answer["issuer"] is { } i ? i.Replace("cli-", "").Replace("http-", "") : null,
            ["bound"] = ((string?)answer["didBindingTransaction"])?.StartsWith("0x", StringComparison.Ordinal),
            ["subject"] = ((string?)answer["subject"])?.Replace("cli-", "").Replace("http-", ""),
        };
        Same("issuer dsc (attach and bind)", DscShape(dscs["cli-ethr"]), DscShape(dscs["http-ethr"]));

        // The trust registry (governance through the CLI): both ledger issuers registered for ICVP by Kenya.
        var who = Path.Combine(_dir, "who.eth");
        var ken = Path.Combine(_dir, "ken.eth");
        await CliOk("key", "generate", "--type", "secp256k1", "--out", who);
        var kenAddress = (string)(await CliOk("key", "generate", "--type", "secp256k1", "--out", ken))["address"]!;
        await CliOk("trust", "init", "--anchor-key", who);
        await CliOk("trust", "onboard", "KEN", "--admin", kenAddress, "--domains", "ICVP", "--key", who, "--relay");
        foreach (var id in new[] { "cli-ethr", "http-ethr" })
            await CliOk("trust", "add-issuer", "KEN", "--did", Did(id), "--domains", "ICVP", "--key", ken, "--relay");

        // Trust check: the same key asked through both faces.
        foreach (var id in new[] { "cli-ethr", "http-ethr" })
            Same($"trust check {id}", await CliOk("trust", "check", Method(id), "--domain", "ICVP"),
                (await Http("", HttpMethod.Get, $"/trust/check?subject={Uri.EscapeDataString(Method(id))}&domain=ICVP")).Body);

        // DID resolution: the same DID through both faces.
        foreach (var id in new[] { "cli-ethr", "http-ethr", "cli-key" })
            Same($"did resolve {id}", await CliOk("did", "resolve", Did(id)), (await Http("", HttpMethod.Get, "/1.0/identifiers/" + Did(id))).Body);

        // VC issue: an ICVP with a revocation entry from each face's ledger issuer; alike but for the issuer.
        var vcs = new Dictionary<string, JsonObject>
        {
            ["cli-ethr"] = (JsonObject)await CliOk("vc", "issue", File("icvp-cli.json", Icvp(Did("cli-ethr")).ToJsonString()), "--issuer", "cli-ethr", "--status", "revocation"),
            ["http-ethr"] = (JsonObject)(await Http(node.IssueKey, HttpMethod.Post, "/issuers/http-ethr/credentials/issue", new JsonObject
            {
                ["credential"] = Icvp(Did("http-ethr")), ["options"] = new JsonObject { ["credentialStatus"] = "revocation" },
            })).Body!["verifiableCredential"]!,
        };
        JsonNode? IssuedShape(string id)
        {
            var vc = (JsonObject)vcs[id].DeepClone();
            vc.Remove("proof");
            vc["credentialStatus"]!["statusListIndex"] = "<index>"; // indexes are drawn at random (herd privacy)
            vc["credentialStatus"]!["id"] = "<entry>";
            return AsRole(vc, Roles(id));
        }
        Same("vc issue (ICVP, did:ethr, revocation entry)", IssuedShape("cli-ethr"), IssuedShape("http-ethr"));

        // VC verify, with the trust decision: each credential through both faces.
        foreach (var (id, vc) in vcs)
        {
            var file = File($"vc-{id}.json", vc.ToJsonString());
            Same($"vc verify {id}", WithoutCallTime(await CliOk("vc", "verify", file)),
                WithoutCallTime((await Http("", HttpMethod.Post, "/credentials/verify", new JsonObject { ["verifiableCredential"] = vc.DeepClone() })).Body));
        }

        // VP: created by the CLI wallet, verified by both faces.
        var holderKey = Path.Combine(_dir, "holder.key");
        await CliOk("key", "generate", "--out", holderKey);
        var vp = await CliOk("vp", "create", File("vp-in.json", vcs["http-ethr"].ToJsonString()), "--holder-key", holderKey, "--challenge", "c-42", "--domain", "verifier.example");
        Same("vp verify", WithoutCallTime(await CliOk("vp", "verify", File("vp.json", vp.ToJsonString()), "--challenge", "c-42", "--domain", "verifier.example")),
            WithoutCallTime((await Http("", HttpMethod.Post, "/presentations/verify", new JsonObject
            {
                ["verifiablePresentation"] = vp.DeepClone(), ["options"] = new JsonObject { ["challenge"] = "c-42", ["domain"] = "verifier.example" },
            })).Body));

        // Bridge VC → HCERT: the same credential through both faces (ECDSA signatures differ; the rest may not).
        var vcFile = File("vc-bridge.json", vcs["cli-ethr"].ToJsonString());
        var cliHcert = await CliOk("bridge", "vc-to-hcert", vcFile, "--accept-omitted", "credentialStatus");
        var httpHcert = (await Http(node.IssueKey, HttpMethod.Post, "/bridge/vc-to-hcert", new JsonObject
        {
            ["verifiableCredential"] = vcs["cli-ethr"].DeepClone(), ["options"] = new JsonObject { ["acceptOmitted"] = new JsonArray("credentialStatus") },
        })).Body!;
        JsonNode? Bridged(JsonNode answer) => new JsonObject { ["issuer"] = answer["issuer"]?.DeepClone(), ["dscThumbprint"] = answer["dscThumbprint"]?.DeepClone(), ["omitted"] = answer["omitted"]?.DeepClone() };
        Same("bridge vc-to-hcert", Bridged(cliHcert), Bridged(httpHcert));

        // DCC verify (with the ledger's trust decision for the DSC): the same HC1 at the same clock through both faces.
        var hc1 = (string)cliHcert["hc1"]!;
        var at = DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var cliReport = await CliOk("dcc", "verify", hc1, "--at", at);
        Assert.True((bool)cliReport["valid"]!, cliReport.ToJsonString());
        Same("dcc verify", cliReport, (await Http("", HttpMethod.Post, "/hcert/verify", new JsonObject { ["hc1"] = hc1, ["at"] = at })).Body);

        // DCC verify with business rules: --rules FILE --country CC on the CLI, {rules, country} in the body (the same
        // rule list, here the EU set); the BusinessRules step and every rule's outcome must agree.
        var euRules = new JsonArray(Vc.Rules.DccRuleSet.Load(Vc.TestSupport.TestPaths.TestData("dcc-business-rules/EU")).Rules.Select(r => (JsonNode)r.Json.DeepClone()).ToArray());
        var cliRules = await Cli("dcc", "verify", hc1, "--at", at, "--rules", File("rules-eu.json", euRules.ToJsonString()), "--country", "EU", "--region", "BY");
        var httpRules = await Http("", HttpMethod.Post, "/hcert/verify", new JsonObject
        {
            ["hc1"] = hc1, ["at"] = at, ["rules"] = euRules.DeepClone(), ["country"] = "EU", ["region"] = "BY",
        });
        Assert.Contains("BusinessRules", cliRules.Out!.ToJsonString());
        Same("dcc verify --rules --country", cliRules.Out, httpRules.Body);

        // Bridge HCERT → VC: the same HC1 through both faces; the bridge issuer's credentials differ only in id and proof.
        JsonNode? Rebridged(JsonNode answer)
        {
            var copy = answer.DeepClone();
            var vc = copy["verifiableCredential"]!.AsObject();
            vc.Remove("proof");
            vc.Remove("id");
            vc["evidence"]![0]!["verifiedAt"] = "<now>"; // the second each face verified it
            copy["hcert"]!["clock"] = "<now>";
            return copy;
        }
        Same("bridge hcert-to-vc", Rebridged(await CliOk("bridge", "hcert-to-vc", hc1)),
            Rebridged((await Http(node.IssueKey, HttpMethod.Post, "/bridge/hcert-to-vc", new JsonObject { ["hc1"] = hc1 })).Body!));

        // Status change: each face revokes its credential; the changes and the verdicts afterwards agree.
        var cliRevoked = await CliOk("vc", "status", File("vc-cli-ethr.json", vcs["cli-ethr"].ToJsonString()));
        var httpRevoked = (await Http(node.RevokeKey, HttpMethod.Post, "/credentials/status", new JsonObject
        {
            ["verifiableCredential"] = vcs["http-ethr"].DeepClone(), ["statusPurpose"] = "revocation",
        })).Body!;
        JsonNode? Change(JsonNode answer, string id)
        {
            var copy = AsRole(answer, Roles(id))!;
            copy["statusListIndex"] = "<index>";
            return copy;
        }
        Same("vc status (revoke)", Change(cliRevoked, "cli-ethr"), Change(httpRevoked, "http-ethr"));
        foreach (var (id, vc) in vcs)
            Same($"vc verify {id} after revocation", WithoutCallTime(await CliOk("vc", "verify", File($"vc-{id}.json", vc.ToJsonString()))),
                WithoutCallTime((await Http("", HttpMethod.Post, "/credentials/verify", new JsonObject { ["verifiableCredential"] = vc.DeepClone() })).Body));

        // Bridge consistency: the HCERTs bridged from the revoked credential are revoked too, alike through both faces,
        // and both faces publish the same revocation batches.
        var revokedReport = await CliOk("dcc", "verify", hc1, "--at", at);
        Assert.Equal("Revoked", (string?)revokedReport["outcome"]);
        Same("dcc verify after revocation", revokedReport, (await Http("", HttpMethod.Post, "/hcert/verify", new JsonObject { ["hc1"] = hc1, ["at"] = at })).Body);
        Same("trust export-revocation", await CliOk("trust", "export-revocation"), (await Http("", HttpMethod.Get, "/hcert/revocation")).Body);

        Assert.True(mismatches.Count == 0, "the CLI and the node answer differently:\n" + string.Join("\n", mismatches));
        // The answers compared are real ones: the trust decision was given, and revocation was seen by both.
        var verified = await CliOk("vc", "verify", File("vc-check.json", vcs["http-ethr"].ToJsonString()), "--no-status");
        Assert.True((bool)verified["verified"]!);
        Assert.True((bool)verified["trust"]!["trusted"]!, verified.ToJsonString());
        Assert.Contains("revoked", (await CliOk("vc", "verify", File("vc-check2.json", vcs["http-ethr"].ToJsonString()))).ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }
}
