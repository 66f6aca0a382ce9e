using CsCheck;
using Vc.Credentials.Issuance;
using Vc.Credentials.Jcs;
using Vc.Credentials.StatusList;
using Vc.Credentials.Verification;

namespace Vc.Credentials.Tests;

/// <summary>Arbitrary input never crashes the verifier, and encodings round-trip.</summary>
public sealed class RobustnessTests
{
    private static readonly Lazy<(TestStack Stack, string Json)> Signed = new(() =>
    {
        var stack = new TestStack(new InMemoryStatusListStore());
        var issuer = new CredentialIssuer(stack.Proofs, IssuerProfile.ForDidKey(Fixtures.IssuerKey()));
        var vc = issuer.IssueAsync(Fixtures.UnsignedIcvp(issuer.Profile), Fixtures.Now).GetAwaiter().GetResult();
        return (stack, vc.ToJsonString());
    });

    [Fact]
    public void Mutated_credentials_always_give_a_result_and_never_verify()
    {
        var (stack, json) = Signed.Value;
        var gen = Gen.Select(Gen.Int[0, json.Length - 1], Gen.Int[1, 8], Gen.Char['\u0020', '\u007e']);
        gen.Sample((position, length, replacement) =>
        {
            var end = Math.Min(json.Length, position + length);
            var mutated = json[..position] + new string(replacement, end - position) + json[end..];
            if (mutated == json) return true;
            var result = stack.Verifier.VerifyAsync(mutated, new VerificationOptions { Now = Fixtures.Now }).GetAwaiter().GetResult();
            // A mutation may hit insignificant whitespace-free JSON syntax only rarely; any change of content must fail.
            return !result.Verified || System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(mutated), System.Text.Json.Nodes.JsonNode.Parse(json));
        }, iter: 300, threads: 1);
    }

    [Theory]
    [InlineData("{\"a\":1,\"a\":2}")]
    [InlineData("{\"@context\":null}")]
    [InlineData("{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":\"VerifiableCredential\",\"issuer\":{},\"credentialSubject\":[1,2],\"proof\":[null,1,\"x\"]}")]
    [InlineData("{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":[\"VerifiableCredential\"],\"issuer\":\"did:key:z6MkvDqGT54cXesYGvABpF1UapVNwjCqRcafi4Px6Thv5T3Z\",\"credentialSubject\":{\"id\":\"did:example:x\"},\"credentialStatus\":{\"type\":\"BitstringStatusListEntry\",\"statusPurpose\":\"revocation\",\"statusListIndex\":\"-1\",\"statusListCredential\":\"https://x/\"},\"proof\":{\"type\":\"DataIntegrityProof\",\"cryptosuite\":\"eddsa-rdfc-2022\",\"proofPurpose\":\"assertionMethod\",\"verificationMethod\":\"did:key:z6MkvDqGT54cXesYGvABpF1UapVNwjCqRcafi4Px6Thv5T3Z#z6MkvDqGT54cXesYGvABpF1UapVNwjCqRcafi4Px6Thv5T3Z\",\"created\":\"yesterday\",\"proofValue\":\"z1\"}}")]
    public async Task Hostile_shapes_give_typed_problems_not_exceptions(string json)
    {
        var result = await new TestStack().Verifier.VerifyAsync(json, new VerificationOptions { Now = Fixtures.Now });
        Assert.False(result.Verified);
        Assert.NotEmpty(result.ProblemDetails);
    }

    [Fact]
    public void Bitstring_bits_round_trip_through_the_encoding()
    {
        Gen.Int[0, Bitstring.MinimumLength - 1].Array[1, 50].Sample(indexes =>
        {
            var bits = new Bitstring();
            foreach (var i in indexes) bits[i] = true;
            var decoded = Bitstring.Decode(bits.Encode());
            var set = indexes.ToHashSet();
            return set.All(i => decoded[i]) && Enumerable.Range(0, 2000).Where(i => !set.Contains(i)).All(i => !decoded[i]);
        }, iter: 40);
    }

    [Fact]
    public void JCS_numbers_parse_back_to_the_same_double()
    {
        Gen.Double.Where(d => double.IsFinite(d)).Sample(d =>
            double.Parse(JsonCanonicalizer.SerializeNumber(d), System.Globalization.CultureInfo.InvariantCulture) == (d == 0 ? 0 : d), iter: 5000);
    }
}
