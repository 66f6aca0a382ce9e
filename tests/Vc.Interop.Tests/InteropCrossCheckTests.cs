using System.Security.Cryptography;
using System.Security.Cryptography.Cose;
using System.Security.Cryptography.X509Certificates;
using CsCheck;
using Vc.Interop.Hcert;
using Vc.Interop.TrustLists;

namespace Vc.Interop.Tests;

/// <summary>Our codecs against independent implementations: .NET's COSE classes (for the lenient decoder and the native
/// ES256 path, which do not go through them) and SimpleBase.</summary>
public sealed class InteropCrossCheckTests
{
    private static readonly X509Certificate2 Dsc = TestPki.CreateDsc(TestPki.CreateCa("Cross CA"));

    [Fact]
    public void Our_COSE_Sign1_verifies_with_the_NET_COSE_implementation()
    {
        var payload = RandomNumberGenerator.GetBytes(200);
        var ours = CoseSign1.Sign(payload, TrustEntry.KidOf(Dsc), Dsc.GetECDsaPrivateKey()!);
        var message = CoseMessage.DecodeSign1(ours);
        Assert.True(message.VerifyEmbedded(Dsc.GetECDsaPublicKey()!));
        Assert.Equal(payload, message.Content!.Value.ToArray());
    }

    [Fact]
    public void A_COSE_Sign1_made_by_NET_verifies_with_ours()
    {
        var headers = new CoseHeaderMap { [CoseHeaderLabel.KeyIdentifier] = CoseHeaderValue.FromBytes(TrustEntry.KidOf(Dsc)) };
        var signer = new CoseSigner(Dsc.GetECDsaPrivateKey()!, HashAlgorithmName.SHA256, headers);
        var payload = new CwtClaims
        {
            IssuedAt = 1_750_000_000,
            Expiration = 1_750_100_000,
            Hcert = new Dictionary<int, ReadOnlyMemory<byte>> { [1] = CborJson.FromJson(TestJson.Parse("""{"ver":"1.3.0"}""")) },
        }.Encode();
        var cose = CoseSign1Message.SignEmbedded(payload, signer);
        var parsed = CoseSign1.Decode(cose);
        Assert.Equal(CoseAlgorithm.ES256, parsed.Algorithm);
        var entry = new TrustEntry(TestPki.PublicOnly(Dsc), TrustSource.Certificate);
        Assert.Same(entry, HcertVerifier.VerifySignature(parsed, [entry]));
    }

    [Fact]
    public void Our_Base45_agrees_with_SimpleBase_on_arbitrary_bytes() =>
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            var ours = Base45.Encode(bytes);
            Assert.Equal(SimpleBase.Base45.Default.Encode(bytes), ours);
            Assert.Equal(bytes, Base45.Decode(ours));
        }, iter: 2000);

    [Theory]
    [InlineData("AB", "BB8")]            // RFC 9285 §4.3 examples
    [InlineData("Hello!!", "%69 VD92EX0")]
    [InlineData("base-45", "UJCLQE7W581")]
    [InlineData("ietf!", "QED8WEX0")]
    public void Base45_matches_the_RFC_9285_examples(string text, string encoded)
    {
        Assert.Equal(encoded, Base45.Encode(System.Text.Encoding.ASCII.GetBytes(text)));
        Assert.Equal(text, System.Text.Encoding.ASCII.GetString(Base45.Decode(encoded)));
    }

    [Theory]
    [InlineData("GGW")]   // 65536: one above the 2-byte maximum (RFC 9285 §4.2)
    [InlineData("A")]     // length 1 mod 3
    [InlineData("ZZ")]    // 2024 > 255 in a final pair
    public void Base45_refuses_values_that_no_byte_string_encodes_to(string text) =>
        Assert.Equal(HcertFailure.Base45, Assert.Throws<HcertException>(() => Base45.Decode(text)).Failure);
}
