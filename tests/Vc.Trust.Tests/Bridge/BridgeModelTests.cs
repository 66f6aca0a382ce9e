using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Vc.Trust.Bridge;

namespace Vc.Trust.Tests.Bridge;

public sealed class BridgeModelTests
{
    [Theory]
    [InlineData("did:ethr:0x1234#delegate-1")]
    [InlineData("kid:XPjhL9Znd1M=")]
    public void A_trust_subject_parses_back_from_its_text_form(string text) =>
        Assert.Equal(text, TrustSubject.Parse(text).ToString());

    [Theory]
    [InlineData("did:ethr:0x1234")]          // no fragment: a DID, not a key
    [InlineData("kid:not base64!")]
    [InlineData("kid:")]
    [InlineData("XPjhL9Znd1M=")]
    public void A_malformed_trust_subject_is_InvalidInput(string text) =>
        Assert.Equal(TrustBridgeError.InvalidInput, Assert.Throws<TrustBridgeException>(() => TrustSubject.Parse(text)).Error);

    [Fact]
    public void A_binding_endpoint_is_a_public_JWK_with_kid_and_x5c_that_reads_back()
    {
        var sca = BridgePki.CreateCa("SCA");
        var dsc = BridgePki.Issue(sca, "DSC");
        var endpoint = JsonNode.Parse(DscBinding.Endpoint(dsc, sca))!.AsObject();
        Assert.Equal(["kty", "crv", "x", "y", "kid", "x5c"], endpoint.Select(p => p.Key));
        Assert.DoesNotContain("\"d\"", endpoint.ToJsonString()); // never the private key
        var doc = new Vc.Did.Core.DidDocument("did:example:1")
        {
            Service = [new Vc.Did.Core.Service("did:example:1#service-1", DscBinding.ServiceType, JsonSerializer.SerializeToElement(endpoint))],
        };
        var bound = Assert.Single(DscBinding.Read(doc));
        Assert.Equal(BridgePki.Kid(dsc), bound.Kid);
        Assert.Equal(dsc.RawData, bound.Dsc.RawData);
        Assert.Equal(sca.RawData, Assert.Single(bound.Chain).RawData);
    }

    [Theory]
    [InlineData("x", "AAAA")]            // another key's coordinate
    [InlineData("crv", "P-384")]         // another curve
    [InlineData("kid", "AAAAAAAAAAA=")]  // not SHA-256(x5c[0])[0..8]
    [InlineData("x5c", null)]            // no certificate
    public void A_binding_whose_JWK_disagrees_with_its_certificate_is_BindingInvalid(string property, string? value)
    {
        var sca = BridgePki.CreateCa("SCA");
        var endpoint = JsonNode.Parse(DscBinding.Endpoint(BridgePki.Issue(sca, "DSC"), sca))!.AsObject();
        if (value is null) endpoint.Remove(property); else endpoint[property] = value;
        var doc = new Vc.Did.Core.DidDocument("did:example:1")
        {
            Service = [new Vc.Did.Core.Service("did:example:1#service-1", DscBinding.ServiceType, JsonSerializer.SerializeToElement(endpoint))],
        };
        Assert.Equal(TrustBridgeError.BindingInvalid, Assert.Throws<TrustBridgeException>(() => DscBinding.Read(doc)).Error);
    }

    [Fact]
    public void Any_mutation_of_a_binding_either_reads_back_the_same_DSC_or_is_BindingInvalid()
    {
        var sca = BridgePki.CreateCa("SCA");
        var dsc = BridgePki.Issue(sca, "DSC");
        var valid = DscBinding.Endpoint(dsc, sca);
        string[] properties = ["kty", "crv", "x", "y", "kid", "x5c", "n", "e"];
        var values = Gen.OneOf<JsonNode?>(
            Gen.String.Select(v => (JsonNode?)JsonValue.Create(v)),
            Gen.Int.Select(v => (JsonNode?)JsonValue.Create(v)),
            Gen.Const((JsonNode?)null),
            Gen.String.Array[0, 3].Select(a => (JsonNode?)new JsonArray(a.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray())),
            Gen.Byte.Array[0, 600].Select(b => (JsonNode?)new JsonArray(JsonValue.Create(Convert.ToBase64String(b)))));
        Gen.Select(Gen.Int[0, properties.Length - 1], values, Gen.Bool).Sample((p, value, remove) =>
        {
            var endpoint = JsonNode.Parse(valid)!.AsObject();
            if (remove) endpoint.Remove(properties[p]); else endpoint[properties[p]] = value;
            var doc = new Vc.Did.Core.DidDocument("did:example:1")
            {
                Service = [new Vc.Did.Core.Service("did:example:1#service-1", DscBinding.ServiceType, JsonSerializer.SerializeToElement(endpoint))],
            };
            try
            {
                var bound = Assert.Single(DscBinding.Read(doc));
                Assert.Equal(dsc.RawData, bound.Dsc.RawData); // only mutations that change nothing checked may pass
            }
            catch (TrustBridgeException e)
            {
                Assert.Equal(TrustBridgeError.BindingInvalid, e.Error);
            }
        }, iter: 300);
    }

    [Fact]
    public void A_binding_whose_chain_is_not_issued_by_its_SCA_is_BindingInvalid()
    {
        var endpoint = DscBinding.Endpoint(BridgePki.Issue(BridgePki.CreateCa("SCA 1"), "DSC"), BridgePki.CreateCa("SCA 2"));
        var doc = new Vc.Did.Core.DidDocument("did:example:1")
        {
            Service = [new Vc.Did.Core.Service("did:example:1#service-1", DscBinding.ServiceType, JsonDocument.Parse(endpoint).RootElement.Clone())],
        };
        Assert.Contains("not issued", Assert.Throws<TrustBridgeException>(() => DscBinding.Read(doc)).Message);
    }

    [Fact]
    public void Reports_serialise_with_default_options_into_what_a_CLI_prints()
    {
        var country = CountryCode.Parse("XXA");
        var report = new ImportReport(country, "eu-gateway", Vc.Interop.TrustLists.ProofStatus.Verified, DateTimeOffset.UnixEpoch,
        [
            new ImportedKey("XPjhL9Znd1M=", Bytes32.Parse(new string('a', 64)), "DSC XA", TrustDomains.Dcc, ImportOutcome.Imported, Block: 7, Transaction: "0x01"),
            new ImportedKey("AAAAAAAAAAA=", null, "DSC XA", TrustDomains.None, ImportOutcome.Rejected, TrustBridgeError.DscExpired, "expired"),
        ]);
        var json = JsonNode.Parse(JsonSerializer.Serialize(report))!;
        Assert.Equal("XXA", (string)json["Participant"]!);
        Assert.Equal("Verified", (string)json["Proof"]!);
        Assert.Equal((1, 1), ((int)json["Imported"]!, (int)json["Rejected"]!));
        Assert.Equal("DscExpired", (string)json["Keys"]![1]!["Error"]!);
        Assert.Equal("DCC", (string)json["Keys"]![0]!["Domains"]![0]!);

        var verdict = new TrustVerdict(false, TrustVerdictReason.IssuerNotRegistered, TrustSourceKind.None, "kid:XPjhL9Znd1M=", "kid:XPjhL9Znd1M=", country,
            DateTimeOffset.UnixEpoch, "no participant");
        var v = JsonNode.Parse(JsonSerializer.Serialize(verdict))!;
        Assert.Equal(("IssuerNotRegistered", "None", "XXA"), ((string)v["Reason"]!, (string)v["Source"]!, (string)v["Country"]!));
    }
}
