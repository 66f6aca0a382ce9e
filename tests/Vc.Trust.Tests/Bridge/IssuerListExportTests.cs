using System.Security.Cryptography;
using Vc.Interop.TrustLists;
using Vc.Trust.Bridge;

namespace Vc.Trust.Tests.Bridge;

/// <summary>A committed issuer list's DSCs exported as a GDHCN v2 did:web document (LedgerTrustExporter.ExportGdhcnListAsync).</summary>
[Collection(RegistryCollection.Name)]
public sealed class IssuerListExportTests(RegistryFixture f)
{
    [Fact]
    public async Task The_current_list_s_active_DSCs_of_the_domain_are_exported_and_read_back_and_a_stale_list_is_refused()
    {
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Dcc | TrustDomains.Icvp);
        var sca = BridgePki.CreateCa("SCA list");
        var certificates = new InMemoryCertificateSource();
        var stored = new List<StoredCertificate>();
        for (var i = 0; i < 3; i++)
        {
            var dsc = new StoredCertificate(BridgePki.PublicOnly(BridgePki.Issue(sca, $"DSC list {i}")), [BridgePki.PublicOnly(sca)]);
            await certificates.AddAsync(dsc);
            stored.Add(dsc);
        }
        ListedIssuer Listed(StoredCertificate c, EntryStatus status = EntryStatus.Active) =>
            new(IssuerRef.Kid(c.Kid), TrustDomains.Dcc, c.Dsc.NotBefore, c.Dsc.NotAfter, c.Thumbprint, status);
        var list = IssuerList.Build(country, [Listed(stored[0]), Listed(stored[1]), Listed(stored[2], EntryStatus.Suspended),
            new ListedIssuer(IssuerRef.Did("did:web:moh.example"), TrustDomains.Icvp)]);
        var exporter = new LedgerTrustExporter(f.Reader, certificates);
        using var proofKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var did = LedgerTrustExporter.GdhcnDid("trust.vchealth.example", TrustDomains.Dcc, country);

        // Not committed yet: nothing to export.
        Assert.Equal(TrustBridgeError.NotAuthorized, (await Assert.ThrowsAsync<TrustBridgeException>(() =>
            exporter.ExportGdhcnListAsync(did, TrustDomains.Dcc, list, proofKey, did + "#anchor"))).Error);
        await f.Client.ExecuteAsync(list.Commit(), admin);

        var export = await exporter.ExportGdhcnListAsync(did, TrustDomains.Dcc, list, proofKey, did + "#anchor");
        Assert.Equal(new[] { Convert.ToBase64String(stored[0].Kid), Convert.ToBase64String(stored[1].Kid) }.Order(), export.Kids.Order());
        Assert.Equal(Convert.ToBase64String(stored[2].Kid), Assert.Single(export.Skipped).Issuer[4..]); // suspended
        var back = GdhcnDidTrustList.Load(System.Text.Encoding.UTF8.GetBytes(export.Document),
            new GdhcnLoadOptions { ProofVerifier = new JwsDetachedProofVerifier(proofKey), RejectDocumentOnBadEntry = true });
        Assert.Equal(ProofStatus.Verified, back.Proof);
        Assert.Equal(2, back.Entries.Count);

        // A newer root makes the old list stale: it is not exported.
        await f.Client.ExecuteAsync(IssuerList.Build(country, [Listed(stored[0])]).Commit(), admin);
        Assert.Equal(TrustBridgeError.NotAuthorized, (await Assert.ThrowsAsync<TrustBridgeException>(() =>
            exporter.ExportGdhcnListAsync(did, TrustDomains.Dcc, list, proofKey, did + "#anchor"))).Error);
    }
}
