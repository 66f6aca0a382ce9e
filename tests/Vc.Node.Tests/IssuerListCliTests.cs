using System.Text.Json.Nodes;
using Vc.Node.Cli;

namespace Vc.Node.Tests;

/// <summary>`trust commit-list`, `trust prove` and `trust check --proof`: a participant's issuers as one on-chain root.</summary>
public sealed class IssuerListCliTests() : CliTestDirectory("vchealth-issuerlist-")
{

    private static string List(string labStatus) => $$"""
        {"country":"KEN","issuers":[
          {"issuer":"did:web:moh.example","domains":["ICVP"]},
          {"issuer":"did:web:lab.example","domains":["ICVP"],"status":"{{labStatus}}"},
          {"issuer":"kid:AQECAwUIDRU=","domains":["DCC"],"thumbprint":"0x{{new string('a', 64)}}"}]}
        """;

    [Fact]
    public async Task A_committed_list_answers_trust_checks_beside_per_issuer_entries()
    {
        var who = JsonNode.Parse((await Run("key", "generate", "--type", "secp256k1", "--out", Path.Combine(Dir, "who.eth"))).Out)!;
        var ken = JsonNode.Parse((await Run("key", "generate", "--type", "secp256k1", "--out", Path.Combine(Dir, "ken.eth"))).Out)!;
        Assert.Equal(ExitCodes.Ok, (await Run("trust", "init", "--anchor", (string)who["address"]!)).Code);
        Assert.Equal(ExitCodes.Ok, (await Run("trust", "onboard", "KEN", "--admin", (string)ken["address"]!, "--domains", "ICVP,DCC",
            "--key", Path.Combine(Dir, "who.eth"), "--relay")).Code);

        var first = File("list1.json", List("Active"));
        var committed = await Run("trust", "commit-list", first, "--key", Path.Combine(Dir, "ken.eth"), "--relay");
        Assert.True(committed.Code == ExitCodes.Ok, committed.Err);
        Assert.Equal(3, (int)JsonNode.Parse(committed.Out)!["leafCount"]!);

        var proved = await Run("trust", "prove", first, "did:web:lab.example");
        Assert.True(proved.Code == ExitCodes.Ok, proved.Err);
        var labProof = File("lab1.json", proved.Out);
        var trusted = await Run("trust", "check", "KEN", "did:web:lab.example", "--domain", "ICVP", "--proof", labProof);
        Assert.True(trusted.Code == ExitCodes.Ok, trusted.Out + trusted.Err);
        Assert.Equal("Trusted", (string?)JsonNode.Parse(trusted.Out)!["reason"]);

        // Not listed, a proof of another issuer, --at with a proof.
        Assert.Equal(ExitCodes.Negative, (await Run("trust", "prove", first, "did:web:clinic.example")).Code);
        Assert.Equal(ExitCodes.Usage, (await Run("trust", "check", "KEN", "did:web:moh.example", "--domain", "ICVP", "--proof", labProof)).Code);
        Assert.Equal(ExitCodes.Usage, (await Run("trust", "check", "KEN", "did:web:lab.example", "--domain", "ICVP", "--proof", labProof, "--at", "2026-01-01T00:00:00Z")).Code);

        // Suspension is a new list: the old proof is stale, the new one says suspended.
        var second = File("list2.json", List("Suspended"));
        Assert.Equal(ExitCodes.Ok, (await Run("trust", "commit-list", second, "--key", Path.Combine(Dir, "ken.eth"), "--relay")).Code);
        var stale = await Run("trust", "check", "KEN", "did:web:lab.example", "--domain", "ICVP", "--proof", labProof);
        Assert.Equal(ExitCodes.Negative, stale.Code);
        Assert.Equal("ListProofStale", (string?)JsonNode.Parse(stale.Out)!["reason"]);
        var labProof2 = File("lab2.json", (await Run("trust", "prove", second, "did:web:lab.example")).Out);
        var suspended = await Run("trust", "check", "KEN", "did:web:lab.example", "--domain", "ICVP", "--proof", labProof2);
        Assert.Equal(ExitCodes.Negative, suspended.Code);
        Assert.Equal("IssuerSuspended", (string?)JsonNode.Parse(suspended.Out)!["reason"]);
        var mohProof = File("moh2.json", (await Run("trust", "prove", second, "did:web:moh.example")).Out);
        Assert.Equal(ExitCodes.Ok, (await Run("trust", "check", "KEN", "did:web:moh.example", "--domain", "ICVP", "--proof", mohProof)).Code);

        // Per-issuer entries keep working beside the list.
        const string onChain = "did:web:clinic.example";
        Assert.Equal(ExitCodes.Ok, (await Run("trust", "add-issuer", "KEN", "--did", onChain, "--domains", "ICVP", "--key", Path.Combine(Dir, "ken.eth"), "--relay")).Code);
        Assert.Equal(ExitCodes.Ok, (await Run("trust", "check", "KEN", onChain, "--domain", "ICVP")).Code);

        // Only KEN's admin commits KEN's list; a malformed list is a usage error.
        var refused = await Run("trust", "commit-list", first, "--key", Path.Combine(Dir, "who.eth"), "--relay");
        Assert.Equal(ExitCodes.Failed, refused.Code);
        Assert.Contains("NotParticipantAdmin", refused.Err);
        Assert.Equal(ExitCodes.Usage, (await Run("trust", "commit-list", File("bad.json", """{"country":"KEN","issuers":[{"issuer":"kid:AQ==","domains":["DCC"]}]}"""),
            "--key", Path.Combine(Dir, "ken.eth"))).Code);
    }
}
