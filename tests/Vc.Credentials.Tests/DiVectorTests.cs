using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Vc.Credentials.DataIntegrity;
using Vc.Did.Encoding;
using Vc.Credentials.Json;
using Vc.Credentials.Keys;
using Vc.Did.Keys;
using Vc.Credentials.Verification;

namespace Vc.Credentials.Tests;

/// <summary>shared/testdata/di-vectors: every intermediate step, byte for byte where the suite is deterministic.</summary>
public sealed class DiVectorTests
{
    private static readonly TestStack Stack = new();
    // Status is off: the rich JS fixture points at an example.org list that does not exist offline.
    private static readonly VerificationOptions VectorOptions = new() { Now = Vectors.Now, RequireControllerMatch = false, CheckStatus = false };

    public static TheoryData<string, string, string> DeterministicSuites => new()
    {
        // folder, file suffix, cryptosuite
        { "eddsa/eddsa-rdfc-2022", "DataInt", "eddsa-rdfc-2022" },
        { "eddsa/eddsa-jcs-2022", "JCS", "eddsa-jcs-2022" },
    };

    [Theory]
    [MemberData(nameof(DeterministicSuites))]
    public void Every_intermediate_of_the_eddsa_vectors_is_reproduced(string folder, string suffix, string suiteName)
    {
        var suite = Stack.Proofs.FindSuite(suiteName)!;
        var unsigned = Vectors.Json("eddsa", "unsigned.json");
        var config = Vectors.Json(folder, $"proofConfig{suffix}.json");

        var result = suite.CreateHashData(unsigned, config, KeyType.Ed25519);

        Assert.Equal(Vectors.Text(folder, $"canonDoc{suffix}.txt").TrimEnd('\n'), result.CanonicalDocument.TrimEnd('\n'));
        Assert.Equal(Vectors.Text(folder, $"proofCanon{suffix}.txt").TrimEnd('\n'), result.CanonicalProofConfig.TrimEnd('\n'));
        Assert.Equal(Vectors.Hex(folder, $"combinedHash{suffix}.txt"), Convert.ToHexStringLower(result.HashData));
    }

    [Theory]
    [MemberData(nameof(DeterministicSuites))]
    public async Task Re_signing_the_eddsa_vector_reproduces_its_proofValue(string folder, string suffix, string suiteName)
    {
        using var key = Ed25519SigningKey.FromSecretKeyMultibase(Vectors.Json("eddsa", "keyPair.json").GetString("privateKeyMultibase")!);
        Assert.Equal(Vectors.Json("eddsa", "keyPair.json").GetString("publicKeyMultibase"), key.PublicKey.PublicKeyMultibase);
        var expected = Vectors.Json(folder, $"signed{suffix}.json");
        var proof = (JsonObject)expected["proof"]!;

        var signed = await Stack.Proofs.AddProofAsync(Vectors.Json("eddsa", "unsigned.json"), key,
            new ProofOptions(proof.GetString("verificationMethod")!) { Created = DateTimeOffset.Parse(proof.GetString("created")!) }, suiteName);

        Assert.Equal(proof.GetString("proofValue"), signed["proof"]!["proofValue"]!.GetValue<string>());
        Assert.Equal(Vectors.Hex(folder, $"sigHex{suffix}.txt"), Convert.ToHexStringLower(Multibase.DecodeBase58Btc(proof.GetString("proofValue")!)));
        Assert.True(JsonNode.DeepEquals(expected, signed));
    }

    [Fact]
    public async Task Re_signing_the_eddsa_rdfc_employment_vector_reproduces_its_proofValue()
    {
        var expected = Vectors.Json("eddsa", "eddsa-rdfc-2022", "employ", "signedDataInt.json");
        var proof = (JsonObject)expected["proof"]!;
        using var key = Ed25519SigningKey.FromSecretKeyMultibase(Vectors.Json("eddsa", "keyPair.json").GetString("privateKeyMultibase")!);
        var unsigned = (JsonObject)expected.DeepClone();
        unsigned.Remove("proof");

        var signed = await Stack.Proofs.AddProofAsync(unsigned, key,
            new ProofOptions(proof.GetString("verificationMethod")!) { Created = DateTimeOffset.Parse(proof.GetString("created")!) });

        Assert.Equal(Vectors.Text("eddsa", "eddsa-rdfc-2022", "employ", "canonDocDataInt.txt").TrimEnd('\n'),
            Stack.Canonicalizer.CanonicalizeJsonLd(unsigned, HashAlgorithmName.SHA256).TrimEnd('\n'));
        Assert.Equal(proof.GetString("proofValue"), signed["proof"]!["proofValue"]!.GetValue<string>());
    }

    public static TheoryData<string> SignedVectors => new()
    {
        "eddsa/eddsa-rdfc-2022/signedDataInt.json",
        "eddsa/eddsa-rdfc-2022/employ/signedDataInt.json",
        "eddsa/eddsa-jcs-2022/signedJCS.json",
        "ecdsa/ecdsa-rdfc-2019-p256/signedECDSAP256.json",
        "ecdsa/ecdsa-rdfc-2019-p256/employ/signedECDSAP256.json",
        "ecdsa/ecdsa-rdfc-2019-p384/signedECDSAP384.json",
        "ecdsa/ecdsa-rdfc-2019-p384/employ/signedECDSAP384.json",
        "ecdsa/ecdsa-jcs-2019-p256/signedJCSECDSAP256.json",
        "ecdsa/ecdsa-jcs-2019-p384/signedJCSECDSAP384.json",
        "eddsa/proof-set-chain/signedProofSet1.json",
        "eddsa/proof-set-chain/signedProofSet2.json",
        "eddsa/proof-set-chain/signedProofChain1.json",
        "eddsa/proof-set-chain/signedProofChain2.json",
        "js-generated/vc-eddsa-rdfc-2022.json",
        "js-generated/vc-eddsa-rdfc-2022-rich.json",
        "js-generated/vc-eddsa-jcs-2022.json",
        "js-generated/vc-ecdsa-rdfc-2019-p256.json",
    };

    [Theory]
    [MemberData(nameof(SignedVectors))]
    public async Task Every_signed_vector_verifies_including_every_proof_of_a_set(string path)
    {
        var result = await Stack.Verifier.VerifyAsync(Vectors.Json(path.Split('/')), VectorOptions);

        Assert.True(result.Verified, result.ToJson());
        Assert.Contains(result.Checks, c => c.Check.StartsWith("proof", StringComparison.Ordinal) && c.Valid);
    }

    [Theory]
    [MemberData(nameof(SignedVectors))]
    public async Task Every_signed_vector_fails_with_a_proof_verification_error_once_a_claim_is_modified(string path)
    {
        var vc = Vectors.Json(path.Split('/'));
        vc["validFrom"] = "2023-01-02T00:00:00Z";

        var result = await Stack.Verifier.VerifyAsync(vc, VectorOptions);

        Assert.False(result.Verified);
        Assert.True(result.Has(ProblemCode.ProofVerificationError), result.ToJson());
    }

    [Fact]
    public async Task The_spec_vectors_issuer_is_not_a_DID_so_the_key_association_is_reported_and_only_a_strict_verifier_fails_it()
    {
        var vector = Vectors.Json("eddsa", "eddsa-rdfc-2022", "signedDataInt.json");
        Assert.DoesNotContain("did:", vector["issuer"]!.ToString());

        var result = await Stack.Verifier.VerifyAsync(vector, new VerificationOptions { Now = Vectors.Now, CheckStatus = false });
        var strict = await Stack.Verifier.VerifyAsync(vector, new VerificationOptions { Now = Vectors.Now, CheckStatus = false, StrictIssuerBinding = true });

        Assert.True(result.Verified, result.ToJson());
        Assert.Contains(result.Checks, c => c.Check == "controller" && c.Valid && c.Detail!.StartsWith("not established", StringComparison.Ordinal));
        Assert.False(strict.Verified);
        Assert.Contains(strict.Checks, c => c.Check == "proof" && c.Valid);
        Assert.Equal([ProblemCode.ControllerMismatch], strict.ProblemDetails.Select(p => p.Code));
    }

    [Theory]
    [InlineData("ecdsa-rdfc-2019-p256", "ECDSAP256", "P256")]
    [InlineData("ecdsa-rdfc-2019-p384", "ECDSAP384", "P384")]
    public void Ecdsa_rdfc_intermediates_match_including_sha384_inside_rdfc_for_p384(string folder, string suffix, string keyType)
    {
        var suite = Stack.Proofs.FindSuite("ecdsa-rdfc-2019")!;
        var result = suite.CreateHashData(Vectors.Json("ecdsa", "unsigned.json"), Vectors.Json("ecdsa", folder, $"proofConfig{suffix}.json"), Enum.Parse<KeyType>(keyType));

        Assert.Equal(Vectors.Text("ecdsa", folder, $"canonDoc{suffix}.txt").TrimEnd('\n'), result.CanonicalDocument.TrimEnd('\n'));
        Assert.Equal(Vectors.Hex("ecdsa", folder, $"combinedHash{suffix}.txt"), Convert.ToHexStringLower(result.HashData));
    }

    [Theory]
    [InlineData("p256KeyPair.json", "ecdsa-rdfc-2019")]
    [InlineData("p384KeyPair.json", "ecdsa-rdfc-2019")]
    [InlineData("p256KeyPair.json", "ecdsa-jcs-2019")]
    [InlineData("p384KeyPair.json", "ecdsa-jcs-2019")]
    public async Task Ecdsa_vector_keys_sign_credentials_that_verify(string keyFile, string suite)
    {
        var pair = Vectors.Json("ecdsa", keyFile);
        using var key = EcdsaSigningKey.FromSecretKeyMultibase(pair.GetString("secretKeyMultibase")!);
        Assert.Equal(pair.GetString("publicKeyMultibase"), key.PublicKey.PublicKeyMultibase);
        var vm = $"did:key:{key.PublicKey.PublicKeyMultibase}#{key.PublicKey.PublicKeyMultibase}";

        var signed = await Stack.Proofs.AddProofAsync(Vectors.Json("ecdsa", "unsigned.json"), key, new ProofOptions(vm), suite);
        var result = await Stack.Verifier.VerifyAsync(signed, VectorOptions);

        Assert.True(result.Verified, result.ToJson());
    }

    [Fact]
    public async Task A_legacy_Ed25519Signature2020_proof_is_reported_as_a_malformed_Data_Integrity_proof()
    {
        var result = await Stack.Verifier.VerifyAsync(Vectors.Json("eddsa", "Ed25519Signature2020", "signedEdSig.json"), VectorOptions);

        Assert.False(result.Verified);
        Assert.Contains(result.Checks, c => c.Check == "proof" && c.Problem?.Code == ProblemCode.MalformedProof);
    }
}
