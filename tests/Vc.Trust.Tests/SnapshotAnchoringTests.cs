using static Vc.Trust.Tests.Assertions;

namespace Vc.Trust.Tests;

[Collection(RegistryCollection.Name)]
public sealed class SnapshotAnchoringTests(RegistryFixture f) : SnapshotAnchoringTestsBase(f);

/// <summary>The same tests on Hardhat Network (the second Ethereum implementation).</summary>
[Collection(HardhatRegistryCollection.Name)]
public sealed class SnapshotAnchoringOnHardhatTests(HardhatRegistryFixture f) : SnapshotAnchoringTestsBase(f);

public abstract class SnapshotAnchoringTestsBase(RegistryFixture f)
{
    private async Task<(CountryCode Country, Nethereum.Signer.EthECKey Admin)> CountryWithIssuersAsync()
    {
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Icvp | TrustDomains.Dcc);
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, IssuerRef.Did("did:web:moh.example"), TrustDomains.Icvp)), admin);
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, IssuerRef.Kid([1, 1, 2, 3, 5, 8, 13, 21]), TrustDomains.Dcc, Thumbprint: Thumbprint("s1"))), admin);
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, IssuerRef.Did("did:web:lab.example"), TrustDomains.Icvp)), admin);
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, IssuerRef.Did("did:web:gone.example"), TrustDomains.Icvp)), admin);
        await f.Client.ExecuteAsync(TrustOperation.SuspendIssuer(country, IssuerRef.Did("did:web:lab.example")), admin);
        await f.Client.ExecuteAsync(TrustOperation.RemoveIssuer(country, IssuerRef.Did("did:web:gone.example")), admin);
        return (country, admin);
    }

    [Fact]
    public async Task An_anchored_trust_list_is_proven_to_match_the_chain()
    {
        var (country, admin) = await CountryWithIssuersAsync();
        var snapshot = await f.Reader.BuildSnapshotAsync(country);
        Assert.Equal(3, snapshot.Leaves.Count); // the removed issuer is not listed
        Assert.Contains(snapshot.Leaves, l => l.Status == EntryStatus.Suspended);

        await f.Client.ExecuteAsync(AnchorSnapshot.Of(snapshot), admin);
        var verification = await f.Reader.VerifySnapshotAsync(snapshot);

        Assert.True(verification.Anchored);
        Assert.True(verification.MatchesChain);
        Assert.Equal(country, verification.Country);
        Assert.Equal(snapshot.AsOfBlock, verification.AsOfBlock);
        for (var i = 0; i < snapshot.Leaves.Count; i++)
        {
            var proof = snapshot.InclusionProof(i);
            Assert.Equal(snapshot.LeafHash(i), await f.Reader.LeafHashOnChainAsync(snapshot.Leaves[i]));
            Assert.True(TrustListSnapshot.VerifyInclusion(snapshot.LeafHash(i), i, snapshot.Leaves.Count, proof, snapshot.Root));
            Assert.True(await f.Reader.VerifyLeafOnChainAsync(snapshot.Root, snapshot.LeafHash(i), i, proof));
        }
        Assert.False(await f.Reader.VerifyLeafOnChainAsync(snapshot.Root, snapshot.LeafHash(0), 1, snapshot.InclusionProof(0)));
    }

    [Fact]
    public async Task A_published_list_stays_provable_after_later_changes_while_a_tampered_one_is_not_anchored()
    {
        var (country, admin) = await CountryWithIssuersAsync();
        var published = await f.Reader.BuildSnapshotAsync(country);
        await f.Client.ExecuteAsync(AnchorSnapshot.Of(published), admin);
        await f.Client.ExecuteAsync(TrustOperation.SuspendIssuer(country, IssuerRef.Did("did:web:moh.example")), admin);

        var verification = await f.Reader.VerifySnapshotAsync(published);
        Assert.True(verification.Anchored && verification.MatchesChain);

        var current = await f.Reader.BuildSnapshotAsync(country);
        Assert.NotEqual(published.Root, current.Root);
        Assert.False((await f.Reader.VerifySnapshotAsync(current)).Anchored);

        // Someone republishes the list with a suspended issuer shown as active.
        var tampered = TrustListSnapshot.Build(country, published.AsOfBlock,
            published.Leaves.Select(l => l.Status == EntryStatus.Suspended ? l with { Status = EntryStatus.Active } : l));
        Assert.False((await f.Reader.VerifySnapshotAsync(tampered)).Anchored);
    }

    [Fact]
    public async Task Only_the_trust_anchor_anchors_the_whole_registry_and_each_participant_only_its_own_list()
    {
        var (country, admin) = await CountryWithIssuersAsync();
        var (other, otherAdmin, _) = await f.OnboardAsync();
        var global = await f.Reader.BuildSnapshotAsync(null);
        Assert.Contains(global.Leaves, l => l.Country == country);

        await Refused(TrustRegistryError.NotTrustAnchor, () => f.Client.ExecuteAsync(AnchorSnapshot.Of(global), admin));
        await f.Client.ExecuteAsync(AnchorSnapshot.Of(global), f.Anchor);
        Assert.True((await f.Reader.VerifySnapshotAsync(global)).MatchesChain);

        var mine = await f.Reader.BuildSnapshotAsync(country);
        await Refused(TrustRegistryError.NotParticipantAdmin, () => f.Client.ExecuteAsync(AnchorSnapshot.Of(mine), otherAdmin));
        await f.Client.ExecuteAsync(AnchorSnapshot.Of(mine), admin);
        await Refused(TrustRegistryError.SnapshotExists, () => f.Client.ExecuteAsync(AnchorSnapshot.Of(mine), admin));
        _ = other;
    }

    [Fact]
    public async Task A_snapshot_cannot_claim_a_future_block_or_an_empty_root()
    {
        var (country, admin, _) = await f.OnboardAsync();
        var latest = await f.Connection.BlockNumberAsync();
        var root = Thumbprint("some list");
        await Refused(TrustRegistryError.InvalidSnapshot, () => f.Client.ExecuteAsync(new AnchorSnapshot(country, root, 1, latest + 100), admin));
        await Refused(TrustRegistryError.InvalidSnapshot, () => f.Client.ExecuteAsync(new AnchorSnapshot(country, Bytes32.Zero, 0, latest), admin));
    }
}
