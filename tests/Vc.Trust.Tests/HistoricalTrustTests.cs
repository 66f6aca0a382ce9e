namespace Vc.Trust.Tests;

[Collection(RegistryCollection.Name)]
public sealed class HistoricalTrustTests(RegistryFixture f) : HistoricalTrustTestsBase(f);

/// <summary>The same tests on Hardhat Network (the second Ethereum implementation).</summary>
[Collection(HardhatRegistryCollection.Name)]
public sealed class HistoricalTrustOnHardhatTests(HardhatRegistryFixture f) : HistoricalTrustTestsBase(f);

public abstract class HistoricalTrustTestsBase(RegistryFixture f)
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public async Task Credentials_issued_before_a_suspension_keep_their_answer_while_new_ones_are_untrusted()
    {
        var (country, admin, _) = await f.OnboardAsync();
        var issuer = IssuerRef.Did("did:ethr:0x1111111111111111111111111111111111111111");
        var beforeRegistration = await f.BlockTimeAsync();
        await f.AdvanceTimeAsync(Day);
        var added = await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, issuer, TrustDomains.Icvp)), admin);
        await f.AdvanceTimeAsync(Day);
        var issuedBeforeSuspension = await f.BlockTimeAsync();
        await f.AdvanceTimeAsync(Day);
        var suspended = await f.Client.ExecuteAsync(TrustOperation.SuspendIssuer(country, issuer), admin);
        var suspendedAt = await f.BlockTimeAsync(suspended.BlockNumber);
        await f.AdvanceTimeAsync(Day);
        var issuedAfterSuspension = await f.BlockTimeAsync();

        var old = await f.Reader.CheckAsync(new TrustQuery(country, issuer, TrustDomains.Icvp, issuedBeforeSuspension));
        Assert.True(old.Trusted);
        Assert.Equal(TrustReason.Trusted, old.Reason);
        Assert.Equal(added.BlockNumber, old.EntryBlock);
        Assert.Equal(added.TransactionHash, old.EntryTransaction);
        Assert.Equal(EntryStatus.Active, old.Entry!.Status);
        Assert.Equal(issuer, old.Entry.Issuer);

        var fresh = await f.Reader.CheckAsync(new TrustQuery(country, issuer, TrustDomains.Icvp, issuedAfterSuspension));
        Assert.False(fresh.Trusted);
        Assert.Equal(TrustReason.IssuerSuspended, fresh.Reason);
        Assert.Equal(suspended.BlockNumber, fresh.EntryBlock);

        // The suspension applies from its own block's time on; before registration the issuer was unknown.
        Assert.Equal(TrustReason.IssuerSuspended, (await f.Reader.CheckAsync(new TrustQuery(country, issuer, TrustDomains.Icvp, suspendedAt))).Reason);
        Assert.True((await f.Reader.CheckAsync(new TrustQuery(country, issuer, TrustDomains.Icvp, suspendedAt.AddSeconds(-1)))).Trusted);
        Assert.Equal(TrustReason.IssuerNotRegistered, (await f.Reader.CheckAsync(new TrustQuery(country, issuer, TrustDomains.Icvp, beforeRegistration))).Reason);
        Assert.Equal(TrustReason.IssuerSuspended, (await f.Reader.CheckAsync(new TrustQuery(country, issuer, TrustDomains.Icvp))).Reason);
        Assert.False(await f.Reader.IsTrustedOnChainNowAsync(country, issuer, TrustDomains.Icvp));
    }

    [Fact]
    public async Task A_reinstated_issuer_is_trusted_again_but_not_for_the_suspended_interval()
    {
        var (country, admin, _) = await f.OnboardAsync();
        var issuer = IssuerRef.Did("did:web:reinstated.example");
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, issuer, TrustDomains.Icvp)), admin);
        await f.AdvanceTimeAsync(Day);
        await f.Client.ExecuteAsync(TrustOperation.SuspendIssuer(country, issuer), admin);
        await f.AdvanceTimeAsync(Day);
        var duringSuspension = await f.BlockTimeAsync();
        await f.AdvanceTimeAsync(Day);
        await f.Client.ExecuteAsync(TrustOperation.ReinstateIssuer(country, issuer), admin);

        Assert.Equal(TrustReason.IssuerSuspended, (await f.Reader.CheckAsync(new TrustQuery(country, issuer, TrustDomains.Icvp, duringSuspension))).Reason);
        Assert.True((await f.Reader.CheckAsync(new TrustQuery(country, issuer, TrustDomains.Icvp))).Trusted);
    }

    [Fact]
    public async Task A_participant_suspension_counts_for_the_time_it_lasted()
    {
        var (country, admin, _) = await f.OnboardAsync();
        var issuer = IssuerRef.Did("did:web:moh.example");
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, issuer, TrustDomains.Icvp)), admin);
        await f.AdvanceTimeAsync(Day);
        var beforeSuspension = await f.BlockTimeAsync();
        await f.AdvanceTimeAsync(Day);
        var suspension = await f.Client.ExecuteAsync(TrustOperation.SuspendParticipant(country), f.Anchor);
        await f.AdvanceTimeAsync(Day);

        Assert.True((await f.Reader.CheckAsync(new TrustQuery(country, issuer, TrustDomains.Icvp, beforeSuspension))).Trusted);
        var now = await f.Reader.CheckAsync(new TrustQuery(country, issuer, TrustDomains.Icvp));
        Assert.Equal(TrustReason.ParticipantSuspended, now.Reason);
        Assert.Equal(suspension.BlockNumber, now.ParticipantBlock);
        Assert.Equal(EntryStatus.Suspended, now.Participant!.Status);
    }

    [Fact]
    public async Task The_validity_window_bounds_trust()
    {
        var (country, admin, _) = await f.OnboardAsync();
        var issuer = IssuerRef.Did("did:web:windowed.example");
        var now = await f.BlockTimeAsync();
        var from = now.AddDays(10);
        var until = now.AddDays(20);
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, issuer, TrustDomains.Icvp, from, until)), admin);

        Assert.Equal(TrustReason.NotYetValid, (await f.Reader.CheckAsync(new TrustQuery(country, issuer, TrustDomains.Icvp))).Reason);
        Assert.False(await f.Reader.IsTrustedOnChainNowAsync(country, issuer, TrustDomains.Icvp));
        Assert.True((await f.Reader.CheckAsync(new TrustQuery(country, issuer, TrustDomains.Icvp, from.AddDays(1)))).Trusted);
        Assert.True((await f.Reader.CheckAsync(new TrustQuery(country, issuer, TrustDomains.Icvp, until))).Trusted);
        Assert.Equal(TrustReason.Expired, (await f.Reader.CheckAsync(new TrustQuery(country, issuer, TrustDomains.Icvp, until.AddSeconds(1)))).Reason);
        var entry = (await f.Reader.CheckAsync(new TrustQuery(country, issuer, TrustDomains.Icvp))).Entry!;
        Assert.Equal(from, entry.ValidFrom);
        Assert.Equal(until, entry.ValidUntil);
    }

    [Fact]
    public async Task Trust_is_per_domain_and_per_certificate()
    {
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Icvp | TrustDomains.Dcc);
        var kid = IssuerRef.Kid([0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3]);
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, kid, TrustDomains.Dcc, Thumbprint: Assertions.Thumbprint("dsc-1"))), admin);

        var dcc = await f.Reader.CheckAsync(new TrustQuery(country, kid, TrustDomains.Dcc, Thumbprint: Assertions.Thumbprint("dsc-1")));
        Assert.True(dcc.Trusted);
        Assert.Equal(Assertions.Thumbprint("dsc-1"), dcc.Entry!.Thumbprint);
        Assert.Equal(TrustReason.DomainNotAuthorized, (await f.Reader.CheckAsync(new TrustQuery(country, kid, TrustDomains.Icvp))).Reason);
        Assert.Equal(TrustReason.DomainNotOnboarded, (await f.Reader.CheckAsync(new TrustQuery(country, kid, TrustDomains.Ddcc))).Reason);
        // Same kid, another certificate (kids are 8-byte hashes and can collide): not trusted.
        Assert.Equal(TrustReason.ThumbprintMismatch,
            (await f.Reader.CheckAsync(new TrustQuery(country, kid, TrustDomains.Dcc, Thumbprint: Assertions.Thumbprint("dsc-2")))).Reason);
        Assert.Equal(TrustReason.ParticipantNotOnboarded, (await f.Reader.CheckAsync(new TrustQuery(f.NewCountry(), kid, TrustDomains.Dcc))).Reason);
    }

    [Fact]
    public async Task Narrowing_a_participants_domains_withdraws_trust_from_then_on()
    {
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Icvp | TrustDomains.Dcc);
        var issuer = IssuerRef.Did("did:web:dcc-issuer.example");
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, issuer, TrustDomains.Dcc)), admin);
        await f.AdvanceTimeAsync(Day);
        var before = await f.BlockTimeAsync();
        await f.AdvanceTimeAsync(Day);
        await f.Client.ExecuteAsync(new UpdateParticipant(country, admin.GetPublicAddress(), TrustDomains.Icvp), f.Anchor);

        Assert.True((await f.Reader.CheckAsync(new TrustQuery(country, issuer, TrustDomains.Dcc, before))).Trusted);
        Assert.Equal(TrustReason.DomainNotOnboarded, (await f.Reader.CheckAsync(new TrustQuery(country, issuer, TrustDomains.Dcc))).Reason);
        Assert.False(await f.Reader.IsTrustedOnChainNowAsync(country, issuer, TrustDomains.Dcc));
    }
}
