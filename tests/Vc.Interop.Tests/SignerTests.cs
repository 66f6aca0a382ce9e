using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Vc.Interop.Hcert;
using Vc.Interop.TrustLists;

namespace Vc.Interop.Tests;

public sealed class SignerTests
{
    private static readonly X509Ca Ca = new();
    private static readonly DateTimeOffset Issued = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private sealed class X509Ca
    {
        public readonly System.Security.Cryptography.X509Certificates.X509Certificate2 Cert = TestPki.CreateCa("Test CSCA");
    }

    private static JsonElement Dcc(string dt = "2025-05-20") => TestJson.Parse($$"""
        {"ver":"1.3.0","nam":{"fn":"Musterfrau","fnt":"MUSTERFRAU","gn":"Erika","gnt":"ERIKA"},"dob":"1964-08-12",
         "v":[{"tg":"840539006","vp":"1119349007","mp":"EU/1/20/1528","ma":"ORG-100030215","dn":2,"sd":2,"dt":"{{dt}}",
               "co":"AT","is":"Ministry of Health, Austria","ci":"URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B"}]}
        """);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_signed_EU_DCC_verifies_as_valid_with_its_DSC_as_the_only_trust(bool rsa)
    {
        var dsc = TestPki.CreateDsc(Ca.Cert, ekus: [TestPki.EkuVaccination], rsa: rsa);
        var hc1 = new HcertSigner(dsc).SignEuDcc(Dcc(), "AT", Issued, Issued.AddDays(365));
        var result = new HcertVerifier(TrustStore.FromCertificates(TestPki.PublicOnly(dsc))).Verify(hc1, Issued.AddDays(1));
        Assert.True(result.IsValid, $"{result.Outcome}: {result.Reason}");
        Assert.Equal(rsa ? CoseAlgorithm.PS256 : CoseAlgorithm.ES256, result.Cose!.Algorithm);
        Assert.Equal(KidLocation.Protected, result.Cose.KidLocation);
        Assert.Equal(TrustEntry.KidOf(dsc), result.Cose.Kid.ToArray());
        Assert.True(TestJson.Equivalent(Dcc(), result.EuDcc!.Value));
    }

    [Fact]
    public void A_DSC_whose_key_usage_names_only_tests_cannot_sign_a_vaccination()
    {
        var dsc = TestPki.CreateDsc(Ca.Cert, ekus: [TestPki.EkuTest]);
        var hc1 = new HcertSigner(dsc).SignEuDcc(Dcc(), "AT", Issued, Issued.AddDays(365));
        var result = new HcertVerifier(TrustStore.FromCertificates(TestPki.PublicOnly(dsc))).Verify(hc1, Issued.AddDays(1));
        Assert.Equal(HcertFailure.KeyUsage, result.Outcome);
        Assert.True(result.Passed(HcertStep.Signature));
    }

    [Fact]
    public void The_clock_decides_between_not_yet_valid_valid_and_expired()
    {
        var dsc = TestPki.CreateDsc(Ca.Cert);
        var hc1 = new HcertSigner(dsc).SignEuDcc(Dcc(), "AT", Issued, Issued.AddDays(30));
        var verifier = new HcertVerifier(TrustStore.FromCertificates(TestPki.PublicOnly(dsc)));
        Assert.Equal(HcertFailure.NotYetValid, verifier.Verify(hc1, Issued.AddSeconds(-1)).Outcome);
        Assert.Equal(HcertFailure.None, verifier.Verify(hc1, Issued.AddDays(30)).Outcome);
        Assert.Equal(HcertFailure.Expired, verifier.Verify(hc1, Issued.AddDays(30).AddSeconds(1)).Outcome);
    }

    [Fact]
    public void The_time_provider_is_the_default_clock()
    {
        var dsc = TestPki.CreateDsc(Ca.Cert);
        var hc1 = new HcertSigner(dsc).SignEuDcc(Dcc(), "AT", Issued, Issued.AddDays(30));
        var store = TrustStore.FromCertificates(TestPki.PublicOnly(dsc));
        Assert.True(new HcertVerifier(store, new FixedTime(Issued.AddDays(2))).Verify(hc1).IsValid);
        Assert.Equal(HcertFailure.Expired, new HcertVerifier(store, new FixedTime(Issued.AddDays(31))).Verify(hc1).Outcome);
    }

    [Fact]
    public void A_vaccination_dated_after_the_clock_fails_the_entry_checks()
    {
        var dsc = TestPki.CreateDsc(Ca.Cert);
        var hc1 = new HcertSigner(dsc).SignEuDcc(Dcc(dt: "2025-06-20"), "AT", Issued, Issued.AddDays(30));
        var result = new HcertVerifier(TrustStore.FromCertificates(TestPki.PublicOnly(dsc))).Verify(hc1, Issued.AddDays(1));
        Assert.Equal(HcertFailure.EntryCheck, result.Outcome);
    }

    [Fact]
    public void A_payload_outside_the_schema_of_its_version_fails_the_schema_step()
    {
        var dsc = TestPki.CreateDsc(Ca.Cert);
        var bad = TestJson.Parse("""{"ver":"1.3.0","nam":{"fnt":"lower case is not ICAO"},"dob":"1964-08-12","v":[]}""");
        var hc1 = new HcertSigner(dsc).SignEuDcc(bad, "AT", Issued, Issued.AddDays(30));
        var result = new HcertVerifier(TrustStore.FromCertificates(TestPki.PublicOnly(dsc))).Verify(hc1, Issued.AddDays(1));
        Assert.Equal(HcertFailure.Schema, result.Outcome);
        Assert.Contains("fnt", result.Reason);
    }

    [Fact]
    public void An_unknown_vaccine_product_is_a_value_set_failure()
    {
        var dsc = TestPki.CreateDsc(Ca.Cert);
        var json = Dcc().GetRawText().Replace("EU/1/20/1528", "EU/9/99/9999");
        var hc1 = new HcertSigner(dsc).SignEuDcc(TestJson.Parse(json), "AT", Issued, Issued.AddDays(30));
        var result = new HcertVerifier(TrustStore.FromCertificates(TestPki.PublicOnly(dsc))).Verify(hc1, Issued.AddDays(1));
        Assert.Equal(HcertFailure.ValueSet, result.Outcome);
        Assert.Contains("EU/9/99/9999", result.Reason);
    }

    [Fact]
    public void A_key_that_does_not_belong_to_the_DSC_is_refused()
    {
        var dsc = TestPki.CreateDsc(Ca.Cert);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var e = Assert.Throws<HcertException>(() => new HcertSigner(TestPki.PublicOnly(dsc), other));
        Assert.Equal(HcertFailure.Encode, e.Failure);
    }

    [Fact]
    public void An_expiry_after_the_DSC_notAfter_is_refused_at_signing()
    {
        var dsc = TestPki.CreateDsc(Ca.Cert);
        var e = Assert.Throws<HcertException>(() => new HcertSigner(dsc).SignEuDcc(Dcc(), "AT", Issued, TestPki.NotAfter.AddDays(1)));
        Assert.Equal(HcertFailure.Encode, e.Failure);
    }

    [Fact]
    public void The_signer_never_shows_its_private_key()
    {
        var dsc = TestPki.CreateDsc(Ca.Cert);
        var signer = new HcertSigner(dsc);
        var d = Convert.ToBase64String(dsc.GetECDsaPrivateKey()!.ExportParameters(true).D!);
        Assert.DoesNotContain(d, signer.ToString());
        Assert.Contains(Convert.ToBase64String(signer.Kid), signer.ToString());
    }
}
