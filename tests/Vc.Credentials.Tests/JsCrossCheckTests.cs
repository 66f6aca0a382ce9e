using System.Text.Json.Nodes;
using Vc.Credentials.DataIntegrity;
using Vc.Did.Core;
using Vc.Did.Key;
using Vc.Credentials.Issuance;
using Vc.Credentials.Json;
using Vc.Credentials.Keys;
using Vc.Did.Keys;
using Vc.Credentials.Presentations;
using Vc.Credentials.StatusList;
using Vc.Credentials.Verification;
using Vc.JsonLd;

namespace Vc.Credentials.Tests;

/// <summary>Independent cross-verification with the Digital Bazaar JS stack, both directions.</summary>
[Trait("Category", "CrossCheck")]
public sealed class JsCrossCheckTests
{
    private const string ListUrl = "https://issuer.example/status/1";
    private static readonly string NowText = JsonInput.FormatDateTime(Fixtures.Now);

    private static async Task<(JsonObject Credential, StatusListManager List, CredentialIssuer Issuer, InMemoryStatusListStore Store, TestStack Stack)> IssueIcvpWithStatusAsync()
    {
        var store = new InMemoryStatusListStore();
        var stack = new TestStack(store);
        var issuer = new CredentialIssuer(stack.Proofs, IssuerProfile.ForDidKey(Fixtures.IssuerKey()));
        var list = new StatusListManager(ListUrl, StatusPurposes.Revocation);
        var entry = list.Allocate();
        var vc = await issuer.IssueAsync(Fixtures.UnsignedIcvp(issuer.Profile, status: entry), Fixtures.Now);
        store.Publish(ListUrl, await issuer.IssueAsync(list.BuildCredential(issuer.Profile.Issuer, Fixtures.Now.AddDays(-1)), Fixtures.Now));
        return (vc, list, issuer, store, stack);
    }

    private static async Task<JsonObject> JsVerifyAsync(JsonObject credential, InMemoryStatusListStore? store = null)
    {
        var lists = new JsonObject();
        if (store is not null) lists[ListUrl] = await store.FetchAsync(ListUrl);
        return await JsStack.RunAsync(new JsonObject { ["op"] = "verify", ["credential"] = credential.DeepClone(), ["now"] = NowText, ["statusLists"] = lists });
    }

    [Fact]
    public async Task Our_ICVP_credential_with_a_status_entry_verifies_with_the_JS_stack()
    {
        var (vc, _, _, store, stack) = await IssueIcvpWithStatusAsync();

        var js = await JsVerifyAsync(vc, store);
        var ours = await stack.Verifier.VerifyAsync(vc, new VerificationOptions { Now = Fixtures.Now });

        Assert.True(js["verified"]!.GetValue<bool>(), js.ToJsonString());
        Assert.True(ours.Verified, ours.ToJson());
    }

    [Fact]
    public async Task After_revocation_both_stacks_reject_our_ICVP_credential()
    {
        var (vc, list, issuer, store, stack) = await IssueIcvpWithStatusAsync();
        var index = int.Parse(vc["credentialStatus"]!["statusListIndex"]!.GetValue<string>());
        list.SetStatus(index, true);
        store.Publish(ListUrl, await issuer.IssueAsync(list.BuildCredential(issuer.Profile.Issuer, Fixtures.Now.AddDays(-1)), Fixtures.Now));

        var js = await JsVerifyAsync(vc, store);
        var ours = await stack.Verifier.VerifyAsync(vc, new VerificationOptions { Now = Fixtures.Now });

        Assert.False(js["verified"]!.GetValue<bool>());
        Assert.Contains("bit", js["errors"]!.ToJsonString());
        Assert.True(ours.Has(ProblemCode.Revoked), ours.ToJson());
    }

    [Fact]
    public async Task A_modified_copy_of_our_credential_fails_in_both_stacks()
    {
        var (vc, _, _, store, stack) = await IssueIcvpWithStatusAsync();
        vc["credentialSubject"]!["vaccineDetails"]!["batchNo"] = "FORGED1";

        var js = await JsVerifyAsync(vc, store);
        var ours = await stack.Verifier.VerifyAsync(vc, new VerificationOptions { Now = Fixtures.Now });

        Assert.False(js["verified"]!.GetValue<bool>());
        Assert.True(ours.Has(ProblemCode.ProofVerificationError), ours.ToJson());
    }

    [Theory]
    [InlineData(KeyType.P256)]
    [InlineData(KeyType.P384)]
    public async Task Our_ecdsa_rdfc_2019_credential_verifies_with_the_JS_stack(KeyType keyType)
    {
        var stack = new TestStack();
        using var key = EcdsaSigningKey.Generate(keyType);
        var issuer = new CredentialIssuer(stack.Proofs, IssuerProfile.ForDidKey(key));
        var vc = await issuer.IssueAsync(Fixtures.UnsignedIcvp(issuer.Profile), Fixtures.Now);

        Assert.Equal("ecdsa-rdfc-2019", vc["proof"]!["cryptosuite"]!.GetValue<string>());
        var js = await JsVerifyAsync(vc);
        Assert.True(js["verified"]!.GetValue<bool>(), js.ToJsonString());
    }

    [Fact]
    public async Task A_JS_signed_ICVP_credential_with_a_status_entry_verifies_with_ours()
    {
        // The JS stack signs with the same issuer seed, so our status list (signed by us) belongs to its issuer.
        var store = new InMemoryStatusListStore();
        var stack = new TestStack(store);
        var issuer = new CredentialIssuer(stack.Proofs, IssuerProfile.ForDidKey(Fixtures.IssuerKey()));
        var list = new StatusListManager(ListUrl, StatusPurposes.Revocation);
        var unsigned = Fixtures.UnsignedIcvp(issuer.Profile, status: list.Allocate());
        store.Publish(ListUrl, await issuer.IssueAsync(list.BuildCredential(issuer.Profile.Issuer, Fixtures.Now.AddDays(-1)), Fixtures.Now));

        var js = await JsStack.RunAsync(new JsonObject { ["op"] = "issue", ["credential"] = unsigned, ["key"] = JsStack.Ed25519Key(0x07), ["created"] = NowText });
        var signed = (JsonObject)js["signed"]!;
        var result = await stack.Verifier.VerifyAsync(signed, new VerificationOptions { Now = Fixtures.Now });

        Assert.Equal("eddsa-rdfc-2022", signed["proof"]!["cryptosuite"]!.GetValue<string>());
        Assert.True(result.Verified, result.ToJson());
        Assert.Contains(result.Checks, c => c.Check == "status" && c.Valid);
    }

    [Fact]
    public async Task A_JS_signed_credential_holding_doubles_verifies_with_ours()
    {
        // JSON-LD toRdf §8.6: each non-integer number is an xsd:double literal in jsonld.js's form (toExponential(15));
        // these need 16 or 17 digits, round on a tie or sit at the ends of the range. (Not 1e-7 or 5e-324: jsonld.js
        // makes a number without a "." in String(n) an xsd:integer "0", against §8.6; see src/Vc.JsonLd/README.md.)
        var stack = new TestStack();
        var issuer = new CredentialIssuer(stack.Proofs, IssuerProfile.ForDidKey(Fixtures.IssuerKey()));
        var unsigned = Fixtures.UnsignedIcvp(issuer.Profile);
        double[] doubles = [8e23, 76083.54, 9e25, 1000000000000000.5, 1234567890123456.5, 0.1, -0.30000000000000004,
            1.7976931348623157e308, 2.2250738585072014e-308, 1e21, 3.141592653589793, 123456.78901234567];
        var rnd = new Random(7);
        var values = new JsonArray(doubles.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray());
        while (values.Count < 40)
        {
            double d = BitConverter.Int64BitsToDouble(rnd.NextInt64(long.MinValue, long.MaxValue));
            if (double.IsFinite(d) && (Math.Abs(d) >= 1e21 || EcmaScriptNumber.Format(d).Contains('.'))) values.Add(JsonValue.Create(d));
        }
        unsigned["credentialSubject"]!["https://vchealth.example/vocab#measurements"] = values; // an absolute IRI: no term needed

        var js = await JsStack.RunAsync(new JsonObject { ["op"] = "issue", ["credential"] = unsigned.DeepClone(), ["key"] = JsStack.Ed25519Key(0x07), ["created"] = NowText });
        var signed = (JsonObject)js["signed"]!;
        var result = await stack.Verifier.VerifyAsync(signed, new VerificationOptions { Now = Fixtures.Now });
        var ours = await issuer.IssueAsync(unsigned, Fixtures.Now);

        Assert.Equal(40, signed["credentialSubject"]!["https://vchealth.example/vocab#measurements"]!.AsArray().Count);
        Assert.True(result.Verified, result.ToJson());
        Assert.Equal(signed["proof"]!["proofValue"]!.GetValue<string>(), ours["proof"]!["proofValue"]!.GetValue<string>());
    }

    [Fact]
    public async Task Re_signing_a_JS_signed_credential_with_the_same_key_reproduces_its_proofValue()
    {
        var stack = new TestStack();
        var issuer = new CredentialIssuer(stack.Proofs, IssuerProfile.ForDidKey(Fixtures.IssuerKey()));
        var unsigned = Fixtures.UnsignedIcvp(issuer.Profile);

        var js = await JsStack.RunAsync(new JsonObject { ["op"] = "issue", ["credential"] = unsigned.DeepClone(), ["key"] = JsStack.Ed25519Key(0x07), ["created"] = NowText });
        var ours = await issuer.IssueAsync(unsigned, Fixtures.Now);

        Assert.Equal(js["signed"]!["proof"]!["proofValue"]!.GetValue<string>(), ours["proof"]!["proofValue"]!.GetValue<string>());
    }

    [Fact]
    public async Task Our_presentation_verifies_with_the_JS_stack_and_theirs_with_ours()
    {
        var stack = new TestStack();
        var issuer = new CredentialIssuer(stack.Proofs, IssuerProfile.ForDidKey(Fixtures.IssuerKey()));
        using var holderKey = Fixtures.HolderKey();
        var holderDid = DidKeyResolver.CreateDid(holderKey.PublicKey);
        var vc = await issuer.IssueAsync(Fixtures.UnsignedIcvp(issuer.Profile, holderDid), Fixtures.Now);
        var holder = new HolderProfile(holderDid, DidKeyResolver.VerificationMethodId(holderKey.PublicKey), holderKey);

        var ourVp = await stack.PresentationSigner.CreateAsync(holder, [vc], "nonce-42", "verifier.example", Fixtures.Now);
        var jsVerdict = await JsStack.RunAsync(new JsonObject
        {
            ["op"] = "verify-vp", ["presentation"] = ourVp, ["challenge"] = "nonce-42", ["domain"] = "verifier.example", ["now"] = NowText,
        });
        Assert.True(jsVerdict["verified"]!.GetValue<bool>(), jsVerdict.ToJsonString());

        var unsignedVp = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2"),
            ["type"] = new JsonArray("VerifiablePresentation"),
            ["holder"] = holderDid,
            ["verifiableCredential"] = new JsonArray(vc.DeepClone()),
        };
        var jsVp = (JsonObject)(await JsStack.RunAsync(new JsonObject
        {
            ["op"] = "sign-vp", ["presentation"] = unsignedVp, ["key"] = JsStack.Ed25519Key(0x09), ["challenge"] = "nonce-43", ["domain"] = "verifier.example", ["created"] = NowText,
        }))["signed"]!;
        var ours = await stack.PresentationVerifier.VerifyAsync(jsVp, new VerificationOptions { Now = Fixtures.Now, Challenge = "nonce-43", Domain = "verifier.example", RequireHolderBinding = true });
        Assert.True(ours.Verified, ours.ToJson());
        Assert.Contains(ours.Checks, c => c.Check == "holderBinding" && c.Valid);
    }

    [Fact]
    public async Task The_JS_generated_fixtures_verify_with_ours()
    {
        var stack = new TestStack();
        var options = new VerificationOptions { Now = Vectors.Now, CheckStatus = false };
        foreach (var file in new[] { "vc-eddsa-rdfc-2022.json", "vc-eddsa-jcs-2022.json", "vc-ecdsa-rdfc-2019-p256.json", "vc-eddsa-rdfc-2022-rich.json" })
        {
            var result = await stack.Verifier.VerifyAsync(Vectors.Json("js-generated", file), options);
            Assert.True(result.Verified, file + ": " + result.ToJson());
        }
        var vp = await stack.PresentationVerifier.VerifyAsync(Vectors.Json("js-generated", "vp-eddsa-rdfc-2022-two-vcs.json"),
            options with { Challenge = "challenge-123", Domain = "example.org", RequireHolderBinding = false });
        Assert.True(vp.Verified, vp.ToJson());
        Assert.Equal(2, vp.CredentialResults!.Count);
    }
}
