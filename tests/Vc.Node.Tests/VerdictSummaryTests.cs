using System.Text.Json.Nodes;
using Vc.Agent;
using Vc.Credentials.Verification;
using Vc.Interop.Hcert;

namespace Vc.Node.Tests;

/// <summary>The answer at a glance: which state a verification result is in, and what is shown with it.</summary>
public sealed class VerdictSummaryTests
{
    private static CheckResult Pass(string check) => new(check, true, "ok");
    private static CheckResult Fail(string check, ProblemCode code, string detail) => new(check, false, null, ProblemDetail.Of(code, detail));
    private static VerificationResult Of(params CheckResult[] checks) => VerificationResult.FromChecks(checks);
    private static readonly JsonObject Credential = new() { ["type"] = new JsonArray("VerifiableCredential"), ["issuer"] = "did:example:issuer" };

    [Fact]
    public void Every_check_passed_is_valid()
    {
        var summary = VerdictSummary.OfCredential(Of(Pass("proof"), Pass("validity")), null, Credential);
        Assert.Equal("valid", (string?)summary["status"]);
        Assert.Equal("did:example:issuer", (string?)summary["issuer"]!["id"]);
    }

    [Fact]
    public void Only_a_validity_start_in_the_future_is_not_yet_valid()
    {
        var result = Of(Pass("proof"), Fail("validity", ProblemCode.NotYetValid, "valid from 2026-12-12"));
        Assert.Equal("not-yet-valid", VerdictSummary.StatusOf(result));
        Assert.Contains("2026-12-12", (string?)VerdictSummary.OfCredential(result, null, Credential)["reason"]);
    }

    [Fact]
    public void A_definite_failure_wins_over_not_yet_valid_and_over_unknowns()
    {
        var result = Of(Fail("validity", ProblemCode.NotYetValid, "later"), Fail("status", ProblemCode.StatusRetrievalError, "list unreachable"),
            Fail("status", ProblemCode.Revoked, "revocation bit 3 is set"));
        var summary = VerdictSummary.OfCredential(result, null, Credential);
        Assert.Equal("not-valid", (string?)summary["status"]);
        Assert.Contains("revoked", (string?)summary["reason"], StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(ProblemCode.StatusRetrievalError, "the status list could not be fetched", "cannot-tell")]
    [InlineData(ProblemCode.VerificationMethodResolutionError, "did:ethr:0x1: the ledger is unavailable and its state is known only up to block 7 (…): indeterminate (timeout).", "cannot-tell")]
    [InlineData(ProblemCode.VerificationMethodResolutionError, "Resolving did:ethr:0x1 failed (internalError): the ledger is unreachable: refused", "cannot-tell")]
    [InlineData(ProblemCode.VerificationMethodResolutionError, "did:ethr:0x1 is deactivated.", "not-valid")]
    [InlineData(ProblemCode.VerificationMethodResolutionError, "did:ethr:0x1#key-9 is not in its DID document.", "not-valid")]
    [InlineData(ProblemCode.ProofVerificationError, "The signature does not verify", "not-valid")]
    public void Unknown_facts_cannot_tell_while_wrong_facts_are_not_valid(ProblemCode code, string detail, string expected) =>
        Assert.Equal(expected, VerdictSummary.StatusOf(Of(Fail("proof", code, detail))));

    [Fact]
    public void A_presentation_is_judged_on_its_credentials_problems_too()
    {
        var inner = Of(Pass("proof"), Fail("validity", ProblemCode.NotYetValid, "later"));
        var presentation = VerificationResult.FromChecks(
            [Pass("proof"), Fail("credential", ProblemCode.EmbeddedCredentialInvalid, "credential 0 failed")], [inner]);
        Assert.Equal("not-yet-valid", VerdictSummary.StatusOf(presentation));
    }

    [Fact]
    public void Unverified_ICVP_content_is_not_shown()
    {
        var icvp = JsonNode.Parse("""
            {"type":["VerifiableCredential","ICVPCredential"],"issuer":"did:example:issuer",
             "credentialSubject":{"name":"Jane Doe","dob":"1990-04-12","vaccineDetails":{"productID":"YellowFeverProductd8a09f80301dc05e124f99ffe7711fc0",
               "disease":"1D47","date":"2026-11-22","batchNo":"S4D123","validityPeriod":{"start":"2026-12-02","lifelong":true}}}}
            """)!.AsObject();
        var valid = VerdictSummary.OfCredential(Of(Pass("proof")), null, icvp);
        Assert.Equal("Jane Doe", (string?)valid["icvp"]!["name"]);
        Assert.Equal("2026-12-02", (string?)valid["timeline"]!["validFrom"]);
        Assert.True((bool)valid["timeline"]!["lifelong"]!);
        var forged = VerdictSummary.OfCredential(Of(Fail("proof", ProblemCode.ProofVerificationError, "bad")), null, icvp);
        Assert.Null(forged["icvp"]);
        Assert.Null(forged["timeline"]);
    }

    [Theory]
    [InlineData(HcertFailure.None, "valid")]
    [InlineData(HcertFailure.NotYetValid, "not-yet-valid")]
    [InlineData(HcertFailure.Signature, "not-valid")]
    [InlineData(HcertFailure.KidUnknown, "not-valid")]
    [InlineData(HcertFailure.Expired, "not-valid")]
    public void An_HCERT_state_follows_its_typed_outcome(HcertFailure outcome, string expected)
    {
        var result = new HcertVerificationResult { Outcome = outcome, Reason = outcome.ToString(), Steps = [] };
        Assert.Equal(expected, (string?)VerdictSummary.OfHcert(result, null)["status"]);
    }
}
