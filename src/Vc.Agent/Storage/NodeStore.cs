using Microsoft.Data.Sqlite;

namespace Vc.Agent.Storage;

/// <summary>A failure of the node's store: which operation and why. Never carries key material.</summary>
public sealed class StoreException(string message, Exception? inner = null) : Exception("store: " + message, inner);

/// <summary>
/// The node's SQLite database (issuers, encrypted keys, API keys, status-list allocations, issuance log).
/// Writes are transactions; WAL journaling keeps a killed node from losing committed records.
/// No personal data is stored: the issuance log keeps ids, types and status indexes only.
/// </summary>
public sealed class NodeStore
{
    private const int SchemaVersion = 3;
    private readonly string _connectionString;

    public string Path { get; }
    /// <summary>The clock stamped on records (created, updated, revoked).</summary>
    public TimeProvider Time { get; }

    private NodeStore(string path, TimeProvider time)
    {
        Path = path;
        Time = time;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>
    /// The store of a data directory. The database is created and migrated on first use, not here: a command that
    /// never touches it (an HCERT verification in a fresh directory) loads no SQLite.
    /// </summary>
    public static Task<NodeStore> OpenAsync(string dataDirectory, TimeProvider? time = null) =>
        Task.FromResult(new NodeStore(System.IO.Path.Combine(dataDirectory, "node.db"), time ?? TimeProvider.System));

    /// <summary>Whether the database exists yet (nothing was ever stored otherwise).</summary>
    public bool Exists => File.Exists(Path);

    private readonly SemaphoreSlim _setup = new(1, 1);
    private volatile bool _ready;

    private async Task SetUpAsync()
    {
        await _setup.WaitAsync();
        try
        {
            if (_ready) return;
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            await using var c = new SqliteConnection(_connectionString);
            await c.OpenAsync();
            await using (var pragma = c.CreateCommand())
            {
                pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;";
                await pragma.ExecuteNonQueryAsync();
            }
            await MigrateAsync(c);
            _ready = true;
        }
        finally { _setup.Release(); }
    }

    public async Task<SqliteConnection> OpenConnectionAsync()
    {
        if (!_ready) await SetUpAsync();
        var c = new SqliteConnection(_connectionString);
        await c.OpenAsync();
        await using var fk = c.CreateCommand();
        fk.CommandText = "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";
        await fk.ExecuteNonQueryAsync();
        return c;
    }

    private async Task MigrateAsync(SqliteConnection c)
    {
        await using var tx = c.BeginTransaction();
        var version = Convert.ToInt32(await Scalar(c, tx, "PRAGMA user_version"));
        if (version > SchemaVersion) throw new StoreException($"database {Path} has schema {version}, newer than this node ({SchemaVersion})");
        if (version < 1)
        {
            await Execute(c, tx, """
                CREATE TABLE api_keys (
                  id TEXT PRIMARY KEY, secret_hash BLOB NOT NULL, scopes TEXT NOT NULL,
                  description TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT);
                CREATE TABLE issuers (
                  id TEXT PRIMARY KEY, did TEXT NOT NULL, method TEXT NOT NULL,
                  verification_method TEXT NOT NULL, cryptosuite TEXT NOT NULL, key_type TEXT NOT NULL,
                  encrypted_key BLOB NOT NULL, controller_key BLOB, created_at TEXT NOT NULL, metadata TEXT NOT NULL DEFAULT '{}');
                CREATE TABLE status_lists (
                  id TEXT PRIMARY KEY, issuer_id TEXT NOT NULL REFERENCES issuers(id), purpose TEXT NOT NULL,
                  size INTEGER NOT NULL, next_index INTEGER NOT NULL, bits BLOB NOT NULL, updated_at TEXT NOT NULL);
                CREATE TABLE issuance_log (
                  seq INTEGER PRIMARY KEY AUTOINCREMENT, issuer_id TEXT NOT NULL REFERENCES issuers(id),
                  credential_id TEXT, credential_types TEXT NOT NULL, status_list_id TEXT, status_index INTEGER,
                  issued_at TEXT NOT NULL,
                  UNIQUE (status_list_id, status_index));
                """);
        }
        if (version < 2)
        {
            // v2: an issuer may hold a DSC (HCERT document signer certificate) and its encrypted key.
            await Execute(c, tx, "ALTER TABLE issuers ADD COLUMN dsc_certificate BLOB; ALTER TABLE issuers ADD COLUMN dsc_key BLOB;");
        }
        if (version < 3)
        {
            // v3: EU DCC revocation. Imported revocation files (as received, re-read on use), and the HCERTs this
            // node bridged from its credentials: kid, revocation hashes and the credential's status entry — no
            // personal data — so a revoked or suspended credential revokes its HCERTs too.
            await Execute(c, tx, """
                CREATE TABLE hcert_revocation_imports (
                  id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL, content BLOB NOT NULL,
                  chunks INTEGER NOT NULL, entries INTEGER NOT NULL, imported_at TEXT NOT NULL);
                CREATE TABLE bridged_hcerts (
                  seq INTEGER PRIMARY KEY AUTOINCREMENT, issuer_id TEXT NOT NULL REFERENCES issuers(id),
                  country TEXT, kid BLOB NOT NULL, signature_hash BLOB NOT NULL, uci_hash BLOB, country_uci_hash BLOB,
                  status_list_id TEXT NOT NULL, status_index INTEGER NOT NULL, bridged_at TEXT NOT NULL);
                CREATE INDEX bridged_hcerts_status ON bridged_hcerts (status_list_id, status_index);
                """);
        }
        if (version < SchemaVersion)
        {
            await Execute(c, tx, $"PRAGMA user_version = {SchemaVersion}");
        }
        await tx.CommitAsync();
    }

    internal static async Task<object?> Scalar(SqliteConnection c, SqliteTransaction? tx, string sql, params (string, object?)[] args)
    {
        await using var cmd = Command(c, tx, sql, args);
        return await cmd.ExecuteScalarAsync();
    }

    internal static async Task<int> Execute(SqliteConnection c, SqliteTransaction? tx, string sql, params (string, object?)[] args)
    {
        await using var cmd = Command(c, tx, sql, args);
        return await cmd.ExecuteNonQueryAsync();
    }

    internal static SqliteCommand Command(SqliteConnection c, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }
}
