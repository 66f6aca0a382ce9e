using System.Text.Json;
using Vc.Interop.Hcert;
using Vc.Interop.TrustLists;
using Vc.Trust.Bridge;

namespace Vc.Trust.Tests.Bridge;

[Collection(RegistryCollection.Name)]
public sealed class GatewayBridgeTests(RegistryFixture f)
{
    private static readonly JsonElement Dcc = JsonDocument.Parse("""
        {"ver":"1.3.0","nam":{"fn":"Musterfrau","fnt":"MUSTERFRAU","gn":"Erika","gnt":"ERIKA"},"dob":"1964-08-12",
         "v":[{"tg":"840539006","vp":"1119349007","mp":"EU/1/20/1528","ma":"ORG-100030215","dn":2,"sd":2,"dt":"2021-05-29",
               "co":"DE","is":"Robert Koch-Institut","ci":"URN:UVCI:01DE/IZ12345A/5CWLU12RNOB9RXSEOP6FG8#W"}]}
        """).RootElement.Clone();

    [Fact]
    public async Task Gateway_DSCs_import_into_the_registry_and_export_back_as_a_gateway_list_PKI_verifiers_accept()
    {
        var anchor = BridgePki.CreateCa("Gateway TA", "EU");
        var de = BridgePki.CreateCountry("DE", 3);
        var fr = BridgePki.CreateCountry("FR", 1);
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Dcc);
        var certificates = new InMemoryCertificateSource();

        var report = await new PkiTrustImporter(f.Client, f.Reader, certificates)
            .ImportGatewayAsync(BridgePki.GatewayList(anchor, de, fr), anchor, "DE", country, admin);
        Assert.Equal(3, report.Imported);
        Assert.Equal(de.Dscs.Select(BridgePki.Kid).Order(), report.Keys.Select(k => k.Kid).Order());
        Assert.All(report.Keys, k => Assert.NotNull(k.Block));
        // The certificate store keeps the chain: the CSCA that issued each DSC.
        var stored = await certificates.FindAsync(report.Keys[0].Thumbprint!.Value);
        Assert.Equal(de.Csca.RawData, stored!.Issuer!.RawData);

        // Ledger → gateway format, signed by our UPLOAD certificate; a gateway consumer with our CSCA/UPLOAD accepts it.
        var export = await new LedgerTrustExporter(f.Reader, certificates).ExportGatewayAsync(country, "DE", de.Upload);
        var items = JsonSerializer.Deserialize<List<JsonElement>>(export.Document)!;
        items.Add(EuGatewayTrustList.CreateItem(BridgePki.PublicOnly(de.Csca), "DE", "CSCA", anchor, DateTimeOffset.UtcNow));
        items.Add(EuGatewayTrustList.CreateItem(BridgePki.PublicOnly(de.Upload), "DE", "UPLOAD", anchor, DateTimeOffset.UtcNow));
        var consumer = EuGatewayTrustList.Load(JsonSerializer.SerializeToUtf8Bytes(items), anchor);
        Assert.Empty(consumer.Rejected);
        Assert.Equal(de.Dscs.Select(d => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(d.RawData))).Order(),
            consumer.Entries.Select(e => e.Thumbprint).Order());
    }

    [Fact]
    public async Task A_relayed_import_is_signed_by_the_admin_and_paid_by_the_relayer()
    {
        var anchor = BridgePki.CreateCa("Gateway TA", "EU");
        var de = BridgePki.CreateCountry("DE", 2);
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Dcc);
        var report = await new PkiTrustImporter(f.Client, f.Reader, new InMemoryCertificateSource())
            .ImportGatewayAsync(BridgePki.GatewayList(anchor, de), anchor, "DE", country, admin, new PkiImportOptions { Mode = WriteMode.Relayed });
        Assert.Equal(2, report.Imported);
        var added = (await f.Reader.GetAuditTrailAsync(country)).OfType<IssuerAdded>().ToList();
        Assert.Equal(2, added.Count);
        Assert.All(added, a => Assert.Equal(admin.GetPublicAddress(), a.Actor, ignoreCase: true));
        Assert.All(added, a => Assert.Equal(Bytes32.FromBytes(System.Security.Cryptography.SHA256.HashData(
            de.Dscs.Single(d => BridgePki.Kid(d) == a.Entry.Issuer.Value).RawData)), a.Entry.Thumbprint));
        // The registry entry mirrors the DSC's validity period.
        Assert.All(added, a => Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(BridgePki.NotAfter.ToUnixTimeSeconds()), a.Entry.ValidUntil));
    }

    [Fact]
    public async Task A_list_checked_with_the_wrong_trust_anchor_imports_nothing_and_says_why()
    {
        var anchor = BridgePki.CreateCa("Gateway TA", "EU");
        var impostor = BridgePki.CreateCa("Impostor TA", "EU");
        var de = BridgePki.CreateCountry("DE", 2);
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Dcc);
        var report = await new PkiTrustImporter(f.Client, f.Reader, new InMemoryCertificateSource())
            .ImportGatewayAsync(BridgePki.GatewayList(impostor, de), anchor, "DE", country, admin);
        Assert.Equal(0, report.Imported);
        Assert.NotEmpty(report.Keys);
        Assert.All(report.Keys, k => Assert.Equal((ImportOutcome.Rejected, TrustBridgeError.SignatureInvalid), (k.Outcome, k.Error)));
        Assert.Empty(await f.Reader.ListIssuersAsync(country));
    }

    [Fact]
    public async Task An_import_by_a_key_that_is_not_the_participant_admin_is_refused_before_any_write()
    {
        var anchor = BridgePki.CreateCa("Gateway TA", "EU");
        var de = BridgePki.CreateCountry("DE", 1);
        var (country, _, _) = await f.OnboardAsync(TrustDomains.Dcc);
        var stranger = await f.FundedKeyAsync();
        var certificates = new InMemoryCertificateSource();
        var e = await Assert.ThrowsAsync<TrustBridgeException>(() => new PkiTrustImporter(f.Client, f.Reader, certificates)
            .ImportGatewayAsync(BridgePki.GatewayList(anchor, de), anchor, "DE", country, stranger));
        Assert.Equal(TrustBridgeError.NotAuthorized, e.Error);
        Assert.Equal(0, certificates.Count);
        var notOnboarded = await Assert.ThrowsAsync<TrustBridgeException>(() => new PkiTrustImporter(f.Client, f.Reader, certificates)
            .ImportGatewayAsync(BridgePki.GatewayList(anchor, de), anchor, "DE", f.NewCountry(), stranger));
        Assert.Equal(TrustBridgeError.NotAuthorized, notOnboarded.Error);
        // The contract itself refuses the stranger too (the bridge's pre-check is not the only guard).
        var onChain = await Assert.ThrowsAsync<TrustRegistryException>(() => f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country,
            IssuerRef.KidBase64(BridgePki.Kid(de.Dscs[0])), TrustDomains.Dcc, Thumbprint: Bytes32.FromBytes(System.Security.Cryptography.SHA256.HashData(de.Dscs[0].RawData)))), stranger));
        Assert.Equal(TrustRegistryError.NotParticipantAdmin, onChain.Error);
    }

    [Fact]
    public async Task A_kid_already_registered_for_another_certificate_is_a_kid_collision()
    {
        var anchor = BridgePki.CreateCa("Gateway TA", "EU");
        var de = BridgePki.CreateCountry("DE", 1);
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Dcc);
        // The participant already registers this kid with a different thumbprint (another certificate whose kid collides).
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, IssuerRef.KidBase64(BridgePki.Kid(de.Dscs[0])), TrustDomains.Dcc,
            Thumbprint: Bytes32.Parse(new string('a', 64)))), admin);
        var report = await new PkiTrustImporter(f.Client, f.Reader, new InMemoryCertificateSource())
            .ImportGatewayAsync(BridgePki.GatewayList(anchor, de), anchor, "DE", country, admin);
        var key = Assert.Single(report.Keys);
        Assert.Equal((ImportOutcome.Rejected, TrustBridgeError.KidCollision), (key.Outcome, key.Error));

        // And a trust check with the real certificate is told apart from the registered one.
        var service = new TrustService(f.Reader, new InMemoryCertificateSource());
        var verdict = await service.CheckKeyAsync(TrustSubject.ForDsc(de.Dscs[0]), TrustDomains.Dcc, country);
        Assert.Equal(TrustVerdictReason.ThumbprintMismatch, verdict.Reason);
    }

    [Fact]
    public async Task An_HCERT_signed_by_an_imported_DSC_is_trusted_through_the_registry_until_the_DSC_is_suspended()
    {
        var anchor = BridgePki.CreateCa("Gateway TA", "EU");
        var de = BridgePki.CreateCountry("DE", 1);
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Dcc);
        var certificates = new InMemoryCertificateSource();
        var imported = await new PkiTrustImporter(f.Client, f.Reader, certificates)
            .ImportGatewayAsync(BridgePki.GatewayList(anchor, de), anchor, "DE", country, admin);
        var now = await f.BlockTimeAsync();
        var hc1 = new HcertSigner(de.Dscs[0]).SignEuDcc(Dcc, "DE", now.AddMinutes(-5), now.AddDays(30));
        var service = new TrustService(f.Reader, certificates);

        var report = await service.VerifyHcertAsync(hc1, now);
        Assert.True(report.Verification.IsValid, report.Verification.Reason);
        Assert.True(report.SignatureValid);
        Assert.True(report.Accepted);
        Assert.Equal((true, TrustSourceKind.Registry, country), (report.Trust!.Trusted, report.Trust.Source, report.Trust.Country));
        Assert.Equal(imported.Keys[0].Block, report.Trust.RegistryBlock);
        Assert.Equal(BridgePki.Kid(de.Dscs[0]), report.Trust.RegistryEntry!.Issuer.Value);

        await f.Client.ExecuteAsync(TrustOperation.SuspendIssuer(country, IssuerRef.KidBase64(BridgePki.Kid(de.Dscs[0]))), admin);
        var later = await f.BlockTimeAsync();
        var after = await service.VerifyHcertAsync(hc1, later);
        Assert.True(after.SignatureValid);               // the cryptography still holds…
        Assert.False(after.Accepted);                    // …but the registry no longer trusts the signer
        Assert.Equal(TrustVerdictReason.IssuerSuspended, after.Trust!.Reason);
    }

    [Fact]
    public async Task An_HCERT_whose_DSC_is_not_on_the_ledger_fails_kid_lookup_and_gets_no_trust_decision()
    {
        var de = BridgePki.CreateCountry("DE", 1);
        var now = await f.BlockTimeAsync();
        var hc1 = new HcertSigner(de.Dscs[0]).SignEuDcc(Dcc, "DE", now.AddMinutes(-5), now.AddDays(30));
        var report = await new TrustService(f.Reader, new InMemoryCertificateSource()).VerifyHcertAsync(hc1, now);
        Assert.Equal(HcertFailure.KidUnknown, report.Verification.Outcome);
        Assert.Null(report.Trust);
        Assert.False(report.Accepted);
    }


    [Fact]
    public async Task An_ICVP_signed_while_its_DSC_was_valid_stays_trusted_after_the_DSC_expires_but_not_after_a_removal()
    {
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Icvp);
        var now = await f.BlockTimeAsync();
        var sca = BridgePki.CreateCa("SCA ICVP");
        var dsc = BridgePki.Issue(sca, "DSC ICVP short", notBefore: now.AddDays(-10), notAfter: now.AddDays(1));
        var certificates = new InMemoryCertificateSource();
        await certificates.AddAsync(new StoredCertificate(BridgePki.PublicOnly(dsc), [sca]));
        var kid = IssuerRef.KidBase64(BridgePki.Kid(dsc));
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, kid, TrustDomains.Icvp, dsc.NotBefore, dsc.NotAfter,
            Bytes32.FromBytes(System.Security.Cryptography.SHA256.HashData(dsc.RawData)))), admin);
        // The shared ICVP payload (yellow fever, no exp), re-signed by this DSC an hour ago.
        var shared = new HcertVerifier(TrustStore.FromCertificates(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(
            System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(BridgePki.Icvp("test-DSC.pem"))).RawData)))
            .Verify(File.ReadAllText(BridgePki.Icvp("icvp-yf-HC1.txt")).Trim(), now);
        var hc1 = new HcertSigner(dsc).Sign(shared.Claims! with { IssuedAt = now.AddHours(-1).ToUnixTimeSeconds(), Expiration = null });
        var service = new TrustService(f.Reader, certificates);

        var threeDaysLater = now.AddDays(3); // after the DSC's notAfter
        var report = await service.VerifyHcertAsync(hc1, threeDaysLater);
        Assert.True(report.Verification.IsValid, report.Verification.Reason);
        Assert.True(report.Accepted, report.Trust!.Detail);
        // The same key asked about as such at that time has expired.
        Assert.Equal(TrustVerdictReason.Expired, (await service.CheckKeyAsync(TrustSubject.ForKid(Convert.FromBase64String(kid.Value)), TrustDomains.Icvp, country, threeDaysLater)).Reason);

        await f.Client.ExecuteAsync(TrustOperation.RemoveIssuer(country, kid), admin);
        var removed = await service.VerifyHcertAsync(hc1, threeDaysLater);
        Assert.Equal((false, TrustVerdictReason.IssuerRemoved), (removed.Accepted, removed.Trust!.Reason));
    }

    [Fact]
    public async Task A_key_only_on_a_PKI_list_is_trusted_with_that_list_as_its_source_and_no_registry_entry()
    {
        var anchor = BridgePki.CreateCa("Gateway TA", "EU");
        var de = BridgePki.CreateCountry("DE", 1);
        var gateway = new TrustStore(EuGatewayTrustList.Load(BridgePki.GatewayList(anchor, de), anchor).Entries);
        var service = new TrustService(f.Reader, new InMemoryCertificateSource(), gatewayList: gateway);
        var verdict = await service.CheckKeyAsync(TrustSubject.ForDsc(de.Dscs[0]), TrustDomains.Dcc);
        Assert.Equal((true, TrustSourceKind.EuGateway), (verdict.Trusted, verdict.Source));
        Assert.Null(verdict.RegistryEntry);
        // The gateway is DCC only: not a source for ICVP.
        Assert.False((await service.CheckKeyAsync(TrustSubject.ForDsc(de.Dscs[0]), TrustDomains.Icvp)).Trusted);
        // A key the registry has suspended stays untrusted even though the gateway still lists it.
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Dcc);
        await new PkiTrustImporter(f.Client, f.Reader, new InMemoryCertificateSource())
            .ImportGatewayAsync(BridgePki.GatewayList(anchor, de), anchor, "DE", country, admin);
        await f.Client.ExecuteAsync(TrustOperation.SuspendIssuer(country, IssuerRef.KidBase64(BridgePki.Kid(de.Dscs[0]))), admin);
        var suspended = await service.CheckKeyAsync(TrustSubject.ForDsc(de.Dscs[0]), TrustDomains.Dcc);
        Assert.Equal((false, TrustVerdictReason.IssuerSuspended, country), (suspended.Trusted, suspended.Reason, suspended.Country));
        // An expired DSC is never trusted, whatever lists it.
        var old = BridgePki.CreateCountry("DE", 1, dscNotAfter: DateTimeOffset.UtcNow.AddDays(-1));
        var expired = await service.CheckKeyAsync(TrustSubject.ForDsc(old.Dscs[0]), TrustDomains.Dcc, at: DateTimeOffset.UtcNow);
        Assert.Equal(TrustVerdictReason.DscExpired, expired.Reason);
    }

    [Fact]
    public async Task The_folder_certificate_store_refuses_a_tampered_file_and_the_ledger_store_reports_it_missing()
    {
        var anchor = BridgePki.CreateCa("Gateway TA", "EU");
        var de = BridgePki.CreateCountry("DE", 2);
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Dcc);
        var dir = Directory.CreateTempSubdirectory("vc-trust-certs-");
        try
        {
            var folder = new FolderCertificateSource(dir.FullName);
            var report = await new PkiTrustImporter(f.Client, f.Reader, folder)
                .ImportGatewayAsync(BridgePki.GatewayList(anchor, de), anchor, "DE", country, admin);
            Assert.Equal(2, report.Imported);
            Assert.Equal(2, (await LedgerTrustStore.LoadAsync(f.Reader, folder, country)).Entries.Count);

            // Swap one file's content for the other certificate: its name no longer matches its SHA-256.
            var files = dir.GetFiles("*.pem").OrderBy(x => x.Name).ToArray();
            File.Copy(files[1].FullName, files[0].FullName, overwrite: true);
            var thumbprint = Bytes32.Parse(Path.GetFileNameWithoutExtension(files[0].Name));
            var e = await Assert.ThrowsAsync<TrustBridgeException>(() => folder.FindAsync(thumbprint));
            Assert.Equal(TrustBridgeError.CertificateStoreMismatch, e.Error);
            var store = await LedgerTrustStore.LoadAsync(f.Reader, folder, country);
            Assert.Single(store.Entries);
            Assert.Equal(TrustBridgeError.CertificateStoreMismatch, Assert.Single(store.Missing).Error);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
