using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Vc.Agent;
using Vc.Agent.Storage;
using Vc.Credentials.Icvp;
using Vc.Credentials.Keys;
using Vc.Interop.Hcert;
using Vc.Interop.Qr;
using Vc.Node.Cli;
using Vc.Node.Hosting;

namespace Vc.Web.Tests;

/// <summary>
/// The demo story run once on a fresh data directory (its own Anvil ledger, trust registry, KEN issuer with a DSC,
/// gateway trust list), then a node started on the demo's data with the demo's gateway list as HCERT trust input —
/// as `vchealth node --trust LIST --gateway-anchor CERT` would — and a headless Chromium (the Debian one) driving the
/// page. The credentials the page checks are made here through the node's own API, relative to the node's clock.
/// </summary>
public sealed class VerifierPageFixture : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vchealth-web-").FullName;
    private NodeLedger? _ledger;
    private WebApplication? _app;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;
    public IPlaywright Playwright => _playwright!;

    /// <summary>The Chromium the tests drive: the Debian package's (.ci/run installs it), or VCHEALTH_CHROMIUM.</summary>
    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("VCHEALTH_CHROMIUM") is { Length: > 0 } c ? c : "/usr/bin/chromium";
    public string BaseUrl { get; private set; } = "";
    public string BridgedQrPng { get; private set; } = "";
    public string TamperedQrPng { get; private set; } = "";
    public JsonObject ValidCredential { get; private set; } = new();
    public JsonObject RevokedCredential { get; private set; } = new();
    public JsonObject Day5Credential { get; private set; } = new();
    public string IssuerDid { get; private set; } = "";
    /// <summary>An EU DCC (vaccination, 2/2) signed by a development DSC of DE that the node trusts.</summary>
    public string DccHc1 { get; private set; } = "";

    private const string Dcc = """{"ver":"1.3.0","nam":{"fn":"Musterfrau","gn":"Erika","fnt":"MUSTERFRAU","gnt":"ERIKA"},"dob":"1964-08-12","v":[{"tg":"840539006","vp":"1119349007","mp":"EU/1/20/1528","ma":"ORG-100030215","dn":2,"sd":2,"dt":"{dt}","co":"DE","is":"Robert Koch-Institut","ci":"URN:UVCI:01DE/IZ12345A/5CWLU12RNOB9RXSEOP6FG8#W"}]}""";

    /// <summary>Where the screenshots of each state go (TestResults/screenshots of this test project).</summary>
    public static string Screenshots { get; } = Path.Combine(Vc.TestSupport.TestPaths.RepoRoot, "tests", "Vc.Web.Tests", "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        var (data, output) = await DemoRun.InAsync(_dir);

        // An EU DCC for the arrival-country rules: a development DSC of DE (trusted by the node) signs a vaccination
        // 30 days before the node's clock; the node holds the shared EU DCC rule sets (as `vchealth node --rules DIR`).
        var pki = Path.Combine(_dir, "pki-de");
        await DemoRun.OkAsync("pki", "dev-country", "DE", "--out", pki);
        var vaccinated = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var payload = Path.Combine(_dir, "dcc-de.json");
        await File.WriteAllTextAsync(payload, Dcc.Replace("{dt}", vaccinated, StringComparison.Ordinal));
        DccHc1 = (await DemoRun.OkAsync("dcc", "sign", payload, "--cert", Path.Combine(pki, "dsc.pem"), "--key", Path.Combine(pki, "dsc.key.pem"), "--iss", "DE")).Trim();

        var options = new NodeOptions
        {
            Ledger = new LedgerSettings { DataDirectory = Path.Combine(data, "demo") }, Urls = "http://127.0.0.1:0",
            TrustFiles = [Path.Combine(output, "gateway-trustlist.json"), Path.Combine(pki, "dsc.pem")],
            GatewayTrustAnchorPath = Path.Combine(output, "gateway-trust-anchor.pem"),
            Rules = Vc.Rules.DccRuleSet.Load(Vc.TestSupport.TestPaths.TestData("dcc-business-rules")),
        };
        _ledger = await NodeLedger.OpenAsync(options.Ledger, detachIfStarted: false);
        _app = await NodeApp.BuildAsync(options, _ledger);
        await _app.StartAsync();
        BaseUrl = NodeApp.ListeningAddresses(_app)[0];
        var agent = _app.Services.GetRequiredService<VcAgent>();
        var key = (await agent.ApiKeys.CreateAsync(ApiScope.All, "web tests")).Secret;
        using var api = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        var issuer = (await agent.Issuers.ListAsync()).Single(i => i.Method == "ethr");
        IssuerDid = issuer.Did;
        var today = DateOnly.FromDateTime(agent.Time.GetUtcNow().UtcDateTime);
        ValidCredential = await IssueAsync(api, issuer, today.AddDays(-15));
        RevokedCredential = await IssueAsync(api, issuer, today.AddDays(-15));
        Day5Credential = await IssueAsync(api, issuer, today.AddDays(-5));
        await PostAsync(api, "/credentials/status", new JsonObject
        {
            ["verifiableCredential"] = RevokedCredential.DeepClone(), ["statusPurpose"] = "revocation", ["status"] = true,
        });

        // The valid credential bridged to an HC1 QR, as the demo's step 5 does (the demo's own bridged QR follows its
        // credential, which step 7 revokes).
        var bridged = await PostAsync(api, "/bridge/vc-to-hcert", new JsonObject
        {
            ["verifiableCredential"] = ValidCredential.DeepClone(),
            ["options"] = new JsonObject { ["acceptOmitted"] = new JsonArray("id", "credentialSubject.id", "credentialStatus") },
        });
        BridgedQrPng = Path.Combine(output, "icvp-ke-bridged-valid.png");
        await File.WriteAllBytesAsync(BridgedQrPng, Convert.FromBase64String((string)bridged["qrPng"]!));

        // A tampered copy of the bridged HCERT: one byte of the COSE signature changed, everything else intact.
        var cose = HcertCodec.DecodeToCose(HcertQr.Decode(await File.ReadAllBytesAsync(BridgedQrPng)));
        cose[^5] ^= 0x01;
        TamperedQrPng = Path.Combine(output, "icvp-ke-bridged-tampered.png");
        await File.WriteAllBytesAsync(TamperedQrPng, HcertQr.RenderPng(HcertCodec.Encode(cose)));

        _playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox"],
        });
        Directory.CreateDirectory(Screenshots);
    }

    internal static async Task<JsonObject> IssueAsync(HttpClient api, IssuerRecord issuer, DateOnly vaccinated)
    {
        using var holderKey = Ed25519SigningKey.Generate();
        var holder = Vc.Credentials.Issuance.IssuerProfile.ForDidKey(holderKey);
        var unsigned = new IcvpCredentialBuilder().Build(
            new IcvpHolder("Jane Doe", "1990-04-12") { Sex = "female", Nationality = "KEN", Id = holder.Issuer },
            new IcvpDose("YellowFeverProductd8a09f80301dc05e124f99ffe7711fc0", "1D47", vaccinated, "S4D123") { ClinicianName = "Dr. A. Mwangi", Issuer = "KEN", DoseNumber = 1 },
            issuer.Did, "urn:uuid:" + Guid.NewGuid());
        var issued = await PostAsync(api, $"/issuers/{issuer.Id}/credentials/issue",
            new JsonObject { ["credential"] = unsigned, ["options"] = new JsonObject { ["credentialStatus"] = "revocation" } });
        return (JsonObject)issued["verifiableCredential"]!;
    }

    internal static async Task<JsonObject> PostAsync(HttpClient http, string path, JsonObject body)
    {
        using var response = await http.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_app is not null) { await _app.StopAsync(); await _app.DisposeAsync(); }
        if (_ledger is not null) await _ledger.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}

/// <summary>The page tests share one demo run, node and browser.</summary>
[CollectionDefinition(Name)]
public sealed class VerifierPageCollection : ICollectionFixture<VerifierPageFixture>
{
    public const string Name = "verifier page";
}
