using System.Text;
using System.Text.Json.Nodes;
using Vc.Credentials.DataIntegrity;
using Vc.Credentials.DataIntegrity.SelectiveDisclosure;
using Vc.Credentials.Json;
using Vc.Credentials.Keys;
using Vc.Credentials.Verification;
using Vc.Did.Encoding;
using Vc.Did.Keys;

namespace Vc.Credentials.Tests;

/// <summary>
/// shared/testdata/di-vectors/ecdsa/ecdsa-sd-2023: every folder (employ/, prc/ and any held-back one in the same
/// layout), every intermediate byte for byte. ECDSA signatures are randomized, so the vectors' own signatures are
/// verified over our recomputed data and re-serialized byte-exact, and our own signatures are checked by verification.
/// </summary>
public sealed class EcdsaSdVectorTests
{
    private static readonly TestStack Stack = new();
    private static readonly EcdsaSd2023 Suite = (EcdsaSd2023)Stack.Proofs.FindSuite("ecdsa-sd-2023")!;
    private static readonly VerificationOptions VectorOptions = new() { Now = Vectors.Now, RequireControllerMatch = false, CheckStatus = false };
    private const string Root = "ecdsa/ecdsa-sd-2023";

    public static TheoryData<string> Folders()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(Vectors.Dir("ecdsa", "ecdsa-sd-2023")).Order(StringComparer.Ordinal))
            if (File.Exists(Path.Combine(dir, "addSignedSDBase.json"))) data.Add(Path.GetFileName(dir));
        return data;
    }

    private static JsonObject J(string folder, string file) => Vectors.Json("ecdsa", "ecdsa-sd-2023", folder, file);
    private static JsonNode N(string folder, string file) => JsonNode.Parse(Vectors.Text("ecdsa", "ecdsa-sd-2023", folder, file))!;
    private static JsonObject KeyMaterial => Vectors.Json("ecdsa", "ecdsa-sd-2023", "SDKeyMaterial.json");
    private static byte[] HmacKey => Convert.FromHexString(KeyMaterial.GetString("hmacKeyString")!);
    private static string[] Strings(JsonNode? node) => JsonInput.Strings(node).ToArray();
    private static int[] Ints(JsonNode? node) => node!.AsArray().Select(n => n!.GetValue<int>()).ToArray();

    // A vector's {"dataType": "Map", "value": [[k, v], …]} as ordered pairs.
    private static (int Index, string NQuad)[] IndexMap(JsonNode? map) =>
        map!["value"]!.AsArray().Select(p => (p![0]!.GetValue<int>(), p[1]!.GetValue<string>())).ToArray();

    private static JsonObject Unsigned(string folder)
    {
        var doc = J(folder, "addSignedSDBase.json");
        doc.Remove("proof");
        return doc;
    }

    private static EcdsaSdBaseTransform Transform(string folder) =>
        Suite.TransformBase(Unsigned(folder), J(folder, "addProofConfig.json"), Strings(J(folder, "addBaseTransform.json")["mandatoryPointers"]), HmacKey);

    [Theory]
    [MemberData(nameof(Folders))]
    public void Base_proof_transformation_and_hashing_reproduce_every_intermediate(string folder)
    {
        var t = Transform(folder);

        Assert.Equal(Vectors.Text(Root, folder, "addProofConfigCanon.txt").TrimEnd('\n'), t.CanonicalProofConfig.TrimEnd('\n'));
        Assert.Equal(J(folder, "addHashData.json").GetString("proofHash"), Convert.ToHexStringLower(t.ProofHash));
        Assert.Equal(Strings(N(folder, "addBaseDocHMACCanon.json")), t.Grouping.NQuads);
        var transform = J(folder, "addBaseTransform.json");
        Assert.Equal(Convert.FromHexString(transform.GetString("hmacKeyString")!), HmacKey);
        Assert.Equal(IndexMap(transform["mandatory"]), t.Mandatory.Select(p => (p.Key, p.Value)));
        Assert.Equal(IndexMap(transform["nonMandatory"]), t.NonMandatory.Select(p => (p.Key, p.Value)));
        Assert.Equal(J(folder, "addHashData.json").GetString("mandatoryHash"), Convert.ToHexStringLower(t.MandatoryHash));
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void The_plain_canonical_form_and_the_pointer_values_match(string folder)
    {
        var canonical = Stack.Canonicalizer.CanonicalizeJsonLd(Unsigned(folder), System.Security.Cryptography.HashAlgorithmName.SHA256);
        Assert.Equal(string.Concat(Strings(N(folder, "addBaseDocCanon.json"))), canonical);

        foreach (var entry in N(folder, "addPointerValues.json").AsArray())
        {
            var pointer = entry!["pointer"]!.GetValue<string>();
            JsonNode? value = SdPrimitives.SelectJsonLd(Unsigned(folder), [pointer]);
            foreach (var path in JsonPointer.Parse(pointer)) value = value is JsonArray a ? a[int.Parse(path)] : value![path];
            Assert.True(JsonNode.DeepEquals(entry["value"], value), $"{pointer}: {value?.ToJsonString()}");
        }
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void The_vector_signatures_verify_over_our_data_and_serialize_to_its_base_proofValue(string folder)
    {
        var t = Transform(folder);
        var raw = J(folder, "addRawBaseSignatureInfo.json");
        var proofPublicKey = Multibase.DecodeBase58Btc(raw.GetString("publicKey")!);
        Assert.Equal(KeyMaterial["proofKeyPair"]!["publicKeyMultibase"]!.GetValue<string>(), raw.GetString("publicKey"));
        var issuerKey = VerificationKey.FromMultikey(KeyMaterial["baseKeyPair"]!["publicKeyMultibase"]!.GetValue<string>());
        var proofKey = VerificationKey.FromMultikey(raw.GetString("publicKey")!);
        var baseSignature = Convert.FromHexString(raw.GetString("baseSignature")!);
        var signatures = Strings(raw["signatures"]).Select(Convert.FromHexString).ToArray();

        Assert.True(issuerKey.Verify(EcdsaSd2023.SignData(t.ProofHash, proofPublicKey, t.MandatoryHash), baseSignature));
        Assert.Equal(t.NonMandatory.Count, signatures.Length);
        for (var i = 0; i < signatures.Length; i++)
            Assert.True(proofKey.Verify(Encoding.UTF8.GetBytes(t.NonMandatory.Values[i]), signatures[i]), $"signature {i}");

        var proofValue = EcdsaSdProofValue.SerializeBase(new EcdsaSdBaseProof(baseSignature, proofPublicKey, HmacKey, signatures, Strings(raw["mandatoryPointers"])));
        Assert.Equal(J(folder, "addSignedSDBase.json")["proof"]!["proofValue"]!.GetValue<string>(), proofValue);

        // parseBaseProofValue gives the components back (derivedRecoveredBaseData).
        var parsed = EcdsaSdProofValue.ParseBase(proofValue);
        var recovered = J(folder, "derivedRecoveredBaseData.json");
        Assert.Equal(recovered.GetString("baseSignature"), Convert.ToHexStringLower(parsed.BaseSignature));
        Assert.Equal(recovered.GetString("proofPublicKey"), Multibase.EncodeBase58Btc(parsed.PublicKey));
        Assert.Equal(recovered.GetString("hmacKey"), Convert.ToHexStringLower(parsed.HmacKey));
        Assert.Equal(Strings(recovered["signatures"]), parsed.Signatures.Select(Convert.ToHexStringLower));
        Assert.Equal(Strings(recovered["mandatoryPointers"]), parsed.MandatoryPointers);
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public async Task Re_signing_with_the_vector_keys_gives_a_base_proof_equal_but_for_the_random_signatures(string folder)
    {
        var t = Transform(folder);
        using var issuer = (EcdsaSigningKey)SigningKeys.FromMultikeyJson((JsonObject)KeyMaterial["baseKeyPair"]!);
        using var proofKey = (EcdsaSigningKey)SigningKeys.FromMultikeyJson((JsonObject)KeyMaterial["proofKeyPair"]!);
        var pointers = Strings(J(folder, "addBaseTransform.json")["mandatoryPointers"]);

        var ours = EcdsaSdProofValue.ParseBase(await EcdsaSd2023.SerializeBaseAsync(t, pointers, HmacKey, proofKey, issuer, default));
        var theirs = EcdsaSdProofValue.ParseBase(J(folder, "addSignedSDBase.json")["proof"]!["proofValue"]!.GetValue<string>());

        Assert.Equal(theirs.PublicKey, ours.PublicKey);
        Assert.Equal(theirs.HmacKey, ours.HmacKey);
        Assert.Equal(theirs.MandatoryPointers, ours.MandatoryPointers);
        Assert.Equal(theirs.Signatures.Count, ours.Signatures.Count);
        Assert.True(issuer.PublicKey.Verify(EcdsaSd2023.SignData(t.ProofHash, ours.PublicKey, t.MandatoryHash), ours.BaseSignature));
        for (var i = 0; i < ours.Signatures.Count; i++)
            Assert.True(proofKey.PublicKey.Verify(Encoding.UTF8.GetBytes(t.NonMandatory.Values[i]), ours.Signatures[i]));
    }

    // The vectors do not carry the selective pointers; the parent folder's *Selective.json files do: the one whose
    // selection (with the mandatory pointers) gives the vector's unsigned reveal document is the folder's.
    private static string[] SelectivePointers(string folder)
    {
        var unsigned = Unsigned(folder);
        var mandatory = Strings(J(folder, "addBaseTransform.json")["mandatoryPointers"]);
        var reveal = J(folder, "derivedUnsignedReveal.json");
        var matches = Directory.GetFiles(Vectors.Dir("ecdsa"), "*Selective.json")
            .Select(f => Strings(JsonNode.Parse(File.ReadAllText(f))))
            .Where(s =>
            {
                try { return JsonNode.DeepEquals(reveal, SdPrimitives.SelectJsonLd(unsigned, [.. mandatory, .. s])); }
                catch (CredentialException) { return false; }
            })
            .ToList();
        if (matches.Count > 0) return matches[0];
        // Else the reveal document's own leaves outside the mandatory pointers (arrays of literals as a whole), when
        // they select exactly that document.
        var leaves = new List<string>();
        void Walk(JsonNode? node, string pointer)
        {
            if (node is JsonObject o)
                foreach (var (name, value) in o)
                {
                    if (pointer.Length == 0 && name == "@context") continue;
                    Walk(value, pointer + "/" + name.Replace("~", "~0").Replace("/", "~1"));
                }
            else if (node is JsonArray a && a.Any(x => x is JsonObject or JsonArray))
                for (var i = 0; i < a.Count; i++) Walk(a[i], $"{pointer}/{i}");
            else if (!mandatory.Any(m => pointer == m || pointer.StartsWith(m + "/", StringComparison.Ordinal))) leaves.Add(pointer);
        }
        Walk(reveal, "");
        Assert.True(JsonNode.DeepEquals(reveal, SdPrimitives.SelectJsonLd(unsigned, [.. mandatory, .. leaves])),
            $"neither a *Selective.json pointer list nor the reveal document's leaves reproduce {folder}/derivedUnsignedReveal.json");
        return [.. leaves];
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Deriving_from_the_vector_base_proof_reproduces_the_disclosure_data_and_the_derived_proofValue(string folder)
    {
        var baseDoc = J(folder, "addSignedSDBase.json");
        var selective = SelectivePointers(folder);

        var d = Suite.CreateDisclosureData(Unsigned(folder), baseDoc["proof"]!["proofValue"]!.GetValue<string>(), selective);

        var indexes = J(folder, "derivedGroupIndexes.json");
        Assert.Equal(Ints(indexes["combinedIndexes"]), d.Grouping.Groups["combined"].Matching.Keys);
        Assert.Equal(Ints(indexes["mandatoryIndexes"]), d.Grouping.Groups["mandatory"].Matching.Keys);
        Assert.Equal(Ints(indexes["nonMandatoryIndexes"]), d.Grouping.Groups["mandatory"].NonMatching.Keys);
        Assert.Equal(Ints(indexes["selectiveIndexes"]), d.Grouping.Groups["selective"].Matching.Keys);
        var groups = J(folder, "derivedAllGroupData.json")["groups"]!;
        foreach (var name in new[] { "mandatory", "selective", "combined" })
        {
            Assert.Equal(IndexMap(groups[name]!["matching"]), d.Grouping.Groups[name].Matching.Select(p => (p.Key, p.Value)));
            Assert.Equal(IndexMap(groups[name]!["nonMatching"]), d.Grouping.Groups[name].NonMatching.Select(p => (p.Key, p.Value)));
        }
        Assert.Equal(Ints(J(folder, "derivedAdjMandatoryIndexes.json")["adjMandatoryIndexes"]), d.Proof.MandatoryIndexes);
        Assert.Equal(Strings(J(folder, "derivedAdjSignatures.json")["filteredSignatures"]), d.Proof.Signatures.Select(Convert.ToHexStringLower));

        var disclosure = J(folder, "derivedDisclosureData.json");
        Assert.Equal(disclosure.GetString("baseSignature"), Convert.ToHexStringLower(d.Proof.BaseSignature));
        Assert.Equal(disclosure.GetString("publicKey"), Multibase.EncodeBase58Btc(d.Proof.PublicKey));
        Assert.Equal(Ints(disclosure["mandatoryIndexes"]), d.Proof.MandatoryIndexes);
        var expectedLabels = disclosure["labelMap"]!["value"]!.AsArray().ToDictionary(p => p![0]!.GetValue<string>(), p => p![1]!.GetValue<string>());
        Assert.Equal(expectedLabels.OrderBy(p => p.Key, StringComparer.Ordinal), d.Proof.LabelMap.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.True(JsonNode.DeepEquals(J(folder, "derivedUnsignedReveal.json"), d.RevealDocument), d.RevealDocument.ToJsonString());

        // Add Derived Proof: the whole derived document, its proofValue byte for byte.
        var derived = Stack.Proofs.DeriveProof(baseDoc, selective);
        var expected = J(folder, "derivedRevealDocument.json");
        Assert.Equal(expected["proof"]!["proofValue"]!.GetValue<string>(), derived["proof"]!["proofValue"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(expected, derived), derived.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public async Task The_vector_derived_proof_verifies_with_every_verify_intermediate(string folder)
    {
        var derived = J(folder, "derivedRevealDocument.json");
        var proof = (JsonObject)derived["proof"]!;
        var unsecured = (JsonObject)derived.DeepClone();
        unsecured.Remove("proof");
        var config = (JsonObject)proof.DeepClone();
        config.Remove("proofValue");
        config["@context"] = derived["@context"]!.DeepClone();

        var v = Suite.CreateVerifyData(unsecured, config, proof.GetString("proofValue"));

        Assert.Equal(Strings(N(folder, "verifyNQuads.json")), v.NQuads);
        var expected = J(folder, "verifyCreateVerifyData.json");
        Assert.Equal(expected.GetString("proofHash"), Convert.ToHexStringLower(v.ProofHash));
        Assert.Equal(expected.GetString("mandatoryHash"), Convert.ToHexStringLower(v.MandatoryHash));
        Assert.Equal(Strings(expected["nonMandatory"]), v.NonMandatory);
        Assert.Equal(Strings(expected["signatures"]), v.Proof.Signatures.Select(Convert.ToHexStringLower));
        Assert.Equal(expected.GetString("publicKey"), Multibase.EncodeBase58Btc(v.Proof.PublicKey));
        var parsed = J(folder, "verifyDerivedProofValue.json");
        Assert.Equal(Ints(parsed["mandatoryIndexes"]), v.Proof.MandatoryIndexes);
        Assert.Equal(parsed["labelMap"]!.AsArray().Select(p => (p![0]!.GetValue<string>(), p[1]!.GetValue<string>())).OrderBy(p => p.Item1, StringComparer.Ordinal),
            v.Proof.LabelMap.Select(p => (p.Key, p.Value)).OrderBy(p => p.Key, StringComparer.Ordinal));

        var result = await Stack.Verifier.VerifyAsync(derived, VectorOptions);
        Assert.True(result.Verified, result.ToJson());
        Assert.Contains(result.Checks, c => c.Check == "proof" && c.Valid);
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public async Task A_base_proof_is_refused_by_verifiers_with_a_typed_error(string folder)
    {
        var result = await Stack.Verifier.VerifyAsync(J(folder, "addSignedSDBase.json"), VectorOptions);

        Assert.False(result.Verified);
        var problem = Assert.Single(result.ProblemDetails, p => p.Code == ProblemCode.ProofVerificationError);
        Assert.Contains("base proof", problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public async Task A_tampered_derived_document_does_not_verify(string folder)
    {
        var derived = J(folder, "derivedRevealDocument.json");
        derived["validUntil"] = "2099-12-03T00:00:00Z";

        var result = await Stack.Verifier.VerifyAsync(derived, VectorOptions with { Now = Vectors.Now });

        Assert.False(result.Verified);
        Assert.True(result.Has(ProblemCode.ProofVerificationError), result.ToJson());
    }
}
