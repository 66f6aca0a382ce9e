using System.Text.Json.Nodes;
using Vc.Agent.Storage;

namespace Vc.Node.Tests;

public sealed class StorageTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("vchealth-store-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Api_key_authenticates_only_with_its_exact_secret_and_keeps_its_scopes()
    {
        var keys = new ApiKeys(await NodeStore.OpenAsync(_data));
        var key = await keys.CreateAsync(ApiScope.Issue | ApiScope.Revoke, "ministry issuer");

        var info = await keys.AuthenticateAsync(key.Secret);
        Assert.NotNull(info);
        Assert.Equal(ApiScope.Issue | ApiScope.Revoke, info.Scopes);
        Assert.Null(await keys.AuthenticateAsync(key.Secret[..^1] + (key.Secret[^1] == 'A' ? 'B' : 'A')));
        Assert.Null(await keys.AuthenticateAsync("vch_garbage"));
        Assert.DoesNotContain(key.Secret, key.ToString());

        Assert.True(await keys.RevokeAsync(key.Info.Id));
        Assert.Null(await keys.AuthenticateAsync(key.Secret));
    }

    [Fact]
    public async Task Only_a_hash_of_the_api_key_is_stored()
    {
        var store = await NodeStore.OpenAsync(_data);
        var key = await new ApiKeys(store).CreateAsync(ApiScope.All, "admin");
        var secretPart = key.Secret.Split('_', 3)[2];
        var raw = await File.ReadAllBytesAsync(store.Path);
        Assert.Equal(-1, raw.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(secretPart)));
    }

    [Fact]
    public async Task Issuer_keys_are_encrypted_at_rest_and_bound_to_their_issuer()
    {
        var store = await NodeStore.OpenAsync(_data);
        var protector = KeyProtector.FromConfiguration(_data);
        var issuers = new IssuerStore(store, protector);
        var secret = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var record = new IssuerRecord("moh-ke", "did:key:z6Mk", "key", "did:key:z6Mk#z6Mk", "eddsa-rdfc-2022", "Ed25519", DateTimeOffset.UtcNow, new JsonObject());

        await issuers.AddAsync(record, secret, null);

        Assert.Equal(secret, await issuers.SigningKeyAsync("moh-ke"));
        var raw = await File.ReadAllBytesAsync(store.Path);
        Assert.Equal(-1, raw.AsSpan().IndexOf(secret));
        var sealedForOther = protector.Protect(secret, "other/signing");
        Assert.Throws<StoreException>(() => protector.Unprotect(sealedForOther, "moh-ke/signing"));
        await Assert.ThrowsAsync<StoreException>(() => issuers.AddAsync(record, secret, null));
    }

    /// <summary>The status lists of a fresh store holding one issuer, "i".</summary>
    private async Task<StatusListStore> ListsOfIssuerIAsync()
    {
        var store = await NodeStore.OpenAsync(_data);
        await new IssuerStore(store, KeyProtector.FromConfiguration(_data)).AddAsync(
            new IssuerRecord("i", "did:key:z", "key", "did:key:z#z", "eddsa-rdfc-2022", "Ed25519", DateTimeOffset.UtcNow, new JsonObject()), new byte[32], null);
        return new StatusListStore(store);
    }

    [Fact]
    public async Task Status_indexes_are_random_and_never_handed_out_twice_even_under_concurrency()
    {
        var lists = await ListsOfIssuerIAsync();
        await lists.EnsureListAsync("i-revocation-1", "i", "revocation");

        var allocations = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ =>
            Task.Run(() => lists.AllocateAsync("i-revocation-1", "i", null, "VerifiableCredential"))));

        Assert.Equal(40, allocations.Select(a => a.Index).Distinct().Count());
        Assert.All(allocations, a => Assert.InRange(a.Index, 0, StatusListStore.DefaultSize - 1));
        Assert.Equal(allocations.Select(a => a.Index).Order(), (await lists.AllocatedAsync("i-revocation-1")).Order());
        Assert.Equal(40, await lists.IssuedCountAsync("i"));
    }

    [Fact]
    public async Task A_reservation_hears_its_index_before_the_commit_and_the_log_holds_it_once_committed()
    {
        var lists = await ListsOfIssuerIAsync();
        await lists.EnsureListAsync("i-revocation-1", "i", "revocation");

        var reservations = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ =>
            Task.Run(() => lists.ReserveAsync("i-revocation-1", "i", null, "VerifiableCredential"))));
        await Task.WhenAll(reservations.Select(r => r.Committed));

        Assert.Equal(24, reservations.Select(r => r.Allocation.Index).Distinct().Count());
        Assert.Equal(reservations.Select(r => r.Allocation.Index).Order(), (await lists.AllocatedAsync("i-revocation-1")).Order());
        // A reservation that cannot be made is refused at once; there is nothing to commit.
        var refused = await Assert.ThrowsAsync<StoreException>(() => lists.ReserveAsync("no-such-list", "i", null, "VerifiableCredential"));
        Assert.Contains("does not exist", refused.Message);
    }

    [Fact]
    public async Task A_reservation_is_refused_in_its_transaction_once_its_api_key_is_revoked_or_its_signing_key_changed()
    {
        var store = await NodeStore.OpenAsync(_data);
        var issuers = new IssuerStore(store, KeyProtector.FromConfiguration(_data));
        await issuers.AddAsync(new IssuerRecord("i", "did:ethr:0x1", "ethr", "did:ethr:0x1#delegate-1", "eddsa-rdfc-2022", "Ed25519", DateTimeOffset.UtcNow, new JsonObject()), new byte[32], null);
        var lists = new StatusListStore(store);
        await lists.EnsureListAsync("i-revocation-1", "i", "revocation");
        var keys = new ApiKeys(store);
        var key = await keys.CreateAsync(ApiScope.Issue, "issuing service");
        var read = (await issuers.FindForSigningAsync("i"))!;
        Task<StatusReservation> Reserve(StoredSigningKey signing, string? apiKey) =>
            lists.ReserveAsync("i-revocation-1", "i", null, "VerifiableCredential", new IssuanceBasis(signing, apiKey));

        await (await Reserve(read, key.Info.Id)).Committed; // both as read: logged

        await issuers.RotateAsync("i", "did:ethr:0x1#delegate-2", new byte[32]);
        var rotated = await Assert.ThrowsAsync<IssuanceBasisException>(() => Reserve(read, key.Info.Id));
        Assert.False(rotated.ApiKeyRevoked);
        var current = (await issuers.FindForSigningAsync("i"))!;
        await (await Reserve(current, key.Info.Id)).Committed;

        Assert.True(await keys.RevokeAsync(key.Info.Id));
        var revoked = await Assert.ThrowsAsync<IssuanceBasisException>(() => Reserve(current, key.Info.Id));
        Assert.True(revoked.ApiKeyRevoked);
        Assert.False(await keys.IsActiveAsync(key.Info.Id));
        // A request without an API key (the CLI, on the operator's own data) is checked for its signing key only.
        await (await Reserve(current, null)).Committed;
        Assert.Equal(3, (await lists.AllocatedAsync("i-revocation-1")).Count);
    }

    [Fact]
    public async Task A_recalled_api_key_is_the_one_authenticated_before_and_is_forgotten_when_revoked()
    {
        var keys = new ApiKeys(await NodeStore.OpenAsync(_data));
        var key = await keys.CreateAsync(ApiScope.Issue, "issuing service");
        Assert.Null(await keys.RecallAsync(key.Secret[..^1] + (key.Secret[^1] == 'A' ? 'B' : 'A'))); // never recalled without a match
        Assert.Equal(key.Info.Id, (await keys.RecallAsync(key.Secret))?.Id);

        // Revoked elsewhere (another node, the CLI): still recalled here until an issuance finds it revoked in its
        // transaction and forgets it, or a direct read finds it gone.
        var elsewhere = new ApiKeys(await NodeStore.OpenAsync(_data));
        await elsewhere.RevokeAsync(key.Info.Id);
        Assert.NotNull(await keys.RecallAsync(key.Secret));
        keys.Forget(key.Info.Id);
        Assert.Null(await keys.RecallAsync(key.Secret));

        var second = await keys.CreateAsync(ApiScope.Issue, "second service");
        Assert.NotNull(await keys.RecallAsync(second.Secret));
        await elsewhere.RevokeAsync(second.Info.Id);
        Assert.Null(await keys.AuthenticateAsync(second.Secret));
        Assert.Null(await keys.RecallAsync(second.Secret));
    }

    [Fact]
    public async Task A_full_status_list_refuses_further_allocations()
    {
        var lists = await ListsOfIssuerIAsync();
        await lists.EnsureListAsync("tiny", "i", "revocation", size: 8);
        var indexes = new List<int>();
        for (var i = 0; i < 8; i++) indexes.Add((await lists.AllocateAsync("tiny", "i", null, "VerifiableCredential")).Index);

        Assert.Equal(Enumerable.Range(0, 8), indexes.Order());
        var e = await Assert.ThrowsAsync<StoreException>(() => lists.AllocateAsync("tiny", "i", null, "VerifiableCredential"));
        Assert.Contains("full", e.Message);
    }

    [Fact]
    public async Task Status_bits_follow_the_bitstring_order_from_the_left()
    {
        var lists = await ListsOfIssuerIAsync();
        await lists.EnsureListAsync("l", "i", "revocation");

        await lists.SetAsync("l", 0, true);
        await lists.SetAsync("l", 9, true);
        var (bits, purpose, _, _) = (await lists.ReadAsync("l"))!.Value;

        Assert.Equal(StatusListStore.DefaultSize / 8, bits.Length);
        Assert.Equal(0x80, bits[0]);
        Assert.Equal(0x40, bits[1]);
        Assert.Equal("revocation", purpose);
        await Assert.ThrowsAsync<StoreException>(() => lists.SetAsync("l", StatusListStore.DefaultSize, true));
    }

    [Fact]
    public async Task A_wrong_master_key_is_a_clear_error_not_garbage()
    {
        var store = await NodeStore.OpenAsync(_data);
        var issuers = new IssuerStore(store, KeyProtector.FromConfiguration(_data));
        await issuers.AddAsync(new IssuerRecord("x", "did:key:z", "key", "did:key:z#z", "eddsa-rdfc-2022", "Ed25519", DateTimeOffset.UtcNow, new JsonObject()), new byte[32], null);
        File.WriteAllBytes(Path.Combine(_data, "master.key"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var reopened = new IssuerStore(store, KeyProtector.FromConfiguration(_data));
        var e = await Assert.ThrowsAsync<StoreException>(() => reopened.SigningKeyAsync("x"));
        Assert.Contains("master key", e.Message);
    }
}
