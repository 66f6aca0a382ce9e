using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Vc.Interop.Dcc;
using Vc.Interop.Hcert;
using Vc.Interop.Revocation;
using Vc.Interop.TrustLists;
using Vc.TestSupport;

namespace Vc.Interop.Tests;

/// <summary>HCERT as the ecosystem writes it: WHO DVC/ICVP variants accepted with warnings, EU value sets checked as
/// EU verifiers do, and crit (RFC 9052 §3.1) honoured.</summary>
public sealed class HcertEcosystemTests
{
    private static readonly X509Certificate2 Ca = TestPki.CreateCa("XXA SCA");
    private static readonly X509Certificate2 Dsc = TestPki.CreateDsc(Ca, ekus: [TestPki.EkuVaccination, TestPki.EkuTest]);
    private static readonly DateTimeOffset Issued = new(2025, 10, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Border = new(2025, 10, 20, 9, 0, 0, TimeSpan.Zero);
    private static HcertVerifier Verifier(IDccRevocationCheck? revocations = null) =>
        new(TrustStore.FromCertificates(TestPki.PublicOnly(Dsc)), revocations: revocations);

    /// <summary>Signs arbitrary CWT claims (JSON with integer keys as strings) as WHO's producers do.</summary>
    private static string SignClaims(string claimsJson, DateTimeOffset? exp = null)
    {
        var claims = TestJson.Parse(claimsJson);
        var hcert = claims.GetProperty("-260");
        var sub = hcert.EnumerateObject().Single();
        return new HcertSigner(Dsc).Sign(new CwtClaims
        {
            Issuer = claims.TryGetProperty("1", out var iss) ? iss.GetString() : null,
            IssuedAt = Issued.ToUnixTimeSeconds(),
            Expiration = exp?.ToUnixTimeSeconds(),
            Hcert = new Dictionary<int, ReadOnlyMemory<byte>> { [int.Parse(sub.Name)] = CborJson.FromJson(sub.Value) },
        });
    }

    /// <summary>CWT claims with iss XXA, no exp, and an ICVP whose dose group is <paramref name="v"/> (JSON).</summary>
    private static string Icvp(string v, bool ntl = false) =>
        "{\"1\":\"XXA\",\"-260\":{\"-6\":{\"n\":\"Jane Doe\",\"dob\":\"1990-04-12\"," + (ntl ? "\"ntl\":\"KEN\"," : "") + "\"v\":" + v + "}}}";

    private const string YellowFeverProduct = "YellowFeverProductd8a09f80301dc05e124f99ffe7711fc0";

    [Theory]
    // The dose as the DVCMin CodeType carries it: an ordinal code or a number as text.
    [InlineData("""{"vp":"P","dt":"2025-10-01","bo":"B1","is":"XXA","dn":"secondDose"}""", "v.dn", 2)]
    [InlineData("""{"vp":"P","dt":"2025-10-01","bo":"B1","is":"XXA","dn":"2"}""", "v.dn", 2)]
    [InlineData("""{"vp":"P","dt":"2025-10-01","bo":"B1","is":"XXA","dn":"boosterDose"}""", "v.dn", null)]
    [InlineData("""{"vp":"P","dt":"2025-10-01","bo":"B1","is":"XXA","dn":2.0}""", "v.dn", 2)]
    // A batch number written as a number.
    [InlineData("""{"vp":"P","dt":"2025-10-01","bo":12345,"is":"XXA"}""", "v.bo", null)]
    // The legacy DVCMin names of the validity period.
    [InlineData("""{"vp":"P","dt":"2025-10-01","bo":"B1","is":"XXA","dls":"2025-10-11","dle":"2035-10-11"}""", "v.dls", null)]
    // The ICD-11 vaccine code in vp (real WHO test QRs carry XM0N24), and a lower-case ICD-11 disease.
    [InlineData("""{"vp":"XM0N24","dt":"2025-10-01","bo":"B1","is":"XXA","tg":"1D47"}""", "v.vp", null)]
    [InlineData("""{"vp":"P","dt":"2025-10-01","bo":"B1","is":"XXA","tg":"1d47"}""", "v.tg", null)]
    // A FHIR coding where ICVPMin has a code.
    [InlineData("""{"vp":{"system":"http://smart.who.int/icvp/CodeSystem/ICVPProductIds","code":"P"},"dt":"2025-10-01","bo":"B1","is":"XXA"}""", "v.vp", null)]
    public void WHO_DVC_payload_variants_are_accepted_with_a_warning_naming_the_field(string dose, string field, int? doseNumber)
    {
        var hc1 = SignClaims(Icvp(dose.Replace("\"P\"", "\"" + YellowFeverProduct + "\""), ntl: true));
        var result = Verifier().Verify(hc1, Border);
        Assert.True(result.IsValid, $"{result.Outcome}: {result.Reason}");
        Assert.Contains(result.Warnings, w => w.Field == field);
        // The envelope variant of WHO's QRs: a GDHCN participant code as iss (their missing exp is the ICVP's own form).
        Assert.DoesNotContain(result.Warnings, w => w.Field == "exp");
        Assert.Contains(result.Warnings, w => w.Field == "iss" && w.Message.Contains("XXA"));
        if (field == "v.dn") Assert.Equal(doseNumber, result.Icvp!.Vaccination.DoseNumber);
        // The report both faces print carries them.
        var json = new DccVerifyReport(result, [], null, null).ToJson();
        Assert.Contains(json["warnings"]!.AsArray(), w => (string?)w!["field"] == field);
    }

    [Fact]
    public void The_legacy_DVCMin_vaccination_group_array_of_one_is_read_and_of_two_refused()
    {
        var dose = $$"""{"vp":"{{YellowFeverProduct}}","dt":"2025-10-01","bo":"B1","is":"XXA","dls":"2025-10-11"}""";
        var one = Verifier().Verify(SignClaims(Icvp("[" + dose + "]")), Border);
        Assert.True(one.IsValid, $"{one.Outcome}: {one.Reason}");
        Assert.Contains(one.Warnings, w => w.Field == "v");
        Assert.Equal("2025-10-11", one.Icvp!.Vaccination.ValidFrom);
        var two = Verifier().Verify(SignClaims(Icvp("[" + dose + "," + dose + "]")), Border);
        Assert.Equal(HcertFailure.Schema, two.Outcome);
    }

    [Fact]
    public void A_lower_case_yellow_fever_code_still_waits_ten_days()
    {
        var hc1 = SignClaims(Icvp("{\"vp\":\"" + YellowFeverProduct + "\",\"dt\":\"2025-10-01\",\"bo\":\"B1\",\"is\":\"XXA\",\"tg\":\"1d47\"}"));
        Assert.Equal(HcertFailure.EntryCheck, Verifier().Verify(hc1, new DateTimeOffset(2025, 10, 5, 0, 0, 0, TimeSpan.Zero)).Outcome);
    }

    [Fact]
    public void A_vaccine_code_outside_the_catalogue_is_still_a_value_set_failure()
    {
        var hc1 = SignClaims("""{"1":"XXA","-260":{"-6":{"n":"Jane Doe","dob":"1990-04-12","v":{"vp":"XM9999","dt":"2025-10-01","bo":"B1","is":"XXA"}}}}""");
        var result = Verifier().Verify(hc1, Border);
        Assert.Equal(HcertFailure.ValueSet, result.Outcome);
        Assert.Contains("v.vp 'XM9999'", result.Reason);
    }

    [Fact]
    public void A_clean_ICVP_carries_no_warning()
    {
        var icvp = HcertCodec.Decode(File.ReadAllText(Path.Combine(TestPaths.TestData("who/icvp"), "icvp-yf-HC1.txt")).Trim()).Icvp!;
        var hc1 = new HcertSigner(Dsc).SignIcvp(icvp, "KE", Issued, Issued.AddYears(1));
        var result = Verifier().Verify(hc1, Border);
        Assert.True(result.IsValid, $"{result.Outcome}: {result.Reason}");
        Assert.Empty(result.Warnings);
    }

    private static JsonElement Test(string tt, string ma, string tr = "260415000") => TestJson.Parse($$"""
        {"ver":"1.3.0","nam":{"fn":"Musterfrau","fnt":"MUSTERFRAU","gn":"Erika","gnt":"ERIKA"},"dob":"1964-08-12",
         "t":[{"tg":"840539006","tt":"{{tt}}","ma":"{{ma}}","sc":"2025-09-30T08:00:00Z","tr":"{{tr}}","tc":"Test centre",
               "co":"AT","is":"Ministry of Health, Austria","ci":"URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B"}]}
        """);

    [Theory]
    [InlineData("LP217198-3", "1232", HcertFailure.None, null)]        // Abbott Panbio: on the RAT device list
    [InlineData("LP217198-3", "9999", HcertFailure.ValueSet, "t.ma: '9999'")]
    [InlineData("LP6464-4", "", HcertFailure.None, null)]              // a NAAT names no device
    [InlineData("LP9999-9", "", HcertFailure.ValueSet, "t.tt: 'LP9999-9'")]
    public void Coded_test_fields_are_checked_against_the_EU_value_sets(string tt, string ma, HcertFailure outcome, string? reason)
    {
        var hc1 = new HcertSigner(Dsc).SignEuDcc(Test(tt, ma), "AT", Issued, Issued.AddDays(30));
        var result = Verifier().Verify(hc1, Issued.AddDays(1));
        Assert.True(outcome == result.Outcome, $"{result.Outcome}: {result.Reason}");
        if (reason is not null) Assert.Contains(reason, result.Reason);
    }

    [Fact]
    public void A_newer_gateway_value_set_replaces_the_shipped_one()
    {
        var valueSets = new DccValueSets().With("""{"valueSetId":"covid-19-lab-test-manufacturer-and-name","valueSetValues":{"9999":{"display":"New device"}}}"""u8);
        var hc1 = new HcertSigner(Dsc).SignEuDcc(Test("LP217198-3", "9999"), "AT", Issued, Issued.AddDays(30));
        var result = new HcertVerifier(TrustStore.FromCertificates(TestPki.PublicOnly(Dsc)), valueSets: valueSets).Verify(hc1, Issued.AddDays(1));
        Assert.True(result.IsValid, $"{result.Outcome}: {result.Reason}");
        Assert.Throws<InvalidDataException>(() => new DccValueSets().With("""{"valueSetValues":{}}"""u8));
    }

    /// <summary>A COSE_Sign1 with a chosen protected header, validly signed by the DSC (RFC 9052 §4.4).</summary>
    private static string SignWithProtectedHeader(Action<CborWriter> extraHeaders, int extraCount)
    {
        var kid = TrustEntry.KidOf(Dsc);
        var h = new CborWriter();
        h.WriteStartMap(2 + extraCount);
        h.WriteInt32(1); h.WriteInt32(CoseAlgorithm.ES256);
        h.WriteInt32(4); h.WriteByteString(kid);
        extraHeaders(h);
        h.WriteEndMap();
        var protectedHeader = h.Encode();
        var payload = new CwtClaims
        {
            Issuer = "AT", IssuedAt = Issued.ToUnixTimeSeconds(), Expiration = Issued.AddDays(30).ToUnixTimeSeconds(),
            Hcert = new Dictionary<int, ReadOnlyMemory<byte>> { [1] = CborJson.FromJson(Test("LP6464-4", "")) },
        }.Encode();
        using var key = Dsc.GetECDsaPrivateKey()!;
        var signature = key.SignData(CoseSign1.BuildToBeSigned(protectedHeader, payload), HashAlgorithmName.SHA256);
        var w = new CborWriter();
        w.WriteTag((CborTag)18);
        w.WriteStartArray(4);
        w.WriteByteString(protectedHeader);
        w.WriteStartMap(0); w.WriteEndMap();
        w.WriteByteString(payload);
        w.WriteByteString(signature);
        w.WriteEndArray();
        return HcertCodec.Encode(w.Encode());
    }

    [Fact]
    public void A_protected_crit_naming_a_label_we_do_not_understand_is_refused()
    {
        var hc1 = SignWithProtectedHeader(h => { h.WriteInt32(2); h.WriteStartArray(1); h.WriteInt32(-70000); h.WriteEndArray(); h.WriteInt32(-70000); h.WriteTextString("must be understood"); }, 2);
        var result = Verifier().Verify(hc1, Issued.AddDays(1));
        Assert.Equal(HcertFailure.CriticalHeader, result.Outcome);
        Assert.Contains("-70000", result.Reason);
        Assert.Null(result.Signer); // refused before any key is used
    }

    [Fact]
    public void A_crit_naming_only_understood_labels_verifies_and_the_same_header_without_crit_too()
    {
        var understood = SignWithProtectedHeader(h => { h.WriteInt32(2); h.WriteStartArray(1); h.WriteInt32(4); h.WriteEndArray(); }, 1);
        var r1 = Verifier().Verify(understood, Issued.AddDays(1));
        Assert.True(r1.IsValid, $"{r1.Outcome}: {r1.Reason}");
        // An unknown label that is not critical is ignored (RFC 9052 §3).
        var ignorable = SignWithProtectedHeader(h => { h.WriteInt32(-70000); h.WriteTextString("may be ignored"); }, 1);
        var r2 = Verifier().Verify(ignorable, Issued.AddDays(1));
        Assert.True(r2.IsValid, $"{r2.Outcome}: {r2.Reason}");
        var empty = SignWithProtectedHeader(h => { h.WriteInt32(2); h.WriteStartArray(0); h.WriteEndArray(); }, 1);
        Assert.Equal(HcertFailure.CriticalHeader, Verifier().Verify(empty, Issued.AddDays(1)).Outcome);
    }
}
