using Vc.Did.Ledger;
using Vc.Interop.Hcert;
using Vc.Trust.Bridge;

namespace Vc.Trust.Tests.Bridge;

/// <summary>
/// A registry chain that starts inside the validity of WHO's GDHCN test material (its DEV keys end in 2027-05, its test
/// DSC on 2027-10-01, its ICVP HC1 on 2027-09-29): registrations and checks read the chain's clock, so tests on that
/// material run on it and do not depend on today's date.
/// </summary>
public sealed class WhoMaterialRegistryFixture : RegistryFixture
{
    public static readonly DateTimeOffset Genesis = new(2026, 1, 15, 0, 0, 0, TimeSpan.Zero);

    protected override AnvilOptions Anvil => new() { GenesisTime = Genesis };
}

[CollectionDefinition(Name)]
public sealed class WhoMaterialCollection : ICollectionFixture<WhoMaterialRegistryFixture>
{
    public const string Name = "trust-ledger-who-material";
}

[Collection(WhoMaterialCollection.Name)]
public sealed class WhoMaterialTests(WhoMaterialRegistryFixture f)
{
    private static readonly GdhcnImportOptions DevList = new() { AllowUnverifiedProof = true };

    [Fact]
    public async Task Importing_the_same_list_twice_writes_nothing_new()
    {
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Dcc);
        var importer = new PkiTrustImporter(f.Client, f.Reader, new InMemoryCertificateSource());
        var json = File.ReadAllBytes(BridgePki.Icvp("test-trustlist-ICVP-XXA-DSC.did.json"));
        // The ICVP list names domain ICVP: a participant onboarded only for DCC may not take it.
        var refused = await importer.ImportGdhcnAsync(json, DevList, country, admin, "XXA");
        Assert.Equal(TrustBridgeError.DomainNotAllowed, Assert.Single(refused.Keys).Error);

        var (icvp, icvpAdmin, _) = await f.OnboardAsync(TrustDomains.Icvp);
        Assert.Equal(1, (await importer.ImportGdhcnAsync(json, DevList, icvp, icvpAdmin, "XXA")).Imported);
        var second = await importer.ImportGdhcnAsync(json, DevList, icvp, icvpAdmin, "XXA");
        Assert.Equal((0, 1), (second.Imported, second.AlreadyRegistered));
    }

    [Fact]
    public async Task The_shared_ICVP_HCERT_is_trusted_through_the_registry_after_importing_its_GDHCN_list()
    {
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Icvp);
        var certificates = new InMemoryCertificateSource();
        await new PkiTrustImporter(f.Client, f.Reader, certificates).ImportGdhcnAsync(
            File.ReadAllBytes(BridgePki.Icvp("test-trustlist-ICVP-XXA-DSC.did.json")), new GdhcnImportOptions { AllowUnverifiedProof = true }, country, admin, "XXA");
        var hc1 = File.ReadAllText(BridgePki.Icvp("icvp-yf-HC1.txt")).Trim();
        var report = await new TrustService(f.Reader, certificates).VerifyHcertAsync(hc1, await f.BlockTimeAsync());
        Assert.True(report.SignatureValid);
        Assert.Equal(HcertPayloadType.Icvp, report.Verification.PayloadType);
        // Other tests may register the same WHO test DSC for their participants: any registration answers.
        Assert.Equal((true, TrustVerdictReason.Trusted, TrustSourceKind.Registry), (report.Trust!.Trusted, report.Trust.Reason, report.Trust.Source));
        Assert.Equal("nPiQu/prpjY=", report.Trust.RegistryEntry!.Issuer.Value);
        Assert.True((await new TrustService(f.Reader, certificates).CheckKeyAsync(TrustSubject.ForKid(Convert.FromBase64String("nPiQu/prpjY=")),
            TrustDomains.Icvp, country)).Trusted);
    }
}
