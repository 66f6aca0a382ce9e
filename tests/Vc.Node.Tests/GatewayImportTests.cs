using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.Agent;
using Vc.Agent.Storage;
using Vc.Interop.Hcert;
using Vc.Interop.Revocation;
using Vc.Node.Cli;
using Vc.TestSupport;
using Vc.TestSupport.Gateway;

namespace Vc.Node.Tests;

/// <summary>
/// Gateway downloads into the node's trust store: `trust import-rules` (CMS-signed validation rules, then applied by
/// `dcc verify --country` and /hcert/verify {country} without rules of their own), `trust import-revocation` of signed
/// batch downloads (unsigned only with --allow-unverified), and revocation batches pruned once past their expires.
/// </summary>
public sealed class GatewayImportTests(NodeFixture node) : IClassFixture<NodeFixture>, IDisposable
{
    // Certificates start here; the DCC is issued a day later and verified two days later (DE rules: 2021 – 2030).
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string At = T0.AddDays(2).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    private readonly TestGateway _gateway = new(TestClock.Standing(T0), "DE", "AT");
    private readonly string _dir = Directory.CreateTempSubdirectory("vchealth-gw-").FullName;

    public void Dispose()
    {
        _gateway.Dispose();
        Directory.Delete(_dir, true);
    }

    private string File(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    private string Anchor => File("anchor.pem", _gateway.Anchor.ExportCertificatePem());
    private string TrustList => File("trustlist.json", Encoding.UTF8.GetString(_gateway.TrustList()));

    private static async Task<(int Code, string Out, string Err)> Cli(string data, params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var code = await CliApp.RunAsync([.. args, "--data", data], o, e);
        return (code, o.ToString(), e.ToString());
    }

    private static List<JsonObject> DeRules() =>
        Vc.Rules.DccRuleSet.Load(TestPaths.TestData("dcc-business-rules/DE")).Rules.Select(r => (JsonObject)r.Json.DeepClone()).ToList();

    private static string Vaccination(X509Certificate2 dsc, string ci = "URN:UVCI:01:DE:GW123456789#1")
    {
        using var doc = JsonDocument.Parse($$"""
            {"ver":"1.3.0","nam":{"fn":"Mustermann","fnt":"MUSTERMANN","gn":"Erika","gnt":"ERIKA"},"dob":"1964-08-12",
             "v":[{"tg":"840539006","vp":"1119349007","mp":"EU/1/20/1528","ma":"ORG-100030215","dn":2,"sd":2,"dt":"2026-01-10",
                   "co":"DE","is":"Robert Koch-Institut","ci":"{{ci}}"}]}
            """);
        return new HcertSigner(dsc).SignEuDcc(doc.RootElement.Clone(), "DE", T0.AddDays(1), T0.AddDays(300));
    }

    private static string[] RuleIds(JsonNode report) => report["rules"]!.AsArray().Select(r => (string)r!["identifier"]!).ToArray();

    [Fact]
    public async Task Rules_imported_from_a_signed_gateway_list_are_what_dcc_verify_country_applies()
    {
        var data = Path.Combine(_dir, "data");
        using var dsc = _gateway.Pki("DE").IssueDsc("DSC DE rules");
        var dscFile = File("dsc.pem", dsc.ExportCertificatePem());
        var hc1 = Vaccination(dsc);

        // No rules in the store yet: asking for DE's rules fails closed.
        var (code, output, _) = await Cli(data, "dcc", "verify", hc1, "--trust", dscFile, "--at", At, "--country", "DE");
        Assert.Equal(ExitCodes.Negative, code);
        var before = JsonNode.Parse(output)!;
        Assert.Equal("BusinessRule", (string?)before["outcome"]);
        Assert.Contains("no acceptance rule of DE", (string?)before["reason"]);

        // A list with one tampered rule is refused as a whole, and nothing is stored.
        var list = _gateway.RuleList("DE", DeRules());
        var tampered = (JsonObject)list.DeepClone();
        var first = tampered.First().Value![0]!;
        first["cms"] = TestGateway.Tampered((string)first["cms"]!, "2030-06-01", "2099-06-01");
        var refused = await Cli(data, "trust", "import-rules", File("tampered.json", tampered.ToJsonString()), "--anchor", Anchor, "--trust-list", TrustList);
        Assert.Equal(ExitCodes.Failed, refused.Code);
        Assert.Equal("rules.Signature", (string?)JsonNode.Parse(refused.Err)!["error"]!["type"]);
        Assert.Equal("", refused.Out);
        Assert.Equal(ExitCodes.Negative, (await Cli(data, "dcc", "verify", hc1, "--trust", dscFile, "--at", At, "--country", "DE")).Code);

        // Without the anchor and trust list there is nothing to check the signatures with: a usage error.
        Assert.Equal(ExitCodes.Usage, (await Cli(data, "trust", "import-rules", File("list.json", list.ToJsonString()))).Code);

        var imported = await Cli(data, "trust", "import-rules", File("list.json", list.ToJsonString()), "--anchor", Anchor, "--trust-list", TrustList);
        Assert.True(imported.Code == ExitCodes.Ok, imported.Err);
        var summary = JsonNode.Parse(imported.Out)!;
        Assert.Equal(DeRules().Count, (int)summary["imported"]!);
        Assert.All(summary["rules"]!.AsArray(), r => Assert.Equal("DE", (string?)r!["signer"]!["country"]));

        // Now --country DE alone applies the stored rules: the same outcomes as giving the same rules with --rules.
        var stored = await Cli(data, "dcc", "verify", hc1, "--trust", dscFile, "--at", At, "--country", "DE");
        var storedReport = JsonNode.Parse(stored.Out)!;
        Assert.Contains(storedReport["steps"]!.AsArray(), s => s!.ToJsonString().Contains("BusinessRules", StringComparison.Ordinal));
        var ids = RuleIds(storedReport);
        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.StartsWith("VR-DE-", id, StringComparison.Ordinal)); // a vaccination: the vaccination rules
        var given = await Cli(data, "dcc", "verify", hc1, "--trust", dscFile, "--at", At, "--country", "DE",
            "--rules", TestPaths.TestData("dcc-business-rules/DE"));
        Assert.Equal(given.Code, stored.Code);
        Assert.Equal(JsonNode.Parse(given.Out)!["rules"]!.ToJsonString(), storedReport["rules"]!.ToJsonString());

        // Importing the same list again replaces the versions (no duplicates applied).
        Assert.Equal(ExitCodes.Ok, (await Cli(data, "trust", "import-rules", File("list.json", list.ToJsonString()), "--anchor", Anchor, "--trust-list", TrustList)).Code);
        Assert.Equal(ids, RuleIds(JsonNode.Parse((await Cli(data, "dcc", "verify", hc1, "--trust", dscFile, "--at", At, "--country", "DE")).Out)!));
    }

    [Fact]
    public async Task Hcert_verify_with_a_country_and_no_rules_applies_the_stored_rules()
    {
        // The node verifies with the DSCs of its issuers: attach one of DE's.
        using var dsc = _gateway.Pki("DE").IssueDsc("DSC DE node");
        using (var admin = node.With(node.AdminKey))
        {
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/issuers", new { id = "gw-de", method = "key" })).StatusCode);
            var attach = await admin.PostAsync("/issuers/gw-de/dsc", new StringContent(new JsonObject
            {
                ["certificate"] = dsc.ExportCertificatePem(), ["privateKey"] = dsc.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(),
            }.ToJsonString(), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, attach.StatusCode);
        }
        var hc1 = Vaccination(dsc);
        var imported = await Cli(node.DataDirectory, "trust", "import-rules", File("node-list.json", _gateway.RuleList("DE", DeRules()).ToJsonString()),
            "--anchor", Anchor, "--trust-list", TrustList);
        Assert.True(imported.Code == ExitCodes.Ok, imported.Err);

        var response = await node.Anonymous.PostAsync("/hcert/verify", new StringContent(
            new JsonObject { ["hc1"] = hc1, ["at"] = At, ["country"] = "DE" }.ToJsonString(), Encoding.UTF8, "application/json"));
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var ids = RuleIds(body);
        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.StartsWith("VR-DE-", id, StringComparison.Ordinal));
        // A country the store holds no rules of fails closed.
        var other = await node.Anonymous.PostAsync("/hcert/verify", new StringContent(
            new JsonObject { ["hc1"] = hc1, ["at"] = At, ["country"] = "FR" }.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
        Assert.Equal("BusinessRule", (string?)(await other.Content.ReadFromJsonAsync<JsonObject>())!["outcome"]);
    }

    private static JsonObject UciBatch(string hc1, string country, string expires)
    {
        var decoded = HcertCodec.Decode(hc1);
        var hashes = DccRevocationHashes.Compute(decoded.Cose, decoded.Claims, decoded.EuDcc);
        return new JsonObject
        {
            ["country"] = country, ["expires"] = expires, ["kid"] = Convert.ToBase64String(hashes.Kid), ["hashType"] = "UCI",
            ["entries"] = new JsonArray(new JsonObject { ["hash"] = Convert.ToBase64String(hashes.Uci!) }),
        };
    }

    [Fact]
    public async Task Import_revocation_verifies_signed_downloads_and_takes_unsigned_files_only_when_told()
    {
        var data = Path.Combine(_dir, "rev-data");
        using var dsc = _gateway.Pki("DE").IssueDsc("DSC DE revocation");
        var dscFile = File("rev-dsc.pem", dsc.ExportCertificatePem());
        var (signedHc1, plainHc1) = (Vaccination(dsc, "URN:UVCI:01:DE:SIGNED#1"), Vaccination(dsc, "URN:UVCI:01:DE:PLAIN#1"));
        async Task<string?> Outcome(string hc1) =>
            (string?)JsonNode.Parse((await Cli(data, "dcc", "verify", hc1, "--trust", dscFile, "--at", At)).Out)!["outcome"];

        // Unsigned: refused unless --allow-unverified (and that flag does not mix with a signature check).
        var plain = File("plain.json", UciBatch(plainHc1, "DE", "2027-01-01T00:00:00Z").ToJsonString());
        Assert.Equal(ExitCodes.Usage, (await Cli(data, "trust", "import-revocation", plain)).Code);
        var notSigned = await Cli(data, "trust", "import-revocation", plain, "--anchor", Anchor, "--trust-list", TrustList);
        Assert.Equal(ExitCodes.Failed, notSigned.Code);
        Assert.Equal("revocation.Invalid", (string?)JsonNode.Parse(notSigned.Err)!["error"]!["type"]);
        Assert.Equal(ExitCodes.Usage, (await Cli(data, "trust", "import-revocation", plain, "--allow-unverified", "--anchor", Anchor)).Code);
        Assert.Equal("None", await Outcome(plainHc1));
        var unverified = await Cli(data, "trust", "import-revocation", plain, "--allow-unverified");
        Assert.True(unverified.Code == ExitCodes.Ok, unverified.Err);
        Assert.Contains("(unverified)", (string?)JsonNode.Parse(unverified.Out)!["source"]);
        Assert.Equal("Revoked", await Outcome(plainHc1));

        // Signed by DE's UPLOAD certificate: accepted; tampered, or signed by AT for a DE batch: refused.
        var batch = UciBatch(signedHc1, "DE", "2027-01-01T00:00:00Z");
        var signed = TestGateway.SignedBatch(batch, _gateway.Upload("DE"));
        foreach (var bad in new[] { TestGateway.Tampered(signed, "2027-01-01", "2099-01-01"), TestGateway.SignedBatch(batch, _gateway.Upload("AT")) })
        {
            var r = await Cli(data, "trust", "import-revocation", File("bad.cms", bad), "--anchor", Anchor, "--trust-list", TrustList);
            Assert.Equal(ExitCodes.Failed, r.Code);
            Assert.Equal("revocation.Invalid", (string?)JsonNode.Parse(r.Err)!["error"]!["type"]);
        }
        Assert.Equal("None", await Outcome(signedHc1));
        var ok = await Cli(data, "trust", "import-revocation", File("batch.cms", signed), "--anchor", Anchor, "--trust-list", TrustList);
        Assert.True(ok.Code == ExitCodes.Ok, ok.Err);
        Assert.Contains("CMS-signed by UPLOAD DE", (string?)JsonNode.Parse(ok.Out)!["source"]);
        Assert.Equal(1, (int)JsonNode.Parse(ok.Out)!["entries"]!);
        Assert.Equal("Revoked", await Outcome(signedHc1));
    }

    [Fact]
    public async Task A_revocation_batch_past_its_expires_is_no_longer_applied_and_is_pruned_from_the_store()
    {
        var data = Path.Combine(_dir, "prune-data");
        var clock = TestClock.Standing(T0);
        await using var store = await NodeStore.OpenAsync(data, clock);
        var revocations = new HcertRevocations(store, new NodeUrls(null), clock);
        using var dsc = _gateway.Pki("DE").IssueDsc("DSC DE prune");
        var (early, late) = (Vaccination(dsc, "URN:UVCI:01:DE:EARLY#1"), Vaccination(dsc, "URN:UVCI:01:DE:LATE#1"));
        var expiresEarly = T0.AddDays(10);
        await revocations.ImportAsync(Encoding.UTF8.GetBytes(UciBatch(early, "DE", "2026-03-11T00:00:00Z").ToJsonString()), "early.json");
        await revocations.ImportAsync(Encoding.UTF8.GetBytes(UciBatch(late, "DE", "2026-06-01T00:00:00Z").ToJsonString()), "late.json");
        DccRevocationHashes Hashes(string hc1)
        {
            var d = HcertCodec.Decode(hc1);
            return DccRevocationHashes.Compute(d.Cose, d.Claims, d.EuDcc);
        }
        async Task<long> Rows()
        {
            await using var c = await store.OpenConnectionAsync();
            return (long)(await NodeStore.Scalar(c, null, "SELECT count(*) FROM hcert_revocation_imports"))!;
        }

        var applied = await revocations.ImportedAsync();
        Assert.NotNull(applied.Revoked(Hashes(early), clock.Now));
        Assert.NotNull(applied.Revoked(Hashes(late), clock.Now));
        Assert.Equal(2, await Rows());

        clock.Now = expiresEarly; // expires is exclusive
        var later = await revocations.ImportedAsync();
        Assert.Null(later.Revoked(Hashes(early), T0)); // pruned: not even an older verification clock finds it
        Assert.NotNull(later.Revoked(Hashes(late), clock.Now));
        Assert.Equal(1, await Rows());
        // Another reader of the same store (another process) sees the pruned state too.
        Assert.Single((await new HcertRevocations(store, new NodeUrls(null), clock).ImportedAsync()).Chunks);

        clock.Now = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Empty((await revocations.ImportedAsync()).Chunks);
        Assert.Equal(0, await Rows());
    }
}
