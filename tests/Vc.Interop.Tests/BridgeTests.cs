using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.Credentials.DataIntegrity;
using Vc.Did.Core;
using Vc.Credentials.Icvp;
using Vc.Credentials.Issuance;
using Vc.Credentials.Keys;
using Vc.Credentials.Verification;
using Vc.Interop.Bridge;
using Vc.Interop.Hcert;
using Vc.Interop.Icvp;
using Vc.Interop.Pki;
using Vc.Interop.TrustLists;
using Vc.TestSupport;

namespace Vc.Interop.Tests;

/// <summary>The VC ⇄ HCERT bridge: health content survives both round trips; what cannot be carried is refused.</summary>
public sealed class BridgeTests : IDisposable
{
    // One fixed clock for the country PKI, the bridge and the verifier: the outcome does not depend on the run's date.
    private static readonly DateTimeOffset Now = new(2026, 1, 15, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeProvider Clock = new FixedTime(Now);
    private readonly CountryPki _kenya = CountryPki.Create("KE", time: Clock);
    private readonly X509Certificate2 _dsc;
    private readonly HcertBridge _bridge = new();
    private readonly DataIntegrityProofs _proofs = new(new JsonLdRdfCanonicalizer(BridgeContext.Loader));

    public BridgeTests() => _dsc = _kenya.IssueDsc("DSC KE 1");

    public void Dispose()
    {
        _dsc.Dispose();
        _kenya.Dispose();
    }

    private static JsonObject IcvpCredential(string? holderId = null) => new IcvpCredentialBuilder().Build(
        new IcvpHolder("Jane Doe", "1990-04-12") { Sex = "female", Nationality = "KEN", Nid = "AB1234567", Ndt = "PPN", Id = holderId },
        new IcvpDose("YellowFeverProductd8a09f80301dc05e124f99ffe7711fc0", "1D47", new DateOnly(2025, 10, 1), "S4D123")
        { ClinicianName = "Dr. A. Mwangi", Issuer = "KEN", DoseNumber = 1 },
        "did:example:ken-moh");

    private HcertVerificationResult VerifyHcert(string hc1) =>
        new HcertVerifier(TrustStore.FromCertificates(_dsc)).Verify(hc1, Now);

    private static JsonNode HealthContent(JsonObject vc)
    {
        var subject = vc["credentialSubject"]!.DeepClone().AsObject();
        subject.Remove("id");
        return subject;
    }

    [Fact]
    public void An_icvp_credential_becomes_an_hc1_that_an_unmodified_dcc_verifier_accepts()
    {
        var bridged = _bridge.ToHcert(IcvpCredential(), new HcertSigner(_dsc), Now);

        var result = VerifyHcert(bridged.Hc1);

        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(HcertPayloadType.Icvp, result.PayloadType);
        Assert.Equal("Jane Doe", result.Icvp!.Name);
        Assert.Equal("2025-10-11", result.Icvp.Vaccination.ValidFrom);
        Assert.Null(result.Claims!.Expiration); // lifelong validity lives in the payload
        Assert.Equal("KE", result.Claims.Issuer);
        Assert.Empty(bridged.Omitted);
    }

    [Fact]
    public void Vc_to_hcert_to_vc_keeps_the_health_content()
    {
        var original = IcvpCredential();
        var hc1 = _bridge.ToHcert(original, new HcertSigner(_dsc), Now).Hc1;

        var back = _bridge.ToCredential(VerifyHcert(hc1), hc1, "did:example:bridge");

        Assert.Equal(HealthContent(original).ToJsonString(), HealthContent(back).ToJsonString());
        Assert.Equal(original["validFrom"]!.ToString(), back["validFrom"]!.ToString());
        var evidence = back["evidence"]![0]!;
        Assert.Equal(hc1, (string?)evidence["hc1"]);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(_dsc.RawData)), (string?)evidence["dscThumbprint"]);
    }

    [Fact]
    public void Hcert_to_vc_to_hcert_keeps_the_payload_for_the_who_icvp_example()
    {
        var icvpDir = TestPaths.TestData("who/icvp");
        var hc1 = File.ReadAllText(Path.Combine(icvpDir, "icvp-yf-HC1.txt")).Trim();
        var whoDsc = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(icvpDir, "test-DSC.pem")));
        // WHO's example is valid from 2025-10-01 to 2027-09-29: verified on the test's own clock, not today's.
        var verified = new HcertVerifier(TrustStore.FromCertificates(whoDsc)).Verify(hc1, Now);
        Assert.True(verified.IsValid, verified.Reason);

        var vc = _bridge.ToCredential(verified, hc1, "did:example:bridge");
        var again = _bridge.ToHcert(vc, new HcertSigner(_dsc), Now, new HashSet<string>());
        var reverified = VerifyHcert(again.Hc1);

        Assert.True(reverified.IsValid, reverified.Reason);
        Assert.Equal(Normalised(verified.Icvp!), Normalised(reverified.Icvp!));
    }

    [Fact]
    public void An_eu_dcc_vaccination_travels_to_a_vc_and_back_unchanged()
    {
        var testCase = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.TestData("dgc-testdata", "VCHEALTH_DGC_TESTDATA"), "AT", "2DCode", "raw", "1.json"))).RootElement;
        var hc1 = testCase.GetProperty("PREFIX").GetString()!;
        var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(testCase.GetProperty("TESTCTX").GetProperty("CERTIFICATE").GetString()!));
        var clock = HcertClock.Parse(testCase.GetProperty("TESTCTX").GetProperty("VALIDATIONCLOCK").GetString()!);
        var verified = new HcertVerifier(TrustStore.FromCertificates(certificate)).Verify(hc1, clock);
        Assert.True(verified.IsValid, verified.Reason);

        var vc = _bridge.ToCredential(verified, hc1, "did:example:bridge");
        var dcc = HcertBridge.DccPayload(vc);
        var resigned = new HcertSigner(_dsc).SignEuDcc(dcc, "KE", Now.AddMinutes(-1), _dsc.NotAfter);
        var reverified = new HcertVerifier(TrustStore.FromCertificates(_dsc)).Verify(resigned, Now);

        Assert.True(JsonElement.DeepEquals(verified.EuDcc!.Value, reverified.EuDcc!.Value));
    }

    [Fact]
    public async Task Bridged_credentials_sign_and_verify_with_the_shipped_contexts()
    {
        var hc1 = _bridge.ToHcert(IcvpCredential(), new HcertSigner(_dsc), Now).Hc1;
        using var key = Ed25519SigningKey.Generate();
        var profile = IssuerProfile.ForDidKey(key);
        var unsigned = _bridge.ToCredential(VerifyHcert(hc1), hc1, profile.Issuer);

        var signed = await new CredentialIssuer(_proofs, profile).IssueAsync(unsigned);
        var result = await new CredentialVerifier(_proofs, CompositeDidResolver.DidKeyOnly).VerifyAsync(signed, new VerificationOptions { CheckStatus = false });

        Assert.True(result.Verified, result.ToJson());
    }

    [Fact]
    public void Fields_hcert_cannot_carry_are_refused_unless_their_omission_is_accepted()
    {
        var withHolder = IcvpCredential(holderId: "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2");
        var refused = Assert.Throws<BridgeException>(() => _bridge.ToHcert(withHolder, new HcertSigner(_dsc), Now));
        Assert.Equal(BridgeFailure.FieldNotRepresentable, refused.Failure);
        Assert.Contains("credentialSubject.id", refused.Fields);

        var accepted = _bridge.ToHcert(withHolder, new HcertSigner(_dsc), Now, new HashSet<string> { "credentialSubject.id" });
        Assert.Equal(["credentialSubject.id"], accepted.Omitted);

        var extra = IcvpCredential();
        extra["credentialSubject"]!["favouriteColour"] = "blue";
        var unknown = Assert.Throws<BridgeException>(() => _bridge.ToHcert(extra, new HcertSigner(_dsc), Now, new HashSet<string>(HcertBridge.OmittableFields)));
        Assert.Contains("credentialSubject.favouriteColour", unknown.Fields);
    }

    [Fact]
    public void Only_verified_hcerts_and_supported_credentials_are_bridged()
    {
        var other = CountryPki.Create("GH", time: Clock);
        using var foreignDsc = other.IssueDsc("DSC GH");
        var hc1 = _bridge.ToHcert(IcvpCredential(), new HcertSigner(foreignDsc), Now).Hc1;
        var unverified = VerifyHcert(hc1); // signed by a DSC this verifier does not trust
        Assert.False(unverified.IsValid);
        Assert.Equal(BridgeFailure.NotVerified, Assert.Throws<BridgeException>(() => _bridge.ToCredential(unverified, hc1, "did:example:bridge")).Failure);

        var notIcvp = new JsonObject { ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2"), ["type"] = new JsonArray("VerifiableCredential"), ["credentialSubject"] = new JsonObject() };
        Assert.Equal(BridgeFailure.UnsupportedCredential, Assert.Throws<BridgeException>(() => _bridge.ToHcert(notIcvp, new HcertSigner(_dsc), Now)).Failure);
        other.Dispose();
    }

    private static string Normalised(IcvpCertificate icvp) => JsonSerializer.Serialize(icvp with { Variant = IcvpPayloadVariant.B });
}
