using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Vc.Agent;
using Vc.Agent.Storage;
using Vc.Node.Cli;
using Vc.Node.Hosting;
using Vc.Trust;

namespace Vc.Web.Tests;

/// <summary>
/// A border verifier: the demo runs on its own data directory, its node issues a credential and bridges it to an HC1
/// QR, builds the offline verifier pack, and the ledger is stopped. Then verifier nodes start with no ledger at all
/// (`vchealth node --pack FILE`, a fresh data directory of their own, the pack signer pinned) and the page is driven
/// against them.
/// </summary>
public sealed class OfflinePackFixture : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vchealth-web-pack-").FullName;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;
    public string PackPath { get; private set; } = "";
    public string PackSigner { get; private set; } = "";
    /// <summary>The trust registry's anchor (the demo's WHO): all a verifier holds to accept the pack's signer.</summary>
    public string RegistryAnchor { get; private set; } = "";
    public long PackBlock { get; private set; }
    public JsonObject ValidCredential { get; private set; } = new();
    public string BridgedQrPng { get; private set; } = "";
    public string IssuerDid { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var (data, output) = await DemoRun.InAsync(_dir);

        var settings = new LedgerSettings { DataDirectory = Path.Combine(data, "demo") };
        var options = new NodeOptions { Ledger = settings, Urls = "http://127.0.0.1:0" };
        await using (var ledger = await NodeLedger.OpenAsync(settings, detachIfStarted: false))
        {
            await using var app = await NodeApp.BuildAsync(options, ledger);
            await app.StartAsync();
            var agent = app.Services.GetRequiredService<VcAgent>();
            using var api = new HttpClient { BaseAddress = new Uri(NodeApp.ListeningAddresses(app)[0]) };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await agent.ApiKeys.CreateAsync(ApiScope.All, "pack tests")).Secret);
            var issuer = (await agent.Issuers.ListAsync()).Single(i => i.Method == "ethr");
            IssuerDid = issuer.Did;
            ValidCredential = await VerifierPageFixture.IssueAsync(api, issuer, DateOnly.FromDateTime(agent.Time.GetUtcNow().UtcDateTime).AddDays(-15));
            var bridged = await VerifierPageFixture.PostAsync(api, "/bridge/vc-to-hcert", new JsonObject
            {
                ["verifiableCredential"] = ValidCredential.DeepClone(),
                ["options"] = new JsonObject { ["acceptOmitted"] = new JsonArray("id", "credentialSubject.id", "credentialStatus") },
            });
            BridgedQrPng = Path.Combine(output, "icvp-ke-bridged-offline.png");
            await File.WriteAllBytesAsync(BridgedQrPng, Convert.FromBase64String((string)bridged["qrPng"]!));

            var built = await VerifierPackBuilder.BuildAsync(agent, TrustDomains.Icvp, CountryCode.Parse("KEN"));
            PackPath = Path.Combine(output, "border-pack.json");
            await File.WriteAllBytesAsync(PackPath, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(built.Pack));
            PackSigner = built.Summary.Key;
            if (built.Summary.SignerRegistration != "KEN") throw new InvalidOperationException("the demo's pack key is not registered: " + built.Summary.Unregistered);
            RegistryAnchor = TrustKeys.ParsePrivateKey(await File.ReadAllTextAsync(Path.Combine(settings.DataDirectory, "who-anchor.eth"))).GetPublicAddress();
            PackBlock = built.Summary.Block;
            await app.StopAsync();
        }
        // The ledger is stopped (the Anvil this process started ends with its NodeLedger) and nothing starts it again.
        await NodeLedger.StopDaemonAsync(settings);
        if (await NodeLedger.RunningEmbeddedAsync(settings) is not null) throw new InvalidOperationException("the demo's ledger still runs");

        _playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = VerifierPageFixture.ChromiumPath, Headless = true, Args = ["--no-sandbox"],
        });
        Directory.CreateDirectory(VerifierPageFixture.Screenshots);
    }

    /// <summary>
    /// A verifier node with no ledger serving the pack, on its own fresh data directory, whose clock is
    /// <paramref name="clock"/>: the pack is opened — hash, signature, its signer's registration under the registry
    /// anchor, age — at the real time, as `vchealth node --pack FILE --registry-anchor ADDRESS` does at start; the node
    /// checks its age again before every answer.
    /// </summary>
    public async Task<WebApplication> StartVerifierAsync(TimeProvider clock)
    {
        var pack = await VerifierPack.OpenAsync(PackPath, new HashSet<string>(), TimeProvider.System, VerifierPack.DefaultMaxAge,
            trustAnchors: new HashSet<string> { RegistryAnchor });
        var verifierData = Directory.CreateDirectory(Path.Combine(_dir, "verifier-" + Guid.NewGuid().ToString("N"))).FullName;
        var app = await NodeApp.BuildAsync(new NodeOptions
        {
            Ledger = new LedgerSettings { DataDirectory = verifierData }, Urls = "http://127.0.0.1:0", Pack = pack, Time = clock,
        }, ledger: null);
        await app.StartAsync();
        return app;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}

/// <summary>A clock <paramref name="ahead"/> of the real one: a verifier whose pack has aged by that much.</summary>
public sealed class AheadClock(TimeSpan ahead) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + ahead;
}

[CollectionDefinition(Name)]
public sealed class OfflinePackCollection : ICollectionFixture<OfflinePackFixture>
{
    public const string Name = "offline pack";
}

/// <summary>The verifier page against a pack-serving node, with the ledger stopped.</summary>
[Collection(OfflinePackCollection.Name)]
public sealed class OfflinePackTests(OfflinePackFixture fixture)
{
    private static readonly LocatorAssertionsToHaveAttributeOptions Patient = new() { Timeout = 120_000 };

    private async Task<(IPage Page, WebApplication App)> OpenAsync(TimeProvider clock)
    {
        var app = await fixture.StartVerifierAsync(clock);
        var page = await fixture.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 900 } });
        page.SetDefaultTimeout(120_000);
        await page.GotoAsync(NodeApp.ListeningAddresses(app)[0] + "/");
        return (page, app);
    }

    [Fact]
    public async Task With_the_ledger_stopped_a_pasted_credential_is_VALID_from_the_pack_naming_its_block()
    {
        var (page, app) = await OpenAsync(TimeProvider.System);
        try
        {
            await page.FillAsync("#paste", fixture.ValidCredential.ToJsonString());
            await page.ClickAsync("#verify");
            await Assertions.Expect(page.Locator("#verdict .banner")).ToHaveAttributeAsync("data-status", "valid", Patient);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(VerifierPageFixture.Screenshots, "10-offline-pack-valid.png"), FullPage = true });
            Assert.Equal("VALID", (await page.Locator("#verdict .headline").InnerTextAsync()).Trim());
            // At a glance: the answer rests on the pack, its block and time; then the trust decision from its registry logs.
            var notice = await page.Locator("#verdict .source").InnerTextAsync();
            Assert.Contains($"block {fixture.PackBlock}", notice);
            var text = await page.Locator("#result").InnerTextAsync();
            Assert.Contains("Answered from the offline verifier pack", text);
            Assert.Contains(fixture.PackSigner, text);
            Assert.Contains("Pack signer registered", text);  // accepted through the registry, rooted in the anchor
            Assert.Contains($"KEN — {fixture.PackSigner}", text);
            Assert.Contains(fixture.IssuerDid, text);
            Assert.Contains("Trusted", text);
            Assert.Contains("Registry entry in block", text);

            // The bridged HC1 QR of the same credential: its DSC comes from the pack too.
            await page.SetInputFilesAsync("#upload", fixture.BridgedQrPng);
            await Assertions.Expect(page.Locator("#verdict .source")).ToContainTextAsync($"block {fixture.PackBlock}", new LocatorAssertionsToContainTextOptions { Timeout = 120_000 });
            await Assertions.Expect(page.Locator("#verdict .banner")).ToHaveAttributeAsync("data-status", "valid", Patient);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(VerifierPageFixture.Screenshots, "11-offline-pack-bridged-qr-valid.png"), FullPage = true });
            Assert.Contains("DSC KE", await page.Locator("#result").InnerTextAsync());
        }
        finally
        {
            await page.CloseAsync();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_pack_older_than_its_max_age_is_refused_CANNOT_TELL_never_valid()
    {
        // The verifier's clock one day past the default --max-age (3 days) after the pack's block.
        var (page, app) = await OpenAsync(new AheadClock(VerifierPack.DefaultMaxAge + TimeSpan.FromDays(1)));
        try
        {
            using (var http = new HttpClient())
            {
                var ready = await http.GetAsync(NodeApp.ListeningAddresses(app)[0] + "/ready");
                Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            }
            await page.FillAsync("#paste", fixture.ValidCredential.ToJsonString());
            await page.ClickAsync("#verify");
            await Assertions.Expect(page.Locator("#verdict .banner")).ToHaveAttributeAsync("data-status", "cannot-tell", Patient);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(VerifierPageFixture.Screenshots, "12-offline-pack-too-old.png"), FullPage = true });
            Assert.Equal("CANNOT TELL", (await page.Locator("#verdict .headline").InnerTextAsync()).Trim());
            var reason = await page.Locator("#verdict .reason").InnerTextAsync();
            Assert.Contains("older than --max-age", reason);
            Assert.Contains($"block {fixture.PackBlock}", reason);
            Assert.DoesNotContain("Jane Doe", await page.Locator("#result").InnerTextAsync());
        }
        finally
        {
            await page.CloseAsync();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
