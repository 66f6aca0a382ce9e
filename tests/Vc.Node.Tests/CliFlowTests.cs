using Vc.TestSupport;
using System.Text.Json.Nodes;
using Vc.Node.Cli;

namespace Vc.Node.Tests;

/// <summary>The CLI driven as a script would: commands, JSON on stdout, exit codes.</summary>
public sealed class CliFlowTests() : CliTestDirectory("vchealth-cliflow-")
{
    /// <summary>The clock of every command: the wall clock, caught up with the chain where a test needs its changes past.</summary>
    private readonly TestClock _clock = TestClock.Wall();
    protected override TimeProvider Clock => _clock;

    private const string Credential = """
        {"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],
         "type":["VerifiableCredential","ExampleAlumniCredential"],"validFrom":"2025-01-01T00:00:00Z",
         "credentialSubject":{"id":"did:example:holder","alumniOf":"Example University"}}
        """;

    [Fact]
    public async Task Issue_verify_revoke_verify_through_the_cli()
    {
        Assert.Equal(ExitCodes.Ok, (await Run("issuer", "create", "moh")).Code);
        var (code, signed, err) = await Run("vc", "issue", File("vc.json", Credential), "--issuer", "moh", "--status", "revocation");
        Assert.True(code == ExitCodes.Ok, err);
        var vcFile = File("signed.json", signed);

        var verified = await Run("vc", "verify", vcFile);
        Assert.Equal(ExitCodes.Ok, verified.Code);
        Assert.True((bool)JsonNode.Parse(verified.Out)!["verified"]!);

        Assert.Equal(ExitCodes.Ok, (await Run("vc", "status", vcFile)).Code);
        var revoked = await Run("vc", "verify", vcFile);
        Assert.Equal(ExitCodes.Negative, revoked.Code);
        Assert.Contains("revoked", revoked.Out, StringComparison.OrdinalIgnoreCase);

        var tampered = File("tampered.json", signed.Replace("Example University", "Other University"));
        Assert.Equal(ExitCodes.Negative, (await Run("vc", "verify", tampered, "--no-status")).Code);
    }

    [Fact]
    public async Task Presentation_with_challenge_verifies_only_with_that_challenge()
    {
        var holder = await Run("key", "generate", "--out", Path.Combine(Dir, "holder.key"));
        var holderDid = (string)JsonNode.Parse(holder.Out)!["did"]!;
        Assert.DoesNotContain(System.IO.File.ReadAllText(Path.Combine(Dir, "holder.key")).Trim(), holder.Out);
        await Run("issuer", "create", "vp-issuer");
        var (_, signed, _) = await Run("vc", "issue", File("vc2.json", Credential.Replace("did:example:holder", holderDid)), "--issuer", "vp-issuer");
        var vcFile = File("signed2.json", signed);

        var (code, vp, err) = await Run("vp", "create", vcFile, "--holder-key", Path.Combine(Dir, "holder.key"), "--challenge", "c-123", "--domain", "border.example");
        Assert.True(code == ExitCodes.Ok, err);
        var vpFile = File("vp.json", vp);

        Assert.Equal(ExitCodes.Ok, (await Run("vp", "verify", vpFile, "--challenge", "c-123", "--domain", "border.example")).Code);
        Assert.Equal(ExitCodes.Negative, (await Run("vp", "verify", vpFile, "--challenge", "other", "--domain", "border.example")).Code);
    }

    [Fact]
    public async Task Canon_prints_canonical_nquads_and_refuses_unbundled_contexts()
    {
        var (code, output, _) = await Run("canon", File("c.json", Credential));
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("<did:example:holder> <https://www.w3.org/ns/credentials/examples#alumniOf> \"Example University\" .", output);

        var unknown = await Run("canon", File("u.json", """{"@context":"https://unknown.example/ctx","a":1}"""));
        Assert.Equal(ExitCodes.Failed, unknown.Code);
        Assert.Contains("https://unknown.example/ctx", unknown.Err);

        // a 2-cycle needs more than the 2 Hash N-Degree Quads calls the default work factor 1 allows: refused, as by rdf-canonize
        var cycle = File("q.nq", "_:x <http://ex/p> _:y .\n_:y <http://ex/p> _:x .\n");
        var refused = await Run("canon", cycle, "--nquads", "--hash", "sha384");
        Assert.Equal(ExitCodes.Failed, refused.Code);
        Assert.Contains("rdfc.WorkLimitExceeded", refused.Err);
        var nquads = await Run("canon", cycle, "--nquads", "--hash", "sha384", "--work-factor", "2");
        Assert.Equal(ExitCodes.Ok, nquads.Code);
        Assert.Contains("_:c14n0 <http://ex/p> _:c14n1 .", nquads.Out);
        Assert.Equal(nquads.Out, (await Run("canon", cycle, "--nquads", "--hash", "sha384", "--work-factor", "none")).Out);
        Assert.Equal(ExitCodes.Usage, (await Run("canon", cycle, "--nquads", "--work-factor", "-1")).Code);
    }

    [Fact]
    public async Task Trust_registry_governance_through_the_cli_with_relayed_writes()
    {
        var who = JsonNode.Parse((await Run("key", "generate", "--type", "secp256k1", "--out", Path.Combine(Dir, "who.eth"))).Out)!;
        var ken = JsonNode.Parse((await Run("key", "generate", "--type", "secp256k1", "--out", Path.Combine(Dir, "ken.eth"))).Out)!;
        var gha = JsonNode.Parse((await Run("key", "generate", "--type", "secp256k1", "--out", Path.Combine(Dir, "gha.eth"))).Out)!;
        const string did = "did:ethr:0x7a69:0x1111111111111111111111111111111111111111";

        Assert.Equal(ExitCodes.Failed, (await Run("trust", "check", "KEN", did, "--domain", "ICVP")).Code); // not initialised
        Assert.Equal(ExitCodes.Ok, (await Run("trust", "init", "--anchor", (string)who["address"]!)).Code);
        var status = JsonNode.Parse((await Run("status")).Out)!;
        Assert.StartsWith("0x", (string?)status["ledger"]!["contracts"]!["TrustRegistry"]);
        foreach (var (cc, admin) in new[] { ("KEN", ken), ("GHA", gha) })
            Assert.Equal(ExitCodes.Ok, (await Run("trust", "onboard", cc, "--admin", (string)admin["address"]!, "--domains", "ICVP", "--key", Path.Combine(Dir, "who.eth"), "--relay")).Code);
        Assert.Equal(ExitCodes.Ok, (await Run("trust", "add-issuer", "KEN", "--did", did, "--domains", "ICVP", "--key", Path.Combine(Dir, "ken.eth"), "--relay")).Code);

        Assert.Equal(ExitCodes.Ok, (await Run("trust", "check", "KEN", did, "--domain", "ICVP")).Code);
        Assert.Equal(ExitCodes.Negative, (await Run("trust", "check", "GHA", did, "--domain", "ICVP")).Code);

        // Ghana's admin cannot suspend Kenya's issuer; Kenya's can.
        var foreign = await Run("trust", "suspend", "KEN", did, "--key", Path.Combine(Dir, "gha.eth"), "--relay");
        Assert.Equal(ExitCodes.Failed, foreign.Code);
        Assert.Contains("trust.", foreign.Err);
        Assert.Equal(ExitCodes.Ok, (await Run("trust", "suspend", "KEN", did, "--key", Path.Combine(Dir, "ken.eth"), "--relay")).Code);
        Assert.Equal(ExitCodes.Negative, (await Run("trust", "check", "KEN", did, "--domain", "ICVP")).Code);

        var audit = JsonNode.Parse((await Run("trust", "audit", "KEN")).Out)!.AsArray();
        Assert.True(audit.Count >= 3);
        Assert.Equal(ExitCodes.Usage, (await Run("trust", "onboard", "KENYA", "--admin", "0x1", "--domains", "ICVP", "--key", Path.Combine(Dir, "who.eth"))).Code);
    }

    [Fact]
    public async Task did_ethr_lifecycle_through_the_cli_with_historical_resolution()
    {
        var keyFile = Path.Combine(Dir, "owner.key");
        var created = JsonNode.Parse((await Run("did", "create", "--key-file", keyFile)).Out)!;
        var did = (string)created["did"]!;
        Assert.StartsWith("did:ethr:0x7a69:0x", did);

        const string key1 = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
        var added = await Run("did", "add-key", did, "--key-file", keyFile, "--type", "ed25519", "--public-key", key1);
        Assert.True(added.Code == ExitCodes.Ok, added.Err);
        var firstBlock = (long)JsonNode.Parse(added.Out)!["transactions"]![0]!["block"]!;
        Assert.Equal(ExitCodes.Ok, (await Run("did", "add-service", did, "--key-file", keyFile, "--type", "HubService", "--endpoint", "https://hub.example")).Code);
        Assert.Equal(ExitCodes.Ok, (await Run("did", "revoke-key", did, "--key-file", keyFile, "--type", "ed25519", "--public-key", key1)).Code);
        // "Now" is past the chain's latest block: the commands' clock is moved up to the chain, not waited for.
        var rpc = new Uri((string)JsonNode.Parse((await Run("status")).Out)!["ledger"]!["rpcUrl"]!);
        await DevChainClock.CatchUpAsync(rpc, _clock);

        var now = JsonNode.Parse((await Run("did", "resolve", did)).Out)!;
        Assert.DoesNotContain(key1, now["didDocument"]!.ToJsonString());
        Assert.Equal("https://hub.example", (string?)now["didDocument"]!["service"]![0]!["serviceEndpoint"]);
        var then = JsonNode.Parse((await Run("did", "resolve", $"{did}?versionId={firstBlock}")).Out)!;
        Assert.Contains(key1, then["didDocument"]!.ToJsonString());

        Assert.Equal(ExitCodes.Ok, (await Run("did", "deactivate", did, "--key-file", keyFile)).Code);
        var deactivated = JsonNode.Parse((await Run("did", "resolve", did)).Out)!;
        Assert.True((bool)deactivated["didDocumentMetadata"]!["deactivated"]!);
        var after = await Run("did", "add-service", did, "--key-file", keyFile, "--type", "X", "--endpoint", "https://x.example");
        Assert.Equal(ExitCodes.Failed, after.Code);
        Assert.Contains("did.Reverted", after.Err);

        Assert.Equal(ExitCodes.Usage, (await Run("did", "resolve", "did:ethr:0x7a69:0x12")).Code);
        Assert.Equal(ExitCodes.Usage, (await Run("did", "add-key", did, "--key-file", keyFile, "--type", "ed25519", "--public-key", "abcd")).Code);
    }

    [Fact]
    public async Task Commands_read_the_clock_they_are_given()
    {
        // A standing clock years after any real run: the PKI starts then, the HC1 is issued then and is valid then only.
        var then = new DateTimeOffset(2031, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var standing = TestClock.Standing(then);
        var pki = await RunAt(standing, "pki", "dev-country", "KE", "--out", Path.Combine(Dir, "pki"));
        Assert.True(pki.Code == ExitCodes.Ok, pki.Err);
        var country = JsonNode.Parse(pki.Out)!;
        Assert.Equal(then.AddMinutes(-5).AddYears(2), DateTimeOffset.Parse((string)country["dscNotAfter"]!, System.Globalization.CultureInfo.InvariantCulture));
        var (dsc, dscKey) = ((string)country["files"]!["dsc"]!, (string)country["files"]!["dscKey"]!);
        var signed = await RunAt(standing, "dcc", "sign", File("dcc.json", Dcc), "--cert", dsc, "--key", dscKey, "--iss", "KE");
        Assert.True(signed.Code == ExitCodes.Ok, signed.Err);
        var hc1 = signed.Out.Trim();
        var atThen = await RunAt(standing, "dcc", "verify", hc1, "--trust", dsc);
        Assert.True(atThen.Code == ExitCodes.Ok, atThen.Out + atThen.Err);
        Assert.Contains($"\"iat\": \"{then:yyyy-MM-ddTHH:mm:ss}", atThen.Out);
        var today = await Run("dcc", "verify", hc1, "--trust", dsc);
        Assert.True(today.Code == ExitCodes.Negative, today.Out + today.Err);

        // The wall clock moved past a delegate's validity by the test (a chain hour later), not waited for: `did resolve`
        // answers "now" on the clock it is given.
        var keyFile = Path.Combine(Dir, "owner.key");
        var did = (string)JsonNode.Parse((await Run("did", "create", "--key-file", keyFile)).Out)!["did"]!;
        const string delegateAddress = "0x2222222222222222222222222222222222222222";
        var added = await Run("did", "add-delegate", did, "--key-file", keyFile, "--delegate", delegateAddress, "--validity", "3600");
        Assert.True(added.Code == ExitCodes.Ok, added.Err);
        var rpc = new Uri((string)JsonNode.Parse((await Run("status")).Out)!["ledger"]!["rpcUrl"]!);
        var validTo = await DevChainClock.LatestBlockTimeAsync(rpc) + 3600;
        var live = await Run("did", "resolve", did);
        Assert.Contains(delegateAddress, live.Out, StringComparison.OrdinalIgnoreCase);
        _clock.NotBefore(DateTimeOffset.FromUnixTimeSeconds(validTo + 1));
        var expired = await Run("did", "resolve", did);
        Assert.True(expired.Code == ExitCodes.Ok, expired.Err);
        Assert.DoesNotContain(delegateAddress, expired.Out, StringComparison.OrdinalIgnoreCase);
    }

    private const string Dcc = """{"ver":"1.3.0","nam":{"fn":"Musterfrau","gn":"Erika","fnt":"MUSTERFRAU","gnt":"ERIKA"},"dob":"1964-08-12","v":[{"tg":"840539006","vp":"1119349007","mp":"EU/1/20/1528","ma":"ORG-100030215","dn":2,"sd":2,"dt":"2021-05-29","co":"DE","is":"Robert Koch-Institut","ci":"URN:UVCI:01DE/IZ12345A/5CWLU12RNOB9RXSEOP6FG8#W"}]}""";

    [Fact]
    public async Task A_gdhcn_trust_list_goes_into_the_registry_and_comes_back_out_as_a_signed_did_web_list()
    {
        var icvp = TestPaths.TestData("who/icvp");
        // WHO's test material is valid from 2025-10 to 2027-09: the registry runs on a chain whose clock starts inside
        // that window (registrations and checks read the chain's time), and the verifier is given a time in it too.
        await using var chain = await Vc.Did.Ledger.AnvilProcess.StartAsync(new Vc.Did.Ledger.AnvilOptions
        {
            GenesisTime = new DateTimeOffset(2026, 1, 15, 0, 0, 0, TimeSpan.Zero),
        });
        Task<(int Code, string Out, string Err)> Run(params string[] args) => this.Run([.. args, "--rpc", chain.RpcUrl.ToString()]);
        var who = JsonNode.Parse((await Run("key", "generate", "--type", "secp256k1", "--out", Path.Combine(Dir, "who.eth"))).Out)!;
        var xxa = JsonNode.Parse((await Run("key", "generate", "--type", "secp256k1", "--out", Path.Combine(Dir, "xxa.eth"))).Out)!;
        var init = await Run("trust", "init", "--anchor", (string)who["address"]!);
        Assert.True(init.Code == ExitCodes.Ok, init.Err);
        Assert.Equal(ExitCodes.Ok, (await Run("trust", "onboard", "XXA", "--admin", (string)xxa["address"]!, "--domains", "ICVP,DCC",
            "--key", Path.Combine(Dir, "who.eth"), "--relay")).Code);

        var import = await Run("trust", "import-gdhcn", Path.Combine(icvp, "test-trustlist-ICVP-XXA-DSC.did.json"), "--participant", "XXA",
            "--key", Path.Combine(Dir, "xxa.eth"), "--allow-unverified", "--relay");
        Assert.True(import.Code == ExitCodes.Ok, import.Out + import.Err);
        // Given a did:web DID, the list is read where it is published, through the outbound guard: a loopback host
        // named by input is refused (a typed error, nothing imported).
        var guarded = await Run("trust", "import-gdhcn", "did:web:127.0.0.1%3A9:trustlist", "--participant", "XXA",
            "--key", Path.Combine(Dir, "xxa.eth"), "--allow-unverified", "--relay");
        Assert.True(guarded.Code == ExitCodes.Failed, guarded.Out + guarded.Err);
        Assert.Contains("DidNotResolved", guarded.Err);
        Assert.Contains("127.0.0.1", guarded.Err);

        using var proofKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var proofKeyFile = File("proof.key.pem", proofKey.ExportPkcs8PrivateKeyPem());
        var exported = Path.Combine(Dir, "exported.did.json");
        var export = await Run("trust", "export-gdhcn", "--domain", "ICVP", "--participant", "XXA", "--host", "trust.example",
            "--proof-key", proofKeyFile, "--out", exported);
        Assert.True(export.Code == ExitCodes.Ok, export.Out + export.Err);

        // An unmodified PKI verifier trusts the ICVP example through the exported list.
        var verify = await Run("dcc", "verify", Path.Combine(icvp, "icvp-yf-HC1.txt"), "--trust", exported, "--at", "2026-06-01T00:00:00Z");
        Assert.True(verify.Code == ExitCodes.Ok, verify.Out + verify.Err);

        var kid = (string)JsonNode.Parse(verify.Out)!["kid"]!;
        Assert.Equal(ExitCodes.Ok, (await Run("trust", "check", "kid:" + kid, "--domain", "ICVP", "--country", "XXA")).Code);
        Assert.Equal(ExitCodes.Ok, (await Run("trust", "suspend", "XXA", "kid:" + kid, "--key", Path.Combine(Dir, "xxa.eth"), "--relay")).Code);
        Assert.Equal(ExitCodes.Negative, (await Run("trust", "check", "kid:" + kid, "--domain", "ICVP", "--country", "XXA")).Code);
    }
}
