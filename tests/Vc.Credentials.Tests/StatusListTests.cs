using System.IO.Compression;
using System.Text.Json.Nodes;
using Vc.Credentials.Issuance;
using Vc.Credentials.StatusList;
using Vc.Credentials.Verification;

namespace Vc.Credentials.Tests;

/// <summary>Bitstring Status List (W3C REC): encoding, allocation, revocation/suspension, and checks on verify.</summary>
public sealed class StatusListTests
{
    private const string Url = "https://issuer.example/status/7";
    private static readonly VerificationOptions At = new() { Now = Fixtures.Now };

    [Fact]
    public void Bit_zero_is_the_leftmost_bit_of_the_first_byte_and_the_list_round_trips_through_gzip_base64url()
    {
        var bits = new Bitstring();
        bits[0] = true;
        bits[9] = true;
        bits[Bitstring.MinimumLength - 1] = true;

        var encoded = bits.Encode();
        Assert.StartsWith("u", encoded);
        var raw = new MemoryStream();
        using (var gz = new GZipStream(new MemoryStream(System.Buffers.Text.Base64Url.DecodeFromChars(encoded.AsSpan(1))), CompressionMode.Decompress)) gz.CopyTo(raw);
        var bytes = raw.ToArray();
        Assert.Equal(16_384, bytes.Length);
        Assert.Equal(0x80, bytes[0]);
        Assert.Equal(0x40, bytes[1]);
        Assert.Equal(0x01, bytes[^1]);

        var decoded = Bitstring.Decode(encoded);
        Assert.True(decoded[0] && decoded[9] && decoded[Bitstring.MinimumLength - 1]);
        Assert.False(decoded[1]);
    }

    [Fact]
    public void A_list_shorter_than_131072_entries_is_refused_on_creation_and_on_decoding()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Bitstring(1024));
        var small = new MemoryStream();
        using (var gz = new GZipStream(small, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(new byte[1024]);
        var encoded = "u" + System.Buffers.Text.Base64Url.EncodeToString(small.ToArray());

        Assert.Equal(ProblemCode.StatusListLengthError, Assert.Throws<CredentialException>(() => Bitstring.Decode(encoded)).Code);
    }

    [Fact]
    public void A_gzip_bomb_is_stopped_at_the_cap()
    {
        var big = new MemoryStream();
        using (var gz = new GZipStream(big, CompressionLevel.SmallestSize, leaveOpen: true))
            for (var i = 0; i < 64; i++) gz.Write(new byte[1 << 20]); // 64 MiB of zeros, ≈ 64 KB compressed
        var encoded = "u" + System.Buffers.Text.Base64Url.EncodeToString(big.ToArray());

        var e = Assert.Throws<CredentialException>(() => Bitstring.Decode(encoded, maxLength: 1 << 24));
        Assert.Equal(ProblemCode.StatusListLengthError, e.Code);
    }

    [Theory]
    [InlineData("zNotBase64url")]
    [InlineData("u!!!")]
    [InlineData("uAAAA")]
    public void Malformed_encodedList_is_a_StatusVerificationError(string encoded)
    {
        Assert.Equal(ProblemCode.StatusVerificationError, Assert.Throws<CredentialException>(() => Bitstring.Decode(encoded)).Code);
    }

    [Fact]
    public void Allocation_hands_out_distinct_random_indexes_and_revocation_cannot_be_undone()
    {
        var list = new StatusListManager(Url, StatusPurposes.Revocation);
        var entries = Enumerable.Range(0, 2000).Select(_ => list.Allocate()).ToArray();

        Assert.Equal(2000, entries.Select(e => e.StatusListIndex).Distinct().Count());
        Assert.False(entries.Select(e => e.StatusListIndex).SequenceEqual(Enumerable.Range(entries[0].StatusListIndex, 2000)));
        Assert.Equal(Bitstring.MinimumLength - 2000, list.Available);

        list.SetStatus(entries[5].StatusListIndex, true);
        Assert.True(list.GetStatus(entries[5].StatusListIndex));
        Assert.Throws<InvalidOperationException>(() => list.SetStatus(entries[5].StatusListIndex, false));
        Assert.Throws<InvalidOperationException>(() => list.SetStatus(entries.Max(e => e.StatusListIndex) + 1 is var i && entries.All(e => e.StatusListIndex != i) && i < list.Length ? i : -1, true));
    }

    [Fact]
    public void A_list_restored_from_its_snapshot_keeps_bits_and_allocations()
    {
        var list = new StatusListManager(Url, StatusPurposes.Suspension);
        var e = list.Allocate();
        list.SetStatus(e.StatusListIndex, true);

        var restored = StatusListManager.Restore(Url, StatusPurposes.Suspension, list.SnapshotBits(), list.AllocatedIndexes);

        Assert.True(restored.GetStatus(e.StatusListIndex));
        Assert.Equal(list.Available, restored.Available);
    }

    [Fact]
    public void The_entry_and_the_list_credential_have_the_REC_shape()
    {
        var list = new StatusListManager(Url, StatusPurposes.Revocation);
        var entry = list.Allocate().ToJson();
        var vc = list.BuildCredential("did:example:issuer", Fixtures.Now);

        Assert.Equal("BitstringStatusListEntry", entry["type"]!.GetValue<string>());
        Assert.IsType<string>(entry["statusListIndex"]!.GetValue<object>() is System.Text.Json.JsonElement j ? j.GetString() : entry["statusListIndex"]!.GetValue<string>());
        Assert.Equal(Url, entry["statusListCredential"]!.GetValue<string>());
        Assert.Equal(["VerifiableCredential", "BitstringStatusListCredential"], vc["type"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("BitstringStatusList", vc["credentialSubject"]!["type"]!.GetValue<string>());
        Assert.StartsWith("u", vc["credentialSubject"]!["encodedList"]!.GetValue<string>());
    }

    private static async Task<(TestStack Stack, CredentialIssuer Issuer, StatusListManager List, InMemoryStatusListStore Store, JsonObject Vc)> SetupAsync(string purpose)
    {
        var store = new InMemoryStatusListStore();
        var stack = new TestStack(store);
        var issuer = new CredentialIssuer(stack.Proofs, IssuerProfile.ForDidKey(Fixtures.IssuerKey()));
        var list = new StatusListManager(Url, purpose);
        var vc = await issuer.IssueAsync(Fixtures.UnsignedIcvp(issuer.Profile, status: list.Allocate()), Fixtures.Now);
        await PublishAsync(issuer, list, store);
        return (stack, issuer, list, store, vc);
    }

    private static async Task PublishAsync(CredentialIssuer issuer, StatusListManager list, InMemoryStatusListStore store) =>
        store.Publish(Url, await issuer.IssueAsync(list.BuildCredential(issuer.Profile.Issuer, Fixtures.Now.AddDays(-1)), Fixtures.Now));

    private static int Index(JsonObject vc) => int.Parse(vc["credentialStatus"]!["statusListIndex"]!.GetValue<string>());

    [Fact]
    public async Task Suspension_is_reported_and_lifting_it_makes_the_credential_valid_again()
    {
        var (stack, issuer, list, store, vc) = await SetupAsync(StatusPurposes.Suspension);
        Assert.True((await stack.Verifier.VerifyAsync(vc, At)).Verified);

        list.SetStatus(Index(vc), true);
        await PublishAsync(issuer, list, store);
        Assert.Equal([ProblemCode.Suspended], (await stack.Verifier.VerifyAsync(vc, At)).ProblemDetails.Select(p => p.Code));

        list.SetStatus(Index(vc), false);
        await PublishAsync(issuer, list, store);
        Assert.True((await stack.Verifier.VerifyAsync(vc, At)).Verified);
    }

    [Fact]
    public async Task An_unreachable_list_is_a_StatusRetrievalError()
    {
        var (_, _, _, _, vc) = await SetupAsync(StatusPurposes.Revocation);
        var verifierWithEmptyStore = new TestStack(new InMemoryStatusListStore()).Verifier;
        var verifierWithoutFetcher = new TestStack().Verifier;
        Assert.Equal([ProblemCode.StatusRetrievalError], (await verifierWithEmptyStore.VerifyAsync(vc, At)).ProblemDetails.Select(p => p.Code));
        Assert.Equal([ProblemCode.StatusRetrievalError], (await verifierWithoutFetcher.VerifyAsync(vc, At)).ProblemDetails.Select(p => p.Code));
    }

    [Fact]
    public async Task A_list_signed_by_another_issuer_or_tampered_is_a_StatusVerificationError()
    {
        var (stack, _, list, store, vc) = await SetupAsync(StatusPurposes.Revocation);
        var mallory = new CredentialIssuer(stack.Proofs, IssuerProfile.ForDidKey(Keys.Ed25519SigningKey.Generate()));
        store.Publish(Url, await mallory.IssueAsync(list.BuildCredential(mallory.Profile.Issuer, Fixtures.Now.AddDays(-1)), Fixtures.Now));
        Assert.Equal([ProblemCode.StatusVerificationError], (await stack.Verifier.VerifyAsync(vc, At)).ProblemDetails.Select(p => p.Code));

        var issuer = new CredentialIssuer(stack.Proofs, IssuerProfile.ForDidKey(Fixtures.IssuerKey()));
        list.SetStatus(Index(vc), true);
        var signed = await issuer.IssueAsync(list.BuildCredential(issuer.Profile.Issuer, Fixtures.Now.AddDays(-1)), Fixtures.Now);
        signed["credentialSubject"]!["encodedList"] = new Bitstring().Encode(); // an attacker clearing the revocation bit
        store.Publish(Url, signed);
        Assert.Equal([ProblemCode.StatusVerificationError], (await stack.Verifier.VerifyAsync(vc, At)).ProblemDetails.Select(p => p.Code));
    }

    [Fact]
    public async Task An_index_beyond_the_list_is_a_StatusListLengthError()
    {
        var (stack, issuer, _, _, _) = await SetupAsync(StatusPurposes.Revocation);
        var entry = new StatusListEntry(Url, StatusPurposes.Revocation, Bitstring.MinimumLength + 5);
        var vc = await issuer.IssueAsync(Fixtures.UnsignedIcvp(issuer.Profile, status: entry), Fixtures.Now);
        var result = await stack.Verifier.VerifyAsync(vc, At);
        Assert.Equal([ProblemCode.StatusListLengthError], result.ProblemDetails.Select(p => p.Code));
    }

    [Fact]
    public async Task More_status_entries_than_the_cap_are_refused_without_fetching()
    {
        var (stack, issuer, list, _, _) = await SetupAsync(StatusPurposes.Revocation);
        var unsigned = Fixtures.UnsignedIcvp(issuer.Profile);
        unsigned["credentialStatus"] = new JsonArray(Enumerable.Range(0, CredentialVerifier.MaxStatusEntries + 1).Select(_ => (JsonNode?)list.Allocate().ToJson()).ToArray());
        var vc = await issuer.IssueAsync(unsigned, Fixtures.Now);

        Assert.Equal([ProblemCode.StatusVerificationError], (await stack.Verifier.VerifyAsync(vc, At)).ProblemDetails.Select(p => p.Code));
    }

    [Fact]
    public async Task A_multi_bit_status_entry_is_refused_as_unsupported()
    {
        var (stack, issuer, list, _, _) = await SetupAsync(StatusPurposes.Revocation);
        var entry = list.Allocate().ToJson();
        entry["statusSize"] = 2;
        var unsigned = Fixtures.UnsignedIcvp(issuer.Profile);
        unsigned["credentialStatus"] = entry;
        var vc = await issuer.IssueAsync(unsigned, Fixtures.Now);

        var result = await stack.Verifier.VerifyAsync(vc, At);

        Assert.Equal([ProblemCode.StatusVerificationError], result.ProblemDetails.Select(p => p.Code));
    }

    [Fact]
    public async Task A_suspension_entry_against_a_revocation_list_is_a_StatusVerificationError()
    {
        var (stack, issuer, _, _, _) = await SetupAsync(StatusPurposes.Revocation);
        var vc = await issuer.IssueAsync(Fixtures.UnsignedIcvp(issuer.Profile, status: new StatusListEntry(Url, StatusPurposes.Suspension, 3)), Fixtures.Now);
        Assert.Equal([ProblemCode.StatusVerificationError], (await stack.Verifier.VerifyAsync(vc, At)).ProblemDetails.Select(p => p.Code));
    }
}
