using System.Text.Json.Nodes;
using Vc.Credentials.Icvp;
using Vc.Credentials.Issuance;
using Vc.Credentials.Keys;
using Vc.Credentials.Presentations;
using Vc.Credentials.Verification;
using Vc.Did.Key;
using Vc.Did.Keys;

namespace Vc.Credentials.Tests;

/// <summary>A derived ICVP credential (ICVP profile) presented by its holder: verification is unchanged.</summary>
public sealed class EcdsaSdPresentationTests
{
    [Fact]
    public async Task A_derived_icvp_credential_verifies_inside_a_presentation_and_discloses_only_what_was_chosen()
    {
        var stack = new TestStack();
        using var issuerKey = EcdsaSigningKey.Generate(KeyType.P256);
        var issuer = new CredentialIssuer(stack.Proofs, IssuerProfile.ForDidKey(issuerKey, "ecdsa-sd-2023"));
        using var holderKey = Fixtures.HolderKey();
        var holderDid = DidKeyResolver.CreateDid(holderKey.PublicKey);
        var unsigned = Fixtures.UnsignedIcvp(issuer.Profile, holderDid);
        var baseVc = await issuer.IssueAsync(unsigned, Fixtures.Now);

        var derived = stack.Proofs.DeriveProof(baseVc, ["/credentialSubject/id"]);

        var subject = (JsonObject)derived["credentialSubject"]!;
        Assert.Equal(holderDid, (string?)subject["id"]);
        Assert.False(subject.ContainsKey("name"));
        Assert.False(subject.ContainsKey("dob"));
        var details = (JsonObject)subject["vaccineDetails"]!;
        foreach (var pointer in IcvpSelectiveDisclosure.MandatoryPointers(unsigned).Where(p => p.StartsWith("/credentialSubject/vaccineDetails/", StringComparison.Ordinal)))
            Assert.True(details.ContainsKey(pointer.Split('/')[^1]), pointer);
        Assert.False(details.ContainsKey("batchNo"));

        var holder = new HolderProfile(holderDid, DidKeyResolver.VerificationMethodId(holderKey.PublicKey), holderKey);
        var vp = await stack.PresentationSigner.CreateAsync(holder, [derived], "nonce-sd", "verifier.example", Fixtures.Now);
        var result = await stack.PresentationVerifier.VerifyAsync(vp, new VerificationOptions { Now = Fixtures.Now, Challenge = "nonce-sd", Domain = "verifier.example", CheckStatus = false });
        Assert.True(result.Verified, result.ToJson());

        // The base credential in a presentation is refused (typed), as on its own.
        var withBase = await stack.PresentationSigner.CreateAsync(holder, [baseVc], "nonce-sd", "verifier.example", Fixtures.Now);
        var refused = await stack.PresentationVerifier.VerifyAsync(withBase, new VerificationOptions { Now = Fixtures.Now, Challenge = "nonce-sd", Domain = "verifier.example", CheckStatus = false });
        Assert.False(refused.Verified);
    }
}
