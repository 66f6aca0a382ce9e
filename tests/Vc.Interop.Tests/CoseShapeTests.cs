using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vc.Interop.Hcert;
using Vc.Interop.TrustLists;

namespace Vc.Interop.Tests;

/// <summary>COSE_Sign1 shapes seen in the field (hcert §3.3, RFC 9052 §4.2): all must verify.</summary>
public sealed class CoseShapeTests
{
    private static readonly X509Certificate2 Dsc = TestPki.CreateDsc(TestPki.CreateCa("Shape CA"));
    private static readonly HcertVerifier Verifier = new(TrustStore.FromCertificates(TestPki.PublicOnly(Dsc)));
    private static readonly DateTimeOffset Issued = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static byte[] Payload() => new CwtClaims
    {
        Issuer = "XA",
        IssuedAt = Issued.ToUnixTimeSeconds(),
        Expiration = Issued.AddDays(10).ToUnixTimeSeconds(),
        Hcert = new Dictionary<int, ReadOnlyMemory<byte>> { [1] = CborJson.FromJson(TestJson.Parse(
            """{"ver":"1.3.0","nam":{"fnt":"DOE"},"dob":"1970","r":[{"tg":"840539006","fr":"2025-05-01","co":"AT","is":"MoH","df":"2025-05-12","du":"2025-10-28","ci":"URN:UVCI:01:AT:R#1"}]}""")) },
    }.Encode();

    private static byte[] Header(bool alg, bool kid)
    {
        if (!alg && !kid) return [];
        var w = new CborWriter();
        w.WriteStartMap((alg ? 1 : 0) + (kid ? 1 : 0));
        if (alg) { w.WriteInt32(1); w.WriteInt32(CoseAlgorithm.ES256); }
        if (kid) { w.WriteInt32(4); w.WriteByteString(TrustEntry.KidOf(Dsc)); }
        w.WriteEndMap();
        return w.Encode();
    }

    private static byte[] Build(bool algProtected, bool kidProtected, int[] tags)
    {
        var protectedHeader = Header(algProtected, kidProtected);
        var payload = Payload();
        var signature = Dsc.GetECDsaPrivateKey()!.SignData(CoseSign1.BuildToBeSigned(protectedHeader, payload), HashAlgorithmName.SHA256);
        var w = new CborWriter();
        foreach (var t in tags) w.WriteTag((CborTag)t);
        w.WriteStartArray(4);
        w.WriteByteString(protectedHeader);
        w.WriteEncodedValue(Header(!algProtected, !kidProtected) is { Length: > 0 } u ? u : [0xA0]);
        w.WriteByteString(payload);
        w.WriteByteString(signature);
        w.WriteEndArray();
        return w.Encode();
    }

    [Theory]
    [InlineData(true, true, new[] { 18 }, true)]       // the usual shape
    [InlineData(true, true, new int[0], true)]         // untagged
    [InlineData(true, true, new[] { 61, 18 }, false)]  // CWT tag around COSE_Sign1: DecodeSign1 refuses tag 61
    [InlineData(true, false, new[] { 18 }, true)]      // kid only in the unprotected header
    [InlineData(false, true, new[] { 18 }, false)]     // alg only in the unprotected header: VerifyEmbedded refuses it
    [InlineData(false, false, new int[0], false)]      // empty protected header, everything unprotected
    public void Every_field_shape_verifies_and_goes_through_the_HC1_layers(bool algProtected, bool kidProtected, int[] tags, bool byNet)
    {
        var cose = Build(algProtected, kidProtected, tags);
        var parsed = CoseSign1.Decode(cose);
        Assert.Equal(kidProtected ? KidLocation.Protected : KidLocation.Unprotected, parsed.KidLocation);
        Assert.Equal(tags.Contains(18), parsed.Tagged);
        Assert.Equal(byNet, parsed.Message is not null);
        var result = Verifier.Verify(HcertCodec.Encode(cose), Issued.AddDays(1));
        Assert.True(result.IsValid, $"{result.Outcome}: {result.Reason}");
    }

    [Fact]
    public void Our_COSE_Sign1_is_tagged_with_alg_and_kid_protected_and_the_payload_embedded()
    {
        var payload = Payload();
        var cose = CoseSign1.Sign(payload, TrustEntry.KidOf(Dsc), Dsc.GetECDsaPrivateKey()!);
        var r = new CborReader(cose);
        Assert.Equal((CborTag)18, r.ReadTag());
        Assert.Equal(4, r.ReadStartArray());
        var protectedHeader = new CborReader(r.ReadByteString());
        Assert.Equal(2, protectedHeader.ReadStartMap());
        Assert.Equal((1, CoseAlgorithm.ES256), (protectedHeader.ReadInt32(), protectedHeader.ReadInt32()));
        Assert.Equal(4, protectedHeader.ReadInt32());
        Assert.Equal(TrustEntry.KidOf(Dsc), protectedHeader.ReadByteString());
        Assert.Equal(0, r.ReadStartMap()); // nothing unprotected
        r.ReadEndMap();
        Assert.Equal(payload, r.ReadByteString());
        Assert.Equal(64, r.ReadByteString().Length); // ES256 r‖s
        r.ReadEndArray();
        Assert.Equal(0, r.BytesRemaining);
    }

    [Fact]
    public void A_shape_NET_refuses_for_another_reason_stays_refused()
    {
        // content type (3) as a bstr: DecodeSign1 refuses it (RFC 9052 §3.1: uint or tstr). The lenient decoder skips
        // labels HCERT does not use, but this is no field shape it is there for, so the message stays refused.
        var w = new CborWriter();
        w.WriteStartMap(3);
        w.WriteInt32(1);
        w.WriteInt32(CoseAlgorithm.ES256);
        w.WriteInt32(3);
        w.WriteByteString([0]);
        w.WriteInt32(4);
        w.WriteByteString(TrustEntry.KidOf(Dsc));
        w.WriteEndMap();
        var m = new CborWriter();
        m.WriteTag((CborTag)18);
        m.WriteStartArray(4);
        m.WriteByteString(w.Encode());
        m.WriteStartMap(0);
        m.WriteEndMap();
        m.WriteByteString(Payload());
        m.WriteByteString(new byte[64]);
        m.WriteEndArray();
        Assert.Equal(HcertFailure.Cose, Assert.Throws<HcertException>(() => CoseSign1.Decode(m.Encode())).Failure);
    }

    [Fact]
    public void A_wrong_tag_or_a_non_array_is_a_COSE_failure()
    {
        var good = Build(true, true, [18]);
        var wrongTag = (byte[])good.Clone();
        wrongTag[0] = 0xD3; // tag 19
        Assert.Equal(HcertFailure.Cose, Assert.Throws<HcertException>(() => CoseSign1.Decode(wrongTag)).Failure);
        Assert.Equal(HcertFailure.Cose, Assert.Throws<HcertException>(() => CoseSign1.Decode(new byte[] { 0xD2, 0x83, 0x40, 0xA0, 0x40 })).Failure);
        Assert.Equal(HcertFailure.Cose, Assert.Throws<HcertException>(() => CoseSign1.Decode(good.Concat(new byte[] { 0 }).ToArray())).Failure);
    }

    [Theory]
    [InlineData("HC2:ABC", HcertFailure.Unprefix)]
    [InlineData("hc1:ABC", HcertFailure.Unprefix)]
    [InlineData("ABC", HcertFailure.Unprefix)]
    [InlineData("HC1:A", HcertFailure.Base45)]
    [InlineData("HC1:::::", HcertFailure.Base45)]
    [InlineData("HC1:ab", HcertFailure.Base45)]
    [InlineData("HC1:", HcertFailure.Inflate)]
    public void Each_outer_layer_names_its_own_failure(string input, HcertFailure failure) =>
        Assert.Equal(failure, Verifier.Verify(input, Issued).Outcome);
}
