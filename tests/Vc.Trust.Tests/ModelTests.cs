using Nethereum.Util;

namespace Vc.Trust.Tests;

public sealed class ModelTests
{
    [Theory]
    [InlineData("ken")]
    [InlineData("KE")]
    [InlineData("KENY")]
    [InlineData("K3N")]
    [InlineData("")]
    [InlineData("KÉN")]
    public void A_country_code_is_three_upper_case_letters(string value) =>
        Assert.Equal(TrustRegistryError.InvalidCountryCode, Assert.Throws<TrustRegistryException>(() => CountryCode.Parse(value)).Error);

    [Theory]
    [InlineData("web:example.com")]
    [InlineData("did:")]
    [InlineData("did:web:has space")]
    public void A_did_issuer_must_look_like_a_did(string value) =>
        Assert.Equal(TrustRegistryError.InvalidIssuer, Assert.Throws<TrustRegistryException>(() => IssuerRef.Did(value)).Error);

    [Fact]
    public void Issuer_ids_are_keccak_of_the_did_string_or_of_the_raw_kid()
    {
        var did = IssuerRef.Did("did:web:example.com");
        Assert.Equal(Bytes32.FromBytes(Sha3Keccack.Current.CalculateHash("did:web:example.com"u8.ToArray())), did.Id);
        var kid = IssuerRef.KidBase64("3lTmAZX19GQ=");
        Assert.Equal(Bytes32.FromBytes(Sha3Keccack.Current.CalculateHash(Convert.FromBase64String("3lTmAZX19GQ="))), kid.Id);
        Assert.Equal(IssuerKind.Dsc, IssuerRef.Parse("3lTmAZX19GQ=").Kind);
        Assert.Equal(IssuerKind.Did, IssuerRef.Parse("did:web:example.com").Kind);
        Assert.Equal(kid, IssuerRef.Kid(Convert.FromBase64String("3lTmAZX19GQ=")));
    }

    [Fact]
    public void A_kid_is_1_to_64_bytes_of_standard_base64()
    {
        Assert.Equal(TrustRegistryError.InvalidIssuer, Assert.Throws<TrustRegistryException>(() => IssuerRef.Kid(new byte[65])).Error);
        Assert.Equal(TrustRegistryError.InvalidIssuer, Assert.Throws<TrustRegistryException>(() => IssuerRef.Kid([])).Error);
        Assert.Equal(TrustRegistryError.InvalidIssuer, Assert.Throws<TrustRegistryException>(() => IssuerRef.KidBase64("not base64!")).Error);
    }

    [Fact]
    public void Trust_domains_are_read_from_gdhcn_codes()
    {
        Assert.Equal(TrustDomains.Icvp | TrustDomains.Dcc, TrustDomainCodes.Parse("ICVP, dcc"));
        Assert.Equal(["ICVP", "IPS-PILGRIMAGE"], TrustDomainCodes.ToCodes(TrustDomains.Icvp | TrustDomains.IpsPilgrimage));
        Assert.Equal(TrustRegistryError.InvalidDomains, Assert.Throws<TrustRegistryException>(() => TrustDomainCodes.Parse("ICVP,YELLOW")).Error);
        Assert.Equal(TrustRegistryError.InvalidDomains, Assert.Throws<TrustRegistryException>(() => TrustDomainCodes.Parse(" , ")).Error);
    }

    [Fact]
    public void Bytes32_reads_hex_with_or_without_prefix_and_rejects_other_lengths()
    {
        Assert.Equal(Bytes32.Parse("0x" + new string('A', 64)), Bytes32.Parse(new string('a', 64)));
        Assert.Throws<TrustRegistryException>(() => Bytes32.Parse("0x1234"));
        Assert.Throws<TrustRegistryException>(() => Bytes32.FromBytes(new byte[31]));
        Assert.True(default(Bytes32).IsZero);
    }
}
