using System.Text.Json.Nodes;
using Vc.Did.Core;
using Vc.Did.Key;
using Vc.Credentials.Issuance;
using Vc.Credentials.Presentations;
using Vc.Credentials.StatusList;
using Vc.Credentials.Verification;

namespace Vc.Credentials.Tests;

/// <summary>The single-call API the node and CLI use.</summary>
public sealed class VcServicesTests
{
    [Fact]
    public async Task Issue_verify_present_and_verify_the_presentation_of_an_ICVP_credential_end_to_end()
    {
        var store = new InMemoryStatusListStore();
        var services = new VcServices(statusFetcher: store, time: new FixedTime(Fixtures.Now));
        var issuer = IssuerProfile.ForDidKey(Fixtures.IssuerKey());
        using var holderKey = Fixtures.HolderKey();
        var holderDid = DidKeyResolver.CreateDid(holderKey.PublicKey);
        var list = new StatusListManager("https://moh.example/status/1", StatusPurposes.Revocation);
        store.Publish(list.StatusListCredentialUrl, await services.IssueAsync(issuer, list.BuildCredential(issuer.Issuer, Fixtures.Now)));

        var vc = await services.IssueAsync(issuer, Fixtures.UnsignedIcvp(issuer, holderDid, list.Allocate()));
        var vcResult = await services.VerifyCredentialAsync(vc.ToJsonString());
        var vp = await services.CreatePresentationAsync(new HolderProfile(holderDid, DidKeyResolver.VerificationMethodId(holderKey.PublicKey), holderKey), [vc], "abc", "border.example");
        var vpOptions = VcServices.OptionsFromVcApi((JsonObject)JsonNode.Parse("""{"challenge":"abc","domain":"border.example","checks":["proof"]}""")!);
        var vpResult = await services.VerifyPresentationAsync(vp.ToJsonString(), vpOptions);

        Assert.True(vcResult.Verified, vcResult.ToJson());
        Assert.Contains(vcResult.Checks, c => c.Check == "status" && c.Valid);
        Assert.True(vpResult.Verified, vpResult.ToJson());
        Assert.Equal(["dataModel", "proof.proofPurpose", "proof.challenge", "proof.domain", "proof", "proof.verificationMethod", "controller", "credential[0]"],
            vpResult.Checks.Select(c => c.Check));
    }

    [Fact]
    public async Task A_host_resolver_is_consulted_after_did_key()
    {
        using var key = Fixtures.IssuerKey();
        var resolver = new NegativeTests.StaticResolver(_ => NegativeTests.ParseDid(NegativeTests.DidDoc("did:example:moh", key.PublicKey, assertion: true)));
        var services = new VcServices(resolver, time: new FixedTime(Fixtures.Now));
        var profile = new IssuerProfile("did:example:moh", "did:example:moh#key-1", key);

        var vc = await services.IssueAsync(profile, Fixtures.UnsignedIcvp(profile));

        Assert.True((await services.VerifyCredentialAsync(vc.ToJsonString())).Verified);
    }
}
