using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Vc.Interop.Hcert;
using Vc.Interop.Icvp;
using Vc.Interop.TrustLists;
using Vc.TestSupport;

namespace Vc.Interop.Tests;

/// <summary>The ICVP example (shared/testdata/who/icvp): a yellow-fever HCERT in claim -260/-6, signed with a test DSC.</summary>
public sealed class IcvpTests
{
    private static readonly string Dir = TestPaths.TestData("who/icvp");
    private static string Hc1 => File.ReadAllText(Path.Combine(Dir, "icvp-yf-HC1.txt")).Trim();
    private static X509Certificate2 Dsc => X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(Dir, "test-DSC.pem")));
    private static JsonElement Payloads => TestJson.Parse(File.ReadAllText(Path.Combine(Dir, "hcert-payloads.json")));
    private static readonly DateTimeOffset Border = new(2025, 10, 20, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_ICVP_example_verifies_with_its_test_DSC_and_decodes_into_the_ICVP_model()
    {
        var result = new HcertVerifier(TrustStore.FromCertificates(Dsc)).Verify(Hc1, Border);
        Assert.True(result.IsValid, $"{result.Outcome}: {result.Reason}");
        Assert.Equal(HcertPayloadType.Icvp, result.PayloadType);
        var expected = Payloads.GetProperty("cwt_variantB_signed");
        var p = expected.GetProperty("-260").GetProperty("-6");
        var icvp = result.Icvp!;
        Assert.Equal(IcvpPayloadVariant.B, icvp.Variant);
        Assert.Equal(p.GetProperty("n").GetString(), icvp.Name);
        Assert.Equal(p.GetProperty("dob").GetString(), icvp.DateOfBirth);
        Assert.Equal(p.GetProperty("s").GetString(), icvp.Sex);
        Assert.Equal(p.GetProperty("ntl").GetString(), icvp.Nationality);
        Assert.Equal(p.GetProperty("nid").GetString(), icvp.NationalId);
        Assert.Equal(p.GetProperty("ndt").GetString(), icvp.NationalIdDocumentType);
        var v = p.GetProperty("v");
        Assert.Equal(v.GetProperty("vp").GetString(), icvp.Vaccination.ProductId);
        Assert.Equal(v.GetProperty("tg").GetString(), icvp.Vaccination.Disease);
        Assert.Equal(v.GetProperty("dt").GetString(), icvp.Vaccination.Date);
        Assert.Equal(v.GetProperty("bo").GetString(), icvp.Vaccination.BatchNo);
        Assert.Equal(v.GetProperty("vls").GetString(), icvp.Vaccination.ValidFrom);
        Assert.Equal(v.GetProperty("cn").GetString(), icvp.Vaccination.ClinicianName);
        Assert.Equal(v.GetProperty("is").GetString(), icvp.Vaccination.Issuer);
        Assert.Equal(expected.GetProperty("1").GetString(), result.Claims!.Issuer);
        Assert.Equal(expected.GetProperty("6").GetInt64(), result.Claims.IssuedAt);
        Assert.Equal(expected.GetProperty("4").GetInt64(), result.Claims.Expiration);
    }

    [Fact]
    public void The_ICVP_example_verifies_against_its_GDHCN_style_trust_list_document()
    {
        var list = GdhcnDidTrustList.Load(File.ReadAllBytes(Path.Combine(Dir, "test-trustlist-ICVP-XXA-DSC.did.json")));
        Assert.Empty(list.Rejected);
        var entry = Assert.Single(list.Entries);
        Assert.Equal(("ICVP", "XXA", "DSC"), (entry.Domain, entry.Country, entry.KeyUsages[0]));
        var result = new HcertVerifier(new TrustStore(list.Entries)).Verify(Hc1, Border);
        Assert.True(result.IsValid, $"{result.Outcome}: {result.Reason}");
        Assert.Same(entry, result.Signer);
    }

    [Fact]
    public void With_trust_domains_required_a_DSC_onboarded_for_another_domain_cannot_sign_an_ICVP()
    {
        var list = GdhcnDidTrustList.Load(File.ReadAllBytes(Path.Combine(Dir, "test-trustlist-ICVP-XXA-DSC.did.json")));
        var icvpEntry = Assert.Single(list.Entries);
        var asDdcc = new TrustEntry(icvpEntry.Certificate, TrustSource.GdhcnDid, "XXA", "DDCC", ["DSC"]);
        var strict = new HcertVerifierOptions { RequireTrustDomain = true };
        Assert.True(new HcertVerifier(new TrustStore([icvpEntry]), options: strict).Verify(Hc1, Border).IsValid);
        var wrong = new HcertVerifier(new TrustStore([asDdcc]), options: strict).Verify(Hc1, Border);
        Assert.Equal(HcertFailure.KeyUsage, wrong.Outcome);
        Assert.Contains("DDCC", wrong.Reason);
        Assert.True(new HcertVerifier(new TrustStore([asDdcc])).Verify(Hc1, Border).IsValid); // off by default
    }

    [Theory]
    [InlineData("2025-09-30T12:00:00Z", HcertFailure.NotYetValid)] // before iat
    [InlineData("2025-10-05T12:00:00Z", HcertFailure.EntryCheck)]  // IHR Annex 7: valid 10 days after vaccination
    [InlineData("2025-10-11T12:00:00Z", HcertFailure.None)]
    [InlineData("2027-09-30T11:00:00Z", HcertFailure.Expired)]     // after the CWT exp
    public void The_yellow_fever_dose_is_judged_at_the_given_clock(string clock, HcertFailure outcome)
    {
        var result = new HcertVerifier(TrustStore.FromCertificates(Dsc)).Verify(Hc1, HcertClock.Parse(clock));
        Assert.Equal(outcome, result.Outcome);
    }

    [Fact]
    public void Decode_encode_decode_is_lossless_for_the_variant_B_payload()
    {
        var decoded = HcertCodec.Decode(Hc1);
        var icvp = decoded.Icvp!;
        var again = IcvpCertificate.Decode(icvp.Encode());
        Assert.Equal(icvp, again);
        Assert.Equal(icvp.Vaccination, again.Vaccination);
        // The re-encoded claim is the same CBOR data model as the original one.
        Assert.True(TestJson.Equivalent(CborJson.ToJsonElement(decoded.Claims.Hcert[HcertClaimKey.Icvp]), CborJson.ToJsonElement(icvp.Encode())));
    }

    [Fact]
    public void A_variant_A_payload_decodes_and_re_encodes_as_variant_B_with_every_field_B_can_carry()
    {
        var a = Payloads.GetProperty("cwt_variantA_newest_draft").GetProperty("-260").GetProperty("-6");
        var icvpA = IcvpCertificate.Decode(CborJson.FromJson(a));
        Assert.Equal(IcvpPayloadVariant.A, icvpA.Variant);
        Assert.Equal("1", icvpA.TemplateVersion);
        Assert.Equal("2025-10-01", icvpA.IssueDate);
        Assert.Equal("KEN", icvpA.Nationality);
        Assert.Equal("AB1234567", icvpA.NationalId);
        Assert.Equal("PPN", icvpA.NationalIdDocumentType);
        Assert.Equal("2025-10-01", icvpA.Vaccination.Date);
        var b = IcvpCertificate.Decode(icvpA.Encode());
        Assert.Equal(IcvpPayloadVariant.B, b.Variant);
        Assert.Equal(icvpA with { Variant = IcvpPayloadVariant.B, TemplateVersion = null, IssueDate = null }, b);
    }

    [Fact]
    public void An_ICVP_signed_by_us_round_trips_through_HC1_and_verifies()
    {
        var ca = TestPki.CreateCa("XXA SCA");
        var dsc = TestPki.CreateDsc(ca, ekus: [TestPki.EkuVaccination]);
        var original = HcertCodec.Decode(Hc1).Icvp!;
        var issued = new DateTimeOffset(2025, 10, 1, 10, 0, 0, TimeSpan.Zero);
        var hc1 = new Hcert.HcertSigner(dsc).SignIcvp(original, "XXA", issued); // no exp: lifelong dose (notes: WHO test QRs omit exp)
        var result = new HcertVerifier(TrustStore.FromCertificates(TestPki.PublicOnly(dsc))).Verify(hc1, Border);
        Assert.True(result.IsValid, $"{result.Outcome}: {result.Reason}");
        Assert.Null(result.Claims!.Expiration);
        Assert.Equal("XXA", result.Claims.Issuer);
        Assert.Equal(original, result.Icvp);
    }

    [Theory]
    [InlineData("1D47", 9, HcertFailure.EntryCheck)] // yellow fever: IHR Annex 7, valid from day 10
    [InlineData("1D47", 10, HcertFailure.None)]
    [InlineData(null, 9, HcertFailure.EntryCheck)]   // no tg: a yellow-fever ICVP
    [InlineData("1F03", 0, HcertFailure.None)]       // measles (DiseaseTargeted): valid from the vaccination day
    public void The_first_valid_day_is_the_catalogues_for_the_disease(string? disease, int day, HcertFailure outcome)
    {
        var dsc = TestPki.CreateDsc(TestPki.CreateCa("XXA SCA"), ekus: [TestPki.EkuVaccination]);
        var original = HcertCodec.Decode(Hc1).Icvp!;
        var vaccinated = new DateOnly(2025, 10, 1);
        var icvp = original with { Vaccination = original.Vaccination with { Disease = disease, Date = "2025-10-01", ValidFrom = null } };
        var hc1 = new Hcert.HcertSigner(dsc).SignIcvp(icvp, "XXA", new DateTimeOffset(vaccinated, TimeOnly.MinValue, TimeSpan.Zero));
        // Midnight UTC: the entry check counts a day as begun once it has begun anywhere (UTC+14), so later on day 9
        // a dose is already valid somewhere on Earth.
        var clock = new DateTimeOffset(vaccinated.AddDays(day), TimeOnly.MinValue, TimeSpan.Zero);
        var result = new HcertVerifier(TrustStore.FromCertificates(TestPki.PublicOnly(dsc))).Verify(hc1, clock);
        Assert.True(outcome == result.Outcome, $"{result.Outcome}: {result.Reason}");
        var firstValid = Vc.Credentials.Icvp.IcvpCatalogue.ValidFrom(disease ?? Vc.Credentials.Icvp.IcvpCatalogue.YellowFever, vaccinated);
        Assert.Equal(outcome == HcertFailure.None, vaccinated.AddDays(day) >= firstValid);
    }

    [Theory]
    [InlineData("YellowFeverProductd8a09f80301dc05e124f99ffe7711fc0", "XX99", "v.tg 'XX99'")]
    [InlineData("NotAProduct", "1D47", "v.vp 'NotAProduct'")]
    public void Codes_outside_the_ICVP_catalogue_fail_the_value_set_step(string productId, string disease, string reason)
    {
        var dsc = TestPki.CreateDsc(TestPki.CreateCa("XXA SCA"), ekus: [TestPki.EkuVaccination]);
        var original = HcertCodec.Decode(Hc1).Icvp!;
        var icvp = original with { Vaccination = original.Vaccination with { ProductId = productId, Disease = disease } };
        var hc1 = new Hcert.HcertSigner(dsc).SignIcvp(icvp, "XXA", new DateTimeOffset(2025, 10, 1, 10, 0, 0, TimeSpan.Zero));
        var result = new HcertVerifier(TrustStore.FromCertificates(TestPki.PublicOnly(dsc))).Verify(hc1, Border);
        Assert.Equal(HcertFailure.ValueSet, result.Outcome);
        Assert.Contains(reason, result.Reason);
    }

    [Fact]
    public void An_ICVP_without_issuer_or_clinician_breaks_the_model_invariant()
    {
        var ca = TestPki.CreateCa("XXA SCA");
        var dsc = TestPki.CreateDsc(ca);
        var original = HcertCodec.Decode(Hc1).Icvp!;
        var broken = original with { Vaccination = original.Vaccination with { Issuer = null, ClinicianName = null } };
        var hc1 = new Hcert.HcertSigner(dsc).SignIcvp(broken, "XXA", new DateTimeOffset(2025, 10, 1, 10, 0, 0, TimeSpan.Zero));
        var result = new HcertVerifier(TrustStore.FromCertificates(TestPki.PublicOnly(dsc))).Verify(hc1, Border);
        Assert.Equal(HcertFailure.Schema, result.Outcome);
        Assert.Contains("issuer", result.Reason);
    }
}

/// <summary>Round trips of EU DCC payloads (-260/1) over every dgc-testdata case that carries one.</summary>
public sealed class DccRoundTripTests
{
    private static readonly string Root = TestPaths.TestData("dgc-testdata", "VCHEALTH_DGC_TESTDATA");

    /// <summary>Cases with a COSE and no false flag: well-formed certificates, the ones with something to round-trip.</summary>
    public static IEnumerable<object[]> Cases() =>
        DgcConformanceTests.Cases().Where(c =>
        {
            var test = TestJson.Parse(File.ReadAllText(Path.Combine(Root, (string)c[0])));
            return test.TryGetProperty("COSE", out _) && test.GetProperty("EXPECTEDRESULTS").EnumerateObject().All(f => f.Value.ValueKind != JsonValueKind.False);
        });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decode_encode_decode_of_the_EU_DCC_is_lossless(string relativePath)
    {
        var test = TestJson.Parse(File.ReadAllText(Path.Combine(Root, relativePath)));
        var coseHex = test.GetProperty("COSE");
        var claims = HcertCodec.DecodeClaims(HcertCodec.DecodeCose(Convert.FromHexString(coseHex.GetString()!)).Payload);
        var dcc = CborJson.ToJsonElement(claims.Hcert[HcertClaimKey.EuDcc]);
        var reencoded = CborJson.FromJson(dcc);
        Assert.True(TestJson.Equivalent(dcc, CborJson.ToJsonElement(reencoded)));
        // And through a whole CWT: the claims survive encode → decode.
        var cwt = CwtClaims.Decode((claims with { Hcert = new Dictionary<int, ReadOnlyMemory<byte>> { [1] = reencoded } }).Encode());
        Assert.Equal((claims.Issuer, claims.IssuedAt, claims.Expiration), (cwt.Issuer, cwt.IssuedAt, cwt.Expiration));
        Assert.True(TestJson.Equivalent(dcc, CborJson.ToJsonElement(cwt.Hcert[1])));
    }
}
