namespace Vc.Trust.Tests;

[Collection(RegistryCollection.Name)]
public sealed class AuditTrailTests(RegistryFixture f) : AuditTrailTestsBase(f);

/// <summary>The same tests on Hardhat Network (the second Ethereum implementation).</summary>
[Collection(HardhatRegistryCollection.Name)]
public sealed class AuditTrailOnHardhatTests(HardhatRegistryFixture f) : AuditTrailTestsBase(f);

public abstract class AuditTrailTestsBase(RegistryFixture f)
{
    [Fact]
    public async Task The_audit_trail_lists_every_change_of_a_participant_decoded_and_in_order()
    {
        var (country, admin, onboarded) = await f.OnboardAsync(TrustDomains.Icvp | TrustDomains.Dcc);
        var (otherCountry, otherAdmin, _) = await f.OnboardAsync();
        var did = IssuerRef.Did("did:ethr:0x2222222222222222222222222222222222222222");
        var kid = IssuerRef.KidBase64("q83vASNFZ4k=");
        var writes = new List<TrustWriteResult> { onboarded };
        writes.Add(await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, did, TrustDomains.Icvp)), admin));
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(otherCountry, did, TrustDomains.Icvp)), otherAdmin);
        writes.Add(await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, kid, TrustDomains.Dcc, Thumbprint: Assertions.Thumbprint("k"))), admin));
        writes.Add(await f.Client.ExecuteAsync(TrustOperation.SuspendIssuer(country, did), admin));
        writes.Add(await f.Client.ExecuteAsync(TrustOperation.ReinstateIssuer(country, did), admin, WriteMode.Relayed));
        writes.Add(await f.Client.ExecuteAsync(TrustOperation.RemoveIssuer(country, kid), admin));
        writes.Add(await f.Client.ExecuteAsync(TrustOperation.SuspendParticipant(country), f.Anchor));

        var trail = await f.Reader.GetAuditTrailAsync(country);

        Assert.Equal(writes.Select(w => w.TransactionHash), trail.Select(e => e.TransactionHash));
        Assert.Equal(writes.Select(w => w.BlockNumber), trail.Select(e => e.BlockNumber));
        Assert.Equal(writes.Select(w => w.Actor.ToLowerInvariant()), trail.Select(e => e.Actor.ToLowerInvariant()));
        var onboard = Assert.IsType<ParticipantOnboarded>(trail[0]);
        Assert.Equal((country, admin.GetPublicAddress().ToLowerInvariant(), TrustDomains.Icvp | TrustDomains.Dcc),
            (onboard.Country, onboard.Admin.ToLowerInvariant(), onboard.Domains));
        var addedDid = Assert.IsType<IssuerAdded>(trail[1]);
        Assert.Equal(did, addedDid.Entry.Issuer);
        Assert.Null(addedDid.Entry.Thumbprint);
        var addedKid = Assert.IsType<IssuerAdded>(trail[2]);
        Assert.Equal(kid, addedKid.Entry.Issuer);
        Assert.Equal(Assertions.Thumbprint("k"), addedKid.Entry.Thumbprint);
        Assert.Equal(TrustDomains.Dcc, addedKid.Entry.Domains);
        Assert.Null(addedKid.Entry.ValidUntil);
        Assert.Equal([EntryStatus.Suspended, EntryStatus.Active, EntryStatus.Removed],
            trail.OfType<IssuerStatusChanged>().Select(e => e.Status));
        Assert.Equal(EntryStatus.Suspended, Assert.IsType<ParticipantStatusChanged>(trail[^1]).Status);
        foreach (var e in trail)
            Assert.Equal(await f.BlockTimeAsync(e.BlockNumber), e.Timestamp);
    }

    [Fact]
    public async Task The_audit_trail_of_one_issuer_holds_only_its_own_events()
    {
        var (country, admin, _) = await f.OnboardAsync();
        var mine = IssuerRef.Did("did:web:mine.example");
        var other = IssuerRef.Did("did:web:other.example");
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, mine, TrustDomains.Icvp)), admin);
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, other, TrustDomains.Icvp)), admin);
        await f.Client.ExecuteAsync(TrustOperation.SuspendIssuer(country, other), admin);
        await f.Client.ExecuteAsync(TrustOperation.SuspendIssuer(country, mine), admin);

        var trail = await f.Reader.GetAuditTrailAsync(country, mine);

        Assert.Equal(["IssuerAdded", "IssuerStatusChanged"], trail.Select(e => e.Name));
        Assert.Equal(mine, Assert.IsType<IssuerAdded>(trail[0]).Entry.Issuer);
        Assert.Equal(mine.Id, Assert.IsType<IssuerStatusChanged>(trail[1]).IssuerId);
    }

    [Fact]
    public async Task State_rebuilt_from_events_alone_equals_contract_storage()
    {
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Icvp | TrustDomains.Dcc);
        var now = await f.BlockTimeAsync();
        IssuerRef[] issuers = [IssuerRef.Did("did:web:a.example"), IssuerRef.Did("did:web:b.example"), IssuerRef.Kid([5, 4, 3, 2, 1, 0, 9, 8])];
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, issuers[0], TrustDomains.Icvp, now, now.AddYears(2))), admin);
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, issuers[1], TrustDomains.Icvp | TrustDomains.Dcc)), admin);
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, issuers[2], TrustDomains.Dcc, Thumbprint: Assertions.Thumbprint("c"))), admin);
        await f.Client.ExecuteAsync(TrustOperation.SuspendIssuer(country, issuers[1]), admin);
        await f.Client.ExecuteAsync(TrustOperation.RemoveIssuer(country, issuers[2]), admin);
        await f.Client.ExecuteAsync(new UpdateParticipant(country, admin.GetPublicAddress(), TrustDomains.Icvp | TrustDomains.Dcc | TrustDomains.Ddcc), f.Anchor);

        foreach (var issuer in issuers)
        {
            var rebuilt = (await f.Reader.CheckAsync(new TrustQuery(country, issuer, TrustDomains.Icvp))).Entry;
            Assert.Equal(await f.Reader.GetIssuerOnChainAsync(country, issuer), rebuilt);
        }
        var participant = (await f.Reader.CheckAsync(new TrustQuery(country, issuers[0], TrustDomains.Icvp))).Participant!;
        var stored = (await f.Reader.GetParticipantOnChainAsync(country))!;
        Assert.Equal(stored with { Admin = stored.Admin.ToLowerInvariant() }, participant with { Admin = participant.Admin.ToLowerInvariant() });
        Assert.Null(await f.Reader.GetParticipantOnChainAsync(f.NewCountry()));
    }

    [Fact]
    public async Task Reading_in_small_block_windows_gives_the_same_history()
    {
        var (country, admin, _) = await f.OnboardAsync();
        var issuer = IssuerRef.Did("did:web:windows.example");
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, issuer, TrustDomains.Icvp)), admin);
        await f.Client.ExecuteAsync(TrustOperation.SuspendIssuer(country, issuer), admin);
        var windowed = new TrustRegistryReader(f.Connection, f.Client.Address, f.DeploymentBlock, maxBlockRange: 3);

        Assert.Equal(await f.Reader.GetAuditTrailAsync(country), await windowed.GetAuditTrailAsync(country));
        Assert.Equal((await f.Reader.BuildSnapshotAsync(null)).Root, (await windowed.BuildSnapshotAsync(null)).Root);
        Assert.Equal(TrustReason.IssuerSuspended, (await windowed.CheckAsync(new TrustQuery(country, issuer, TrustDomains.Icvp))).Reason);
    }

    [Fact]
    public async Task An_issuer_trail_needs_its_participant()
    {
        var e = await Assert.ThrowsAsync<TrustRegistryException>(() => f.Reader.GetAuditTrailAsync(null, IssuerRef.Did("did:web:x.example")));
        Assert.Equal(TrustRegistryError.InvalidInput, e.Error);
    }
}

[Collection(RegistryCollection.Name)]
public sealed class RegistrationLookupTests(RegistryFixture f)
{
    [Fact]
    public async Task An_issuer_is_found_in_every_participant_that_registered_it()
    {
        var (a, adminA, _) = await f.OnboardAsync();
        var (b, adminB, _) = await f.OnboardAsync();
        var regional = IssuerRef.Did("did:web:regional-agency-" + Guid.NewGuid().ToString("N") + ".example");
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(a, regional, TrustDomains.Icvp)), adminA);
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(b, regional, TrustDomains.Dcc)), adminB);

        var found = await f.Reader.FindRegistrationsAsync(regional);

        Assert.Equal([a, b], found.Select(r => r.Entry.Country));
        Assert.Equal([TrustDomains.Icvp, TrustDomains.Dcc], found.Select(r => r.Entry.Domains));
        Assert.Empty(await f.Reader.FindRegistrationsAsync(IssuerRef.Did("did:web:never-registered.example")));
    }
}
