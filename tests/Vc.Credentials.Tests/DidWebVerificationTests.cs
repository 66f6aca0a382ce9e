using Vc.Credentials.Issuance;
using Vc.Credentials.Keys;
using Vc.Credentials.Verification;
using Vc.Did.Tests.Web;
using Vc.Did.Web;

namespace Vc.Credentials.Tests;

/// <summary>A did:web issuer end to end: its document is fetched over HTTPS when its credential is verified.</summary>
public sealed class DidWebVerificationTests(DidWebServer server) : IClassFixture<DidWebServer>
{
    [Fact]
    public async Task A_credential_of_a_did_web_issuer_verifies_with_the_key_its_server_publishes_now()
    {
        using var key = Fixtures.IssuerKey();
        using var other = Ed25519SigningKey.Generate();
        var did = server.Did("issuers", "moh");
        server.Document("/issuers/moh/did.json", did, key.PublicKey.PublicKeyMultibase);
        using var web = new DidWebResolver(server.TrustingHandler());
        var services = new VcServices(web, time: new FixedTime(Fixtures.Now));
        var profile = new IssuerProfile(did, did + "#key-1", key);
        var vc = (await services.IssueAsync(profile, Fixtures.UnsignedIcvp(profile))).ToJsonString();

        var verified = await services.VerifyCredentialAsync(vc);
        Assert.True(verified.Verified, verified.ToJson());
        Assert.Contains(verified.Checks, c => c.Check == "proof.verificationMethod" && c.Valid);

        // A web server keeps no history: once it publishes another key, the old credential's signature has no key.
        server.Document("/issuers/moh/did.json", did, other.PublicKey.PublicKeyMultibase);
        var replaced = await services.VerifyCredentialAsync(vc);
        Assert.False(replaced.Verified);
        Assert.Contains(ProblemCode.ProofVerificationError, replaced.ProblemDetails.Select(p => p.Code));
    }
}
