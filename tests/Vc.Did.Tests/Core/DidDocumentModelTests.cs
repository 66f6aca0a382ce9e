using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.Did.Core;
using Vc.Did.Encoding;
using Vc.Did.Ethr;
using Vc.Did.Key;
using Vc.Did.Keys;
using Vc.TestSupport;

namespace Vc.Did.Tests.Core;

/// <summary>The one DID Core model: reading JSON, printing it, the keys verification methods carry, dispatch by method.</summary>
public sealed class DidDocumentModelTests
{
    private const string Ed25519Did = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
    // secp256k1 generator point G (SEC 2 §2.4.1), compressed: a valid public key with a known address.
    private static readonly byte[] Secp256k1G = Convert.FromHexString("0279BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798");

    private static DidDocument Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return DidJson.ParseDocument(document.RootElement);
    }

    [Fact]
    public async Task A_printed_did_key_document_reads_back_to_the_same_print()
    {
        var document = (await new DidKeyResolver().ResolveAsync(Ed25519Did)).DidDocument!;
        var reread = Read(document.ToJson());
        Assert.Equal(document.ToJson(), reread.ToJson());
        Assert.Equal(document.VerificationMethod[0], reread.VerificationMethod[0]);
    }

    [Fact]
    public void A_printed_did_ethr_document_with_a_JWK_and_inline_context_terms_reads_back_to_the_same_print()
    {
        var address = Codec.AddressOfPublicKey(Secp256k1G)!;
        var did = "did:ethr:0x1:" + Codec.ToHex0x(Secp256k1G);
        var state = EthrDocumentBuilder.Build(did, address, Secp256k1G, [], 1, null, 0);
        var printed = state.Document.ToJson();
        Assert.Contains("\"publicKeyJwk\"", printed);
        Assert.Contains("\"blockchainAccountId\"", printed);
        Assert.Equal(printed, Read(printed).ToJson());
        // secp256k1 is no key type of the Data Integrity suites here: the verifier finds no key to use.
        Assert.All(state.Document.VerificationMethod, m => Assert.Null(m.Key));
    }

    [Fact]
    public void Relative_references_become_absolute_and_embedded_methods_join_the_method_list()
    {
        var document = Read($$$"""
            {"id":"did:example:a",
             "verificationMethod":[{"id":"#k1","type":"Multikey","controller":"did:example:a","publicKeyMultibase":"{{{Ed25519Did[8..]}}}"}],
             "authentication":{"id":"#k2","type":"Ed25519VerificationKey2018","controller":"#self","publicKeyBase58":"B12NYF8RrR3h41TDCTJojY59usg3mbtbjnFs7Eud1Y6u"},
             "assertionMethod":["#k1"],
             "service":[{"id":"#hub","type":"LinkedDomains","serviceEndpoint":{"origins":["https://a.example"]}}]}
            """);

        Assert.Equal(["did:example:a#k1", "did:example:a#k2"], document.VerificationMethod.Select(m => m.Id));
        Assert.Equal("did:example:a#self", document.VerificationMethod[1].Controller);
        Assert.Equal(["did:example:a#k2"], document.Authentication);
        Assert.NotNull(document.Authorized(VerificationRelationship.AssertionMethod, "#k1"));
        Assert.Null(document.Authorized(VerificationRelationship.AssertionMethod, "#k2"));
        // An Ed25519 type with publicKeyBase58 carries a key as well as a Multikey does.
        Assert.Equal(KeyType.Ed25519, document.VerificationMethod[1].Key?.KeyType);
        Assert.Equal("did:example:a#hub", Assert.Single(document.Service).Id);
    }

    [Theory]
    [InlineData("""{"verificationMethod":[]}""", "no DID 'id'")]
    [InlineData("""{"id":"urn:x"}""", "no DID 'id'")]
    [InlineData("""{"id":"did:example:a","verificationMethod":["did:example:a#1"]}""", "must be objects")]
    [InlineData("""{"id":"did:example:a","verificationMethod":[{"id":"#1","type":"Multikey"}]}""", "has no controller")]
    [InlineData("""{"id":"did:example:a","assertionMethod":[1]}""", "must be strings or objects")]
    [InlineData("""{"id":"did:example:a","service":[{"id":"#s","type":"X"}]}""", "serviceEndpoint")]
    public void Malformed_documents_say_why(string json, string reason) =>
        Assert.Contains(reason, Assert.Throws<FormatException>(() => Read(json)).Message);

    [Fact]
    public void The_WHO_GDHCN_trust_list_reads_once_its_non_conforming_entries_are_removed()
    {
        var path = Path.Combine(TestPaths.TestData("who/gdhcn-trustlist-dev"), "trustlist", "did.json");
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        // DID Core §5.2: verificationMethod entries are maps; the published list also holds five DID strings.
        Assert.Contains("must be objects", Assert.Throws<FormatException>(() => Read(json.ToJsonString())).Message);

        var methods = json["verificationMethod"]!.AsArray();
        foreach (var text in methods.Where(m => m is JsonValue).ToList()) methods.Remove(text);
        var document = Read(json.ToJsonString());

        Assert.Equal("did:web:tng-cdn-dev.who.int:trustlist", document.Id);
        Assert.Equal(368, document.VerificationMethod.Count);
        Assert.Equal(346, document.VerificationMethod.Count(m => m.PublicKeyJwk?.Crv == "P-256"));
        Assert.Equal(20, document.VerificationMethod.Count(m => m.PublicKeyJwk is null)); // RSA: no curve point
        // RFC 7518 §6.2.1.2: a coordinate has exactly the curve's size. 89 P-256 keys do; the other 257 carry a leading
        // zero byte (33 bytes, an integer's encoding) and, like the "UNKNOWN CURVE" ones, give the verifier no key.
        Assert.Equal(89, document.VerificationMethod.Count(m => m.Key is { KeyType: KeyType.P256 }));
        Assert.Equal(368 - 89, document.VerificationMethod.Count(m => m.Key is null));
    }

    [Fact]
    public void A_method_copied_with_another_key_gives_the_other_key_and_decoding_does_not_change_equality()
    {
        var original = new VerificationMethod("did:example:a#1", "Multikey", "did:example:a") { PublicKeyMultibase = Ed25519Did[8..] };
        var twin = new VerificationMethod("did:example:a#1", "Multikey", "did:example:a") { PublicKeyMultibase = Ed25519Did[8..] };
        Assert.NotNull(original.Key);
        Assert.Equal(twin, original);
        Assert.Equal(twin.GetHashCode(), original.GetHashCode());

        var p256 = VerificationKey.FromSec1(KeyType.P256, Convert.FromHexString("036b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"));
        var copy = original with { PublicKeyMultibase = p256.PublicKeyMultibase };
        Assert.Equal(p256, copy.Key);
        Assert.Equal(KeyType.Ed25519, original.Key!.KeyType);
        Assert.Null((original with { PublicKeyMultibase = "zNotAKey" }).Key);
    }

    [Theory]
    [InlineData("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", null)]
    [InlineData("did:nope:abc", DidResolutionErrors.MethodNotSupported)]
    [InlineData("did:KEY:z6Mk", DidResolutionErrors.InvalidDid)]
    [InlineData("did::abc", DidResolutionErrors.InvalidDid)]
    [InlineData("did:key", DidResolutionErrors.InvalidDid)]
    [InlineData("urn:key:abc", DidResolutionErrors.InvalidDid)]
    [InlineData("did:key:", DidResolutionErrors.InvalidDid)]
    public async Task The_composite_dispatches_by_method_name(string did, string? error)
    {
        var result = await CompositeDidResolver.DidKeyOnly.ResolveAsync(did);
        Assert.Equal(error, result.DidResolutionMetadata.Error);
        Assert.Equal(error is null, result.IsSuccess);
    }
}

/// <summary>DID URLs (DID Core §3.2) split into DID, path, query and fragment.</summary>
public sealed class DidUrlTests
{
    [Theory]
    [InlineData("did:example:123", "did:example:123", "example", "123", "", null, null)]
    [InlineData("did:example:123/path/to?service=files#key-1", "did:example:123", "example", "123", "/path/to", "service=files", "key-1")]
    [InlineData("did:ethr:0x7a69:0xab80Dd98732dD35F8c45bd0C37AEbfFc1520f8aA?versionId=12", "did:ethr:0x7a69:0xab80Dd98732dD35F8c45bd0C37AEbfFc1520f8aA", "ethr", "0x7a69:0xab80Dd98732dD35F8c45bd0C37AEbfFc1520f8aA", "", "versionId=12", null)]
    [InlineData("did:web:example.com%3A3000:user:alice#", "did:web:example.com%3A3000:user:alice", "web", "example.com%3A3000:user:alice", "", null, "")]
    public void A_DID_URL_splits_into_its_parts(string text, string did, string method, string id, string path, string? query, string? fragment)
    {
        Assert.True(DidUrl.TryParse(text, out var url, out var error), error);
        Assert.Equal(new DidUrl(did, method, id, path, query, fragment), url);
    }

    [Theory]
    [InlineData("urn:example:123", "not a DID")]
    [InlineData("did:Example:123", "method name")]
    [InlineData("did::123", "method name")]
    [InlineData("did:example", "method name")]
    [InlineData("did:example:", "method-specific id")]
    [InlineData("did:example:a:", "method-specific id")]
    [InlineData("did:example:a b", "method-specific id")]
    [InlineData("did:example:%zz", "method-specific id")]
    public void Text_that_is_not_a_DID_URL_says_why(string text, string reason)
    {
        Assert.False(DidUrl.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }
}
