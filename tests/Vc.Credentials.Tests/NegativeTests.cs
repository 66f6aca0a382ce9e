using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.Credentials.DataIntegrity;
using Vc.Did.Core;
using Vc.Did.Key;
using Vc.Credentials.Issuance;
using Vc.Credentials.Keys;
using Vc.Did.Keys;
using Vc.Credentials.Presentations;
using Vc.Credentials.StatusList;
using Vc.Credentials.Verification;

namespace Vc.Credentials.Tests;

/// <summary>Each kind of bad input gives its own typed failure.</summary>
public sealed class NegativeTests
{
    private static readonly VerificationOptions At = new() { Now = Fixtures.Now };

    private static async Task<(TestStack Stack, CredentialIssuer Issuer, JsonObject Vc)> IssuedAsync(Action<JsonObject>? edit = null, IStatusListCredentialFetcher? fetcher = null)
    {
        var stack = new TestStack(fetcher);
        var issuer = new CredentialIssuer(stack.Proofs, IssuerProfile.ForDidKey(Fixtures.IssuerKey()));
        var unsigned = Fixtures.UnsignedIcvp(issuer.Profile);
        edit?.Invoke(unsigned);
        return (stack, issuer, await issuer.IssueAsync(unsigned, Fixtures.Now));
    }

    private static ProblemCode[] Codes(VerificationResult r) => r.ProblemDetails.Select(p => p.Code).ToArray();

    [Theory]
    [InlineData(null)]
    [InlineData("subject")]
    [InlineData("proofCreated")]
    [InlineData("addedTopLevel")]
    public async Task Verifying_JSON_text_reads_the_same_as_verifying_the_object(string? tamper)
    {
        var (stack, _, vc) = await IssuedAsync();
        switch (tamper)
        {
            case "subject": vc["credentialSubject"]!["name"] = "John Doe"; break;
            case "proofCreated": vc["proof"]!["created"] = "2025-11-01T12:00:01Z"; break;
            case "addedTopLevel": vc["name"] = "Added"; break;
        }
        var fromText = await stack.Verifier.VerifyAsync(vc.ToJsonString(), At);
        var fromObject = await stack.Verifier.VerifyAsync(vc, At);
        using var parsed = System.Text.Json.JsonDocument.Parse(vc.ToJsonString());
        var fromElement = await stack.Verifier.VerifyAsync(parsed.RootElement, At);
        Assert.Equal(tamper is null, fromText.Verified);
        Assert.Equal(fromObject.ToJson(), fromText.ToJson());
        Assert.Equal(fromObject.ToJson(), fromElement.ToJson());
        if (tamper is not null && tamper != "addedTopLevel") Assert.Contains(ProblemCode.ProofVerificationError, Codes(fromText));
    }

    [Fact]
    public async Task The_unsecured_document_read_from_the_parsed_element_is_the_document_without_its_proof()
    {
        var (stack, _, vc) = await IssuedAsync();
        using var parsed = System.Text.Json.JsonDocument.Parse(vc.ToJsonString());
        var unsecured = (JsonObject)vc.DeepClone();
        unsecured.Remove("proof");
        var expected = stack.Canonicalizer.CanonicalizeJsonLd(unsecured, System.Security.Cryptography.HashAlgorithmName.SHA256);
        Assert.Equal(expected, stack.Canonicalizer.CanonicalizeUnsecured(parsed.RootElement, System.Security.Cryptography.HashAlgorithmName.SHA256));
        // The interface's default (for other canonicalizers) builds the copy and agrees.
        IRdfCanonicalizer viaDefault = new CopyingCanonicalizer(stack.Canonicalizer);
        Assert.Equal(expected, viaDefault.CanonicalizeUnsecured(parsed.RootElement, System.Security.Cryptography.HashAlgorithmName.SHA256));
    }

    [Fact]
    public async Task The_proof_configuration_read_from_the_parsed_proof_is_the_proof_without_its_value_under_the_document_context()
    {
        var (stack, _, vc) = await IssuedAsync();
        using var parsed = System.Text.Json.JsonDocument.Parse(vc.ToJsonString());
        var config = (JsonObject)vc["proof"]!.DeepClone();
        config.Remove("proofValue");
        config["@context"] = vc["@context"]!.DeepClone();
        var sha256 = System.Security.Cryptography.HashAlgorithmName.SHA256;
        var expected = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(stack.Canonicalizer.CanonicalizeJsonLd(config, sha256)));
        var proof = parsed.RootElement.GetProperty("proof");
        var context = parsed.RootElement.GetProperty("@context");
        Assert.Equal(expected, stack.Canonicalizer.HashCanonicalProofConfig(proof, context, sha256));
        IRdfCanonicalizer viaDefault = new CopyingCanonicalizer(stack.Canonicalizer);
        Assert.Equal(expected, viaDefault.HashCanonicalProofConfig(proof, context, sha256));
    }

    private sealed class CopyingCanonicalizer(IRdfCanonicalizer inner) : IRdfCanonicalizer
    {
        public string CanonicalizeJsonLd(JsonObject document, System.Security.Cryptography.HashAlgorithmName hash) => inner.CanonicalizeJsonLd(document, hash);
    }

    [Fact]
    public async Task A_valid_credential_verifies_and_reports_every_check()
    {
        var (stack, _, vc) = await IssuedAsync();
        var result = await stack.Verifier.VerifyAsync(vc, At);

        Assert.True(result.Verified, result.ToJson());
        Assert.Equal(["dataModel", "proof.proofPurpose", "proof", "proof.verificationMethod", "controller", "validity"], result.Checks.Select(c => c.Check));
        Assert.Empty(result.ProblemDetails);
    }

    [Fact]
    public async Task A_lone_surrogate_is_a_parsing_problem_not_a_crash()
    {
        var (stack, _, vc) = await IssuedAsync();
        var text = vc.ToJsonString().Replace("\"credentialSubject\":{", "\"credentialSubject\":{\"note\":\"\\ud800\",", StringComparison.Ordinal);
        Assert.Contains("\\ud800", text);
        var result = await stack.Verifier.VerifyAsync(text, At);
        Assert.False(result.Verified);
        Assert.Contains(ProblemCode.ParsingError, Codes(result));
    }

    [Fact]
    public async Task An_unknown_context_is_an_UnknownContext_problem()
    {
        var (stack, _, vc) = await IssuedAsync();
        ((JsonArray)vc["@context"]!).Add("https://unknown.example/context/v1");

        var result = await stack.Verifier.VerifyAsync(vc, At);

        Assert.Equal([ProblemCode.UnknownContext], Codes(result));
    }

    [Fact]
    public async Task An_undefined_term_is_an_UndefinedTerm_problem_on_verify_and_on_issue()
    {
        var (stack, issuer, vc) = await IssuedAsync();
        vc["credentialSubject"]!["favouriteColour"] = "blue";

        var result = await stack.Verifier.VerifyAsync(vc, At);
        Assert.Equal([ProblemCode.UndefinedTerm], Codes(result));

        var unsigned = Fixtures.UnsignedIcvp(issuer.Profile);
        unsigned["favouriteColour"] = "blue";
        var e = await Assert.ThrowsAsync<CredentialException>(() => issuer.IssueAsync(unsigned));
        Assert.Equal(ProblemCode.UndefinedTerm, e.Code);
    }

    [Fact]
    public async Task An_undefined_term_in_a_JCS_secured_credential_is_still_caught()
    {
        var stack = new TestStack();
        using var key = Fixtures.IssuerKey();
        var issuer = new CredentialIssuer(stack.Proofs, IssuerProfile.ForDidKey(key, "eddsa-jcs-2022"));
        var unsigned = Fixtures.UnsignedIcvp(issuer.Profile);
        var vc = await issuer.IssueAsync(unsigned, Fixtures.Now);
        Assert.True((await stack.Verifier.VerifyAsync(vc, At)).Verified);

        // Signed over JCS with the extra term: the signature holds, JSON-LD validity does not.
        unsigned["favouriteColour"] = "blue";
        var forged = await stack.Proofs.AddProofAsync(unsigned, key, new ProofOptions(issuer.Profile.VerificationMethod) { Created = Fixtures.Now }, "eddsa-jcs-2022");
        var result = await stack.Verifier.VerifyAsync(forged, At);
        Assert.Equal([ProblemCode.UndefinedTerm], Codes(result));
    }

    [Fact]
    public async Task A_proof_made_for_authentication_is_a_MismatchedProofPurpose_on_a_credential()
    {
        var stack = new TestStack();
        using var key = Fixtures.IssuerKey();
        var profile = IssuerProfile.ForDidKey(key);
        var vc = await stack.Proofs.AddProofAsync(Fixtures.UnsignedIcvp(profile), key,
            new ProofOptions(profile.VerificationMethod, ProofPurposes.Authentication) { Created = Fixtures.Now });

        var result = await stack.Verifier.VerifyAsync(vc, At);

        Assert.Equal([ProblemCode.MismatchedProofPurpose], Codes(result));
        Assert.Contains(result.Checks, c => c.Check == "proof" && c.Valid); // the signature itself is fine
    }

    [Fact]
    public async Task A_key_not_listed_under_assertionMethod_is_VerificationMethodNotAuthorized()
    {
        using var key = Fixtures.IssuerKey();
        const string did = "did:example:moh";
        var resolver = new StaticResolver(_ => ParseDid(DidDoc(did, key.PublicKey, assertion: false)));
        var stack = new TestStack();
        var verifier = new CredentialVerifier(stack.Proofs, resolver);
        var issuer = new CredentialIssuer(stack.Proofs, new IssuerProfile(did, did + "#key-1", key));
        var vc = await issuer.IssueAsync(Fixtures.UnsignedIcvp(issuer.Profile), Fixtures.Now);

        var result = await verifier.VerifyAsync(vc, At);

        Assert.Equal([ProblemCode.VerificationMethodNotAuthorized], Codes(result));
        Assert.Contains(result.Checks, c => c.Check == "proof" && c.Valid);
    }

    [Fact]
    public async Task Authorization_is_checked_at_proof_creation_time_so_a_later_key_rotation_does_not_invalidate_old_credentials()
    {
        using var key = Fixtures.IssuerKey();
        const string did = "did:example:moh";
        var rotation = Fixtures.Now.AddDays(30);
        var resolver = new StaticResolver(t => ParseDid(DidDoc(did, key.PublicKey, assertion: t is { } at && at < rotation)));
        var stack = new TestStack();
        var verifier = new CredentialVerifier(stack.Proofs, resolver);
        var issuer = new CredentialIssuer(stack.Proofs, new IssuerProfile(did, did + "#key-1", key));

        var before = await issuer.IssueAsync(Fixtures.UnsignedIcvp(issuer.Profile), Fixtures.Now);
        var after = await issuer.IssueAsync(Fixtures.UnsignedIcvp(issuer.Profile), rotation.AddDays(1));
        var later = new VerificationOptions { Now = rotation.AddDays(2) };

        Assert.True((await verifier.VerifyAsync(before, later)).Verified);
        Assert.Equal([ProblemCode.VerificationMethodNotAuthorized], Codes(await verifier.VerifyAsync(after, later)));
    }

    [Fact]
    public async Task A_key_of_someone_else_is_a_ControllerMismatch()
    {
        var stack = new TestStack();
        using var other = Ed25519SigningKey.Generate();
        var vc = await stack.Proofs.AddProofAsync(Fixtures.UnsignedIcvp(IssuerProfile.ForDidKey(Fixtures.IssuerKey())), other,
            new ProofOptions(DidKeyResolver.VerificationMethodId(other.PublicKey)) { Created = Fixtures.Now });

        Assert.Equal([ProblemCode.ControllerMismatch], Codes(await stack.Verifier.VerifyAsync(vc, At)));
    }

    [Fact]
    public async Task An_expired_credential_is_Expired()
    {
        var (stack, _, vc) = await IssuedAsync(u => u["validUntil"] = "2025-10-30T00:00:00Z");
        Assert.Equal([ProblemCode.Expired], Codes(await stack.Verifier.VerifyAsync(vc, At)));
    }

    [Fact]
    public async Task A_credential_before_validFrom_is_NotYetValid()
    {
        var (stack, _, vc) = await IssuedAsync();
        var result = await stack.Verifier.VerifyAsync(vc, new VerificationOptions { Now = new DateTimeOffset(2025, 10, 5, 0, 0, 0, TimeSpan.Zero) });
        Assert.Equal([ProblemCode.NotYetValid], Codes(result));
    }

    [Fact]
    public async Task An_expired_proof_is_InvalidProofDatetime()
    {
        var stack = new TestStack();
        using var key = Fixtures.IssuerKey();
        var profile = IssuerProfile.ForDidKey(key);
        var vc = await stack.Proofs.AddProofAsync(Fixtures.UnsignedIcvp(profile), key,
            new ProofOptions(profile.VerificationMethod) { Created = Fixtures.Now.AddDays(-2), Expires = Fixtures.Now.AddDays(-1) });
        Assert.Equal([ProblemCode.InvalidProofDatetime], Codes(await stack.Verifier.VerifyAsync(vc, At)));
    }

    [Fact]
    public async Task Missing_proof_unknown_cryptosuite_and_bad_proofValue_are_MalformedProof_or_UnsupportedCryptosuite()
    {
        var (stack, _, vc) = await IssuedAsync();
        var noProof = (JsonObject)vc.DeepClone();
        noProof.Remove("proof");
        var unknownSuite = (JsonObject)vc.DeepClone();
        unknownSuite["proof"]!["cryptosuite"] = "bbs-2023";
        var badValue = (JsonObject)vc.DeepClone();
        badValue["proof"]!["proofValue"] = "x0OIl";

        Assert.Equal([ProblemCode.MalformedProof], Codes(await stack.Verifier.VerifyAsync(noProof, At)));
        Assert.Equal([ProblemCode.UnsupportedCryptosuite], Codes(await stack.Verifier.VerifyAsync(unknownSuite, At)));
        Assert.Equal([ProblemCode.MalformedProof], Codes(await stack.Verifier.VerifyAsync(badValue, At)));
    }

    [Fact]
    public async Task A_document_with_more_proofs_than_the_cap_is_refused_before_any_canonicalization()
    {
        var (stack, _, vc) = await IssuedAsync();
        var proof = vc["proof"]!;
        vc["proof"] = new JsonArray(Enumerable.Range(0, 17).Select(_ => proof.DeepClone()).ToArray());

        var result = await stack.Verifier.VerifyAsync(vc, At);

        Assert.Equal([ProblemCode.MalformedProof], Codes(result));
        Assert.Contains("at most 16", result.ProblemDetails[0].Detail);
    }

    [Fact]
    public async Task An_unresolvable_verification_method_is_a_resolution_error()
    {
        var (stack, _, vc) = await IssuedAsync();
        var otherMethod = (JsonObject)vc.DeepClone();
        otherMethod["proof"]!["verificationMethod"] = "did:web:moh.example#key-1";
        var badDidKey = (JsonObject)vc.DeepClone();
        badDidKey["proof"]!["verificationMethod"] = "did:key:z6MkNotAKey#z6MkNotAKey";

        Assert.Contains(ProblemCode.VerificationMethodResolutionError, Codes(await stack.Verifier.VerifyAsync(otherMethod, At)));
        Assert.Contains(ProblemCode.VerificationMethodResolutionError, Codes(await stack.Verifier.VerifyAsync(badDidKey, At)));
    }

    [Theory]
    [InlineData(DidResolutionErrors.NotFound)]
    [InlineData(DidResolutionErrors.InvalidDid)]
    [InlineData(DidResolutionErrors.InternalError)]
    public async Task A_resolution_error_is_a_VerificationMethodResolutionError_that_names_it(string error)
    {
        var failing = new StaticResolver(_ => null) { Metadata = new DidResolutionMetadata { Error = error, Message = "because" } };

        var result = await VerifyIssuedByMohAsync(new CompositeDidResolver([failing]));

        Assert.Equal([ProblemCode.VerificationMethodResolutionError], Codes(result));
        Assert.Equal($"Resolving did:example:moh failed ({error}): because", result.ProblemDetails[0].Detail);
    }

    [Fact]
    public async Task A_deactivated_DID_has_no_keys_to_verify_with_even_if_its_document_still_lists_them()
    {
        using var key = Fixtures.IssuerKey();
        var deactivated = new StaticResolver(_ => ParseDid(DidDoc("did:example:moh", key.PublicKey, assertion: true))) { Deactivated = true };

        var result = await VerifyIssuedByMohAsync(deactivated);

        Assert.Equal([ProblemCode.VerificationMethodResolutionError], Codes(result));
        Assert.Equal("did:example:moh is deactivated.", result.ProblemDetails[0].Detail);
    }

    /// <summary>An ICVP credential signed by did:example:moh#key-1 (the fixture key), verified through <paramref name="resolver"/>.</summary>
    private static async Task<VerificationResult> VerifyIssuedByMohAsync(IDidResolver resolver)
    {
        using var key = Fixtures.IssuerKey();
        var stack = new TestStack();
        var issuer = new CredentialIssuer(stack.Proofs, new IssuerProfile("did:example:moh", "did:example:moh#key-1", key));
        var vc = await issuer.IssueAsync(Fixtures.UnsignedIcvp(issuer.Profile), Fixtures.Now);
        return await new CredentialVerifier(stack.Proofs, resolver).VerifyAsync(vc, At);
    }

    [Fact]
    public async Task A_host_resolver_that_fails_in_its_own_way_is_a_resolution_error()
    {
        using var key = Fixtures.IssuerKey();
        var stack = new TestStack();
        var verifier = new CredentialVerifier(stack.Proofs, new StaticResolver(_ => throw new HttpRequestException("ledger node unreachable")));
        var issuer = new CredentialIssuer(stack.Proofs, new IssuerProfile("did:example:moh", "did:example:moh#key-1", key));
        var vc = await issuer.IssueAsync(Fixtures.UnsignedIcvp(issuer.Profile), Fixtures.Now);

        var result = await verifier.VerifyAsync(vc, At);

        Assert.Equal([ProblemCode.VerificationMethodResolutionError], Codes(result));
        Assert.Contains("ledger node unreachable", result.ProblemDetails[0].Detail);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2,3]")]
    [InlineData("")]
    public async Task Input_that_is_not_a_JSON_object_is_a_ParsingError(string input)
    {
        var stack = new TestStack();
        var result = await stack.Verifier.VerifyAsync(input, At);
        Assert.False(result.Verified);
        Assert.Equal([ProblemCode.ParsingError], Codes(result));
    }

    [Fact]
    public async Task Deeply_nested_input_is_a_ParsingError_not_a_crash()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000);
        var result = await new TestStack().Verifier.VerifyAsync(deep, At);
        Assert.Equal([ProblemCode.ParsingError], Codes(result));
    }

    [Fact]
    public async Task Data_model_violations_are_MalformedValue_with_the_section()
    {
        var (stack, _, vc) = await IssuedAsync();
        // Neither the VC 2.0 nor the VC 1.1 base context.
        vc["@context"] = new JsonArray("https://example.org/not-a-base-context");
        vc.Remove("credentialSubject");

        var result = await stack.Verifier.VerifyAsync(vc, At);

        var dataModel = Assert.Single(result.Checks, c => c.Check == "dataModel");
        Assert.Equal(ProblemCode.MalformedValue, dataModel.Problem!.Code);
        Assert.Contains("§4.3", dataModel.Detail);
        Assert.Contains("§4.8", dataModel.Detail);
    }

    [Fact]
    public async Task Evidence_terms_of_use_and_refresh_entries_without_a_type_are_MalformedValue()
    {
        var (stack, _, vc) = await IssuedAsync();
        vc["evidence"] = new JsonArray(new JsonObject { ["id"] = "urn:uuid:e1" });

        var result = await stack.Verifier.VerifyAsync(vc, At);

        Assert.Contains(ProblemCode.MalformedValue, Codes(result));
        Assert.Contains("evidence", result.ProblemDetails.First(p => p.Code == ProblemCode.MalformedValue).Detail);
    }

    [Fact]
    public async Task Issuing_refuses_a_credential_of_another_issuer_and_one_violating_the_data_model()
    {
        var stack = new TestStack();
        var issuer = new CredentialIssuer(stack.Proofs, IssuerProfile.ForDidKey(Fixtures.IssuerKey()));
        var other = Fixtures.UnsignedIcvp(issuer.Profile);
        other["issuer"] = "did:example:someone-else";
        var noSubject = Fixtures.UnsignedIcvp(issuer.Profile);
        noSubject.Remove("credentialSubject");

        Assert.Equal(ProblemCode.MalformedValue, (await Assert.ThrowsAsync<CredentialException>(() => issuer.IssueAsync(other))).Code);
        Assert.Equal(ProblemCode.MalformedValue, (await Assert.ThrowsAsync<CredentialException>(() => issuer.IssueAsync(noSubject))).Code);
    }

    [Fact]
    public async Task Presentation_with_a_wrong_challenge_or_domain_gives_InvalidChallenge_and_InvalidDomain()
    {
        var (stack, _, vc) = await IssuedAsync(u => u["credentialSubject"]!["id"] = DidKeyResolver.CreateDid(Fixtures.HolderKey().PublicKey));
        using var holderKey = Fixtures.HolderKey();
        var holder = new HolderProfile(DidKeyResolver.CreateDid(holderKey.PublicKey), DidKeyResolver.VerificationMethodId(holderKey.PublicKey), holderKey);
        var vp = await stack.PresentationSigner.CreateAsync(holder, [vc], "challenge-A", "a.example", Fixtures.Now);

        var ok = await stack.PresentationVerifier.VerifyAsync(vp, At with { Challenge = "challenge-A", Domain = "a.example" });
        var wrongChallenge = await stack.PresentationVerifier.VerifyAsync(vp, At with { Challenge = "challenge-B", Domain = "a.example" });
        var wrongDomain = await stack.PresentationVerifier.VerifyAsync(vp, At with { Challenge = "challenge-A", Domain = "b.example" });

        Assert.True(ok.Verified, ok.ToJson());
        using var parsed = System.Text.Json.JsonDocument.Parse(vp.ToJsonString());
        Assert.Equal(ok.ToJson(), (await stack.PresentationVerifier.VerifyAsync(parsed.RootElement, At with { Challenge = "challenge-A", Domain = "a.example" })).ToJson());
        Assert.Equal(ok.ToJson(), (await stack.PresentationVerifier.VerifyAsync(vp.ToJsonString(), At with { Challenge = "challenge-A", Domain = "a.example" })).ToJson());
        Assert.Equal([ProblemCode.InvalidChallenge], Codes(wrongChallenge));
        Assert.Equal([ProblemCode.InvalidDomain], Codes(wrongDomain));
    }

    [Fact]
    public async Task Presentation_of_someone_elses_credential_is_a_HolderBindingError_when_the_verifier_asks_for_binding()
    {
        var (stack, _, vc) = await IssuedAsync(u => u["credentialSubject"]!["id"] = "did:example:another-person");
        using var holderKey = Fixtures.HolderKey();
        var holder = new HolderProfile(DidKeyResolver.CreateDid(holderKey.PublicKey), DidKeyResolver.VerificationMethodId(holderKey.PublicKey), holderKey);
        var vp = await stack.PresentationSigner.CreateAsync(holder, [vc], "c", null, Fixtures.Now);

        var bound = await stack.PresentationVerifier.VerifyAsync(vp, At with { Challenge = "c", RequireHolderBinding = true });
        // VC DM 2.0 has no holder-binding rule: a holder may present credentials about others unless asked otherwise.
        var unbound = await stack.PresentationVerifier.VerifyAsync(vp, At with { Challenge = "c" });

        Assert.Equal([ProblemCode.HolderBindingError], Codes(bound));
        Assert.True(unbound.Verified, unbound.ToJson());
        Assert.DoesNotContain(unbound.Checks, c => c.Check == "holderBinding");
    }

    [Fact]
    public async Task Presentation_with_a_tampered_credential_reports_the_embedded_failure()
    {
        var holderDid = DidKeyResolver.CreateDid(Fixtures.HolderKey().PublicKey);
        var (stack, _, vc) = await IssuedAsync(u => u["credentialSubject"]!["id"] = holderDid);
        vc["credentialSubject"]!["name"] = "Mallory";
        using var holderKey = Fixtures.HolderKey();
        var holder = new HolderProfile(holderDid, DidKeyResolver.VerificationMethodId(holderKey.PublicKey), holderKey);
        var vp = await stack.PresentationSigner.CreateAsync(holder, [vc], "c", null, Fixtures.Now);

        var result = await stack.PresentationVerifier.VerifyAsync(vp, At with { Challenge = "c" });

        // Read from text or in place from a parsed element, the answer is the same.
        var fromText = await stack.PresentationVerifier.VerifyAsync(vp.ToJsonString(), At with { Challenge = "c" });
        using var parsed = System.Text.Json.JsonDocument.Parse(vp.ToJsonString());
        var fromElement = await stack.PresentationVerifier.VerifyAsync(parsed.RootElement, At with { Challenge = "c" });
        Assert.Equal(result.ToJson(), fromText.ToJson());
        Assert.Equal(result.ToJson(), fromElement.ToJson());
        Assert.Equal([ProblemCode.EmbeddedCredentialInvalid], Codes(result));
        Assert.True(result.CredentialResults![0].Has(ProblemCode.ProofVerificationError));
        Assert.Contains(result.Checks, c => c.Check == "proof" && c.Valid); // the holder's own proof is fine
    }

    [Fact]
    public async Task The_result_serializes_to_the_VC_API_shape()
    {
        var (stack, _, vc) = await IssuedAsync(u => u["validUntil"] = "2025-10-30T00:00:00Z");
        var json = JsonNode.Parse((await stack.Verifier.VerifyAsync(vc, At)).ToJson())!.AsObject();

        Assert.False(json["verified"]!.GetValue<bool>());
        var problem = Assert.Single(json["problemDetails"]!.AsArray())!.AsObject();
        Assert.Equal(["type", "title", "detail"], problem.Select(p => p.Key));
        Assert.Equal(ProblemTypes.TypeOf(ProblemCode.Expired), problem["type"]!.GetValue<string>());
        Assert.NotEmpty(json["checks"]!.AsArray());
    }

    internal static JsonObject DidDoc(string did, VerificationKey key, bool assertion)
    {
        var doc = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"),
            ["id"] = did,
            ["verificationMethod"] = new JsonArray(new JsonObject
            {
                ["id"] = "#key-1", ["type"] = "Multikey", ["controller"] = did, ["publicKeyMultibase"] = key.PublicKeyMultibase,
            }),
            ["authentication"] = new JsonArray("#key-1"),
        };
        if (assertion) doc["assertionMethod"] = new JsonArray(did + "#key-1");
        return doc;
    }

    /// <summary>A resolver for one DID whose document depends on the requested version time.</summary>
    internal sealed class StaticResolver(Func<DateTimeOffset?, DidDocument?> document) : IDidMethodResolver
    {
        public string Method => "example";
        public DidResolutionMetadata Metadata { get; init; } = new();
        public bool Deactivated { get; init; }

        public Task<DidResolutionResult> ResolveAsync(string did, DidResolutionOptions? options = null, CancellationToken ct = default) =>
            Task.FromResult(new DidResolutionResult(document(options?.VersionTime), new DidDocumentMetadata { Deactivated = Deactivated }, Metadata));
    }

    /// <summary>A DID document from its JSON, read as a did:web document is.</summary>
    internal static DidDocument ParseDid(JsonObject json) => DidJson.ParseDocument(JsonSerializer.SerializeToElement(json));
}
