using CsCheck;
using Vc.Credentials.Dids;
using Vc.Credentials.Keys;

namespace Vc.Credentials.Tests;

/// <summary>The did:key identifier (<see cref="DidKey"/>), shared by the verifier's resolver and Vc.Did's.</summary>
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
        var key = SigningKeys.Generate(KeyType.P256);
        var didKey = DidKey.For(key.PublicKey);
        Assert.Equal(DidKeyResolver.CreateDid(key.PublicKey), didKey.Did);
        Assert.Equal(DidKeyResolver.VerificationMethodId(key.PublicKey), didKey.VerificationMethodId);
        Assert.True(DidKey.TryParse(didKey.Did, out var parsed, out _));
        Assert.Equal("P-256", parsed.KeyType);
        Assert.Equal(didKey.PublicKey, parsed.PublicKey);
        (key as IDisposable)?.Dispose();
    }
}
