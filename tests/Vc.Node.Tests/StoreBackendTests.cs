using System.Data.Common;
using System.Text.Json.Nodes;
using Vc.Agent.Storage;

namespace Vc.Node.Tests;

/// <summary>One PostgreSQL server for the test classes that need one (they run one after the other).</summary>
[CollectionDefinition("postgres")]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>;

/// <summary>
/// The store's behaviour on both backends (SQLite in a data directory, PostgreSQL on a real server): numbered
/// migrations applied once under a lock, indexes never reused by concurrent writers in different stores (as in
/// different processes), a status change made through one store seen by another at once, keys encrypted at rest.
/// </summary>
[Collection("postgres")]
public sealed class StoreBackendTests(PostgresServer postgres) : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("vchealth-backend-").FullName;
    private string _database = "";

    public async Task InitializeAsync() => _database = await postgres.CreateDatabaseAsync();

    public Task DisposeAsync()
    {
        Directory.Delete(_data, recursive: true);
        return Task.CompletedTask;
    }

    private Task<NodeStore> Open(string backend) => NodeStore.OpenAsync(_data, database: backend == "postgres" ? _database : null);

    private static async Task<List<object?[]>> Query(NodeStore store, string sql)
    {
        await using var c = await store.OpenConnectionAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await using var r = await cmd.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await r.ReadAsync())
        {
            var row = new object?[r.FieldCount];
            r.GetValues(row!);
            rows.Add(row);
        }
        return rows;
    }

    private static async Task AddIssuerAsync(NodeStore store, string data, string id, byte[]? secret = null) =>
        await new IssuerStore(store, KeyProtector.FromConfiguration(data)).AddAsync(
            new IssuerRecord(id, "did:key:z" + id, "key", $"did:key:z{id}#z{id}", "eddsa-rdfc-2022", "Ed25519", DateTimeOffset.UtcNow, new JsonObject()),
            secret ?? new byte[32], null);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Migrations_are_numbered_applied_once_and_recorded_even_when_several_processes_open_at_once(string backend)
    {
        // Four stores (as four processes) open the same new database at the same moment: one migrates, the others wait and find it done.
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Open(backend)));
        await Task.WhenAll(stores.Select(s => Task.Run(async () => await (await s.OpenConnectionAsync()).DisposeAsync())));

        var versions = (await Query(stores[0], "SELECT version FROM schema_version ORDER BY version")).Select(r => Convert.ToInt32(r[0])).ToArray();
        Assert.Equal([1, 2, 3, 4, 5, 6], versions);
        Assert.Equal(backend, stores[0].Backend);

        // A database migrated by a newer node is refused, not used half-understood.
        await using (var c = await stores[0].OpenConnectionAsync())
        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES (99, 'future')";
            await cmd.ExecuteNonQueryAsync();
        }
        var newer = await Assert.ThrowsAsync<StoreException>(async () => await (await Open(backend)).OpenConnectionAsync());
        Assert.Contains("schema 99, newer than this node (6)", newer.Message);
        foreach (var s in stores) await s.DisposeAsync();
    }

    [Fact]
    public async Task A_sqlite_database_from_before_schema_version_is_migrated_from_its_user_version()
    {
        // The schema a node of the previous release left (PRAGMA user_version = 2, no schema_version table).
        await using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_data, "node.db")};Pooling=false"))
        {
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = """
                CREATE TABLE api_keys (id TEXT PRIMARY KEY, secret_hash BLOB NOT NULL, scopes TEXT NOT NULL, description TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT);
                CREATE TABLE issuers (id TEXT PRIMARY KEY, did TEXT NOT NULL, method TEXT NOT NULL, verification_method TEXT NOT NULL, cryptosuite TEXT NOT NULL,
                  key_type TEXT NOT NULL, encrypted_key BLOB NOT NULL, controller_key BLOB, created_at TEXT NOT NULL, metadata TEXT NOT NULL DEFAULT '{}',
                  dsc_certificate BLOB, dsc_key BLOB);
                CREATE TABLE status_lists (id TEXT PRIMARY KEY, issuer_id TEXT NOT NULL REFERENCES issuers(id), purpose TEXT NOT NULL,
                  size INTEGER NOT NULL, next_index INTEGER NOT NULL, bits BLOB NOT NULL, updated_at TEXT NOT NULL);
                CREATE TABLE issuance_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, issuer_id TEXT NOT NULL REFERENCES issuers(id),
                  credential_id TEXT, credential_types TEXT NOT NULL, status_list_id TEXT, status_index INTEGER, issued_at TEXT NOT NULL,
                  UNIQUE (status_list_id, status_index));
                PRAGMA user_version = 2;
                """;
            await cmd.ExecuteNonQueryAsync();
        }
        await using var store = await Open("sqlite");
        await AddIssuerAsync(store, _data, "old");
        var rows = await Query(store, "SELECT version, applied_at FROM schema_version ORDER BY version");
        Assert.Equal([1, 2, 3, 4, 5, 6], rows.Select(r => Convert.ToInt32(r[0])));
        Assert.Equal("before schema_version", rows[1][1]);
        Assert.NotEqual("before schema_version", rows[2][1]);
        Assert.Single(await Query(store, "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'issuance_log_issuer'"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Two_stores_allocating_at_once_never_hand_out_one_index_twice(string backend)
    {
        await using var a = await Open(backend);
        await using var b = await Open(backend);
        await AddIssuerAsync(a, _data, "i");
        var listsA = new StatusListStore(a);
        var listsB = new StatusListStore(b);
        // A small list: random draws collide often, so the UNIQUE (list, index) path and the row locks are exercised.
        await listsA.EnsureListAsync("i-revocation-1", "i", "revocation", size: 1024);
        await listsB.EnsureListAsync("i-revocation-1", "i", "revocation", size: 1024); // already there: kept as is

        var all = await Task.WhenAll(Enumerable.Range(0, 800).Select(n =>
            Task.Run(() => (n % 2 == 0 ? listsA : listsB).AllocateAsync("i-revocation-1", "i", $"urn:uuid:{n}", "VerifiableCredential"))));

        Assert.Equal(800, all.Select(x => x.Index).Distinct().Count());
        Assert.Equal(800, all.Select(x => x.LogSequence).Distinct().Count());
        Assert.All(all, x => Assert.InRange(x.Index, 0, 1023));
        Assert.Equal(all.Select(x => x.Index).Order(), (await listsB.AllocatedAsync("i-revocation-1")).Order());
        var row = (await Query(a, "SELECT next_index FROM status_lists WHERE id = 'i-revocation-1'")).Single();
        Assert.Equal(800, Convert.ToInt32(row[0]));

        // The list fills up: exactly the remaining 224 are granted, the rest refused as full, by whichever store asks.
        var rest = await Task.WhenAll(Enumerable.Range(0, 240).Select(n => Task.Run(async () =>
        {
            try { return (await (n % 2 == 0 ? listsA : listsB).AllocateAsync("i-revocation-1", "i", null, "VerifiableCredential")).Index; }
            catch (StoreException e) when (e.Message.Contains("is full")) { return -1; }
        })));
        Assert.Equal(224, rest.Count(i => i >= 0));
        Assert.Equal(1024, all.Select(x => x.Index).Concat(rest.Where(i => i >= 0)).Distinct().Count());
        await listsA.DisposeAsync();
        await listsB.DisposeAsync();
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_status_change_through_one_store_is_read_by_another_at_once(string backend)
    {
        await using var a = await Open(backend);
        await using var b = await Open(backend);
        await AddIssuerAsync(a, _data, "i");
        await using var listsA = new StatusListStore(a);
        await using var listsB = new StatusListStore(b);
        await listsA.EnsureListAsync("i-revocation-1", "i", "revocation");
        var index = (await listsA.AllocateAsync("i-revocation-1", "i", null, "VerifiableCredential")).Index;
        Assert.False(Bit((await listsB.ReadAsync("i-revocation-1"))!.Value.Bits, index));

        // Concurrent changes of different bits through both stores all land (row lock, no lost update).
        var others = Enumerable.Range(0, 40).Select(n => (index + 1 + n * 7) % StatusListStore.DefaultSize).ToArray();
        await Task.WhenAll(others.Select((i, n) => Task.Run(() => (n % 2 == 0 ? listsA : listsB).SetAsync("i-revocation-1", i, true))));
        await listsA.SetAsync("i-revocation-1", index, true);

        var seen = (await listsB.ReadAsync("i-revocation-1"))!.Value.Bits;
        Assert.True(Bit(seen, index));
        Assert.All(others, i => Assert.True(Bit(seen, i)));
        await listsB.SetAsync("i-revocation-1", index, false);
        Assert.False(Bit((await listsA.ReadAsync("i-revocation-1"))!.Value.Bits, index));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Issuer_keys_and_api_key_secrets_are_never_stored_in_the_clear(string backend)
    {
        await using var store = await Open(backend);
        var secret = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        await AddIssuerAsync(store, _data, "moh", secret);
        var key = await new ApiKeys(store).CreateAsync(ApiScope.All, "admin");
        Assert.NotNull(await new ApiKeys(store).AuthenticateAsync(key.Secret));

        var stored = (byte[])(await Query(store, "SELECT encrypted_key FROM issuers WHERE id = 'moh'")).Single()[0]!;
        Assert.Equal(-1, stored.AsSpan().IndexOf(secret));
        Assert.Equal(secret, await new IssuerStore(store, KeyProtector.FromConfiguration(_data)).SigningKeyAsync("moh"));
        var hash = (byte[])(await Query(store, "SELECT secret_hash FROM api_keys")).Single()[0]!;
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key.Secret)), hash);
        await Assert.ThrowsAsync<StoreException>(() => AddIssuerAsync(store, _data, "moh"));
    }

    [Fact]
    public async Task An_unreachable_or_malformed_database_is_a_typed_store_failure_without_the_password()
    {
        var bad = Assert.Throws<StoreException>(() => NodeStore.CheckDatabaseUrl("mysql://root:hunter2@db/x"));
        Assert.DoesNotContain("hunter2", bad.Message);
        Assert.Throws<StoreException>(() => NodeStore.CheckDatabaseUrl("postgres://u:p@db/x?nonsense=1"));

        // Nothing listens on the port of a server that was just closed.
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        await using var store = await NodeStore.OpenAsync(_data, database: $"postgres://vchealth:hunter2@127.0.0.1:{port}/x");
        var down = await Assert.ThrowsAsync<StoreException>(() => store.OpenConnectionAsync());
        Assert.True(down.Unavailable);
        Assert.DoesNotContain("hunter2", down.Message);
    }

    private static bool Bit(byte[] bits, int index) => (bits[index / 8] & (0x80 >> (index % 8))) != 0;
}
