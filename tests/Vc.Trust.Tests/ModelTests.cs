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

public sealed class OperationInputTests
{
    private static readonly CountryCode Kenya = CountryCode.Parse("KEN");

    [Theory]
    [InlineData("")]
    [InlineData("0x1234")]
    [InlineData("00000000000000000000000000000000000000AB")]
    [InlineData("0xZZ000000000000000000000000000000000000AB")]
    public void Operations_refuse_malformed_addresses_before_anything_is_sent(string address)
    {
        Assert.Equal(TrustRegistryError.InvalidAddress, Assert.Throws<TrustRegistryException>(() => new OnboardParticipant(Kenya, address, TrustDomains.Icvp)).Error);
        Assert.Equal(TrustRegistryError.InvalidAddress, Assert.Throws<TrustRegistryException>(() => new UpdateParticipant(Kenya, address, TrustDomains.Icvp)).Error);
        Assert.Equal(TrustRegistryError.InvalidAddress, Assert.Throws<TrustRegistryException>(() => new TransferAnchor(address)).Error);
    }

    [Fact]
    public void A_snapshot_operation_refuses_negative_counts()
    {
        Assert.Equal(TrustRegistryError.InvalidSnapshot, Assert.Throws<TrustRegistryException>(() => new AnchorSnapshot(Kenya, Bytes32.Zero, -1, 5)).Error);
        Assert.Equal(TrustRegistryError.InvalidSnapshot, Assert.Throws<TrustRegistryException>(() => new AnchorSnapshot(Kenya, Bytes32.Zero, 1, -5)).Error);
    }

    [Fact]
    public void Unknown_revert_data_is_reported_as_such()
    {
        var e = RevertDecoder.Decode("0xdeadbeef", null);
        Assert.Equal(TrustRegistryError.UnknownRevert, e.Error);
        Assert.True(e.RevertedOnChain);
        // Solidity's Error(string) from a require: not one of the registry's errors.
        Assert.Equal(TrustRegistryError.UnknownRevert, RevertDecoder.Decode("0x08c379a0" + new string('0', 128), null).Error);
    }

    [Fact]
    public void A_signed_write_carries_no_key_material()
    {
        var key = Nethereum.Signer.EthECKey.GenerateKey();
        var signed = SignedTrustWrite.Sign(new OnboardParticipant(Kenya, key.GetPublicAddress(), TrustDomains.Icvp), key,
            new TrustRegistryDomain(31337, "0x5FbDB2315678afecb367f032d93F642f64180aa3"), 0, DateTimeOffset.UnixEpoch.AddYears(60));
        Assert.DoesNotContain(key.GetPrivateKey()[2..], signed.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(132, signed.SignatureHex.Length);
    }
}

public sealed class TrustKeysTests
{
    [Fact]
    public void A_private_key_file_round_trips_to_the_same_account()
    {
        var key = Nethereum.Signer.EthECKey.GenerateKey();
        var text = "  " + TrustKeys.ExportPrivateKey(key) + "\n";
        Assert.Equal(key.GetPublicAddress(), TrustKeys.ParsePrivateKey(text).GetPublicAddress());
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x1234")]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000001")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    public void A_malformed_private_key_is_refused_without_echoing_it(string text)
    {
        var e = Assert.Throws<TrustRegistryException>(() => TrustKeys.ParsePrivateKey(text));
        Assert.Equal(TrustRegistryError.InvalidInput, e.Error);
        if (text.Length > 4) Assert.DoesNotContain(text, e.Message);
    }
}
