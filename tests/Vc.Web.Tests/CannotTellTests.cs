using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Vc.Agent;
using Vc.Agent.Storage;
using Vc.Node.Hosting;

namespace Vc.Web.Tests;

/// <summary>
/// CANNOT TELL for real: a did:ethr credential that verifies while the ledger runs is pasted again after the node's
/// Anvil was killed; the node cannot confirm the issuer's key at the proof's creation and the page says so.
/// </summary>
public sealed class CannotTellTests
{
    [Fact]
    public async Task With_the_ledger_killed_a_pasted_credential_is_CANNOT_TELL_not_valid_or_invalid()
    {
        var data = Directory.CreateTempSubdirectory("vchealth-web-fault-").FullName;
        var options = new NodeOptions { Ledger = new LedgerSettings { DataDirectory = data }, Urls = "http://127.0.0.1:0" };
        var ledger = await NodeLedger.OpenAsync(options.Ledger, detachIfStarted: false);
        var app = await NodeApp.BuildAsync(options, ledger);
        try
        {
            await app.StartAsync();
            var baseUrl = NodeApp.ListeningAddresses(app)[0];
            var key = (await app.Services.GetRequiredService<ApiKeys>().CreateAsync(ApiScope.All, "fault")).Secret;
            using var api = new HttpClient { BaseAddress = new Uri(baseUrl) };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            await PostAsync(api, "/issuers", new JsonObject { ["id"] = "fault", ["method"] = "ethr" });
            var issued = await PostAsync(api, "/issuers/fault/credentials/issue", new JsonObject
            {
                ["credential"] = new JsonObject
                {
                    ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"),
                    ["type"] = new JsonArray("VerifiableCredential", "ExampleAlumniCredential"),
                    ["credentialSubject"] = new JsonObject { ["id"] = "did:example:holder", ["alumniOf"] = "Example University" },
                },
            });
            var credential = issued["verifiableCredential"]!.ToJsonString();

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = VerifierPageFixture.ChromiumPath, Headless = true, Args = ["--no-sandbox"],
            });
            var page = await browser.NewPageAsync();
            page.SetDefaultTimeout(120_000);
            await page.GotoAsync(baseUrl + "/");
            await page.FillAsync("#paste", credential);
            await page.ClickAsync("#verify");
            var banner = page.Locator("#verdict .banner");
            var patient = new LocatorAssertionsToHaveAttributeOptions { Timeout = 120_000 };
            await Assertions.Expect(banner).ToHaveAttributeAsync("data-status", "valid", patient);

            // SIGKILL the node's Anvil (its pid is in the ledger's daemon record), then ask again.
            var pid = (int)JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(data, "ledger", "daemon.json")))!["Pid"]!;
            using (var anvil = Process.GetProcessById(pid))
            {
                anvil.Kill();
                await anvil.WaitForExitAsync();
            }
            await page.ReloadAsync();
            await page.FillAsync("#paste", credential);
            await page.ClickAsync("#verify");
            await Assertions.Expect(banner).ToHaveAttributeAsync("data-status", "cannot-tell", patient);
            Directory.CreateDirectory(VerifierPageFixture.Screenshots);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(VerifierPageFixture.Screenshots, "9-ledger-down-cannot-tell.png"), FullPage = true });
            Assert.Equal("CANNOT TELL", (await page.Locator("#verdict .headline").InnerTextAsync()).Trim());
            Assert.Contains("ledger", await page.Locator("#verdict .reason").InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            await ledger.DisposeAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<JsonObject> PostAsync(HttpClient http, string path, JsonObject body)
    {
        using var response = await http.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}
