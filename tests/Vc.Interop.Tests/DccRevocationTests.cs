using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.Interop.Hcert;
using Vc.Interop.Revocation;
using Vc.Interop.TrustLists;

namespace Vc.Interop.Tests;

/// <summary>EU DCC revocation: hashes per type, the gateway's batch and the partitioned (hash list / Bloom filter)
/// forms, and the verifier's Revoked outcome.</summary>
public sealed class DccRevocationTests
{
    private static readonly X509Certificate2 Ca = TestPki.CreateCa("Test CSCA");
    private static readonly DateTimeOffset Issued = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private const string Ci = "URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B";

    private static JsonElement Dcc(string ci = Ci) => TestJson.Parse($$"""
        {"ver":"1.3.0","nam":{"fn":"Musterfrau","fnt":"MUSTERFRAU","gn":"Erika","gnt":"ERIKA"},"dob":"1964-08-12",
         "v":[{"tg":"840539006","vp":"1119349007","mp":"EU/1/20/1528","ma":"ORG-100030215","dn":2,"sd":2,"dt":"2025-05-20",
               "co":"AT","is":"Ministry of Health, Austria","ci":"{{ci}}"}]}
        """);

    private static byte[] H(string s) => SHA256.HashData(Encoding.UTF8.GetBytes(s))[..16];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_hashes_follow_the_scheme_UCI_country_plus_UCI_and_the_signature_r_value_for_ECDSA(bool rsa)
    {
        var dsc = TestPki.CreateDsc(Ca, rsa: rsa);
        var hc1 = new HcertSigner(dsc).SignEuDcc(Dcc(), "AT", Issued, Issued.AddDays(30));
        var cose = HcertCodec.DecodeCose(HcertCodec.DecodeToCose(hc1));
        var hashes = DccRevocationHashes.Compute(cose, HcertCodec.DecodeClaims(cose.Payload), Dcc());
        Assert.Equal(H(Ci), hashes.Uci);
        Assert.Equal(H("AT" + Ci), hashes.CountryCodeUci);
        var signature = cose.Signature.ToArray();
        Assert.Equal(SHA256.HashData(rsa ? signature : signature[..32])[..16], hashes.Signature);
        Assert.Equal(TrustEntry.KidOf(dsc), hashes.Kid);
    }

    [Fact]
    public void A_DER_encoded_ECDSA_signature_hashes_to_the_same_r_value()
    {
        var dsc = TestPki.CreateDsc(Ca);
        var hc1 = new HcertSigner(dsc).SignEuDcc(Dcc(), "AT", Issued, Issued.AddDays(30));
        var cose = HcertCodec.DecodeCose(HcertCodec.DecodeToCose(hc1));
        var raw = cose.Signature.ToArray();
        var der = new CoseSign1
        {
            ProtectedHeader = cose.ProtectedHeader, Algorithm = cose.Algorithm, Kid = cose.Kid, KidLocation = cose.KidLocation,
            Payload = cose.Payload, Tagged = true,
            Signature = AsnSignature(raw),
        };
        var claims = HcertCodec.DecodeClaims(cose.Payload);
        Assert.Equal(DccRevocationHashes.Compute(cose, claims, null).Signature, DccRevocationHashes.Compute(der, claims, null).Signature);
        Assert.Null(DccRevocationHashes.Compute(cose, claims, null).Uci); // no DCC, no UCI
    }

    private static byte[] AsnSignature(byte[] raw)
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        // Re-encode r‖s as an ASN.1 SEQUENCE { r, s } (RFC 3279), as some issuers wrongly do.
        var w = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteIntegerUnsigned(raw.AsSpan(0, 32));
            w.WriteIntegerUnsigned(raw.AsSpan(32, 32));
        }
        return w.Encode();
    }

    private static string Batch(byte[] kid, string type, params byte[][] hashes) => new JsonObject
    {
        ["country"] = "AT", ["expires"] = "2027-01-01T00:00:00Z", ["kid"] = Convert.ToBase64String(kid), ["hashType"] = type,
        ["entries"] = new JsonArray(hashes.Select(h => (JsonNode)new JsonObject { ["hash"] = Convert.ToBase64String(h) }).ToArray()),
    }.ToJsonString();

    [Theory]
    [InlineData("UCI")]
    [InlineData("COUNTRYCODEUCI")]
    [InlineData("SIGNATURE")]
    public void A_certificate_on_a_gateway_batch_of_its_DSC_is_revoked_with_the_hash_type_named(string type)
    {
        var dsc = TestPki.CreateDsc(Ca);
        var signer = new HcertSigner(dsc);
        var hc1 = signer.SignEuDcc(Dcc(), "AT", Issued, Issued.AddDays(30));
        var other = signer.SignEuDcc(Dcc("URN:UVCI:01:AT:OTHER#1"), "AT", Issued, Issued.AddDays(30));
        var store = TrustStore.FromCertificates(TestPki.PublicOnly(dsc));
        var hashes = new HcertVerifier(store).Verify(hc1, Issued.AddDays(1)).RevocationHashes!;
        var list = DccRevocationList.Parse(Encoding.UTF8.GetBytes(Batch(TrustEntry.KidOf(dsc), type, hashes.Of(DccRevocationHashes.Parse(type)!.Value)!)));
        var verifier = new HcertVerifier(store, revocations: list);
        var revoked = verifier.Verify(hc1, Issued.AddDays(1));
        Assert.Equal(HcertFailure.Revoked, revoked.Outcome);
        Assert.Contains(type, revoked.Reason);
        Assert.False(revoked.Passed(HcertStep.Revocation));
        Assert.True(verifier.Verify(other, Issued.AddDays(1)).IsValid);
        // The same hash listed under another DSC's kid revokes nothing.
        var elsewhere = DccRevocationList.Parse(Encoding.UTF8.GetBytes(Batch([1, 2, 3, 4, 5, 6, 7, 8], type, hashes.Of(DccRevocationHashes.Parse(type)!.Value)!)));
        Assert.True(new HcertVerifier(store, revocations: elsewhere).Verify(hc1, Issued.AddDays(1)).IsValid);
    }

    [Fact]
    public void A_batch_past_its_expires_is_no_longer_applied_on_the_verification_clock()
    {
        var dsc = TestPki.CreateDsc(Ca);
        var store = TrustStore.FromCertificates(TestPki.PublicOnly(dsc));
        // A long-lived certificate, so only the batch's expiry changes the answer.
        var hc1 = new HcertSigner(dsc).SignEuDcc(Dcc(), "AT", Issued, Issued.AddYears(3));
        var hashes = new HcertVerifier(store).Verify(hc1, Issued.AddDays(1)).RevocationHashes!;
        var expires = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var batch = JsonNode.Parse(Batch(TrustEntry.KidOf(dsc), "UCI", hashes.Uci!))!;
        batch["expires"] = "2026-01-01T00:00:00Z";
        var list = DccRevocationList.Parse(Encoding.UTF8.GetBytes(batch.ToJsonString()));
        Assert.Equal(expires, Assert.Single(list.Chunks).Expires);

        var verifier = new HcertVerifier(store, revocations: list);
        Assert.Equal(HcertFailure.Revoked, verifier.Verify(hc1, expires.AddSeconds(-1)).Outcome);
        Assert.True(verifier.Verify(hc1, expires).IsValid);          // expires is exclusive: the batch is gone then
        Assert.True(verifier.Verify(hc1, expires.AddDays(30)).IsValid);

        // The verifier's own clock (injected) when no time is given.
        Assert.Equal(HcertFailure.Revoked, new HcertVerifier(store, time: new FixedTime(expires.AddDays(-1)), revocations: list).Verify(hc1).Outcome);
        Assert.True(new HcertVerifier(store, time: new FixedTime(expires), revocations: list).Verify(hc1).IsValid);

        // Pruned: nothing of it is left at or after expiry; before, the list is kept as it is.
        Assert.Empty(list.Unexpired(expires).Chunks);
        Assert.Same(list, list.Unexpired(expires.AddTicks(-1)));
        Assert.Null(list.Unexpired(expires).Revoked(hashes, expires.AddDays(-1)));
    }

    [Fact]
    public void The_Bloom_filter_reads_what_it_writes_and_holds_its_members()
    {
        var members = Enumerable.Range(0, 200).Select(i => H("member " + i)).ToList();
        var filter = DgcBloomFilter.Create(200, 0.0001f);
        foreach (var m in members) filter.Add(m);
        var read = DgcBloomFilter.Read(filter.Write());
        Assert.Equal((filter.Hashes, filter.Bits, 200), (read.Hashes, read.Bits, read.CurrentElements));
        Assert.All(members, m => Assert.True(read.MightContain(m)));
        var falsePositives = Enumerable.Range(0, 2000).Count(i => read.MightContain(H("stranger " + i)));
        Assert.True(falsePositives <= 2, $"{falsePositives} of 2000 non-members matched at p = 0.0001");
        Assert.Throws<InvalidDataException>(() => DgcBloomFilter.Read(filter.Write()[..20]));
        var badVersion = filter.Write();
        badVersion[1] = 2;
        Assert.Throws<InvalidDataException>(() => DgcBloomFilter.Read(badVersion));
    }

    [Fact]
    public void Partitioned_lists_with_hash_list_and_Bloom_filter_chunks_revoke_in_their_partition()
    {
        var dsc = TestPki.CreateDsc(Ca);
        var signer = new HcertSigner(dsc);
        var store = TrustStore.FromCertificates(TestPki.PublicOnly(dsc));
        var a = signer.SignEuDcc(Dcc("URN:UVCI:01:AT:A#1"), "AT", Issued, Issued.AddDays(30));
        var b = signer.SignEuDcc(Dcc("URN:UVCI:01:AT:B#1"), "AT", Issued, Issued.AddDays(30));
        var c = signer.SignEuDcc(Dcc("URN:UVCI:01:AT:C#1"), "AT", Issued, Issued.AddDays(30));
        var plain = new HcertVerifier(store);
        var ha = plain.Verify(a, Issued.AddDays(1)).RevocationHashes!.Uci!;
        var hb = plain.Verify(b, Issued.AddDays(1)).RevocationHashes!.Uci!;
        var filter = DgcBloomFilter.Create(10, 0.0001f);
        filter.Add(hb);
        var list = new JsonObject
        {
            ["kid"] = Convert.ToBase64String(TrustEntry.KidOf(dsc)), ["mode"] = "VECTOR", ["hashTypes"] = new JsonArray("UCI"),
            ["partitions"] = new JsonArray(
                new JsonObject { ["x"] = Convert.ToHexStringLower(ha[..1]), ["chunks"] = new JsonArray(new JsonObject { ["type"] = "HASHLIST", ["data"] = Convert.ToBase64String(ha) }) },
                new JsonObject { ["x"] = Convert.ToHexStringLower(hb[..1]), ["chunks"] = new JsonArray(new JsonObject { ["type"] = "BLOOMFILTER", ["data"] = Convert.ToBase64String(filter.Write()) }) }),
        };
        var revocations = DccRevocationList.Parse(Encoding.UTF8.GetBytes(list.ToJsonString()));
        var verifier = new HcertVerifier(store, revocations: revocations);
        Assert.Equal(HcertFailure.Revoked, verifier.Verify(a, Issued.AddDays(1)).Outcome);
        var rb = verifier.Verify(b, Issued.AddDays(1));
        Assert.Equal(HcertFailure.Revoked, rb.Outcome);
        Assert.Contains("Bloom filter", rb.Reason);
        Assert.True(verifier.Verify(c, Issued.AddDays(1)).IsValid);
    }

    [Fact]
    public void The_gateway_batch_export_reads_back_as_the_same_list()
    {
        var kid = new byte[] { 9, 8, 7, 6, 5, 4, 3, 2 };
        var list = DccRevocationList.Parse(Encoding.UTF8.GetBytes($"[{Batch(kid, "SIGNATURE", H("a"), H("b"))},{Batch(kid, "UCI", H("c"))}]"));
        Assert.Equal(3, list.EntryCount);
        var again = DccRevocationList.Parse(Encoding.UTF8.GetBytes(list.ToGatewayBatches().ToJsonString()));
        Assert.Equal(list.ToGatewayBatches().ToJsonString(), again.ToGatewayBatches().ToJsonString());
        var hashes = new DccRevocationHashes(kid, H("b"), H("x"), H("y"));
        Assert.Contains("SIGNATURE", again.Revoked(hashes, Issued));
        Assert.Null(again.Revoked(hashes with { Signature = H("z") }, Issued));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("42")]
    [InlineData("""{"kid":"AQID","hashType":"MD5","entries":[]}""")]
    [InlineData("""{"kid":"AQID","hashType":"UCI","entries":[{"hash":"AQID"}]}""")]
    [InlineData("""{"hashType":"UCI","entries":[]}""")]
    [InlineData("""{"kid":"AQID","hashType":"UCI","entries":[{"hash":42}]}""")]
    [InlineData("""{"kid":"AQID","hashType":"UCI","mode":"COORDINATE","partitions":[{"x":"0a","chunks":[]}]}""")]
    [InlineData("""{"kid":"AQID","hashType":"UCI","partitions":[{"chunks":[{"type":"HASHLIST","data":"AQID"}]}]}""")]
    [InlineData("""{"kid":"AQID","hashType":"UCI","partitions":[{"chunks":[{"type":"ZIP","data":"AQID"}]}]}""")]
    public void Malformed_revocation_files_are_typed_errors(string json) =>
        Assert.Throws<DccRevocationException>(() => DccRevocationList.Parse(Encoding.UTF8.GetBytes(json)));
}
