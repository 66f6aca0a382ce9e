using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Vc.Credentials.Contexts;
using Vc.Credentials.Icvp;
using Vc.Credentials.Issuance;
using Vc.Credentials.Verification;
using Vc.TestSupport;

namespace Vc.Credentials.Tests;

/// <summary>The ICVP credential: context, catalogue, builder rules and the yellow-fever validity rule.</summary>
public sealed class IcvpTests
{
    [Fact]
    public void The_shipped_context_matches_its_pinned_sha256_and_is_served_by_the_offline_loader()
    {
        Assert.Equal(BundledContexts.IcvpV1Sha256, Convert.ToHexStringLower(SHA256.HashData(BundledContexts.IcvpV1.Span)));
        Assert.True(BundledContexts.Loader.Contains(BundledContexts.IcvpV1Url));
        Assert.True(BundledContexts.Loader.Contains("https://www.w3.org/ns/credentials/v2"));
    }

    [Fact]
    public void The_catalogue_holds_exactly_the_product_ids_of_the_WHO_ICVPProductIds_value_set()
    {
        var fsh = File.ReadAllText(Path.Combine(TestPaths.TestData("who/icvp"), "fsh", "valuesets", "ICVPProductIds.fsh"));
        var upstream = Regex.Matches(fsh, @"^\*\s+\$PreQualProductIds#(\S+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToHashSet();

        var catalogue = IcvpCatalogue.V1;

        Assert.Equal(upstream.Order(), catalogue.Products.Select(p => p.Code).Order());
        Assert.Equal(11, catalogue.Products.Count(p => p.Disease == IcvpCatalogue.YellowFever));
        Assert.Equal(["1C81", "1D47"], catalogue.Diseases.Select(d => d.Code).Order());
        Assert.Contains(catalogue.VaccineTypes, v => v.Code == "XM0N24");
        var stamaril = catalogue.FindProduct("http://smart.who.int/pcmt-vaxprequal/CodeSystem/PreQualProductIds#" + Fixtures.StampAril)!;
        Assert.Equal(("STAMARIL", 10, "Sanofi Pasteur", "XM0N24"), (stamaril.TradeName, stamaril.Doses, stamaril.Manufacturer, stamaril.VaccineType));
    }

    [Fact]
    public async Task The_shipped_catalogue_is_exactly_what_the_generator_builds_from_the_WHO_material()
    {
        var output = Path.Combine(Path.GetTempPath(), $"icvp-catalogue-{Guid.NewGuid():N}.json");
        try
        {
            var psi = new System.Diagnostics.ProcessStartInfo(File.Exists("/usr/bin/node") ? "/usr/bin/node" : "node",
                [Path.Combine(TestPaths.RepoRoot, "tests", "js", "vc", "build-icvp-catalogue.mjs"), output]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var node = System.Diagnostics.Process.Start(psi)!;
            await node.WaitForExitAsync();
            Assert.Equal(0, node.ExitCode);
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(TestPaths.RepoRoot, "src", "Vc.Credentials", "Resources", "icvp-catalogue-v1.json")), await File.ReadAllTextAsync(output));
        }
        finally { File.Delete(output); }
    }

    [Fact]
    public void A_yellow_fever_dose_is_valid_from_vaccination_plus_10_days_for_life()
    {
        var vc = Fixtures.Builder().Build(Fixtures.Holder(), Fixtures.YellowFeverDose(new DateOnly(2025, 10, 1)), "did:example:moh");

        Assert.Equal("2025-10-11T00:00:00Z", vc["validFrom"]!.GetValue<string>());
        Assert.Null(vc["validUntil"]);
        var details = vc["credentialSubject"]!["vaccineDetails"]!;
        Assert.Equal("2025-10-11", details["validityPeriod"]!["start"]!.GetValue<string>());
        Assert.True(details["validityPeriod"]!["lifelong"]!.GetValue<bool>());
        Assert.Equal(["VerifiableCredential", "ICVPCredential"], vc["type"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("Sanofi Pasteur", details["manufacturer"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(15, true)]
    [InlineData(10, true)]
    [InlineData(5, false)]
    [InlineData(0, false)]
    public async Task At_the_border_a_dose_given_N_days_before_arrival_is_valid_only_from_day_10(int daysBeforeArrival, bool valid)
    {
        var arrival = new DateTimeOffset(2026, 3, 20, 8, 0, 0, TimeSpan.Zero);
        var stack = new TestStack();
        var issuer = new CredentialIssuer(stack.Proofs, IssuerProfile.ForDidKey(Fixtures.IssuerKey()));
        var dose = Fixtures.YellowFeverDose(DateOnly.FromDateTime(arrival.UtcDateTime).AddDays(-daysBeforeArrival));
        var vc = await issuer.IssueAsync(new IcvpCredentialBuilder(time: new FixedTime(arrival)).Build(Fixtures.Holder(), dose, issuer.Profile.Issuer), arrival);

        var result = await stack.Verifier.VerifyAsync(vc, new VerificationOptions { Now = arrival });

        Assert.Equal(valid, result.Verified);
        if (!valid) Assert.Equal([ProblemCode.NotYetValid], result.ProblemDetails.Select(p => p.Code));
    }

    [Fact]
    public async Task A_yellow_fever_credential_is_still_valid_fifty_years_later()
    {
        var stack = new TestStack();
        var issuer = new CredentialIssuer(stack.Proofs, IssuerProfile.ForDidKey(Fixtures.IssuerKey()));
        var vc = await issuer.IssueAsync(Fixtures.UnsignedIcvp(issuer.Profile), Fixtures.Now);

        Assert.True((await stack.Verifier.VerifyAsync(vc, new VerificationOptions { Now = Fixtures.Now.AddYears(50) })).Verified);
    }

    [Fact]
    public void The_builder_reports_every_invalid_field_at_once()
    {
        var holder = new IcvpHolder("", "12/04/1990") { Sex = "f", Nationality = "KE" };
        var dose = new IcvpDose("NotAProduct", "1A00", new DateOnly(2030, 1, 1), "") { VaccineType = "XX0000" };

        var e = Assert.Throws<IcvpValidationException>(() => Fixtures.Builder().Build(holder, dose, "not a url"));

        var fields = e.Errors.Select(x => x.Field).ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            "issuer", "name", "dob", "sex", "nationality", "vaccineDetails.productID", "vaccineDetails.disease",
            "vaccineDetails.vaccineType", "vaccineDetails.batchNo", "vaccineDetails", "vaccineDetails.date",
        }, fields);
    }

    [Fact]
    public void A_product_must_protect_against_the_stated_disease()
    {
        var polioProduct = IcvpCatalogue.V1.Products.First(p => p.Disease == "1C81").Code;
        var dose = Fixtures.YellowFeverDose() with { ProductId = polioProduct };

        var e = Assert.Throws<IcvpValidationException>(() => Fixtures.Builder().Build(Fixtures.Holder(), dose, "did:example:moh"));
        Assert.Contains(e.Errors, x => x.Field == "vaccineDetails.disease" && x.Problem.Contains("does not protect"));
    }

    [Fact]
    public void A_yellow_fever_dose_cannot_be_given_an_end_of_validity()
    {
        var dose = Fixtures.YellowFeverDose() with { ValidUntil = new DateOnly(2035, 1, 1) };
        var e = Assert.Throws<IcvpValidationException>(() => Fixtures.Builder().Build(Fixtures.Holder(), dose, "did:example:moh"));
        Assert.Contains(e.Errors, x => x.Field == "vaccineDetails.validityPeriod.end");
    }

    [Fact]
    public void Either_the_vaccination_issuer_or_the_clinician_is_enough()
    {
        var byIssuer = Fixtures.YellowFeverDose() with { ClinicianName = null };
        var byClinician = Fixtures.YellowFeverDose() with { Issuer = null };

        Assert.NotNull(Fixtures.Builder().Build(Fixtures.Holder(), byIssuer, "did:example:moh"));
        Assert.NotNull(Fixtures.Builder().Build(Fixtures.Holder(), byClinician, "did:example:moh"));
    }

    [Fact]
    public void The_vaccination_issuer_term_does_not_collide_with_the_credential_issuer_in_RDF()
    {
        var stack = new TestStack();
        var vc = Fixtures.Builder().Build(Fixtures.Holder(), Fixtures.YellowFeverDose(), "did:example:moh");

        var nquads = stack.Canonicalizer.CanonicalizeJsonLd(vc, HashAlgorithmName.SHA256);

        Assert.Contains("<https://w3id.org/vchealth/icvp#vaccinationIssuer> \"KEN\"", nquads);
        Assert.Contains("<https://www.w3.org/2018/credentials#issuer> <did:example:moh>", nquads);
        Assert.Contains("\"2025-10-01\"^^<http://www.w3.org/2001/XMLSchema#date>", nquads);
    }

    [Fact]
    public void A_built_credential_reads_back_to_the_same_holder_and_dose()
    {
        var holder = Fixtures.Holder("did:example:jane");
        var dose = Fixtures.YellowFeverDose() with { VaccineType = "XM0N24" };
        var vc = Fixtures.Builder().Build(holder, dose, "did:example:moh");

        var read = IcvpCredential.Read(vc);

        Assert.Equal(holder, read.Holder);
        Assert.Equal(dose, read.Dose);
        Assert.Equal(("did:example:moh", new DateOnly(2025, 10, 11), true, IcvpCatalogue.V1.Version), (read.Issuer, read.ValidFrom, read.Lifelong, read.CatalogueVersion));
        Assert.Throws<IcvpValidationException>(() => IcvpCredential.Read(new JsonObject { ["type"] = "VerifiableCredential" }));
    }

    [Fact]
    public void One_credential_carries_exactly_one_dose()
    {
        var vc = Fixtures.Builder().Build(Fixtures.Holder(), Fixtures.YellowFeverDose(), "did:example:moh");
        Assert.IsType<JsonObject>(vc["credentialSubject"]!["vaccineDetails"]);
    }
}
