using System.Text.Json.Nodes;
using Vc.Credentials.DataIntegrity;
using Vc.Credentials.Json;
using Vc.Credentials.Keys;
using Vc.Credentials.Verification;
using Vc.Did.Keys;
using Vc.TestSupport;

namespace Vc.Credentials.Tests;

/// <summary>
/// ecdsa-sd-2023 against the Digital Bazaar implementation (tests/js/vc/sd-crosscheck.mjs), on random credentials:
/// base proofs made here are derived there and verified here (and there); base proofs made there are derived here
/// and verified there (and here).
/// </summary>
public sealed class EcdsaSdCrossCheckTests
{
    private static readonly TestStack Stack = new();
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static string Script => Path.Combine(TestPaths.RepoRoot, "tests", "js", "vc", "sd-crosscheck.mjs");

    private static async Task<JsonObject> Js(JsonObject request) =>
        (JsonObject)await NodeScript.RunAsync(Script, request.ToJsonString(), TimeSpan.FromMinutes(2));

    /// <summary>A random VC 2.0 credential (nested objects, arrays of literals and of objects, blank and named nodes)
    /// and a random choice of leaf pointers to disclose. Arrays have two items or more: the JS implementation selects
    /// on a re-compacted document, where a one-item array becomes its item, so "/tags/0" names nothing there.</summary>
    internal static (JsonObject Credential, string[] Selective) RandomCredential(Random random, string issuer)
    {
        string Word() => new(Enumerable.Range(0, random.Next(3, 9)).Select(_ => (char)random.Next('a', 'z' + 1)).ToArray());
        var subject = new JsonObject();
        if (random.Next(2) == 0) subject["id"] = "did:example:" + Word();
        subject["name"] = Word() + " " + Word();
        subject["birthDate"] = $"19{random.Next(10, 99)}-0{random.Next(1, 9)}-1{random.Next(0, 9)}";
        subject["address"] = new JsonObject { ["street"] = Word(), ["city"] = Word(), ["zip"] = random.Next(10000, 99999).ToString() };
        subject["tags"] = new JsonArray(Enumerable.Range(0, random.Next(2, 4)).Select(_ => (JsonNode?)Word()).ToArray());
        subject["doses"] = new JsonArray(Enumerable.Range(0, random.Next(2, 4))
            .Select(i => (JsonNode?)new JsonObject { ["type"] = "Dose", ["batch"] = Word(), ["number"] = i + 1 }).ToArray());
        var credential = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2", new JsonObject { ["@vocab"] = "https://example.org/vocab#" }),
            ["type"] = new JsonArray("VerifiableCredential", "ExampleCredential"),
            ["issuer"] = issuer,
            ["validFrom"] = "2026-01-01T00:00:00Z",
            ["credentialSubject"] = subject,
        };
        var leaves = new List<string> { "/credentialSubject/name", "/credentialSubject/birthDate", "/credentialSubject/address/city",
            "/credentialSubject/address/zip", "/credentialSubject/tags/0", "/credentialSubject/doses/0/batch" };
        leaves.Add("/credentialSubject/doses/1");
        var selective = leaves.Where(_ => random.Next(2) == 0).ToArray();
        return (credential, selective.Length == 0 ? [leaves[0]] : selective);
    }

    private static readonly string[] Mandatory = ["/issuer", "/validFrom"];

    private static (EcdsaSigningKey Key, JsonObject Multikey, string Did) NewKey()
    {
        // A random scalar (below the group order with overwhelming probability; FromPrivateScalar checks it).
        var d = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        d[0] &= 0x7f;
        var key = EcdsaSigningKey.FromPrivateScalar(KeyType.P256, d);
        var secret = Vc.Did.Encoding.Multibase.EncodeBase58Btc([0x86, 0x26, .. d]);
        return (key, new JsonObject { ["publicKeyMultibase"] = key.PublicKey.PublicKeyMultibase, ["secretKeyMultibase"] = secret },
            "did:key:" + key.PublicKey.PublicKeyMultibase);
    }

    [Fact]
    public async Task Base_proofs_made_here_are_derived_by_the_JS_implementation_and_verify_here()
    {
        var random = new Random(2023);
        for (var round = 0; round < 3; round++)
        {
            var (key, _, did) = NewKey();
            using var _k = key;
            var (credential, selective) = RandomCredential(random, did);
            var signed = await Stack.Proofs.AddProofAsync(credential, key,
                new ProofOptions($"{did}#{key.PublicKey.PublicKeyMultibase}") { MandatoryPointers = Mandatory }, "ecdsa-sd-2023");

            var derived = (JsonObject)(await Js(new JsonObject { ["op"] = "derive", ["credential"] = signed, ["selectivePointers"] = ToArray(selective) }))["derived"]!;

            var result = await Stack.Verifier.VerifyAsync(derived, new VerificationOptions { Now = Now, CheckStatus = false });
            Assert.True(result.Verified, result.ToJson() + derived.ToJsonString());
            // And the same derived document with our derivation is the same document, byte for byte in its proof.
            Assert.Equal(derived["proof"]!["proofValue"]!.GetValue<string>(), Stack.Proofs.DeriveProof(signed, selective)["proof"]!["proofValue"]!.GetValue<string>());
            // A disclosed value changed: neither verifies.
            derived["validFrom"] = "2026-01-02T00:00:00Z";
            Assert.False((await Stack.Verifier.VerifyAsync(derived, new VerificationOptions { Now = Now, CheckStatus = false })).Verified);
        }
    }

    [Fact]
    public async Task Base_proofs_made_by_the_JS_implementation_are_derived_here_and_verify_there()
    {
        var random = new Random(1056);
        for (var round = 0; round < 3; round++)
        {
            var (key, multikey, did) = NewKey();
            using var _k = key;
            var (credential, selective) = RandomCredential(random, did);
            var signed = (JsonObject)(await Js(new JsonObject
            {
                ["op"] = "issue", ["credential"] = credential, ["key"] = multikey, ["mandatoryPointers"] = ToArray(Mandatory),
            }))["signed"]!;

            var derived = Stack.Proofs.DeriveProof(signed, selective);

            var js = await Js(new JsonObject { ["op"] = "verify", ["credential"] = derived, ["now"] = "2026-03-01T00:00:00Z" });
            Assert.True(js["verified"]!.GetValue<bool>(), js.ToJsonString() + derived.ToJsonString());
            var ours = await Stack.Verifier.VerifyAsync(derived, new VerificationOptions { Now = Now, CheckStatus = false });
            Assert.True(ours.Verified, ours.ToJson());
            // Only what was selected (and the mandatory part) is disclosed.
            var subject = (JsonObject)derived["credentialSubject"]!;
            Assert.Equal(selective.Contains("/credentialSubject/name"), subject.ContainsKey("name"));
            Assert.Equal(selective.Contains("/credentialSubject/birthDate"), subject.ContainsKey("birthDate"));
        }
    }

    private static JsonArray ToArray(IEnumerable<string> items) => new(items.Select(i => (JsonNode?)i).ToArray());
}
