using System.Text.Json.Nodes;
using Vc.Did.Core;
using Vc.Did.Ethr;
using Vc.Did.Ledger;
using Vc.Did.Tests.Ledger;

namespace Vc.Did.Tests.Ethr;

[Collection(LedgerCollection.Name)]
public sealed class EthrDidClientTests(LedgerFixture ledger)
{
    [Fact]
    public async Task The_index_persists_in_sqlite_and_refuses_a_database_of_another_registry()
    {
        var dir = Directory.CreateTempSubdirectory("vchealth-index-").FullName;
        try
        {
            var path = Path.Combine(dir, "ethr-index.db");
            var issuer = EthrIdentity.Create();
            string first;
            await using (var client = await EthrDidClient.OpenAsync(ledger.Connection, indexPath: path))
            {
                await client.Writer!.AddServiceAsync(issuer, issuer.Address, "Hub", "https://hub.example", TimeSpan.FromHours(1));
                first = (await client.ResolveJsonAsync(issuer.Did("anvil"))).Json;
                Assert.Contains("https://hub.example", first);
            }
            await using (var reopened = await EthrDidClient.OpenAsync(ledger.Connection, indexPath: path))
            {
                Assert.True(await reopened.Index.IndexedToAsync() > 0);
                Assert.Equal(first, (await reopened.ResolveJsonAsync(issuer.Did("anvil"))).Json);
            }
            var e = await Assert.ThrowsAsync<EthrIndexException>(() =>
                EthrDidClient.OpenReadOnlyAsync(ledger.Connection.RpcUrl, "0x000000000000000000000000000000000000dEaD", "anvil", path));
            Assert.Contains("not chain", e.Message);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_following_index_answers_within_its_max_sync_age_without_any_round_trip()
    {
        var conn = ledger.Connection;
        var network = new EthrNetwork("anvil", conn.ChainId, conn.RpcUrl, conn.Contracts[ContractArtifact.DidRegistry]);
        var writer = new EthrDidWriter(conn.Web3, conn.RelayerAddress, network.RegistryAddress, conn.ChainId);
        var issuer = EthrIdentity.Create();
        await writer.AddServiceAsync(issuer, issuer.Address, "Hub", "https://hub.example", TimeSpan.FromHours(1));
        using var counting = new LedgerRpc(conn.RpcUrl);
        await using var index = await EthrEventIndex.OpenAsync(":memory:", counting.Client, network, new EthrIndexOptions { MaxSyncAge = TimeSpan.FromMinutes(5) });
        using var stop = new CancellationTokenSource();
        var follower = index.FollowAsync(TimeSpan.FromMilliseconds(100), stop.Token);
        // Synced now (whether the follower's first tick or this call comes first): within the max sync age, a
        // resolution needs no round trip of its own.
        var head = await conn.BlockNumberAsync();
        Assert.True(await index.SyncAsync() >= head);
        counting.ResetRoundTrips();
        var result = await new EthrDidResolver(network, index).ResolveAsync(issuer.Did("anvil"));
        var roundTrips = counting.RoundTrips;
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => follower);
        Assert.Single(result.DidDocument!.Service);
        Assert.True(roundTrips <= 1, $"{roundTrips} round trips"); // at most a concurrent follower tick
    }

    [Fact]
    public async Task The_representation_follows_accept_and_unknown_formats_are_refused()
    {
        await using var client = await EthrDidClient.OpenAsync(ledger.Connection);
        var did = EthrIdentity.Create().Did("anvil");
        var plain = await client.Resolver.ResolveAsync(did, new DidResolutionOptions { Accept = "application/did+json" });
        Assert.Null(plain.DidDocument!.Context);
        Assert.Equal("application/did+json", plain.DidResolutionMetadata.ContentType);
        Assert.DoesNotContain("@context", plain.ToJson());
        var bad = await client.Resolver.ResolveAsync(did, new DidResolutionOptions { Accept = "text/html" });
        Assert.Equal(DidResolutionErrors.UnsupportedFormat, bad.DidResolutionMetadata.Error);
        var both = await client.Resolver.ResolveAsync(did + "?versionId=1", new DidResolutionOptions { VersionTime = TimeProvider.System.GetUtcNow() });
        Assert.Equal(DidResolutionErrors.InvalidOptions, both.DidResolutionMetadata.Error);
    }

}
