using Nethereum.Signer;
using static Vc.Trust.Tests.Assertions;

namespace Vc.Trust.Tests;

[Collection(RegistryCollection.Name)]
public sealed class GovernanceTests(RegistryFixture f) : GovernanceTestsBase(f);

/// <summary>The same tests on Hardhat Network (the second Ethereum implementation).</summary>
[Collection(HardhatRegistryCollection.Name)]
public sealed class GovernanceOnHardhatTests(HardhatRegistryFixture f) : GovernanceTestsBase(f);

public abstract class GovernanceTestsBase(RegistryFixture f)
{
    [Fact]
    public async Task Anchor_onboards_two_countries_and_each_adds_its_own_issuers()
    {
        var (kenya, kenyaAdmin, _) = await f.OnboardAsync(TrustDomains.Icvp | TrustDomains.Dcc);
        var (brazil, brazilAdmin, _) = await f.OnboardAsync(TrustDomains.Icvp);
        var kenyaMoh = IssuerRef.Did("did:ethr:0x7e5f4552091a69125d5dfcb7b8c2659029395bdf");
        var kenyaDsc = IssuerRef.Kid([1, 2, 3, 4, 5, 6, 7, 8]);
        var brazilMoh = IssuerRef.Did("did:web:saude.example.br");

        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(kenya, kenyaMoh, TrustDomains.Icvp)), kenyaAdmin);
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(kenya, kenyaDsc, TrustDomains.Dcc, Thumbprint: Thumbprint("ken-dsc"))), kenyaAdmin);
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(brazil, brazilMoh, TrustDomains.Icvp)), brazilAdmin);

        Assert.True((await f.Reader.CheckAsync(new TrustQuery(kenya, kenyaMoh, TrustDomains.Icvp))).Trusted);
        Assert.True((await f.Reader.CheckAsync(new TrustQuery(kenya, kenyaDsc, TrustDomains.Dcc, Thumbprint: Thumbprint("ken-dsc")))).Trusted);
        Assert.True((await f.Reader.CheckAsync(new TrustQuery(brazil, brazilMoh, TrustDomains.Icvp))).Trusted);
        // An issuer is trusted for the country that registered it, not for another.
        Assert.Equal(TrustReason.IssuerNotRegistered, (await f.Reader.CheckAsync(new TrustQuery(brazil, kenyaMoh, TrustDomains.Icvp))).Reason);
        Assert.True(await f.Reader.IsTrustedOnChainNowAsync(kenya, kenyaMoh, TrustDomains.Icvp));
        Assert.False(await f.Reader.IsTrustedOnChainNowAsync(brazil, kenyaMoh, TrustDomains.Icvp));
    }

    [Fact]
    public async Task Only_the_trust_anchor_onboards_participants()
    {
        var (_, countryAdmin, _) = await f.OnboardAsync();
        var e = await Refused(TrustRegistryError.NotTrustAnchor, () => f.Client.ExecuteAsync(
            new OnboardParticipant(f.NewCountry(), countryAdmin.GetPublicAddress(), TrustDomains.Icvp), countryAdmin));
        Assert.True(e.RevertedOnChain);
        Assert.Equal(countryAdmin.GetPublicAddress(), (string)e.Arguments[0], StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_participant_is_onboarded_once()
    {
        var (country, admin, _) = await f.OnboardAsync();
        await Refused(TrustRegistryError.ParticipantExists, () => f.Client.ExecuteAsync(
            new OnboardParticipant(country, admin.GetPublicAddress(), TrustDomains.Icvp), f.Anchor));
    }

    [Fact]
    public async Task Onboarding_needs_an_admin_address_and_at_least_one_domain()
    {
        await Refused(TrustRegistryError.InvalidAddress, () => f.Client.ExecuteAsync(
            new OnboardParticipant(f.NewCountry(), "0x0000000000000000000000000000000000000000", TrustDomains.Icvp), f.Anchor));
        await Refused(TrustRegistryError.InvalidDomains, () => f.Client.ExecuteAsync(
            new OnboardParticipant(f.NewCountry(), EthECKey.GenerateKey().GetPublicAddress(), TrustDomains.None), f.Anchor));
    }

    [Fact]
    public async Task A_country_cannot_touch_another_countrys_issuers()
    {
        var (a, adminA, _) = await f.OnboardAsync();
        var (b, adminB, _) = await f.OnboardAsync();
        var issuerB = IssuerRef.Did("did:web:issuer-b.example");
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(b, issuerB, TrustDomains.Icvp)), adminB);

        await Refused(TrustRegistryError.NotParticipantAdmin, () => f.Client.ExecuteAsync(TrustOperation.SuspendIssuer(b, issuerB), adminA));
        await Refused(TrustRegistryError.NotParticipantAdmin, () => f.Client.ExecuteAsync(TrustOperation.RemoveIssuer(b, issuerB), adminA));
        await Refused(TrustRegistryError.NotParticipantAdmin, () => f.Client.ExecuteAsync(
            new AddIssuer(new IssuerRegistration(b, IssuerRef.Did("did:web:intruder.example"), TrustDomains.Icvp)), adminA));
        // Relayed writes are held to the same rule: the signer, not the relayer, is checked.
        await Refused(TrustRegistryError.NotParticipantAdmin, () => f.Client.ExecuteAsync(TrustOperation.SuspendIssuer(b, issuerB), adminA, WriteMode.Relayed));
        Assert.True((await f.Reader.CheckAsync(new TrustQuery(b, issuerB, TrustDomains.Icvp))).Trusted);
        _ = a;
    }

    [Fact]
    public async Task An_issuer_key_cannot_change_any_registry_entry()
    {
        var (a, adminA, _) = await f.OnboardAsync();
        var (b, adminB, _) = await f.OnboardAsync();
        // The issuer of A holds a did:ethr key: that key has no write role, neither over A's nor B's entries.
        var issuerKey = await f.FundedKeyAsync();
        var issuerA = IssuerRef.Did("did:ethr:" + issuerKey.GetPublicAddress());
        var issuerB = IssuerRef.Did("did:web:b-moh.example");
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(a, issuerA, TrustDomains.Icvp)), adminA);
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(b, issuerB, TrustDomains.Icvp)), adminB);

        await Refused(TrustRegistryError.NotParticipantAdmin, () => f.Client.ExecuteAsync(TrustOperation.SuspendIssuer(b, issuerB), issuerKey));
        await Refused(TrustRegistryError.NotParticipantAdmin, () => f.Client.ExecuteAsync(TrustOperation.RemoveIssuer(a, issuerA), issuerKey));
        await Refused(TrustRegistryError.NotParticipantAdmin, () => f.Client.ExecuteAsync(
            new AddIssuer(new IssuerRegistration(a, IssuerRef.Did("did:web:self-made.example"), TrustDomains.Icvp)), issuerKey));
        await Refused(TrustRegistryError.NotTrustAnchor, () => f.Client.ExecuteAsync(TrustOperation.SuspendParticipant(b), issuerKey));
    }

    [Fact]
    public async Task A_country_cannot_suspend_another_country_or_itself()
    {
        var (a, adminA, _) = await f.OnboardAsync();
        var (b, _, _) = await f.OnboardAsync();
        await Refused(TrustRegistryError.NotTrustAnchor, () => f.Client.ExecuteAsync(TrustOperation.SuspendParticipant(b), adminA));
        await Refused(TrustRegistryError.NotTrustAnchor, () => f.Client.ExecuteAsync(
            new UpdateParticipant(a, adminA.GetPublicAddress(), TrustDomains.Icvp | TrustDomains.Ddcc), adminA));
    }

    [Fact]
    public async Task Issuer_domains_must_lie_within_the_participants_domains()
    {
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Icvp);
        var e = await Refused(TrustRegistryError.InvalidDomains, () => f.Client.ExecuteAsync(
            new AddIssuer(new IssuerRegistration(country, IssuerRef.Did("did:web:too-wide.example"), TrustDomains.Icvp | TrustDomains.Dcc)), admin));
        Assert.Equal((System.Numerics.BigInteger)(uint)(TrustDomains.Icvp | TrustDomains.Dcc), e.Arguments[0]);
    }

    [Fact]
    public async Task Issuer_entries_are_validated_by_kind()
    {
        var (country, admin, _) = await f.OnboardAsync();
        // A DSC entry needs its certificate thumbprint; a DID entry carries none.
        await Refused(TrustRegistryError.InvalidIssuer, () => f.Client.ExecuteAsync(
            new AddIssuer(new IssuerRegistration(country, IssuerRef.Kid([9, 9, 9, 9, 9, 9, 9, 9]), TrustDomains.Dcc)), admin));
        await Refused(TrustRegistryError.InvalidIssuer, () => f.Client.ExecuteAsync(
            new AddIssuer(new IssuerRegistration(country, IssuerRef.Did("did:web:x.example"), TrustDomains.Icvp, Thumbprint: Thumbprint("x"))), admin));
        var now = await f.BlockTimeAsync();
        await Refused(TrustRegistryError.InvalidValidity, () => f.Client.ExecuteAsync(
            new AddIssuer(new IssuerRegistration(country, IssuerRef.Did("did:web:y.example"), TrustDomains.Icvp, now.AddDays(2), now.AddDays(1))), admin));
    }

    [Fact]
    public async Task Status_changes_follow_the_life_cycle()
    {
        var (country, admin, _) = await f.OnboardAsync();
        var issuer = IssuerRef.Did("did:web:lifecycle.example");
        await Refused(TrustRegistryError.UnknownIssuer, () => f.Client.ExecuteAsync(TrustOperation.SuspendIssuer(country, issuer), admin));
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, issuer, TrustDomains.Icvp)), admin);
        await Refused(TrustRegistryError.IssuerExists, () => f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, issuer, TrustDomains.Icvp)), admin));
        await Refused(TrustRegistryError.InvalidTransition, () => f.Client.ExecuteAsync(TrustOperation.ReinstateIssuer(country, issuer), admin));
        await f.Client.ExecuteAsync(TrustOperation.SuspendIssuer(country, issuer), admin);
        await Refused(TrustRegistryError.InvalidTransition, () => f.Client.ExecuteAsync(TrustOperation.SuspendIssuer(country, issuer), admin));
        await f.Client.ExecuteAsync(TrustOperation.ReinstateIssuer(country, issuer), admin);
        await f.Client.ExecuteAsync(TrustOperation.RemoveIssuer(country, issuer), admin);
        await Refused(TrustRegistryError.InvalidTransition, () => f.Client.ExecuteAsync(TrustOperation.ReinstateIssuer(country, issuer), admin));
        Assert.Equal(TrustReason.IssuerRemoved, (await f.Reader.CheckAsync(new TrustQuery(country, issuer, TrustDomains.Icvp))).Reason);
        // A removed issuer may be registered anew (a new entry with its own history).
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, issuer, TrustDomains.Icvp)), admin);
        Assert.True((await f.Reader.CheckAsync(new TrustQuery(country, issuer, TrustDomains.Icvp))).Trusted);
    }

    [Fact]
    public async Task A_suspended_participant_cannot_write_and_its_issuers_are_untrusted_until_reinstated()
    {
        var (country, admin, _) = await f.OnboardAsync();
        var issuer = IssuerRef.Did("did:web:moh.suspended-country.example");
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, issuer, TrustDomains.Icvp)), admin);
        await f.Client.ExecuteAsync(TrustOperation.SuspendParticipant(country), f.Anchor);

        Assert.Equal(TrustReason.ParticipantSuspended, (await f.Reader.CheckAsync(new TrustQuery(country, issuer, TrustDomains.Icvp))).Reason);
        Assert.False(await f.Reader.IsTrustedOnChainNowAsync(country, issuer, TrustDomains.Icvp));
        await Refused(TrustRegistryError.ParticipantNotActive, () => f.Client.ExecuteAsync(
            new AddIssuer(new IssuerRegistration(country, IssuerRef.Did("did:web:new.example"), TrustDomains.Icvp)), admin));

        await f.Client.ExecuteAsync(TrustOperation.ReinstateParticipant(country), f.Anchor);
        Assert.True((await f.Reader.CheckAsync(new TrustQuery(country, issuer, TrustDomains.Icvp))).Trusted);

        await f.Client.ExecuteAsync(TrustOperation.RemoveParticipant(country), f.Anchor);
        Assert.Equal(TrustReason.ParticipantRemoved, (await f.Reader.CheckAsync(new TrustQuery(country, issuer, TrustDomains.Icvp))).Reason);
        await Refused(TrustRegistryError.InvalidTransition, () => f.Client.ExecuteAsync(TrustOperation.ReinstateParticipant(country), f.Anchor));
        await Refused(TrustRegistryError.ParticipantExists, () => f.Client.ExecuteAsync(
            new OnboardParticipant(country, admin.GetPublicAddress(), TrustDomains.Icvp), f.Anchor));
    }

    [Fact]
    public async Task The_anchor_rotates_a_participants_admin_key()
    {
        var (country, oldAdmin, _) = await f.OnboardAsync();
        var newAdmin = await f.FundedKeyAsync();
        await f.Client.ExecuteAsync(new UpdateParticipant(country, newAdmin.GetPublicAddress(), TrustDomains.Icvp), f.Anchor);
        var issuer = IssuerRef.Did("did:web:after-rotation.example");
        await Refused(TrustRegistryError.NotParticipantAdmin, () => f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, issuer, TrustDomains.Icvp)), oldAdmin));
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, issuer, TrustDomains.Icvp)), newAdmin);
        Assert.True((await f.Reader.CheckAsync(new TrustQuery(country, issuer, TrustDomains.Icvp))).Trusted);
    }
}
