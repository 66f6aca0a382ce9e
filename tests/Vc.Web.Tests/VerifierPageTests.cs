using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Vc.Web.Tests;

/// <summary>
/// The verifier page in a real browser (headless Chromium) against a running node with its ledger: each input path
/// (QR image upload, paste of a credential) and each state (VALID, NOT VALID, NOT YET VALID), read back from what
/// the page shows, with a screenshot of each state in TestResults/screenshots.
/// </summary>
[Collection(VerifierPageCollection.Name)]
public sealed class VerifierPageTests(VerifierPageFixture node)
{
    // Generous on a shared CI machine: a verification that needs the ledger may queue behind other work.
    private static readonly LocatorAssertionsToHaveAttributeOptions Patient = new() { Timeout = 120_000 };

    private async Task<IPage> OpenAsync(bool phone = false)
    {
        var page = await node.Browser.NewPageAsync(new BrowserNewPageOptions
        {
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1100, Height = 900 },
        });
        page.SetDefaultTimeout(120_000);
        await page.GotoAsync(node.BaseUrl + "/");
        return page;
    }

    private static async Task<string> VerdictAsync(IPage page, string status, string screenshot)
    {
        var banner = page.Locator("#verdict .banner");
        await Assertions.Expect(banner).ToHaveAttributeAsync("data-status", status, Patient);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(VerifierPageFixture.Screenshots, screenshot), FullPage = true });
        return await page.Locator("#result").InnerTextAsync();
    }

    [Fact]
    public async Task An_uploaded_bridged_QR_is_VALID_with_its_signer_country_and_ICVP_content()
    {
        var page = await OpenAsync(phone: true);
        await page.SetInputFilesAsync("#upload", node.BridgedQrPng);
        var text = await VerdictAsync(page, "valid", "1-bridged-qr-valid.png");
        Assert.Contains("VALID", await page.Locator("#verdict .headline").InnerTextAsync());
        Assert.Contains("DSC KE", text);           // the document signer certificate (issuer of the HCERT)
        Assert.Contains("Jane Doe", text);         // ICVP content for the border officer
        Assert.Contains("Yellow fever", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Lifelong", text);
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_tampered_QR_is_NOT_VALID_because_of_its_signature()
    {
        var page = await OpenAsync(phone: true);
        await page.SetInputFilesAsync("#upload", node.TamperedQrPng);
        var text = await VerdictAsync(page, "not-valid", "2-tampered-qr-not-valid.png");
        Assert.Equal("NOT VALID", (await page.Locator("#verdict .headline").InnerTextAsync()).Trim());
        Assert.Contains("signature", await page.Locator("#verdict .reason").InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Jane Doe", text);   // no content shown from a certificate whose signature failed
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_pasted_credential_is_VALID_with_issuer_trust_decision_and_timeline()
    {
        var page = await OpenAsync();
        await page.FillAsync("#paste", node.ValidCredential.ToJsonString());
        // Keyboard path: the Verify button focused and Enter pressed.
        await page.FocusAsync("#verify");
        await page.Keyboard.PressAsync("Enter");
        var text = await VerdictAsync(page, "valid", "3-pasted-credential-valid.png");
        Assert.Equal("VALID", (await page.Locator("#verdict .headline").InnerTextAsync()).Trim());
        Assert.Contains(node.IssuerDid, text);
        Assert.Contains("KEN", text);
        Assert.Contains("Trusted", text);
        Assert.Contains("Registry entry in block", text);
        Assert.Contains("Valid from", text);
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_revoked_credential_is_NOT_VALID_revoked()
    {
        var page = await OpenAsync();
        await page.FillAsync("#paste", node.RevokedCredential.ToJsonString());
        await page.ClickAsync("#verify");
        await VerdictAsync(page, "not-valid", "4-revoked-credential-not-valid.png");
        Assert.Contains("revoked", await page.Locator("#verdict .reason").InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_credential_on_day_5_after_vaccination_is_NOT_YET_VALID_with_its_valid_from_day()
    {
        var page = await OpenAsync();
        await page.FillAsync("#paste", node.Day5Credential.ToJsonString());
        await page.ClickAsync("#verify");
        var text = await VerdictAsync(page, "not-yet-valid", "5-day-5-not-yet-valid.png");
        Assert.Equal("NOT YET VALID", (await page.Locator("#verdict .headline").InnerTextAsync()).Trim());
        var validFrom = (string)node.Day5Credential["credentialSubject"]!["vaccineDetails"]!["validityPeriod"]!["start"]!;
        Assert.Contains(validFrom, text);
        Assert.Contains("Trusted", text);          // genuine: who issued it is still shown and decided
        await page.CloseAsync();
    }

    [Fact]
    public async Task Input_that_is_neither_HC1_nor_JSON_gets_a_typed_answer_not_a_crash()
    {
        var page = await OpenAsync();
        await page.FillAsync("#paste", "hello");
        await page.ClickAsync("#verify");
        await VerdictAsync(page, "cannot-tell", "6-unreadable-input.png");
        Assert.Contains("neither an HC1 code nor JSON", await page.Locator("#verdict .reason").InnerTextAsync());
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_page_and_a_verdict_pass_the_axe_accessibility_rules()
    {
        var page = await OpenAsync();
        var empty = await page.RunAxe();
        await page.FillAsync("#paste", node.ValidCredential.ToJsonString());
        await page.ClickAsync("#verify");
        await VerdictAsync(page, "valid", "7-axe-checked.png");
        var answered = await page.RunAxe();
        var violations = empty.Violations.Concat(answered.Violations).Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(", ", v.Nodes.Select(n => n.Html))}").ToArray();
        Assert.True(violations.Length == 0, string.Join("\n", violations));
        await page.CloseAsync();
    }

    [Fact]
    public async Task With_an_arrival_country_chosen_the_page_lists_each_rule_with_its_result_and_description()
    {
        var page = await OpenAsync(phone: true);
        // The chooser offers the countries whose acceptance rules the node holds.
        await Assertions.Expect(page.Locator("#rules-card")).ToBeVisibleAsync();
        var offered = await page.Locator("#country option").EvaluateAllAsync<string[]>("options => options.map(o => o.value)");
        Assert.Contains("DE", offered);

        // Without a country: no rules are applied.
        await page.FillAsync("#paste", node.DccHc1);
        await page.ClickAsync("#verify");
        await VerdictAsync(page, "valid", "13-dcc-no-country.png");
        Assert.Equal(0, await page.Locator("#details .rules li").CountAsync());

        await page.SelectOptionAsync("#country", "DE");
        await page.ClickAsync("#verify");
        await Assertions.Expect(page.Locator("#details .rules li").First).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 120_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(VerifierPageFixture.Screenshots, "14-dcc-rules-of-DE.png"), FullPage = true });

        // What the node answers for the same HC1 and country: every rule it applied is on the page with its result
        // and English description, and the verdict follows the rules.
        using var http = new HttpClient();
        using var response = await http.PostAsync(node.BaseUrl + "/hcert/verify", new StringContent(
            new System.Text.Json.Nodes.JsonObject { ["hc1"] = node.DccHc1, ["country"] = "DE" }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        var answer = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var rules = answer["rules"]!.AsArray();
        Assert.NotEmpty(rules);
        Assert.All(rules, r => Assert.Equal("DE", (string)r!["country"]!));
        Assert.Equal(rules.Count, await page.Locator("#details .rules li").CountAsync());
        foreach (var rule in rules)
        {
            var item = page.Locator($"#details .rules li[data-rule='{(string)rule!["identifier"]!}']");
            var text = await item.InnerTextAsync();
            Assert.Contains($"{rule["identifier"]}: {((bool)rule["passed"]! ? "passed" : "failed")}", text);
            Assert.Contains((string)rule["description"]!, text);
        }
        Assert.Contains("VR-DE-0001: passed", await page.Locator("#details .rules").InnerTextAsync()); // 2/2: the schedule is complete
        var status = (bool)answer["valid"]! ? "valid" : "not-valid";
        Assert.Equal(status, await page.Locator("#verdict .banner").GetAttributeAsync("data-status"));
        await page.CloseAsync();
    }
}
