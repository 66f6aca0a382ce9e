using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Vc.Credentials.DataIntegrity;
using Vc.Credentials.Issuance;
using Vc.Credentials.Keys;
using Vc.Credentials.Model;
using Vc.Credentials.Presentations;
using Vc.Credentials.Verification;
using Vc.Did.Encoding;
using Vc.Did.Key;
using Vc.Did.Keys;
using Vc.JsonLd;

namespace Vc.Credentials.Tests;

/// <summary>
/// The normative statements the W3C interop suites (VC DM 2.0, vc-di-eddsa, vc-di-ecdsa) check, as our own tests:
/// VC 1.1 beside 2.0, presentations per VC DM 2.0 §4.13, issuer and relatedResource (§4.7, §5.3) input checks, proof
/// sets and chains (DI 1.0 §2.1, §4.x), and the issuer ↔ verification-method association.
/// </summary>
public sealed class W3cConformanceTests
{
    private static readonly VerificationOptions At = new() { Now = Fixtures.Now, CheckStatus = false };
    private const string V1 = "https://www.w3.org/2018/credentials/v1";
    private const string V2 = "https://www.w3.org/ns/credentials/v2";
    private const string Examples = "https://www.w3.org/ns/credentials/examples/v2";

    private static JsonObject Unsigned(string baseContext = V2, string subject = "did:example:subject") => new()
    {
        ["@context"] = new JsonArray(baseContext, Examples),
        ["type"] = new JsonArray("VerifiableCredential", "ExampleCredential"),
        ["credentialSubject"] = new JsonObject { ["id"] = subject, ["alumniOf"] = "The School of Examples" },
    };

    private static ProblemCode[] Codes(VerificationResult r) => r.ProblemDetails.Select(p => p.Code).ToArray();

    public static TheoryData<string, string> Suites => new()
    {
        { "eddsa-rdfc-2022", "Ed25519" },
        { "eddsa-jcs-2022", "Ed25519" },
        { "ecdsa-rdfc-2019", "P256" },
        { "ecdsa-jcs-2019", "P256" },
        { "ecdsa-rdfc-2019", "P384" },
    };

    // ---- VC 1.1 (https://www.w3.org/2018/credentials/v1, issuanceDate / expirationDate) beside VC 2.0

    [Theory]
    [MemberData(nameof(Suites))]
    public async Task A_VC_1_1_credential_is_issued_and_verified_with_every_suite(string suite, string keyType)
    {
        var stack = new TestStack();
        using var key = (IDisposable)SigningKeys.Generate(Enum.Parse<KeyType>(keyType));
        var issuer = new CredentialIssuer(stack.Proofs, IssuerProfile.ForDidKey((ISigningKey)key, suite));

        var vc = await issuer.IssueAsync(Unsigned(V1), Fixtures.Now);
        var result = await stack.Verifier.VerifyAsync(vc, At);

        Assert.True(result.Verified, result.ToJson());
        Assert.Equal(V1, vc["@context"]![0]!.GetValue<string>());
        // VC 1.1 §4.6: the issuer states issuanceDate; DI 1.0 §2.4: VC 1.1 needs the Data Integrity context added.
        Assert.Equal("2025-11-01T12:00:00Z", vc["issuanceDate"]!.GetValue<string>());
        Assert.Contains(vc["@context"]!.AsArray(), c => c!.GetValue<string>() == "https://w3id.org/security/data-integrity/v2");
        Assert.Contains(result.Checks, c => c.Check == "dataModel" && c.Detail == "VC Data Model 1.1");
    }

    [Fact]
    public async Task VC_1_1_validity_is_read_from_issuanceDate_and_expirationDate()
    {
        var stack = new TestStack();
        var issuer = new CredentialIssuer(stack.Proofs, IssuerProfile.ForDidKey(Fixtures.IssuerKey()));
        var expiring = Unsigned(V1);
        expiring["issuanceDate"] = "2025-01-01T00:00:00Z";
        expiring["expirationDate"] = "2025-06-01T00:00:00Z";
        var future = Unsigned(V1);
        future["issuanceDate"] = "2026-01-01T00:00:00Z";

        var expired = await stack.Verifier.VerifyAsync(await issuer.IssueAsync(expiring, Fixtures.Now), At);
        var notYet = await stack.Verifier.VerifyAsync(await issuer.IssueAsync(future, Fixtures.Now), At);

        Assert.Equal([ProblemCode.Expired], Codes(expired));
        Assert.Equal([ProblemCode.NotYetValid], Codes(notYet));
    }

    [Fact]
    public void A_VC_1_1_credential_without_issuanceDate_or_with_VC_2_0_dates_breaks_the_data_model()
    {
        var missing = Unsigned(V1);
        var mixed = Unsigned(V1);
        mixed["issuanceDate"] = "2025-01-01T00:00:00Z";
        mixed["validFrom"] = "2025-01-01T00:00:00Z";

        Assert.Contains(DataModel.ValidateCredential(missing), e => e.Contains("issuanceDate"));
        Assert.Contains(DataModel.ValidateCredential(mixed), e => e.Contains("VC 2.0 terms"));
    }

    [Fact]
    public async Task The_version_asked_for_at_issuance_moves_the_base_context_and_the_validity_terms()
    {
        var stack = new TestStack();
        var issuer = new CredentialIssuer(stack.Proofs, IssuerProfile.ForDidKey(Fixtures.IssuerKey()));
        var v2 = Unsigned();
        v2["validFrom"] = "2025-01-01T00:00:00Z";
        v2["validUntil"] = "2030-01-01T00:00:00Z";

        var asV1 = await issuer.IssueAsync(v2, Fixtures.Now, vcVersion: "1.1");
        var backToV2 = await issuer.IssueAsync(Unsigned(V1), Fixtures.Now, vcVersion: "2.0");

        Assert.Equal(V1, asV1["@context"]![0]!.GetValue<string>());
        Assert.Equal("2025-01-01T00:00:00Z", asV1["issuanceDate"]!.GetValue<string>());
        Assert.Equal("2030-01-01T00:00:00Z", asV1["expirationDate"]!.GetValue<string>());
        Assert.Null(asV1["validFrom"]);
        Assert.True((await stack.Verifier.VerifyAsync(asV1, At)).Verified);
        Assert.Equal(V2, backToV2["@context"]![0]!.GetValue<string>());
        Assert.True((await stack.Verifier.VerifyAsync(backToV2, At)).Verified);
        var unknown = await Assert.ThrowsAsync<CredentialException>(() => issuer.IssueAsync(Unsigned(), Fixtures.Now, vcVersion: "3.0"));
        Assert.Equal(ProblemCode.MalformedValue, unknown.Code);
    }

    // ---- §4.7 issuer on issue

    [Theory]
    [InlineData("null")]
    [InlineData("42")]
    [InlineData("{\"id\":null}")]
    [InlineData("\"not a url\"")]
    public async Task An_issuer_that_is_null_or_not_a_URL_is_refused_at_issuance(string issuerJson)
    {
        var stack = new TestStack();
        var issuer = new CredentialIssuer(stack.Proofs, IssuerProfile.ForDidKey(Fixtures.IssuerKey()));
        var vc = Unsigned();
        vc["issuer"] = JsonNode.Parse(issuerJson);

        var e = await Assert.ThrowsAsync<CredentialException>(() => issuer.IssueAsync(vc, Fixtures.Now));

        Assert.Equal(ProblemCode.MalformedValue, e.Code);
    }

    // ---- §5.3 relatedResource

    private static (string Sri, string Multibase) DigestsOfBundled(string url)
    {
        var bytes = DocumentLoader.Bundled.Load(url).Content.Span;
        return ("sha384-" + Convert.ToBase64String(SHA384.HashData(bytes)), Multibase.EncodeBase64Url(SHA256.HashData(bytes)));
    }

    public static TheoryData<string, string> BadRelatedResources => new()
    {
        { """["https://www.w3.org/ns/credentials/v2"]""", "must be an object" },
        { """[{"digestMultibase":"uJKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k"}]""", "'id' URL" },
        { """[{"id":"https://example.org/a","digestSRI":"sha384-NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg"},{"id":"https://example.org/a","digestMultibase":"uJKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k"}]""", "not unique" },
        { """[{"id":"https://example.org/a"}]""", "digestSRI or a digestMultibase" },
        { """[{"id":"https://example.org/a","digestSRI":"md5-AAAA"}]""", "Subresource Integrity" },
        { """[{"id":"https://example.org/a","digestMultibase":"xnot-multibase"}]""", "multibase" },
        { """[]""", "one or more" },
    };

    [Theory]
    [MemberData(nameof(BadRelatedResources))]
    public async Task A_relatedResource_of_the_wrong_form_is_refused_at_issuance_and_on_verify(string relatedResource, string reason)
    {
        var stack = new TestStack();
        var issuer = new CredentialIssuer(stack.Proofs, IssuerProfile.ForDidKey(Fixtures.IssuerKey()));
        var vc = Unsigned();
        vc["relatedResource"] = JsonNode.Parse(relatedResource);

        var e = await Assert.ThrowsAsync<CredentialException>(() => issuer.IssueAsync(vc, Fixtures.Now));
        // Signed without the issuer's checks: the verifier refuses it too.
        var signed = await stack.Proofs.AddProofAsync(With(vc, Fixtures.IssuerKey()), Fixtures.IssuerKey(),
            new ProofOptions(DidKeyResolver.VerificationMethodId(Fixtures.IssuerKey().PublicKey)) { Created = Fixtures.Now });
        var result = await stack.Verifier.VerifyAsync(signed, At);

        Assert.Contains(reason, e.Detail);
        Assert.Contains(ProblemCode.MalformedValue, Codes(result));
    }

    private static JsonObject With(JsonObject vc, ISigningKey key)
    {
        var copy = (JsonObject)vc.DeepClone();
        copy["issuer"] = DidKeyResolver.CreateDid(key.PublicKey);
        return copy;
    }

    [Fact]
    public async Task Digests_of_a_bundled_context_are_checked_against_its_bytes_and_other_resources_by_form_only()
    {
        var stack = new TestStack();
        var issuer = new CredentialIssuer(stack.Proofs, IssuerProfile.ForDidKey(Fixtures.IssuerKey()));
        var (sri, multibase) = DigestsOfBundled(V2);
        var good = Unsigned();
        good["relatedResource"] = new JsonArray(
            new JsonObject { ["id"] = V2, ["digestSRI"] = sri, ["mediaType"] = "application/ld+json" },
            new JsonObject { ["id"] = Examples, ["digestMultibase"] = DigestsOfBundled(Examples).Multibase },
            new JsonObject { ["id"] = "https://example.org/not-held", ["digestMultibase"] = multibase });

        var issued = await issuer.IssueAsync(good, Fixtures.Now);
        var verified = await stack.Verifier.VerifyAsync(issued, At);

        Assert.True(verified.Verified, verified.ToJson());
        Assert.Contains(verified.Checks, c => c.Check == "relatedResource" && c.Valid);

        foreach (var wrong in new[]
        {
            new JsonObject { ["id"] = V2, ["digestMultibase"] = "uM4RgWQc3RUDtjJCSgTJtTfvpZ7SPEg_LNO0ESlovQC0" },
            new JsonObject { ["id"] = V2, ["digestSRI"] = "sha384-_rCVIV7fSXXTNIvpiq26jRDyj8JG8TDjij-tD0ewLk4JpnXEz6a5AeeY_1qQ0d0P" },
        })
        {
            var bad = Unsigned();
            bad["relatedResource"] = new JsonArray(wrong);
            var e = await Assert.ThrowsAsync<CredentialException>(() => issuer.IssueAsync(bad, Fixtures.Now));
            Assert.Contains("does not match", e.Detail);
            var signed = await stack.Proofs.AddProofAsync(With(bad, Fixtures.IssuerKey()), Fixtures.IssuerKey(),
                new ProofOptions(DidKeyResolver.VerificationMethodId(Fixtures.IssuerKey().PublicKey)) { Created = Fixtures.Now });
            var result = await stack.Verifier.VerifyAsync(signed, At);
            Assert.Equal([ProblemCode.MalformedValue], Codes(result));
            Assert.Contains(result.Checks, c => c.Check == "relatedResource" && !c.Valid);
        }
    }

    // ---- DI 1.0 proof sets and chains; the issuer ↔ method association

    [Fact]
    public async Task A_proof_set_with_a_co_signer_verifies_when_one_proof_is_the_issuers_and_fails_when_none_is()
    {
        var stack = new TestStack();
        using var cosigner = Ed25519SigningKey.Generate();
        var issuer = new CredentialIssuer(stack.Proofs, IssuerProfile.ForDidKey(Fixtures.IssuerKey()));
        var vc = await issuer.IssueAsync(Unsigned(), Fixtures.Now);
        var set = await stack.Proofs.AddProofAsync(vc, cosigner, new ProofOptions(DidKeyResolver.VerificationMethodId(cosigner.PublicKey)) { Created = Fixtures.Now });
        var onlyOthers = await stack.Proofs.AddProofAsync(Unsigned().Also(u => u["issuer"] = issuer.Profile.Issuer), cosigner,
            new ProofOptions(DidKeyResolver.VerificationMethodId(cosigner.PublicKey)) { Created = Fixtures.Now });

        var result = await stack.Verifier.VerifyAsync(set, At);
        var forged = await stack.Verifier.VerifyAsync(onlyOthers, At);

        Assert.Equal(2, set["proof"]!.AsArray().Count);
        Assert.True(result.Verified, result.ToJson());
        Assert.Contains(result.Checks, c => c.Check == "controller" && c.Detail == "the issuer controls the method of proof[0]");
        Assert.Equal([ProblemCode.ControllerMismatch], Codes(forged));
    }

    [Fact]
    public async Task A_proof_chain_verifies_with_previousProof_as_a_string_or_a_list_and_fails_when_the_named_proof_is_missing()
    {
        var stack = new TestStack();
        using var notary = Ed25519SigningKey.Generate();
        var issuer = Fixtures.IssuerKey();
        var method = DidKeyResolver.VerificationMethodId(issuer.PublicKey);
        var first = await stack.Proofs.AddProofAsync(With(Unsigned(), issuer), issuer, new ProofOptions(method) { Id = "urn:uuid:first", Created = Fixtures.Now });
        var chained = await stack.Proofs.AddProofAsync(first, notary,
            new ProofOptions(DidKeyResolver.VerificationMethodId(notary.PublicKey)) { PreviousProof = ["urn:uuid:first"], Created = Fixtures.Now });
        var asList = (JsonObject)chained.DeepClone();
        asList["proof"]![1]!["previousProof"] = new JsonArray("urn:uuid:first");
        var missing = (JsonObject)chained.DeepClone();
        missing["proof"]![1]!["previousProof"] = "urn:uuid:absent";
        var notString = (JsonObject)chained.DeepClone();
        notString["proof"]![1]!["previousProof"] = 7;

        Assert.Equal("urn:uuid:first", chained["proof"]![1]!["previousProof"]!.GetValue<string>());
        Assert.True((await stack.Verifier.VerifyAsync(chained, At)).Verified);
        // A one-item list is the same RDF statement as the string (eddsa-rdfc-2022 signs the canonical N-Quads).
        Assert.True((await stack.Verifier.VerifyAsync(asList, At)).Verified);
        Assert.Equal([ProblemCode.ProofVerificationError], Codes(await stack.Verifier.VerifyAsync(missing, At)));
        Assert.Equal([ProblemCode.MalformedProof], Codes(await stack.Verifier.VerifyAsync(notString, At)));
    }

    [Fact]
    public async Task A_credential_whose_inline_context_is_wrapped_in_an_outer_context_key_reads_as_the_inner_context()
    {
        // jsonld.js reads {"@context": {...}} inside @context as the inner map; the DI suites sign fixtures that way.
        var stack = new TestStack();
        var issuer = new CredentialIssuer(stack.Proofs, IssuerProfile.ForDidKey(Fixtures.IssuerKey()));
        var terms = new JsonObject { ["AlumniCredential"] = "https://www.example.org/AlumniCredential", ["alumniOf"] = "https://www.example.org/alumniOf" };
        JsonObject Doc(JsonNode context) => new()
        {
            ["@context"] = new JsonArray(V2, context),
            ["type"] = new JsonArray("VerifiableCredential", "AlumniCredential"),
            ["issuer"] = issuer.Profile.Issuer,
            ["credentialSubject"] = new JsonObject { ["id"] = "did:example:abc", ["alumniOf"] = "The School of Examples" },
        };

        var wrapped = Doc(new JsonObject { ["@context"] = terms.DeepClone() });
        var plain = Doc(terms.DeepClone());

        Assert.Equal(stack.Canonicalizer.CanonicalizeJsonLd(plain, HashAlgorithmName.SHA256), stack.Canonicalizer.CanonicalizeJsonLd(wrapped, HashAlgorithmName.SHA256));
        Assert.True((await stack.Verifier.VerifyAsync(await issuer.IssueAsync(wrapped, Fixtures.Now), At)).Verified);
    }

    // ---- VC DM 2.0 §4.13 presentations

    private static async Task<JsonObject> SignedVp(TestStack stack, JsonObject vp, ISigningKey key, string? challenge = "c") =>
        await stack.Proofs.AddProofAsync(vp, key, new ProofOptions(DidKeyResolver.VerificationMethodId(key.PublicKey), ProofPurposes.Authentication)
        { Challenge = challenge, Created = Fixtures.Now });

    private static JsonObject Vp(string? holder, params JsonObject[] credentials)
    {
        var vp = new JsonObject { ["@context"] = new JsonArray(V2), ["type"] = new JsonArray("VerifiablePresentation") };
        if (holder is not null) vp["holder"] = holder;
        if (credentials.Length > 0) vp["verifiableCredential"] = new JsonArray(credentials.Select(c => (JsonNode)c.DeepClone()).ToArray());
        return vp;
    }

    [Fact]
    public async Task A_presentation_without_holder_verifies_on_its_proof()
    {
        var stack = new TestStack();
        using var key = Fixtures.HolderKey();
        var vp = await SignedVp(stack, Vp(null), key);

        var result = await stack.PresentationVerifier.VerifyAsync(vp, At with { Challenge = "c" });

        Assert.True(result.Verified, result.ToJson());
        Assert.DoesNotContain(result.Checks, c => c.Check is "controller" or "holderBinding");
    }

    [Fact]
    public async Task A_presentation_signed_by_a_key_the_holder_does_not_control_is_a_ControllerMismatch()
    {
        var stack = new TestStack();
        using var key = Fixtures.HolderKey();
        using var other = Ed25519SigningKey.Generate();
        var vp = await SignedVp(stack, Vp(DidKeyResolver.CreateDid(other.PublicKey)), key);

        Assert.Equal([ProblemCode.ControllerMismatch], Codes(await stack.PresentationVerifier.VerifyAsync(vp, At with { Challenge = "c" })));
    }

    [Fact]
    public async Task An_unsigned_presentation_is_reported_as_unsecured_and_refused_when_a_challenge_was_asked()
    {
        var stack = new TestStack();
        var vp = Vp("did:example:holder");

        var open = await stack.PresentationVerifier.VerifyAsync(vp, At);
        var challenged = await stack.PresentationVerifier.VerifyAsync(vp, At with { Challenge = "c" });

        Assert.True(open.Verified, open.ToJson());
        Assert.Contains(open.Checks, c => c.Check == "proof" && c.Detail!.StartsWith("none: an unsecured presentation", StringComparison.Ordinal));
        Assert.Equal([ProblemCode.MalformedProof], Codes(challenged));
    }

    [Fact]
    public async Task Embedded_credentials_without_proof_are_unsecured_unless_self_asserted_by_the_holder_who_signed()
    {
        var stack = new TestStack();
        using var key = Fixtures.HolderKey();
        var holder = DidKeyResolver.CreateDid(key.PublicKey);
        var fromOthers = Unsigned().Also(u => u["issuer"] = "did:example:issuer");
        var selfAsserted = Unsigned().Also(u => u["issuer"] = holder);
        var vp = await SignedVp(stack, Vp(holder, fromOthers, selfAsserted), key);

        var result = await stack.PresentationVerifier.VerifyAsync(vp, At with { Challenge = "c" });
        var strict = await stack.PresentationVerifier.VerifyAsync(vp, At with { Challenge = "c", RequireSecuredCredentials = true });

        Assert.True(result.Verified, result.ToJson());
        Assert.StartsWith("unsecured:", result.Checks.Single(c => c.Check == "credential[0]").Detail);
        Assert.False(result.CredentialResults![0].Verified);
        Assert.True(result.CredentialResults[1].Verified, result.ToJson());
        Assert.Equal([ProblemCode.EmbeddedCredentialInvalid], Codes(strict));
    }

    [Fact]
    public async Task A_tampered_secured_credential_still_fails_the_presentation()
    {
        var stack = new TestStack();
        using var key = Fixtures.HolderKey();
        var issuer = new CredentialIssuer(stack.Proofs, IssuerProfile.ForDidKey(Fixtures.IssuerKey()));
        var vc = await issuer.IssueAsync(Unsigned(), Fixtures.Now);
        vc["credentialSubject"]!["alumniOf"] = "Elsewhere";
        var vp = await SignedVp(stack, Vp(null, vc), key);

        Assert.Equal([ProblemCode.EmbeddedCredentialInvalid], Codes(await stack.PresentationVerifier.VerifyAsync(vp, At with { Challenge = "c" })));
    }

    [Fact]
    public void VC_API_options_map_onto_verification_options_and_a_known_option_of_the_wrong_type_is_refused()
    {
        var options = VerificationOptions.FromVcApi((JsonObject)JsonNode.Parse("""{"challenge":"c","domain":"d","holderBinding":true,"strictIssuerBinding":true,"requireSecuredCredentials":true,"checks":["proof"]}""")!);

        Assert.Equal(("c", "d", true, true, true), (options.Challenge, options.Domain, options.RequireHolderBinding, options.StrictIssuerBinding, options.RequireSecuredCredentials));
        Assert.False(VerificationOptions.FromVcApi(null).RequireHolderBinding);
        Assert.Equal(ProblemCode.MalformedValue, Assert.Throws<CredentialException>(() => VerificationOptions.FromVcApi((JsonObject)JsonNode.Parse("""{"holderBinding":"yes"}""")!)).Code);
        Assert.Equal(ProblemCode.MalformedValue, Assert.Throws<CredentialException>(() => VerificationOptions.FromVcApi((JsonObject)JsonNode.Parse("""{"challenge":5}""")!)).Code);
    }
}

internal static class JsonObjectExtensions
{
    public static JsonObject Also(this JsonObject o, Action<JsonObject> edit)
    {
        edit(o);
        return o;
    }
}
