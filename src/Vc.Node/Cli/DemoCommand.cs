using System.CommandLine;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Nethereum.Signer;
using Vc.Credentials.Icvp;
using Vc.Credentials.Issuance;
using Vc.Credentials.Keys;
using Vc.Credentials.Presentations;
using Vc.Credentials.Verification;
using Vc.Interop;
using Vc.Interop.Hcert;
using Vc.Interop.Icvp;
using Vc.Interop.Pki;
using Vc.Interop.TrustLists;
using Vc.Node.Hosting;
using Vc.Agent;
using Vc.Agent.Storage;
using Vc.Trust;

namespace Vc.Node.Cli;

/// <summary>
/// `vchealth demo [--data DIR] [--out DIR]`: the whole story on the embedded default (local Anvil + SQLite),
/// driven through the node's HTTP API where a real deployment would use it. Each step is printed with its
/// result; QR codes are written to --out. Exits 0 only if every step behaves as expected.
/// </summary>
public static class DemoCommand
{
    public static Command Declare(CliContext context)
    {
        var outOption = CliParse.Text("--out", "where the QR codes and credentials go (default ./demo-output)", "DIR");
        var command = new Command("demo") { outOption };
        command.SetAction((parse, _) => RunAsync(context, context.LedgerSettingsFrom(parse), Path.GetFullPath(parse.GetValue(outOption) ?? "demo-output")));
        return command;
    }

    /// <summary>
    /// Registry entries count from their block's timestamp, and a dev chain that stamps each block a second after the
    /// last (Hardhat Network) runs ahead of the wall clock in a burst of writes: a credential signed now would date
    /// before its issuer's onboarding. Wait until the latest block's second has passed.
    /// </summary>
    private static async Task WaitForChainTimeAsync(Vc.Did.Ledger.LedgerConnection connection, TimeProvider clock)
    {
        var latest = await connection.Web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(Nethereum.RPC.Eth.DTOs.BlockParameter.CreateLatest());
        if (latest is null) return;
        await Vc.Did.Ledger.ChainClock.WaitPastAsync(DateTimeOffset.FromUnixTimeSeconds((long)latest.Timestamp.Value), clock);
    }

    private static async Task<int> RunAsync(CliContext context, LedgerSettings settings, string outDir)
    {
        // The story runs in real time (a real ledger stamps its blocks): the call's clock (the system clock for a user)
        // is handed on from here, and waiting for block seconds to pass is part of the story.
        var clock = context.Time;
        var demoDir = Path.Combine(settings.DataDirectory, "demo");
        settings = settings with { DataDirectory = demoDir };
        Directory.CreateDirectory(outDir);
        var run = clock.GetUtcNow().ToUnixTimeSeconds().ToString();
        var steps = new DemoSteps(context.Out);
        context.Out.WriteLine($"VcHealth demo (run {run}) — data {demoDir}, QR codes in {outDir}");

        // The PKI world: countries A (Kenya, also on the ledger) and C (Ghana, PKI only), and the gateway that
        // distributes their DSCs in a CMS-signed trust list.
        using var kenya = CountryPki.Create("KE", time: clock);
        using var ghana = CountryPki.Create("GH", time: clock);
        using var kenyaDsc = kenya.IssueDsc($"DSC KE {run}");
        using var ghanaDsc = ghana.IssueDsc($"DSC GH {run}");
        using var gatewayAnchor = CountryPki.CreateTrustAnchor("DCC Gateway Trust Anchor (demo)", time: clock);
        var anchorPath = Path.Combine(outDir, "gateway-trust-anchor.pem");
        await File.WriteAllTextAsync(anchorPath, gatewayAnchor.ExportCertificatePem());
        var trustListPath = Path.Combine(outDir, "gateway-trustlist.json");
        await File.WriteAllTextAsync(trustListPath, GatewayList(clock.GetUtcNow(), gatewayAnchor, (kenya, kenyaDsc), (ghana, ghanaDsc)));

        var options = new NodeOptions
        {
            Ledger = settings, Urls = "http://127.0.0.1:0",
            TrustFiles = [trustListPath], GatewayTrustAnchorPath = anchorPath, PublicRequestsPerSecond = 100_000, Time = clock,
        };
        await using var ledger = await NodeLedger.OpenAsync(settings, detachIfStarted: false);
        await using var app = await NodeApp.BuildAsync(options, ledger);
        await app.StartAsync();
        var baseUrl = NodeApp.ListeningAddresses(app)[0];
        var runtime = app.Services.GetRequiredService<VcAgent>();
        var admin = await runtime.ApiKeys.CreateAsync(ApiScope.All, "demo " + run);
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        using var api = new HttpClient { BaseAddress = new Uri(baseUrl) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin.Secret);

        var (registry, who, kenAdmin) = await TrustRegistryAsync(settings, ledger, demoDir);
        var reader = new TrustRegistryReader(ledger.Connection, registry.Address, registry.DeploymentBlock);
        var client = await TrustRegistryClient.OpenAsync(ledger.Connection, registry.Address);
        var issuerId = "ke-moh-" + run;
        string issuerDid = "";
        JsonObject credential = new();
        var vaccination = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(-15);
        using var holderKey = Ed25519SigningKey.Generate();
        var holder = IssuerProfile.ForDidKey(holderKey);

        await steps.RunAsync("1. Country A (KEN) creates an issuer DID on the ledger, is onboarded in the trust registry and binds its DSC", async () =>
        {
            var created = await Post(api, "/issuers", new JsonObject { ["id"] = issuerId, ["method"] = "ethr" }, 201);
            issuerDid = (string)created["did"]!;
            var kenCountry = CountryCode.Parse("KEN");
            if (await reader.GetParticipantOnChainAsync(kenCountry) is null)
                await client.ExecuteAsync(new OnboardParticipant(kenCountry, kenAdmin.GetPublicAddress(), TrustDomainCodes.Parse("ICVP,DCC,VERIFIER-PACK")), who, WriteMode.Relayed);
            await client.ExecuteAsync(new AddIssuer(new IssuerRegistration(kenCountry, IssuerRef.Did(issuerDid), TrustDomainCodes.Parse("ICVP"))), kenAdmin, WriteMode.Relayed);
            await Post(api, $"/issuers/{issuerId}/dsc", new JsonObject
            {
                ["certificate"] = kenyaDsc.ExportCertificatePem(),
                ["privateKey"] = kenyaDsc.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(),
                ["chain"] = kenya.Csca.ExportCertificatePem(),
            }, 200);
            var thumbprint = Bytes32.Parse(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(kenyaDsc.RawData)));
            await client.ExecuteAsync(new AddIssuer(new IssuerRegistration(kenCountry, IssuerRef.Kid(TrustEntry.KidOf(kenyaDsc)),
                TrustDomainCodes.Parse("ICVP"), Thumbprint: thumbprint)), kenAdmin, WriteMode.Relayed);
            await WaitForChainTimeAsync(ledger.Connection, clock);
            return $"{issuerDid} (key {(string)created["verificationMethod"]!}), DSC kid {Convert.ToBase64String(TrustEntry.KidOf(kenyaDsc))} registered for KEN/ICVP";
        });

        await steps.RunAsync("2. A issues a yellow-fever ICVP credential to a did:key wallet, with a status entry", async () =>
        {
            var unsigned = new IcvpCredentialBuilder(time: clock).Build(
                new IcvpHolder("Jane Doe", "1990-04-12") { Sex = "female", Nationality = "KEN", Nid = "AB1234567", Ndt = "PPN", Id = holder.Issuer },
                new IcvpDose("YellowFeverProductd8a09f80301dc05e124f99ffe7711fc0", "1D47", vaccination, "S4D123") { ClinicianName = "Dr. A. Mwangi", Issuer = "KEN", DoseNumber = 1 },
                issuerDid, "urn:uuid:" + Guid.NewGuid());
            var issued = await Post(api, $"/issuers/{issuerId}/credentials/issue",
                new JsonObject { ["credential"] = unsigned, ["options"] = new JsonObject { ["credentialStatus"] = "revocation" } }, 201);
            credential = (JsonObject)issued["verifiableCredential"]!;
            await File.WriteAllTextAsync(Path.Combine(outDir, "icvp-credential.json"), credential.ToJsonString(CliOutput.Json));
            return $"vaccinated {vaccination:yyyy-MM-dd}, validFrom {credential["validFrom"]} (lifelong), status index {credential["credentialStatus"]?["statusListIndex"]}";
        });

        await steps.RunAsync("3. The holder presents it to a verifier in country B with a challenge: valid, trusted, valid from day 10", async () =>
        {
            var challenge = "border-" + Guid.NewGuid().ToString("N")[..8];
            var vp = await new PresentationSigner(runtime.Credentials.Proofs).CreateAsync(
                new HolderProfile(holder.Issuer, holder.VerificationMethod, holderKey), [credential], challenge, "port-health.gh.example");
            await Post(http, "/presentations/verify", new JsonObject
            {
                ["verifiablePresentation"] = vp, ["options"] = new JsonObject { ["challenge"] = challenge, ["domain"] = "port-health.gh.example" },
            }, 200);
            await Post(http, "/presentations/verify", new JsonObject
            {
                ["verifiablePresentation"] = vp.DeepClone(), ["options"] = new JsonObject { ["challenge"] = "replayed", ["domain"] = "port-health.gh.example" },
            }, 400);
            var created = DateTimeOffset.Parse((string)credential["proof"]!["created"]!);
            var verified = await Post(http, "/credentials/verify", new JsonObject { ["verifiableCredential"] = credential.DeepClone() }, 200);
            if (verified["trust"]?["trusted"]?.GetValue<bool>() != true) throw new DemoStepFailed($"issuer not trusted: {verified["trust"]?.ToJsonString()}");
            var trust = await reader.CheckAsync(new TrustQuery(CountryCode.Parse("KEN"), IssuerRef.Did(issuerDid), TrustDomainCodes.Parse("ICVP"), created));
            if (!trust.Trusted) throw new DemoStepFailed($"issuer not trusted: {trust.Reason}");
            var day = vaccination.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var validFrom = IcvpCatalogue.ValidFrom(IcvpCatalogue.YellowFever, vaccination).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var early = await runtime.Credentials.Verifier.VerifyAsync(credential, new VerificationOptions { Now = day.AddDays(5), CheckStatus = false });
            var onTime = await runtime.Credentials.Verifier.VerifyAsync(credential, new VerificationOptions { Now = validFrom, CheckStatus = false });
            if (early.Verified || !early.Has(ProblemCode.NotYetValid) || !onTime.Verified)
                throw new DemoStepFailed($"validity rule: day 5 verified={early.Verified}, day 10 verified={onTime.Verified}");
            return $"presentation verified (wrong challenge refused); trusted by registry entry in block {trust.EntryBlock}; day 5: not yet valid, day 10: valid";
        });

        await steps.RunAsync("4. A rotates its signing key: the old credential still verifies; a credential forged with the old key after the rotation fails", async () =>
        {
            var issuers = app.Services.GetRequiredService<IssuerStore>();
            var before = (await issuers.FindAsync(issuerId))!;
            var oldSeed = await issuers.SigningKeyAsync(issuerId);
            // Key validity is judged per second of block time: the rotation must fall in a second after the credential's
            // proof (the node answers a rotation only once its block time has passed, so nothing waits after it).
            var proofSecond = DateTimeOffset.Parse((string)credential["proof"]!["created"]!, System.Globalization.CultureInfo.InvariantCulture);
            await Vc.Did.Ledger.ChainClock.WaitPastAsync(proofSecond, runtime.Time);
            var rotated = await Post(api, $"/issuers/{issuerId}/keys/rotate", new JsonObject(), 200);
            await Post(http, "/credentials/verify", new JsonObject { ["verifiableCredential"] = credential.DeepClone() }, 200);
            using var oldKey = Ed25519SigningKey.FromSeed(oldSeed);
            Array.Clear(oldSeed);
            var forged = await new CredentialIssuer(runtime.Credentials.Proofs, new IssuerProfile(issuerDid, before.VerificationMethod, oldKey))
                .IssueAsync(Strip((JsonObject)credential.DeepClone()));
            var refused = await Post(http, "/credentials/verify", new JsonObject { ["verifiableCredential"] = forged }, 400);
            return $"new key {(string)rotated["verificationMethod"]!}; old credential verifies; forged one refused: {FirstProblem(refused)}";
        });

        var hc1 = "";
        await steps.RunAsync("5. The credential is bridged to an HC1 QR, verified by a PKI verifier that only knows the DCC trust list", async () =>
        {
            var bridged = await Post(api, "/bridge/vc-to-hcert", new JsonObject
            {
                ["verifiableCredential"] = credential.DeepClone(),
                ["options"] = new JsonObject { ["acceptOmitted"] = new JsonArray("id", "credentialSubject.id", "credentialStatus") },
            }, 200);
            hc1 = (string)bridged["hc1"]!;
            var png = Path.Combine(outDir, "icvp-ke-bridged.png");
            await File.WriteAllBytesAsync(png, Convert.FromBase64String((string)bridged["qrPng"]!));
            var report = await DccCommands.VerifyAsync(png, [trustListPath], clock.GetUtcNow(), new TrustFileOptions { GatewayTrustAnchor = gatewayAnchor });
            if (!report.IsValid) throw new DemoStepFailed($"PKI verifier: {report.ToJson()["outcome"]}: {report.ToJson()["reason"]}");
            // Ledger → PKI: the registry exported as a GDHCN did:web trust list; a GDHCN-only verifier accepts the QR too.
            using var listResponse = await http.GetAsync("/trust-list?format=gdhcn&domain=ICVP&participant=KEN");
            if (!listResponse.IsSuccessStatusCode) throw new DemoStepFailed($"GET /trust-list: {(int)listResponse.StatusCode} {await listResponse.Content.ReadAsStringAsync()}");
            var gdhcnPath = Path.Combine(outDir, "gdhcn-trustlist-ICVP-KEN.did.json");
            await File.WriteAllTextAsync(gdhcnPath, await listResponse.Content.ReadAsStringAsync());
            var viaGdhcn = await DccCommands.VerifyAsync(png, [gdhcnPath], clock.GetUtcNow());
            if (!viaGdhcn.IsValid) throw new DemoStepFailed($"GDHCN verifier: {viaGdhcn.ToJson()["outcome"]}: {viaGdhcn.ToJson()["reason"]}");
            return $"{png} ({hc1.Length} chars) verified from the QR image against the gateway trust list, and against the registry's GDHCN export ({gdhcnPath}); omitted by consent: {string.Join(", ", bridged["omitted"]!.AsArray())}";
        });

        await steps.RunAsync("6. Country C (GHA, PKI only) issues an ICVP HCERT; bridged into a VC with evidence and verified in the DID world", async () =>
        {
            var payload = new IcvpCertificate
            {
                Name = "Kwame Mensah", DateOfBirth = "1985-07-20", Sex = "male", Nationality = "GHA",
                Vaccination = new IcvpVaccination
                {
                    ProductId = "YellowFeverProductd8a09f80301dc05e124f99ffe7711fc0", Disease = "1D47",
                    Date = vaccination.ToString("yyyy-MM-dd"), BatchNo = "GH-778", ValidFrom = IcvpCatalogue.ValidFrom(IcvpCatalogue.YellowFever, vaccination).ToString("yyyy-MM-dd"),
                    Issuer = "GHA", ClinicianName = "Dr. K. Owusu",
                },
            };
            var ghanaHc1 = new HcertSigner(ghanaDsc).SignIcvp(payload, "GH", clock.GetUtcNow());
            var png = Path.Combine(outDir, "icvp-gh-hcert.png");
            await File.WriteAllBytesAsync(png, Vc.Interop.Qr.HcertQr.RenderPng(ghanaHc1));
            var bridged = await Post(api, "/bridge/hcert-to-vc", new JsonObject { ["qrPng"] = Convert.ToBase64String(await File.ReadAllBytesAsync(png)) }, 201);
            var vc = (JsonObject)bridged["verifiableCredential"]!;
            await File.WriteAllTextAsync(Path.Combine(outDir, "icvp-gh-bridged-credential.json"), vc.ToJsonString(CliOutput.Json));
            await Post(http, "/credentials/verify", new JsonObject { ["verifiableCredential"] = vc.DeepClone() }, 200);
            var evidence = vc["evidence"]![0]!;
            return $"VC by {vc["issuer"]} with evidence (HC1 + DSC {evidence["dscCountry"]} {evidence["trustSource"]} {evidence["dscKid"]}) verifies";
        });

        await steps.RunAsync("7. A revokes the credential: verification now fails with \"revoked\"", async () =>
        {
            await Post(api, "/credentials/status", new JsonObject
            {
                ["verifiableCredential"] = credential.DeepClone(), ["statusPurpose"] = "revocation", ["status"] = true,
            }, 200);
            var result = await Post(http, "/credentials/verify", new JsonObject { ["verifiableCredential"] = credential.DeepClone() }, 400);
            var problem = FirstProblem(result);
            return problem.Contains("revoked", StringComparison.OrdinalIgnoreCase) ? problem : throw new DemoStepFailed("expected revoked, got " + problem);
        });

        await steps.RunAsync("8. The HC1 QR bridged from it (step 5) is refused too: revoked, and on the node's EU DCC revocation list", async () =>
        {
            var refused = await Post(http, "/hcert/verify", new JsonObject { ["hc1"] = hc1 }, 400);
            if ((string?)refused["outcome"] != "Revoked") throw new DemoStepFailed($"expected Revoked, got {refused["outcome"]}: {refused["reason"]}");
            var published = JsonNode.Parse(await http.GetStringAsync("/hcert/revocation"))!;
            await File.WriteAllTextAsync(Path.Combine(outDir, "hcert-revocation-batches.json"), published.ToJsonString(CliOutput.Json));
            return $"{refused["reason"]}; published in {published["batches"]!.AsArray().Count} gateway batch(es) (hcert-revocation-batches.json)";
        });

        await app.StopAsync();

        await steps.RunAsync("9. A verifier without a ledger: the node packs the registry, key histories, DSCs and status lists as of one block (signed); the ledger stops; the credential verifies offline", async () =>
        {
            // KEN registers the node's pack key for VERIFIER-PACK (signed, relayed): verifiers then need only WHO's address.
            await RegisterPackKeyAsync(runtime, reader, client, who, kenAdmin);
            var built = await VerifierPackBuilder.BuildAsync(runtime, TrustDomains.Icvp, CountryCode.Parse("KEN"));
            var packPath = Path.Combine(outDir, "verifier-pack.json");
            await File.WriteAllBytesAsync(packPath, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(built.Pack));
            await ledger.DisposeAsync();
            await NodeLedger.StopDaemonAsync(settings);
            if (await NodeLedger.RunningEmbeddedAsync(settings) is not null) throw new DemoStepFailed("the ledger still runs");
            var pack = await VerifierPack.OpenAsync(packPath, new HashSet<string>(), clock, VerifierPack.DefaultMaxAge,
                trustAnchors: new HashSet<string> { who.GetPublicAddress() });
            await using var offline = await VcAgent.OpenAsync(new AgentOptions { Ledger = settings, Pack = pack, Time = clock });
            using var document = System.Text.Json.JsonDocument.Parse(credential.ToJsonString());
            var signed = await offline.VerifyCredentialAsync(document.RootElement, new VerificationOptions { CheckStatus = false });
            var status = await offline.VerifyCredentialAsync(document.RootElement, new VerificationOptions());
            if (!signed.Verified || signed.Trust?["trusted"]?.GetValue<bool>() != true)
                throw new DemoStepFailed("offline: expected verified and trusted, got " + signed.ToJson().ToJsonString());
            if (status.Verified || !status.ToJson().ToJsonString().Contains("revoked", StringComparison.OrdinalIgnoreCase))
                throw new DemoStepFailed("offline: expected revoked (the pack's status list), got " + status.ToJson().ToJsonString());
            return $"pack {Path.GetFileName(packPath)} ({new FileInfo(packPath).Length} bytes, block {pack.Block} at {pack.BlockTime:O}, {pack.ContentHash[..19]}…); "
                + $"signer {pack.KeyId.Split('#')[0][..20]}… registered by {pack.SignerRegistration!.Country} under the anchor {pack.SignerRegistration.Anchor}; "
                + $"ledger stopped: proof verified, key in force at issuance, {signed.Trust!["detail"]}; status from the pack: revoked";
        });
        return steps.Summary();
    }

    /// <summary>The unsigned copy of a credential (no proof), with a new id: what a forger would sign.</summary>
    private static JsonObject Strip(JsonObject credential)
    {
        credential.Remove("proof");
        credential["id"] = "urn:uuid:" + Guid.NewGuid();
        return credential;
    }

    private static string FirstProblem(JsonObject result) =>
        result["problemDetails"]?.AsArray().FirstOrDefault() is { } p ? $"{p["title"]}: {p["detail"]}" : result.ToJsonString();

    private static async Task<JsonObject> Post(HttpClient http, string path, JsonObject body, int expected)
    {
        using var response = await http.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != expected)
            throw new DemoStepFailed($"POST {path}: expected {expected}, got {(int)response.StatusCode}: {(text.Length > 400 ? text[..400] : text)}");
        return JsonNode.Parse(text) as JsonObject ?? new JsonObject();
    }

    /// <summary>A gateway trust list: CSCA and UPLOAD items signed by the anchor, each DSC signed by its country's UPLOAD.</summary>
    private static string GatewayList(DateTimeOffset now, X509Certificate2 anchor, params (CountryPki Pki, X509Certificate2 Dsc)[] countries)
    {
        var items = new JsonArray();
        foreach (var (pki, dsc) in countries)
        {
            using var upload = pki.IssueUpload();
            using var uploadPublic = X509CertificateLoader.LoadCertificate(upload.RawData);
            items.Add(JsonNode.Parse(EuGatewayTrustList.CreateItem(pki.Csca, pki.Country, "CSCA", anchor, now).GetRawText()));
            items.Add(JsonNode.Parse(EuGatewayTrustList.CreateItem(uploadPublic, pki.Country, "UPLOAD", anchor, now).GetRawText()));
            using var dscPublic = X509CertificateLoader.LoadCertificate(dsc.RawData);
            items.Add(JsonNode.Parse(EuGatewayTrustList.CreateItem(dscPublic, pki.Country, "DSC", upload, now).GetRawText()));
        }
        return items.ToJsonString(CliOutput.Json);
    }

    /// <summary>The trust registry of this chain (deployed once, WHO as anchor) and the demo's governance keys.</summary>
    /// <summary>The pack key of the node registered by KEN for VERIFIER-PACK (the domain opened to KEN first, for data
    /// directories of earlier demo runs).</summary>
    private static async Task RegisterPackKeyAsync(VcAgent runtime, TrustRegistryReader reader, TrustRegistryClient client, EthECKey who, EthECKey kenAdmin)
    {
        var ken = CountryCode.Parse("KEN");
        using var key = await PackKeys.LoadOrCreateAsync(runtime.Options.DataDirectory);
        var signer = IssuerRef.Did(PackKeys.KeyId(key).Split('#')[0]);
        if (await reader.GetParticipantOnChainAsync(ken) is { } p && (p.Domains & TrustDomains.VerifierPack) == 0)
            await client.ExecuteAsync(new UpdateParticipant(ken, p.Admin, p.Domains | TrustDomains.VerifierPack), who, WriteMode.Relayed);
        if (await reader.GetIssuerOnChainAsync(ken, signer) is null)
            await client.ExecuteAsync(new AddIssuer(new IssuerRegistration(ken, signer, TrustDomains.VerifierPack)), kenAdmin, WriteMode.Relayed);
    }

    private static async Task<(TrustRegistryRecord Registry, EthECKey Who, EthECKey KenAdmin)> TrustRegistryAsync(LedgerSettings settings, NodeLedger ledger, string demoDir)
    {
        var who = await KeyFileAsync(Path.Combine(demoDir, "who-anchor.eth"));
        var kenAdmin = await KeyFileAsync(Path.Combine(demoDir, "ken-admin.eth"));
        var record = await TrustRegistryRecord.ReadAsync(settings, ledger.Connection)
            ?? await TrustRegistryRecord.DeployAsync(settings, ledger.Connection, who.GetPublicAddress());
        return (record, who, kenAdmin);
    }

    private static async Task<EthECKey> KeyFileAsync(string path)
    {
        if (!File.Exists(path)) await SecretFiles.WriteAsync(path, EthECKey.GenerateKey().GetPrivateKey());
        return TrustKeys.ParsePrivateKey(await File.ReadAllTextAsync(path));
    }
}

/// <summary>A failed demo step: what was expected and what happened instead.</summary>
public sealed class DemoStepFailed(string message) : Exception(message);

/// <summary>Prints each step with its outcome and counts failures.</summary>
public sealed class DemoSteps(TextWriter output)
{
    private int _number, _failed;

    public async Task RunAsync(string title, Func<Task<string>> step)
    {
        _number++;
        try
        {
            var result = await step();
            output.WriteLine($"{title}\n   OK — {result}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _failed++;
            output.WriteLine($"{title}\n   FAILED — {e.GetType().Name}: {e.Message}");
        }
    }

    public int Summary()
    {
        output.WriteLine(_failed == 0 ? $"demo: all {_number} steps behaved as expected" : $"demo: {_failed} of {_number} steps failed");
        return _failed == 0 ? ExitCodes.Ok : ExitCodes.Negative;
    }
}
