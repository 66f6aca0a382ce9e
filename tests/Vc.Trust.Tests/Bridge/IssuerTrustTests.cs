using System.Text.Json.Nodes;
using Vc.Credentials;
using Vc.Credentials.Issuance;
using Vc.Credentials.Keys;
using Vc.Did.Ethr;
using Vc.Trust.Bridge;

namespace Vc.Trust.Tests.Bridge;

[Collection(RegistryCollection.Name)]
public sealed class IssuerTrustTests(RegistryFixture f)
{
    private static readonly TimeSpan Year = TimeSpan.FromDays(365);

    private static JsonObject Credential() => new()
    {
        ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"),
        ["type"] = new JsonArray("VerifiableCredential", "ExampleAlumniCredential"),
        ["validFrom"] = "2025-01-01T00:00:00Z",
        ["credentialSubject"] = new JsonObject { ["id"] = "did:example:holder", ["alumniOf"] = "Example University" },
    };

    /// <summary>A did:ethr issuer with an Ed25519 assertion key published on the chain's ERC-1056 registry.</summary>
    private static async Task<(string Did, string Method, Ed25519SigningKey Key, EthrIdentity Owner)> EthrIssuerAsync(EthrDidClient client)
    {
        var owner = EthrIdentity.Create();
        var did = owner.Did("anvil");
        var key = Ed25519SigningKey.Generate();
        await client.Writer!.PublishKeyAsync(owner, owner.Address, KeyAttribute.Ed25519Assertion(key.PublicKey.RawBytes.ToArray()), Year);
        var document = (await client.Resolver.ResolveAsync(did)).DidDocument!;
        var method = document.VerificationMethod.Single(v => v.Type == EthrDocumentBuilder.Ed25519Key2020).Id;
        return (did, method, key, owner);
    }

    [Fact]
    public async Task A_VC_from_a_registered_did_ethr_issuer_is_trusted_and_the_same_VC_from_an_unregistered_DID_verifies_but_is_untrusted()
    {
        await using var dids = await EthrDidClient.OpenAsync(f.Connection);
        var vc = new VcServices(dids.Resolver);
        var service = new TrustService(f.Reader, new InMemoryCertificateSource(), dids.Resolver);
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Icvp | TrustDomains.Dcc);

        var registered = await EthrIssuerAsync(dids);
        var added = await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, IssuerRef.Did(registered.Did), TrustDomains.Icvp)), admin);
        var unregistered = await EthrIssuerAsync(dids);
        await f.AdvanceTimeAsync(TimeSpan.FromMinutes(1));
        var issuedAt = await f.BlockTimeAsync();

        foreach (var (issuer, expectTrusted) in new[] { (registered, true), (unregistered, false) })
        {
            var signed = await vc.IssueAsync(new IssuerProfile(issuer.Did, issuer.Method, issuer.Key), Credential());
            var verification = await vc.VerifyCredentialAsync(signed.ToJsonString());
            Assert.True(verification.Verified, string.Join("; ", verification.ProblemDetails.Select(p => p.ToString())));
            var method = (string)signed["proof"]!["verificationMethod"]!;
            var trust = await service.CheckCredentialIssuerAsync((string)signed["issuer"]!, method, TrustDomains.Icvp, issuedAt);
            Assert.Equal(expectTrusted, trust.Trusted);
            if (expectTrusted)
            {
                Assert.Equal((TrustSourceKind.Registry, country, added.BlockNumber), (trust.Source, trust.Country, trust.RegistryBlock));
                Assert.Equal(registered.Did, trust.RegistryEntry!.Issuer.Value);
            }
            else
                Assert.Equal((TrustVerdictReason.IssuerNotRegistered, (IssuerEntry?)null), (trust.Reason, trust.RegistryEntry));
        }

        // A method that is not the issuer's own, or not an assertion key, is never trusted for it.
        Assert.Equal(TrustVerdictReason.KeyNotAuthorized,
            (await service.CheckCredentialIssuerAsync(registered.Did, unregistered.Method, TrustDomains.Icvp, issuedAt)).Reason);
        Assert.Equal(TrustVerdictReason.KeyNotAuthorized,
            (await service.CheckKeyAsync(TrustSubject.ForVerificationMethod(registered.Did + "#delegate-9"), TrustDomains.Icvp, at: issuedAt)).Reason);
        // Registered for ICVP only.
        Assert.Equal(TrustVerdictReason.DomainNotAuthorized,
            (await service.CheckKeyAsync(TrustSubject.ForVerificationMethod(registered.Method), TrustDomains.Dcc, country, issuedAt)).Reason);
    }

    [Fact]
    public async Task A_DID_that_binds_its_registered_DSC_signs_VCs_and_HCERTs_as_one_trusted_issuer()
    {
        await using var dids = await EthrDidClient.OpenAsync(f.Connection);
        var service = new TrustService(f.Reader, new InMemoryCertificateSource(), dids.Resolver);
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Icvp | TrustDomains.Dcc);
        var sca = BridgePki.CreateCa("SCA QX", "XA");
        var dsc = BridgePki.Issue(sca, "DSC bound", "XA");
        var issuer = await EthrIssuerAsync(dids);
        await DscBinding.PublishAsync(dids.Writer!, issuer.Owner, issuer.Owner.Address, dsc, sca, Year);

        // The binding resolves as a service carrying the JWK with x5c.
        var document = (await dids.Resolver.ResolveAsync(issuer.Did)).DidDocument!;
        var binding = Assert.Single(DscBinding.Read(document));
        Assert.Equal((BridgePki.Kid(dsc), dsc.Thumbprint, sca.Thumbprint), (binding.Kid, binding.Dsc.Thumbprint, binding.Chain[0].Thumbprint));

        // Neither registered: the DID's own verdict fails first.
        Assert.Equal(TrustVerdictReason.IssuerNotRegistered, (await service.CheckDscBindingAsync(issuer.Did, TrustDomains.Icvp, country)).Reason);
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, IssuerRef.Did(issuer.Did), TrustDomains.Icvp)), admin);
        // The DID alone is not enough: the participant must register the bound DSC too.
        var half = await service.CheckDscBindingAsync(issuer.Did, TrustDomains.Icvp, country);
        Assert.Equal((false, TrustVerdictReason.IssuerNotRegistered), (half.Trusted, half.Reason));
        Assert.True(half.DidVerdict!.Trusted);

        // The participant registers the bound DSC straight from the DID document.
        var certificates = new InMemoryCertificateSource();
        var dscWrite = Assert.Single((await new PkiTrustImporter(f.Client, f.Reader, certificates)
            .ImportDidBindingAsync(dids.Resolver, issuer.Did, TrustDomains.Icvp | TrustDomains.Dcc, country, admin)).Keys);
        Assert.Equal((ImportOutcome.Imported, binding.Kid), (dscWrite.Outcome, dscWrite.Kid));
        var full = await service.CheckDscBindingAsync(issuer.Did, TrustDomains.Icvp);
        Assert.True(full.Trusted, full.Detail);
        Assert.Equal((country, dscWrite.Block), (full.DscVerdict!.Country, full.DscVerdict.RegistryBlock));

        // One identity, two formats: an HCERT signed with the bound DSC is trusted through the same registry entry.
        var now = await f.BlockTimeAsync();
        var hc1 = new Vc.Interop.Hcert.HcertSigner(dsc).SignEuDcc(System.Text.Json.JsonDocument.Parse("""
            {"ver":"1.3.0","nam":{"fn":"Doe","fnt":"DOE","gn":"Jane","gnt":"JANE"},"dob":"1990-04-12",
             "v":[{"tg":"840539006","vp":"1119349007","mp":"EU/1/20/1528","ma":"ORG-100030215","dn":2,"sd":2,"dt":"2021-05-29",
                   "co":"DE","is":"Ministry","ci":"URN:UVCI:01DE/IZ12345A/5CWLU12RNOB9RXSEOP6FG8#W"}]}
            """).RootElement, "XA", now.AddMinutes(-1), now.AddDays(10));
        var hcert = await new TrustService(f.Reader, certificates, dids.Resolver).VerifyHcertAsync(hc1, now);
        Assert.True(hcert.Accepted, hcert.Verification.Reason);
        Assert.Equal((country, dscWrite.Block), (hcert.Trust!.Country, hcert.Trust.RegistryBlock));

        // And unmodified PKI verifiers see the ledger issuer's DSC in the exported GDHCN list, with its SCA.
        using var proofKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var export = await new LedgerTrustExporter(f.Reader, certificates).ExportGdhcnAsync(
            LedgerTrustExporter.GdhcnDid("x.example", TrustDomains.Icvp, country), TrustDomains.Icvp, country, proofKey, "did:web:x.example#k");
        var listed = Assert.Single(Vc.Interop.TrustLists.GdhcnDidTrustList.Load(System.Text.Encoding.UTF8.GetBytes(export.Document),
            new Vc.Interop.TrustLists.GdhcnLoadOptions { ProofVerifier = new Vc.Interop.TrustLists.JwsDetachedProofVerifier(proofKey) }).Entries);
        Assert.Equal((binding.Kid, "ICVP"), (Convert.ToBase64String(listed.Kid), listed.Domain));
        Assert.Equal(2, System.Text.Json.Nodes.JsonNode.Parse(export.Document)!["verificationMethod"]![0]!["publicKeyJwk"]!["x5c"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_DSC_registered_by_another_participant_or_a_malformed_binding_does_not_make_a_binding_trusted()
    {
        await using var dids = await EthrDidClient.OpenAsync(f.Connection);
        var service = new TrustService(f.Reader, new InMemoryCertificateSource(), dids.Resolver);
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Icvp);
        var (other, otherAdmin, _) = await f.OnboardAsync(TrustDomains.Icvp);
        var sca = BridgePki.CreateCa("SCA", "XA");
        var dsc = BridgePki.Issue(sca, "DSC", "XA");
        var issuer = await EthrIssuerAsync(dids);
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, IssuerRef.Did(issuer.Did), TrustDomains.Icvp)), admin);

        Assert.Equal(TrustVerdictReason.BindingMissing, (await service.CheckDscBindingAsync(issuer.Did, TrustDomains.Icvp)).Reason);

        await DscBinding.PublishAsync(dids.Writer!, issuer.Owner, issuer.Owner.Address, dsc, sca, Year);
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(other, IssuerRef.KidBase64(BridgePki.Kid(dsc)), TrustDomains.Icvp,
            Thumbprint: Bytes32.FromBytes(System.Security.Cryptography.SHA256.HashData(dsc.RawData)))), otherAdmin);
        var crossed = await service.CheckDscBindingAsync(issuer.Did, TrustDomains.Icvp);
        Assert.Equal((false, TrustVerdictReason.IssuerNotRegistered), (crossed.Trusted, crossed.Reason));

        // A second DID whose binding claims a kid that is not its certificate's.
        var forger = await EthrIssuerAsync(dids);
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, IssuerRef.Did(forger.Did), TrustDomains.Icvp)), admin);
        var endpoint = JsonNode.Parse(DscBinding.Endpoint(dsc, sca))!.AsObject();
        endpoint["x5c"] = new JsonArray(Convert.ToBase64String(BridgePki.Issue(sca, "another").RawData));
        await dids.Writer!.AddServiceAsync(forger.Owner, forger.Owner.Address, DscBinding.ServiceType, endpoint.ToJsonString(), Year);
        Assert.Equal(TrustVerdictReason.BindingInvalid, (await service.CheckDscBindingAsync(forger.Did, TrustDomains.Icvp)).Reason);
    }
}
