using System.Security.Cryptography;
using CsCheck;
using Vc.Did.Core;
using Vc.Did.Key;
using Vc.Did.Keys;

namespace Vc.Did.Tests.Key;

/// <summary>The did:key identifier (<see cref="DidKey"/>) and its resolver.</summary>
public sealed class DidKeyTests
{
    [Fact]
    public void Any_string_either_parses_as_did_key_or_gives_a_reason()
    {
        var prefixes = Gen.Int[0, 3].Select(i => new[] { "did:key:z6Mk", "did:key:z", "did:key:", "" }[i]);
        Gen.Select(prefixes, Gen.String).Sample((p, s) =>
        {
            if (DidKey.TryParse(p + s, out var key, out var error)) Assert.StartsWith("did:key:z", key.Did);
            else Assert.False(string.IsNullOrEmpty(error));
        }, iter: 3000);
    }

    [Theory]
    [InlineData("Ed25519", 32, "z6Mk")]
    [InlineData("X25519", 32, "z6LS")]
    [InlineData("Secp256k1", 33, "zQ3s")]
    [InlineData("P-256", 33, "zDn")]
    [InlineData("P-384", 49, "z82")]
    public void Every_did_key_type_round_trips_and_X25519_only_agrees_keys(string type, int length, string prefix)
    {
        var raw = new byte[length];
        Random.Shared.NextBytes(raw);
        if (length != 32) raw[0] = 0x02;
        var did = DidKey.For(type, raw);
        Assert.StartsWith("did:key:" + prefix, did);
        Assert.True(DidKey.TryParse(did + "#frag", out var key, out _));
        Assert.Equal((did, type), (key.Did, key.KeyType));
        Assert.Equal(raw, key.PublicKey);
        Assert.Equal(did + "#" + key.Multibase, key.VerificationMethodId);
        Assert.Equal(type == "X25519", key.Relationships.Contains(VerificationRelationship.KeyAgreement));
        Assert.Equal(type != "X25519", key.Relationships.Contains(VerificationRelationship.AssertionMethod));
    }

    [Theory]
    [InlineData("did:web:example.com", "not a did:key DID: did:web:example.com")]
    [InlineData("did:key:z", "did:key value is not base58btc")]
    [InlineData("did:key:z0OIl", "did:key value is not base58btc")]
    [InlineData("did:key:zabcdefgh", "unsupported did:key multicodec 0x4377")]
    public void Malformed_did_keys_say_why(string did, string reason)
    {
        Assert.False(DidKey.TryParse(did, out _, out var error));
        Assert.Equal(reason, error);
    }

    [Fact]
    public void Key_length_and_point_compression_are_checked_per_type()
    {
        Assert.False(DidKey.TryParse(DidKey.For("Ed25519", new byte[6]), out _, out var error));
        Assert.Equal("Ed25519 key must be 32 bytes, got 6", error);
        Assert.False(DidKey.TryParse(DidKey.For("P-256", new byte[33]), out _, out error));
        Assert.Equal("P-256 key must be a compressed point", error);
        Assert.Throws<ArgumentException>(() => DidKey.For("RSA", new byte[3]));
    }

    [Fact]
    public void A_verification_key_and_its_did_key_agree()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var q = ecdsa.ExportParameters(false).Q;
        var key = VerificationKey.FromEcPoint(KeyType.P256, q.X, q.Y);
        var didKey = DidKey.For(key);
        Assert.Equal(DidKeyResolver.CreateDid(key), didKey.Did);
        Assert.Equal(DidKeyResolver.VerificationMethodId(key), didKey.VerificationMethodId);
        Assert.True(DidKey.TryParse(didKey.Did, out var parsed, out _));
        Assert.Equal("P-256", parsed.KeyType);
        Assert.Equal(didKey.PublicKey, parsed.PublicKey);
    }

    [Fact]
    public async Task A_resolved_did_key_is_answered_from_the_cache_with_its_key_decoded_once()
    {
        const string did = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
        var resolver = new DidKeyResolver();
        var first = await resolver.ResolveAsync(did);
        var method = Assert.Single(first.DidDocument!.VerificationMethod);
        var key = method.Key;

        // The verifier resolves the signer's DID for every proof: the same answer, the same imported key.
        var again = await resolver.ResolveAsync(did, new DidResolutionOptions { VersionTime = TimeProvider.System.GetUtcNow() });
        Assert.Same(first, again);
        Assert.Same(key, again.DidDocument!.VerificationMethod[0].Key);
        Assert.Equal(KeyType.Ed25519, key?.KeyType);
    }

    [Fact]
    public async Task The_document_follows_the_did_key_creation_algorithm_as_DID_Core_JSON()
    {
        var result = await new DidKeyResolver().ResolveAsync("did:key:z6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc");
        Assert.Equal("application/did+ld+json", result.DidResolutionMetadata.ContentType);
        // X25519: keyAgreement only (did:key §"Document Creation Algorithm").
        Assert.Equal("""
            {
              "id": "did:key:z6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc",
              "verificationMethod": [
                {
                  "id": "did:key:z6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc#z6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc",
                  "type": "Multikey",
                  "controller": "did:key:z6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc",
                  "publicKeyMultibase": "z6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc"
                }
              ],
              "authentication": [],
              "assertionMethod": [],
              "keyAgreement": [
                "did:key:z6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc#z6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc"
              ],
              "@context": [
                "https://www.w3.org/ns/did/v1",
                "https://w3id.org/security/multikey/v1"
              ]
            }
            """, result.DidDocument!.ToJson());
        Assert.Null(result.DidDocument.VerificationMethod[0].Key);
    }
}
