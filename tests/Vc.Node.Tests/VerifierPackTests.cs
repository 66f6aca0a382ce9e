using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Vc.Agent;
using Vc.Credentials.Icvp;
using Vc.Node.Cli;

namespace Vc.Node.Tests;

/// <summary>
/// The offline verifier pack through the CLI: built on a running ledger, then — with the ledger stopped — a VC, a VP
/// and an HCERT verify from the pack alone; a tampered, re-signed, foreign or stale pack is refused with a typed error.
/// </summary>
public sealed class VerifierPackTests() : CliTestDirectory("vchealth-pack-")
{

    private string Path_(string name) => Path.Combine(Dir, name);

    private static string ErrorType(string stderr) => (string)JsonNode.Parse(stderr)!["error"]!["type"]!;

    [Fact]
    public async Task A_pack_built_on_the_ledger_verifies_vc_vp_and_hcert_with_the_ledger_stopped_and_refuses_tampering()
    {
        var who = JsonNode.Parse((await Run("key", "generate", "--type", "secp256k1", "--out", Path_("who.eth"))).Out)!;
        var ken = JsonNode.Parse((await Run("key", "generate", "--type", "secp256k1", "--out", Path_("ken.eth"))).Out)!;
        var created = await Run("issuer", "create", "moh", "--method", "ethr");
        Assert.True(created.Code == ExitCodes.Ok, created.Err);
        var did = (string)JsonNode.Parse(created.Out)!["did"]!;

        // No registry yet: nothing to pack.
        var early = await Run("pack", "build", "--out", Path_("early.json"));
        Assert.Equal(ExitCodes.Failed, early.Code);
        Assert.Equal("trust.NotInitialized", ErrorType(early.Err));

        Assert.Equal(ExitCodes.Ok, (await Run("trust", "init", "--anchor", (string)who["address"]!)).Code);
        Assert.Equal(ExitCodes.Ok, (await Run("trust", "onboard", "KEN", "--admin", (string)ken["address"]!, "--domains", "ICVP", "--key", Path_("who.eth"), "--relay")).Code);
        Assert.Equal(ExitCodes.Ok, (await Run("trust", "add-issuer", "KEN", "--did", did, "--domains", "ICVP", "--key", Path_("ken.eth"), "--relay")).Code);

        // An ICVP credential with a status entry, a presentation of it, and its HCERT form (the issuer's DSC).
        var holderKey = await Run("key", "generate", "--out", Path_("holder.key"));
        var holderDid = (string)JsonNode.Parse(holderKey.Out)!["did"]!;
        var unsigned = new IcvpCredentialBuilder().Build(
            new IcvpHolder("Jane Doe", "1990-04-12") { Sex = "female", Nationality = "KEN", Id = holderDid },
            new IcvpDose("YellowFeverProductd8a09f80301dc05e124f99ffe7711fc0", "1D47", new DateOnly(2025, 10, 1), "S4D123") { ClinicianName = "Dr. A. Mwangi" },
            did);
        System.IO.File.WriteAllText(Path_("icvp.json"), unsigned.ToJsonString());
        var issued = await Run("vc", "issue", Path_("icvp.json"), "--issuer", "moh", "--status", "revocation");
        Assert.True(issued.Code == ExitCodes.Ok, issued.Err);
        System.IO.File.WriteAllText(Path_("vc.json"), issued.Out);
        var vp = await Run("vp", "create", Path_("vc.json"), "--holder-key", Path_("holder.key"), "--challenge", "c-1");
        Assert.True(vp.Code == ExitCodes.Ok, vp.Err);
        System.IO.File.WriteAllText(Path_("vp.json"), vp.Out);
        Assert.Equal(ExitCodes.Ok, (await Run("pki", "dev-country", "KE", "--out", Path_("ke"))).Code);
        var dsc = await Run("issuer", "dsc", "moh", "--cert", Path.Combine(Path_("ke"), "dsc.pem"), "--key", Path.Combine(Path_("ke"), "dsc.key.pem"),
            "--chain", Path.Combine(Path_("ke"), "csca.pem"));
        Assert.True(dsc.Code == ExitCodes.Ok, dsc.Err);
        var bridged = await Run("bridge", "vc-to-hcert", Path_("vc.json"), "--accept-omitted", "id", "--accept-omitted", "credentialSubject.id", "--accept-omitted", "credentialStatus", "--out", Path_("hcert.png"));
        Assert.True(bridged.Code == ExitCodes.Ok, bridged.Err);

        // A did:ethr issuer the registry does not know: its history is not packed, so offline it cannot be resolved.
        var strangerDid = (string)JsonNode.Parse((await Run("issuer", "create", "stranger", "--method", "ethr")).Out)!["did"]!;
        System.IO.File.WriteAllText(Path_("stranger-unsigned.json"), new IcvpCredentialBuilder().Build(
            new IcvpHolder("Jane Doe", "1990-04-12") { Sex = "female", Nationality = "KEN" },
            new IcvpDose("YellowFeverProductd8a09f80301dc05e124f99ffe7711fc0", "1D47", new DateOnly(2025, 10, 1), "S4D123") { ClinicianName = "Dr. B" }, strangerDid).ToJsonString());
        var strangerVc = await Run("vc", "issue", Path_("stranger-unsigned.json"), "--issuer", "stranger");
        Assert.True(strangerVc.Code == ExitCodes.Ok, strangerVc.Err);
        System.IO.File.WriteAllText(Path_("stranger.json"), strangerVc.Out);

        var built = await Run("pack", "build", "--out", Path_("pack.json"), "--domain", "ICVP", "--participant", "KEN");
        Assert.True(built.Code == ExitCodes.Ok, built.Err);
        var summary = JsonNode.Parse(built.Out)!;
        var block = (long)summary["block"]!;
        Assert.Equal(1, (int)summary["issuers"]!);
        Assert.Equal(1, (int)summary["ethrIssuers"]!);
        Assert.True((int)summary["didLogs"]! >= 1);
        Assert.True((int)summary["statusLists"]! >= 1);
        Assert.True((int)summary["dscs"]! >= 1);
        Assert.StartsWith("did:key:zDn", (string)summary["key"]!); // P-256

        // The ledger stops; from here on nothing may start it.
        Assert.Equal(ExitCodes.Ok, (await Run("ledger", "stop")).Code);
        var settings = new LedgerSettings { DataDirectory = Data };
        Assert.Null(await NodeLedger.RunningEmbeddedAsync(settings));

        var vc = await Run("vc", "verify", Path_("vc.json"), "--pack", Path_("pack.json"));
        Assert.True(vc.Code == ExitCodes.Ok, vc.Out + vc.Err);
        var answer = JsonNode.Parse(vc.Out)!;
        Assert.True((bool)answer["verified"]!);
        Assert.True((bool)answer["trust"]!["trusted"]!, answer["trust"]!.ToJsonString());
        Assert.Equal("Registry", (string)answer["trust"]!["source"]!);
        Assert.Equal(block, (long)answer["pack"]!["block"]!);
        Assert.Equal((string)summary["contentHash"]!, (string)answer["pack"]!["contentHash"]!);
        Assert.Equal((string)summary["blockTime"]!, (string)answer["pack"]!["blockTime"]!);

        var stranger = await Run("vc", "verify", Path_("stranger.json"), "--pack", Path_("pack.json"));
        Assert.Equal(ExitCodes.Negative, stranger.Code);
        Assert.Contains("not in the capture", stranger.Out);

        var presentation = await Run("vp", "verify", Path_("vp.json"), "--challenge", "c-1", "--pack", Path_("pack.json"));
        Assert.True(presentation.Code == ExitCodes.Ok, presentation.Out + presentation.Err);
        Assert.Equal(block, (long)JsonNode.Parse(presentation.Out)!["pack"]!["block"]!);
        Assert.Equal(ExitCodes.Negative, (await Run("vp", "verify", Path_("vp.json"), "--challenge", "other", "--pack", Path_("pack.json"))).Code);

        var hcert = await Run("dcc", "verify", Path_("hcert.png"), "--pack", Path_("pack.json"));
        Assert.True(hcert.Code == ExitCodes.Ok, hcert.Out + hcert.Err);
        Assert.Equal(block, (long)JsonNode.Parse(hcert.Out)!["pack"]!["block"]!);
        Assert.Null(await NodeLedger.RunningEmbeddedAsync(settings));

        // A pack whose content changed: the hash no longer matches.
        var file = JsonNode.Parse(System.IO.File.ReadAllText(Path_("pack.json")))!;
        file["content"]!["block"] = block + 1;
        System.IO.File.WriteAllText(Path_("tampered.json"), file.ToJsonString());
        var tampered = await Run("vc", "verify", Path_("vc.json"), "--pack", Path_("tampered.json"));
        Assert.Equal(ExitCodes.Failed, tampered.Code);
        Assert.Equal("pack.hash-mismatch", ErrorType(tampered.Err));

        // The same change with its hash recomputed: the signature no longer verifies.
        file["contentHash"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Vc.Credentials.Jcs.JsonCanonicalizer.Canonicalize(file["content"])));
        System.IO.File.WriteAllText(Path_("rehashed.json"), file.ToJsonString());
        var rehashed = await Run("vc", "verify", Path_("vc.json"), "--pack", Path_("rehashed.json"));
        Assert.Equal(ExitCodes.Failed, rehashed.Code);
        Assert.Equal("pack.bad-signature", ErrorType(rehashed.Err));

        // A valid pack by a key this verifier does not accept.
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var foreign = await Run("vc", "verify", Path_("vc.json"), "--pack", Path_("pack.json"), "--pack-key", PackKeys.KeyId(other).Split('#')[0]);
        Assert.Equal(ExitCodes.Failed, foreign.Code);
        Assert.Equal("pack.untrusted-key", ErrorType(foreign.Err));

        Assert.Equal(ExitCodes.Usage, (await Run("vc", "verify", Path_("vc.json"), "--pack", Path_("pack.json"), "--max-age", "soon")).Code);
        Assert.Null(await NodeLedger.RunningEmbeddedAsync(settings));
    }

    /// <summary>
    /// The pack signer registered in the trust registry: the anchor opens VERIFIER-PACK to KEN, KEN's admin registers
    /// the pack key (both relayed, EIP-712 signed); a verifier holding only the anchor's address accepts the pack,
    /// with the ledger stopped and nothing pinned. Refused: a pack built before the registration, the same content
    /// signed by an unregistered key, a registration under another anchor, and one suspended at the pack's block.
    /// </summary>
    [Fact]
    public async Task A_pack_signer_registered_under_the_trust_anchor_is_accepted_and_an_unregistered_one_refused()
    {
        var who = JsonNode.Parse((await Run("key", "generate", "--type", "secp256k1", "--out", Path_("who.eth"))).Out)!;
        var ken = JsonNode.Parse((await Run("key", "generate", "--type", "secp256k1", "--out", Path_("ken.eth"))).Out)!;
        var anchor = (string)who["address"]!;
        Assert.Equal(ExitCodes.Ok, (await Run("trust", "init", "--anchor", anchor)).Code);
        Assert.Equal(ExitCodes.Ok, (await Run("trust", "onboard", "KEN", "--admin", (string)ken["address"]!, "--domains", "ICVP,VERIFIER-PACK", "--key", Path_("who.eth"), "--relay")).Code);
        var packKey = await Run("pack", "key");
        Assert.True(packKey.Code == ExitCodes.Ok, packKey.Err);
        var signer = (string)JsonNode.Parse(packKey.Out)!["did"]!;

        // Built before the registration: the pack says so, and a verifier with only the anchor refuses it.
        var early = await Run("pack", "build", "--out", Path_("early.json"), "--participant", "KEN");
        Assert.True(early.Code == ExitCodes.Ok, early.Err);
        Assert.Contains("not registered for VERIFIER-PACK", (string)JsonNode.Parse(early.Out)!["signerUnregistered"]!);

        var added = await Run("trust", "add-issuer", "KEN", "--did", signer, "--domains", "VERIFIER-PACK", "--key", Path_("ken.eth"), "--relay");
        Assert.True(added.Code == ExitCodes.Ok, added.Out + added.Err);
        var built = await Run("pack", "build", "--out", Path_("pack.json"), "--participant", "KEN");
        Assert.True(built.Code == ExitCodes.Ok, built.Err);
        Assert.Equal("KEN", (string)JsonNode.Parse(built.Out)!["signerRegisteredBy"]!);

        // Suspended afterwards: a newer pack proves the registration but its registry has the entry suspended.
        Assert.Equal(ExitCodes.Ok, (await Run("trust", "suspend", "KEN", signer, "--key", Path_("ken.eth"), "--relay")).Code);
        Assert.Equal(ExitCodes.Ok, (await Run("pack", "build", "--out", Path_("suspended.json"), "--participant", "KEN")).Code);

        Assert.Equal(ExitCodes.Ok, (await Run("ledger", "stop")).Code);
        Assert.Null(await NodeLedger.RunningEmbeddedAsync(new LedgerSettings { DataDirectory = Data }));

        var anchors = new HashSet<string> { anchor };
        var none = new HashSet<string>();
        var pack = await VerifierPack.OpenAsync(Path_("pack.json"), none, TimeProvider.System, VerifierPack.DefaultMaxAge, trustAnchors: anchors);
        var registration = pack.SignerRegistration!;
        Assert.Equal("KEN", registration.Country.Alpha3);
        Assert.Equal(signer, registration.Signer);
        Assert.Equal((string)ken["address"]!, registration.Admin, ignoreCase: true);
        Assert.Equal(anchor, registration.Anchor, ignoreCase: true);
        Assert.Equal("KEN", (string)pack.Describe()["signerRegistration"]!["country"]!);

        async Task<string> Refused(string path, IReadOnlySet<string> trusted) =>
            (await Assert.ThrowsAsync<AgentException>(() => VerifierPack.OpenAsync(path, none, TimeProvider.System, VerifierPack.DefaultMaxAge, trustAnchors: trusted))).Message;
        Assert.Contains("carries no registration", await Refused(Path_("early.json"), anchors));
        Assert.Contains("not by a trust anchor this verifier holds", await Refused(Path_("pack.json"), new HashSet<string> { "0x" + new string('1', 40) }));
        Assert.Contains("does not have the signer in force", await Refused(Path_("suspended.json"), anchors));

        // The registered pack's content, proof included, signed by a key nobody registered.
        using var unregistered = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var content = JsonNode.Parse(System.IO.File.ReadAllText(Path_("pack.json")))!["content"]!.AsObject();
        System.IO.File.WriteAllText(Path_("unregistered.json"), VerifierPack.Sign(content, unregistered).ToJsonString());
        Assert.Contains("not of the pack signer", await Refused(Path_("unregistered.json"), anchors));

        // The CLI: --registry-anchor instead of a pinned key, on a verifier's own data directory; refusals are typed (exit 3).
        var (o, e) = (new StringWriter(), new StringWriter());
        var verifier = Path_("verifier");
        var ok = await CliApp.RunAsync(["pack", "key", "--data", verifier], o, e); // the verifier's own (different) pack key
        Assert.Equal(ExitCodes.Ok, ok);
        var issuerKey = JsonNode.Parse((await Run("key", "generate", "--out", Path_("issuer.key"))).Out)!;
        var unsigned = new IcvpCredentialBuilder().Build(new IcvpHolder("Jane Doe", "1990-04-12"),
            new IcvpDose("YellowFeverProductd8a09f80301dc05e124f99ffe7711fc0", "1D47", new DateOnly(2025, 10, 1), "S4D123") { ClinicianName = "Dr. A. Mwangi" },
            (string)issuerKey["did"]!);
        System.IO.File.WriteAllText(Path_("didkey-unsigned.json"), unsigned.ToJsonString());
        var signed = await Run("vc", "issue", Path_("didkey-unsigned.json"), "--key", Path_("issuer.key"));
        Assert.True(signed.Code == ExitCodes.Ok, signed.Err);
        System.IO.File.WriteAllText(Path_("didkey-vc.json"), signed.Out);
        (o, e) = (new StringWriter(), new StringWriter());
        var code = await CliApp.RunAsync(["vc", "verify", Path_("didkey-vc.json"), "--pack", Path_("pack.json"), "--registry-anchor", anchor, "--data", verifier], o, e);
        Assert.True(code is ExitCodes.Ok or ExitCodes.Negative, o + "" + e); // the pack was accepted: an answer, not a refusal
        Assert.Equal("KEN", (string)JsonNode.Parse(o.ToString())!["pack"]!["signerRegistration"]!["country"]!);
        (o, e) = (new StringWriter(), new StringWriter());
        code = await CliApp.RunAsync(["vc", "verify", Path_("didkey-vc.json"), "--pack", Path_("unregistered.json"), "--registry-anchor", anchor, "--data", verifier], o, e);
        Assert.Equal(ExitCodes.Failed, code);
        Assert.Equal("pack.untrusted-key", ErrorType(e.ToString()));
        // Without an anchor, the verifier accepts only its own pack key: the registered pack is not pinned there.
        (o, e) = (new StringWriter(), new StringWriter());
        Assert.Equal(ExitCodes.Failed, await CliApp.RunAsync(["vc", "verify", Path_("didkey-vc.json"), "--pack", Path_("pack.json"), "--data", verifier], o, e));
        Assert.Equal("pack.untrusted-key", ErrorType(e.ToString()));
    }

    [Fact]
    public void A_pack_is_judged_by_its_block_time_on_the_injected_clock()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signer = PackKeys.KeyId(key).Split('#')[0];
        var blockTime = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var content = new JsonObject { ["version"] = 1, ["block"] = 42, ["blockTime"] = blockTime.ToString("O") };
        var bytes = System.Text.Encoding.UTF8.GetBytes(VerifierPack.Sign(content, key).ToJsonString());
        var pinned = new HashSet<string> { signer };

        var fresh = VerifierPack.Open(bytes, pinned, TestClock.Standing(blockTime.AddDays(3)), VerifierPack.DefaultMaxAge);
        Assert.Equal(42, fresh.Block);
        Assert.Equal(blockTime, fresh.BlockTime);
        Assert.Equal("pack.too-old", Assert.Throws<AgentException>(() =>
            VerifierPack.Open(bytes, pinned, TestClock.Standing(blockTime.AddDays(3).AddSeconds(1)), VerifierPack.DefaultMaxAge)).Type);
        Assert.Equal("pack.too-old", Assert.Throws<AgentException>(() =>
            VerifierPack.Open(bytes, pinned, TestClock.Standing(blockTime.AddHours(2)), TimeSpan.FromHours(1))).Type);
        Assert.Equal("pack.not-yet-valid", Assert.Throws<AgentException>(() =>
            VerifierPack.Open(bytes, pinned, TestClock.Standing(blockTime.AddHours(-1)), VerifierPack.DefaultMaxAge)).Type);
        Assert.Equal("pack.untrusted-key", Assert.Throws<AgentException>(() =>
            VerifierPack.Open(bytes, new HashSet<string>(), TestClock.Standing(blockTime), VerifierPack.DefaultMaxAge)).Type);
        Assert.Equal("pack.unreadable", Assert.Throws<AgentException>(() =>
            VerifierPack.Open("{\"type\":\"x\"}"u8.ToArray(), pinned, TestClock.Standing(blockTime), VerifierPack.DefaultMaxAge)).Type);
    }
}
