using System.Text.Json.Nodes;
using Vc.Did.Core;
using Vc.Did.Key;
using Vc.Credentials.Jcs;
using Vc.Credentials.Keys;
using Vc.Did.Encoding;
using Vc.Did.Keys;

namespace Vc.Credentials.Tests;

/// <summary>RFC 8785 JCS, Multikey and did:key.</summary>
public sealed class EncodingAndKeyTests
{
    [Theory]
    // RFC 8785 Appendix B / ECMAScript Number::toString samples.
    [InlineData(0.0, "0")]
    [InlineData(1.0, "1")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(9007199254740992.0, "9007199254740992")]
    [InlineData(295147905179352830000.0, "295147905179352830000")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(333333333.3333333, "333333333.3333333")]
    [InlineData(4.5, "4.5")]
    [InlineData(2e-3, "0.002")]
    [InlineData(0.0000001234, "1.234e-7")]
    public void Numbers_serialize_like_ECMAScript(double value, string expected) =>
        Assert.Equal(expected, JsonCanonicalizer.SerializeNumber(value));

    [Theory]
    [InlineData("z", "")]
    [InlineData("z1", "00")]
    [InlineData("z111", "000000")]
    [InlineData("z2", "01")]
    [InlineData("z5R", "0100")]
    [InlineData("z15R", "000100")] // leading zero byte kept before a multi-byte value
    [InlineData("zJxF12TrwUP45BMd", "48656c6c6f20576f726c64")] // "Hello World" (draft-msporny-base58 §5)
    public void Base58btc_decodes_the_draft_examples(string multibase, string hex)
    {
        if (multibase.Length < 2) Assert.Throws<FormatException>(() => Multibase.DecodeBase58Btc(multibase));
        else Assert.Equal(hex, Convert.ToHexStringLower(Multibase.DecodeBase58Btc(multibase)));
    }

    [Theory]
    [InlineData("", "z")]
    [InlineData("00", "z1")]
    [InlineData("000000", "z111")]
    [InlineData("01", "z2")]
    [InlineData("0100", "z5R")]
    [InlineData("000100", "z15R")]
    [InlineData("48656c6c6f20576f726c64", "zJxF12TrwUP45BMd")] // "Hello World" (draft-msporny-base58 §5)
    [InlineData("00000000000000000000000000000000", "z1111111111111111")]
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "zJEKNVnkbo3jma5nREBBJCDoXFVeKkD56V3xKrvRmWxFG")]
    public void Base58btc_encodes_the_draft_examples(string hex, string multibase) =>
        Assert.Equal(multibase, Multibase.EncodeBase58Btc(Convert.FromHexString(hex)));

    [Fact]
    public void Base58btc_encoding_and_decoding_agree_with_simplebase_for_random_bytes_with_leading_zeros()
    {
        var random = new Random(5858);
        for (var i = 0; i < 5000; i++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            for (var z = random.Next(0, 6); z > 0 && z <= bytes.Length; z--) bytes[z - 1] = 0;
            var text = Multibase.EncodeBase58Btc(bytes);
            Assert.Equal("z" + SimpleBase.Base58.Bitcoin.Encode(bytes), text);
            if (bytes.Length == 0) continue; // "z" alone is too short to decode
            Assert.Equal(bytes, Multibase.DecodeBase58Btc(text));
            Assert.Equal(bytes, SimpleBase.Base58.Bitcoin.Decode(text.AsSpan(1)));
        }
    }

    [Theory]
    [InlineData("z0abc")]
    [InlineData("zOabc")]
    [InlineData("zIl")]
    [InlineData("zab c")]
    [InlineData("zab\u00e9")]
    public void Base58btc_rejects_characters_outside_the_alphabet(string multibase) =>
        Assert.Throws<FormatException>(() => Multibase.DecodeBase58Btc(System.Text.RegularExpressions.Regex.Unescape(multibase)));

    [Theory]
    [InlineData("did:key:z6Mk#z6Mk", true)]
    [InlineData("urn:uuid:6f1c2a52-1d47-4c8b-9a51-0c0ffee0a001", true)]
    [InlineData("https://example.org/a?b=c#d", true)]
    [InlineData("a+b.c-d:", true)]
    [InlineData("x:y\n", false)] // a line feed is white space, also at the end
    [InlineData("x:y\n\n", false)]
    [InlineData("x:y z", false)]
    [InlineData("x:y\u00a0", false)]
    [InlineData("x:y\u2028", false)]
    [InlineData("1x:y", false)]
    [InlineData("x_y:z", false)]
    [InlineData("\u00e9:z", false)]
    [InlineData("nocolon", false)]
    [InlineData(":x", false)]
    [InlineData("", false)]
    public void IsUrl_accepts_a_scheme_colon_and_no_white_space(string escaped, bool expected)
    {
        var text = System.Text.RegularExpressions.Regex.Unescape(escaped);
        Assert.Equal(expected, Json.JsonInput.IsUrl(text));
        Assert.Equal(UrlReference(text), Json.JsonInput.IsUrl(text));
    }

    [Fact]
    public void IsUrl_agrees_with_the_reference_pattern_on_random_strings()
    {
        const string alphabet = "aZ09+.-:_/# \t\n\u00a0\u2028\u0085é😀";
        var chars = System.Text.RegularExpressions.Regex.Unescape(alphabet);
        var random = new Random(3986);
        for (var i = 0; i < 20000; i++)
        {
            var text = new string(Enumerable.Range(0, random.Next(0, 8)).Select(_ => chars[random.Next(chars.Length)]).ToArray());
            Assert.True(UrlReference(text) == Json.JsonInput.IsUrl(text), $"'{text}'");
        }
    }

    // The definition IsUrl implements: RFC 3986 scheme, ':', no white space.
    private static bool UrlReference(string s) =>
        s.Length is > 0 and < 4096 && System.Text.RegularExpressions.Regex.IsMatch(s, @"\A[A-Za-z][A-Za-z0-9+.\-]*:[^\s]*\z");

    [Theory]
    [InlineData(KeyType.P256)]
    [InlineData(KeyType.P384)]
    public async Task An_ec_key_verifies_repeatedly_and_concurrently(KeyType type)
    {
        using var signer = EcdsaSigningKey.Generate(type);
        var data = System.Text.Encoding.UTF8.GetBytes("hashData");
        var signature = await signer.SignAsync(data);
        var tampered = (byte[])signature.Clone();
        tampered[5] ^= 1;
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() =>
            signer.PublicKey.Verify(data, i % 2 == 0 ? signature : tampered))));
        Assert.Equal(Enumerable.Range(0, 64).Select(i => i % 2 == 0), results);
    }

    [Fact]
    public void Negative_zero_serializes_as_zero() => Assert.Equal("0", JsonCanonicalizer.SerializeNumber(-0.0));

    [Fact]
    public void Properties_sort_by_UTF16_code_units_and_strings_escape_only_what_JSON_requires()
    {
        var json = JsonNode.Parse("{\"\\u20ac\":\"Euro\",\"\\r\":\"CR\",\"\\ud83d\\ude00\":\"smile\",\"1\":\"one\",\"\\u0080\":\"ctl\",\"\\u00f6\":\"o\",\"b\":[1e1,true,null,\"\\u000f\\\"/\"]}");
        Assert.Equal("{\"\\r\":\"CR\",\"1\":\"one\",\"b\":[10,true,null,\"\\u000f\\\"/\"],\"\u0080\":\"ctl\",\"ö\":\"o\",\"€\":\"Euro\",\"😀\":\"smile\"}",
            JsonCanonicalizer.CanonicalizeToString(json));
    }

    [Fact]
    public void Lone_surrogates_and_excessive_depth_are_refused()
    {
        Assert.Throws<JcsException>(() => JsonCanonicalizer.CanonicalizeToString(JsonValue.Create("\ud800")));
        JsonNode deep = new JsonArray();
        for (var i = 0; i < 100; i++) deep = new JsonArray(deep);
        Assert.Throws<JcsException>(() => JsonCanonicalizer.CanonicalizeToString(deep));
    }

    [Theory]
    [InlineData(KeyType.Ed25519, "z6Mk")]
    [InlineData(KeyType.P256, "zDna")]
    [InlineData(KeyType.P384, "z82L")]
    public async Task Generated_keys_round_trip_through_Multikey_and_did_key(KeyType type, string prefix)
    {
        var key = SigningKeys.Generate(type);
        var multibase = key.PublicKey.PublicKeyMultibase;
        Assert.StartsWith(prefix, multibase);

        var decoded = VerificationKey.FromMultikey(multibase);
        Assert.Equal(key.PublicKey, decoded);
        var signature = await key.SignAsync(new byte[] { 1, 2, 3 });
        Assert.True(decoded.Verify([1, 2, 3], signature));
        Assert.False(decoded.Verify([1, 2, 4], signature));

        var doc = (await new DidKeyResolver().ResolveAsync(DidKeyResolver.CreateDid(key.PublicKey))).DidDocument!;
        var vmId = DidKeyResolver.VerificationMethodId(key.PublicKey);
        Assert.Equal(key.PublicKey, doc.Authorized(VerificationRelationship.AssertionMethod, vmId)?.Key);
        Assert.NotNull(doc.Authorized(VerificationRelationship.Authentication, vmId));
        Assert.Null(doc.Authorized(VerificationRelationship.KeyAgreement, vmId));
        (key as IDisposable)?.Dispose();
    }

    [Fact]
    public void The_vector_keys_decode_to_the_published_public_keys()
    {
        Assert.Equal(Vectors.Json("eddsa", "keyPair.json")["publicKeyMultibase"]!.GetValue<string>(),
            SigningKeys.FromSecretKeyMultibase(Vectors.Json("eddsa", "keyPair.json")["privateKeyMultibase"]!.GetValue<string>()).PublicKey.PublicKeyMultibase);
        foreach (var name in new[] { "ed25519Issuer", "ed25519Holder", "p256Issuer" })
        {
            var k = Vectors.Json("js-generated", "keys.json")[name]!;
            Assert.Equal(k["publicKeyMultibase"]!.GetValue<string>(), SigningKeys.FromSecretKeyMultibase(k["secretKeyMultibase"]!.GetValue<string>()).PublicKey.PublicKeyMultibase);
        }
    }

    [Fact]
    public void Key_pair_files_load_and_a_mismatched_public_key_is_refused()
    {
        var pair = (JsonObject)Vectors.Json("js-generated", "keys.json")["p256Issuer"]!.DeepClone();
        Assert.Equal(KeyType.P256, SigningKeys.FromMultikeyJson(pair).KeyType);
        Assert.Equal(KeyType.Ed25519, SigningKeys.FromMultikeyJson(Vectors.Json("eddsa", "keyPair.json")).KeyType);

        pair["publicKeyMultibase"] = Vectors.Json("ecdsa", "p256KeyPair.json")["publicKeyMultibase"]!.GetValue<string>();
        Assert.Throws<KeyFormatException>(() => SigningKeys.FromMultikeyJson(pair));
        Assert.Throws<KeyFormatException>(() => SigningKeys.FromMultikeyJson(new JsonObject { ["publicKeyMultibase"] = "z6Mk" }));
    }

    [Fact]
    public void Private_keys_never_appear_in_ToString()
    {
        var pair = Vectors.Json("js-generated", "keys.json")["ed25519Issuer"]!;
        var secret = pair["secretKeyMultibase"]!.GetValue<string>();
        var key = SigningKeys.FromSecretKeyMultibase(secret);
        Assert.DoesNotContain(secret[1..20], key.ToString());
        Assert.DoesNotContain(pair["seedHex"]!.GetValue<string>(), key.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(key.PublicKey.PublicKeyMultibase, key.ToString());
    }

    [Theory]
    [InlineData("did:key:")]
    [InlineData("did:key:z6MkNotAKey")]
    [InlineData("did:web:example.com")]
    public async Task Invalid_did_keys_are_typed_resolution_errors(string did)
    {
        var result = await new DidKeyResolver().ResolveAsync(did);
        Assert.Null(result.DidDocument);
        Assert.Equal(DidResolutionErrors.InvalidDid, result.DidResolutionMetadata.Error);
    }

    [Fact]
    public async Task A_did_key_of_a_type_no_cryptosuite_verifies_with_resolves_without_a_verification_key()
    {
        // secp256k1 (did:key §"Document Creation Algorithm" resolves it; the Data Integrity suites here cannot use it).
        const string did = "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme";
        var method = Assert.Single((await new DidKeyResolver().ResolveAsync(did)).DidDocument!.VerificationMethod);
        Assert.NotNull(method.PublicKeyMultibase);
        Assert.Null(method.Key);
    }

    [Fact]
    public void A_P256_JWK_and_its_compressed_Multikey_are_the_same_key()
    {
        var key = EcdsaSigningKey.Generate(KeyType.P256);
        var sec1 = key.PublicKey.RawBytes.ToArray();
        Assert.Equal(33, sec1.Length);
        var fromSec1 = VerificationKey.FromSec1(KeyType.P256, sec1);
        Assert.Equal(key.PublicKey, fromSec1);
        Assert.Throws<KeyFormatException>(() => VerificationKey.FromSec1(KeyType.P256, [0x02, .. new byte[32].Select(_ => (byte)0xff)]));
    }
}
