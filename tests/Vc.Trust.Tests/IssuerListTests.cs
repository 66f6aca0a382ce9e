using System.Text;
using static Vc.Trust.Tests.Assertions;

namespace Vc.Trust.Tests;

[Collection(RegistryCollection.Name)]
public sealed class IssuerListTests(RegistryFixture f) : IssuerListTestsBase(f);

/// <summary>The same tests on Hardhat Network (the second Ethereum implementation).</summary>
[Collection(HardhatRegistryCollection.Name)]
public sealed class IssuerListOnHardhatTests(HardhatRegistryFixture f) : IssuerListTestsBase(f);

/// <summary>A participant's issuer set as one on-chain Merkle root, entries and proofs off-chain (issue #16 item 4).</summary>
public abstract class IssuerListTestsBase(RegistryFixture f)
{
    private static readonly IssuerRef Moh = IssuerRef.Did("did:web:moh.example");
    private static readonly IssuerRef Lab = IssuerRef.Did("did:web:lab.example");
    private static readonly IssuerRef Dsc = IssuerRef.Kid([1, 1, 2, 3, 5, 8, 13, 21]);
    private static readonly IssuerRef Clinic = IssuerRef.Did("did:web:clinic.example");

    private static List<ListedIssuer> Issuers() =>
    [
        new(Moh, TrustDomains.Icvp),
        new(Lab, TrustDomains.Icvp),
        new(Dsc, TrustDomains.Dcc, Thumbprint: Thumbprint("dsc")),
        .. Enumerable.Range(0, 10).Select(i => new ListedIssuer(IssuerRef.Did($"did:web:hospital-{i}.example"), TrustDomains.Icvp)),
    ];

    private async Task<(CountryCode Country, Nethereum.Signer.EthECKey Admin, IssuerList List)> CommittedAsync(IEnumerable<ListedIssuer>? issuers = null)
    {
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Icvp | TrustDomains.Dcc);
        var list = IssuerList.Build(country, issuers ?? Issuers());
        await f.Client.ExecuteAsync(list.Commit(), admin);
        return (country, admin, list);
    }

    private Task<TrustDecision> CheckAsync(IssuerList list, IssuerRef issuer, TrustDomains domain, Bytes32? thumbprint = null) =>
        f.Reader.CheckListedAsync(list.Prove(issuer) ?? throw new InvalidOperationException($"{issuer} not listed"), domain, thumbprint);

    [Fact]
    public async Task Every_issuer_in_the_committed_list_is_trusted_with_one_read_of_the_chain()
    {
        var (_, _, list) = await CommittedAsync();
        foreach (var entry in list.Entries)
        {
            var domain = entry.Domains;
            var before = f.Connection.Rpc.RoundTrips;
            var decision = await CheckAsync(list, entry.Issuer, domain, entry.Thumbprint);
            Assert.Equal(1, f.Connection.Rpc.RoundTrips - before);
            Assert.True(decision.Trusted, $"{entry.Issuer}: {decision.Reason}");
            Assert.Equal(entry.Issuer, decision.Entry!.Issuer);
        }
    }

    [Fact]
    public async Task An_issuer_not_in_the_list_is_refused_even_with_a_proof_borrowed_from_a_listed_one()
    {
        var (country, _, list) = await CommittedAsync();
        Assert.Null(list.Prove(Clinic));
        var borrowed = list.Prove(Moh)!;

        var forged = borrowed with { Entry = new ListedIssuer(Clinic, TrustDomains.Icvp) };
        Assert.Equal(TrustReason.ListProofInvalid, (await f.Reader.CheckListedAsync(forged, TrustDomains.Icvp)).Reason);
        // The listed issuer's own entry with widened domains is not in the tree either.
        var widened = borrowed with { Entry = borrowed.Entry with { Domains = TrustDomains.Icvp | TrustDomains.Dcc } };
        Assert.Equal(TrustReason.ListProofInvalid, (await f.Reader.CheckListedAsync(widened, TrustDomains.Dcc)).Reason);
        // A list nobody committed (its own root, a valid proof within it) is not this participant's list.
        var own = IssuerList.Build(country, [new ListedIssuer(Clinic, TrustDomains.Icvp)]);
        Assert.Equal(TrustReason.ListProofStale, (await f.Reader.CheckListedAsync(own.Prove(Clinic)!, TrustDomains.Icvp)).Reason);
        // A participant that never committed a list.
        var (other, _, _) = await f.OnboardAsync(TrustDomains.Icvp);
        var elsewhere = IssuerList.Build(other, [new ListedIssuer(Moh, TrustDomains.Icvp)]);
        Assert.Equal(TrustReason.IssuerNotRegistered, (await f.Reader.CheckListedAsync(elsewhere.Prove(Moh)!, TrustDomains.Icvp)).Reason);
    }

    [Fact]
    public async Task A_proof_against_an_earlier_root_is_refused_after_a_new_list_is_committed()
    {
        var (country, admin, first) = await CommittedAsync();
        var stale = first.Prove(Moh)!;
        Assert.True((await f.Reader.CheckListedAsync(stale, TrustDomains.Icvp)).Trusted);

        var second = IssuerList.Build(country, [.. Issuers(), new ListedIssuer(Clinic, TrustDomains.Icvp)]);
        await f.Client.ExecuteAsync(second.Commit(), admin);

        var decision = await f.Reader.CheckListedAsync(stale, TrustDomains.Icvp);
        Assert.False(decision.Trusted);
        Assert.Equal(TrustReason.ListProofStale, decision.Reason);
        Assert.True((await CheckAsync(second, Moh, TrustDomains.Icvp)).Trusted);
        Assert.True((await CheckAsync(second, Clinic, TrustDomains.Icvp)).Trusted);
    }

    [Fact]
    public async Task A_suspended_or_removed_listed_issuer_is_refused()
    {
        var (country, admin, first) = await CommittedAsync();
        var beforeSuspension = first.Prove(Lab)!;

        // Suspension: the issuer stays listed with its status.
        var suspended = IssuerList.Build(country, Issuers().Select(i => i.Issuer == Lab ? i with { Status = EntryStatus.Suspended } : i));
        await f.Client.ExecuteAsync(suspended.Commit(), admin);
        Assert.Equal(TrustReason.IssuerSuspended, (await CheckAsync(suspended, Lab, TrustDomains.Icvp)).Reason);
        Assert.Equal(TrustReason.ListProofStale, (await f.Reader.CheckListedAsync(beforeSuspension, TrustDomains.Icvp)).Reason);
        // Claiming Active in the suspended list's tree does not verify.
        var claimed = suspended.Prove(Lab)! with { Entry = suspended.Prove(Lab)!.Entry with { Status = EntryStatus.Active } };
        Assert.Equal(TrustReason.ListProofInvalid, (await f.Reader.CheckListedAsync(claimed, TrustDomains.Icvp)).Reason);

        // Removal: the next list leaves it out, so it has no proof, and the last one is stale.
        var removed = IssuerList.Build(country, Issuers().Where(i => i.Issuer != Lab));
        var write = await f.Client.ExecuteAsync(removed.Commit(), admin);
        Assert.Null(removed.Prove(Lab));
        Assert.Equal(TrustReason.ListProofStale, (await f.Reader.CheckListedAsync(suspended.Prove(Lab)!, TrustDomains.Icvp)).Reason);
        Assert.True((await CheckAsync(removed, Moh, TrustDomains.Icvp)).Trusted);
        // A new root is one write of constant size (two storage slots rewritten), whatever the list holds.
        Assert.InRange(write.GasUsed, 21_000, 60_000);
    }

    [Fact]
    public async Task Participant_status_domains_validity_and_thumbprint_are_checked_as_for_on_chain_entries()
    {
        var now = await f.BlockTimeAsync();
        var (country, admin, list) = await CommittedAsync(
        [
            new(Moh, TrustDomains.Icvp),
            new(Lab, TrustDomains.Icvp, ValidFrom: now.AddDays(30)),
            new(Clinic, TrustDomains.Icvp, ValidUntil: now.AddDays(-1)),
            new(Dsc, TrustDomains.Dcc, Thumbprint: Thumbprint("dsc")),
        ]);
        Assert.Equal(TrustReason.DomainNotAuthorized, (await CheckAsync(list, Moh, TrustDomains.Dcc)).Reason);
        Assert.Equal(TrustReason.DomainNotOnboarded, (await CheckAsync(list, Moh, TrustDomains.Ddcc)).Reason);
        Assert.Equal(TrustReason.NotYetValid, (await CheckAsync(list, Lab, TrustDomains.Icvp)).Reason);
        Assert.Equal(TrustReason.Expired, (await CheckAsync(list, Clinic, TrustDomains.Icvp)).Reason);
        Assert.Equal(TrustReason.ThumbprintMismatch, (await CheckAsync(list, Dsc, TrustDomains.Dcc, Thumbprint("other"))).Reason);
        Assert.True((await CheckAsync(list, Dsc, TrustDomains.Dcc, Thumbprint("dsc"))).Trusted);

        await f.Client.ExecuteAsync(TrustOperation.SuspendParticipant(country), f.Anchor);
        Assert.Equal(TrustReason.ParticipantSuspended, (await CheckAsync(list, Moh, TrustDomains.Icvp)).Reason);
        await f.Client.ExecuteAsync(TrustOperation.ReinstateParticipant(country), f.Anchor);
        Assert.True((await CheckAsync(list, Moh, TrustDomains.Icvp)).Trusted);
    }

    [Fact]
    public async Task On_chain_entries_and_a_committed_list_coexist_and_the_audit_trail_shows_the_list()
    {
        var (country, admin, list) = await CommittedAsync();
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, Clinic, TrustDomains.Icvp)), admin);

        Assert.True((await f.Reader.CheckAsync(new TrustQuery(country, Clinic, TrustDomains.Icvp))).Trusted);
        Assert.True((await CheckAsync(list, Moh, TrustDomains.Icvp)).Trusted);
        // Listed issuers are not on-chain entries: the per-issuer path does not know them.
        Assert.Equal(TrustReason.IssuerNotRegistered, (await f.Reader.CheckAsync(new TrustQuery(country, Moh, TrustDomains.Icvp))).Reason);

        var trail = await f.Reader.GetAuditTrailAsync(country);
        var set = Assert.Single(trail.OfType<IssuerListSet>());
        Assert.Equal((list.Root, list.Count, 1), (set.Root, set.LeafCount, set.Version));
        Assert.Equal(admin.GetPublicAddress(), set.Actor, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Only_the_participant_admin_commits_its_list()
    {
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Icvp);
        var list = IssuerList.Build(country, [new ListedIssuer(Moh, TrustDomains.Icvp)]);
        var stranger = await f.FundedKeyAsync();
        await Refused(TrustRegistryError.NotParticipantAdmin, () => f.Client.ExecuteAsync(list.Commit(), stranger));
        await Refused(TrustRegistryError.NotParticipantAdmin, () => f.Client.ExecuteAsync(list.Commit(), stranger, WriteMode.Relayed));
        await Refused(TrustRegistryError.NotParticipantAdmin, () => f.Client.ExecuteAsync(list.Commit(), f.Anchor));
        await Refused(TrustRegistryError.InvalidSnapshot, () => f.Client.ExecuteAsync(new SetIssuerList(country, Bytes32.Zero, 0), admin));
        await f.Client.ExecuteAsync(list.Commit(), admin, WriteMode.Relayed);
        Assert.True((await f.Reader.CheckListedAsync(list.Prove(Moh)!, TrustDomains.Icvp)).Trusted);
    }
}

/// <summary>The list and proof documents, without a chain.</summary>
public sealed class IssuerListDocumentTests
{
    private static readonly CountryCode Ken = CountryCode.Parse("KEN");

    private static IssuerList List(int n) => IssuerList.Build(Ken, Enumerable.Range(0, n).Select(i =>
        i % 3 == 0
            ? new ListedIssuer(IssuerRef.Kid(BitConverter.GetBytes((long)i)), TrustDomains.Dcc, Thumbprint: Thumbprint($"c{i}"))
            : new ListedIssuer(IssuerRef.Did($"did:web:issuer-{i}.example"), TrustDomains.Icvp,
                ValidFrom: DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), Status: i % 7 == 0 ? EntryStatus.Suspended : EntryStatus.Active)));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(1000)]
    public void Every_entry_has_a_proof_that_verifies_against_the_root_and_only_at_its_own_index(int n)
    {
        var list = List(n);
        Assert.Equal(n, list.Count);
        foreach (var entry in list.Entries)
        {
            var proof = list.Prove(entry.Issuer)!;
            Assert.True(proof.Verifies());
            Assert.True(proof.Path.Count <= 10);
            if (n > 1) Assert.False((proof with { Index = (proof.Index + 1) % n }).Verifies());
        }
    }

    [Fact]
    public void The_root_does_not_depend_on_input_order_and_survives_the_json_round_trip()
    {
        var list = List(50);
        var shuffled = IssuerList.Build(Ken, list.Entries.Reverse());
        Assert.Equal(list.Root, shuffled.Root);
        var parsed = IssuerList.Parse(Encoding.UTF8.GetBytes(list.ToJson()));
        Assert.Equal(list.Root, parsed.Root);

        var proof = list.Prove(list.Entries[17].Issuer)!;
        var again = ListedIssuerProof.Parse(Encoding.UTF8.GetBytes(proof.ToJson()));
        Assert.True(again.Verifies());
        Assert.Equal(proof.Root, again.Root);
        Assert.Equal(proof.Path, again.Path);
    }

    [Fact]
    public void Bad_lists_and_proofs_are_refused_with_a_typed_error()
    {
        var moh = IssuerRef.Did("did:web:moh.example");
        TrustRegistryError Error(Action a) => Assert.Throws<TrustRegistryException>(a).Error;
        Assert.Equal(TrustRegistryError.InvalidInput, Error(() => IssuerList.Build(Ken, [new(moh, TrustDomains.Icvp), new(moh, TrustDomains.Dcc)])));
        Assert.Equal(TrustRegistryError.InvalidIssuer, Error(() => IssuerList.Build(Ken, [new(IssuerRef.Kid([1]), TrustDomains.Dcc)])));
        Assert.Equal(TrustRegistryError.InvalidIssuer, Error(() => IssuerList.Build(Ken, [new(moh, TrustDomains.Icvp, Thumbprint: Thumbprint("x"))])));
        Assert.Equal(TrustRegistryError.InvalidDomains, Error(() => IssuerList.Build(Ken, [new(moh, TrustDomains.None)])));
        Assert.Equal(TrustRegistryError.InvalidInput, Error(() => IssuerList.Build(Ken, [new(moh, TrustDomains.Icvp, Status: EntryStatus.Removed)])));
        Assert.Equal(TrustRegistryError.InvalidValidity, Error(() => IssuerList.Build(Ken,
            [new(moh, TrustDomains.Icvp, ValidFrom: DateTimeOffset.UnixEpoch.AddDays(2), ValidUntil: DateTimeOffset.UnixEpoch.AddDays(1))])));

        Assert.Equal(TrustRegistryError.InvalidInput, Error(() => IssuerList.Parse("{"u8)));
        Assert.Equal(TrustRegistryError.InvalidInput, Error(() => IssuerList.Parse("""{"country":"KEN"}"""u8)));
        Assert.Equal(TrustRegistryError.InvalidInput, Error(() => IssuerList.Parse("""{"country":"KEN","issuers":[],"extra":1}"""u8)));
        Assert.Equal(TrustRegistryError.InvalidInput, Error(() => IssuerList.Parse(new byte[IssuerList.MaxDocumentBytes + 1])));
        Assert.Equal(TrustRegistryError.InvalidCountryCode, Error(() => IssuerList.Parse("""{"country":"ke","issuers":[]}"""u8)));

        var proof = List(3).Prove(IssuerRef.Did("did:web:issuer-1.example"))!;
        var longPath = proof with { Path = Enumerable.Repeat(proof.Root, ListedIssuerProof.MaxPathLength + 1).ToArray() };
        Assert.False(longPath.Verifies());
        Assert.Equal(TrustRegistryError.InvalidInput, Error(() => ListedIssuerProof.Parse(Encoding.UTF8.GetBytes(longPath.ToJson()))));
        Assert.Equal(TrustRegistryError.InvalidInput, Error(() => ListedIssuerProof.Parse("""{"country":"KEN"}"""u8)));
    }
}
