using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Vc.Agent.Storage;

/// <summary>
/// What differs between the two databases the node can keep its records in: connecting, the write lock, row
/// locks, the numbered schema migrations, and how a failure reads. Everything else is shared SQL (<see cref="NodeStore"/>).
/// </summary>
internal abstract class StoreBackend : IAsyncDisposable
{
    public abstract string Name { get; }
    public abstract string Location { get; }
    public abstract bool Exists { get; }
    /// <summary>The numbered migrations, oldest first; version N is applied once, in order, recorded in schema_version.</summary>
    public abstract IReadOnlyList<(int Version, string Sql)> Migrations { get; }
    /// <summary>Appended to a SELECT that reads a row the transaction will update (a row lock where the database has them).</summary>
    public abstract string ForUpdate { get; }

    /// <summary>A connection; <paramref name="setUp"/>: the first of this process (creates the database file where needed).</summary>
    public abstract Task<DbConnection> OpenAsync(bool setUp);
    public abstract Task<DbTransaction> BeginWriteAsync(DbConnection c);
    /// <summary>Serializes schema migration between processes opening the same database at once.</summary>
    public abstract Task LockForMigrationAsync(DbConnection c, DbTransaction tx);
    /// <summary>The schema version of a database migrated before schema_version existed (0: none).</summary>
    public virtual Task<int> LegacyVersionAsync(DbConnection c, DbTransaction tx) => Task.FromResult(0);
    public abstract StoreException Wrap(string operation, DbException e);
    /// <summary>A UNIQUE or PRIMARY KEY constraint refused the row.</summary>
    public abstract bool IsUniqueViolation(DbException e);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>The embedded default: one SQLite file in the data directory, WAL journal, synchronous=FULL (one fsync per commit).</summary>
internal sealed class SqliteBackend(string path) : StoreBackend
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> _configured = new();

    public override string Name => "sqlite";
    public override string Location => path;
    public override bool Exists => File.Exists(path);
    public override string ForUpdate => ""; // the write transaction already holds the database's only write lock

    public override async Task<DbConnection> OpenAsync(bool setUp)
    {
        if (setUp) Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var c = new SqliteConnection(_connectionString);
        await c.OpenAsync();
        // journal_mode is a property of the file (set once); synchronous and foreign_keys are per connection, and the
        // pool hands the same connection (its sqlite3 handle) back with its settings: set them once per handle.
        if (setUp || !_configured.TryGetValue(c.Handle!, out _))
        {
            await using var pragma = c.CreateCommand();
            pragma.CommandText = (setUp ? "PRAGMA journal_mode=WAL; " : "") + "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";
            await pragma.ExecuteNonQueryAsync();
            _configured.AddOrUpdate(c.Handle!, this);
        }
        return c;
    }

    // Microsoft.Data.Sqlite: Serializable = BEGIN IMMEDIATE, the write lock taken at the start (no upgrade deadlock).
    public override async Task<DbTransaction> BeginWriteAsync(DbConnection c) => await c.BeginTransactionAsync(System.Data.IsolationLevel.Serializable);

    public override Task LockForMigrationAsync(DbConnection c, DbTransaction tx) => Task.CompletedTask; // BEGIN IMMEDIATE is the lock

    public override async Task<int> LegacyVersionAsync(DbConnection c, DbTransaction tx) =>
        Convert.ToInt32(await NodeStore.Scalar(c, tx, "PRAGMA user_version"));

    public override StoreException Wrap(string operation, DbException e) =>
        new($"{operation} ({path}): {e.Message}", e, unavailable: e is SqliteException { SqliteErrorCode: 5 or 6 or 10 or 13 or 14 });

    public override bool IsUniqueViolation(DbException e) => e is SqliteException { SqliteErrorCode: 19 };

    public override IReadOnlyList<(int Version, string Sql)> Migrations { get; } =
    [
        (1, """
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
            """),
        // An issuer may hold a DSC (HCERT document signer certificate) and its encrypted key.
        (2, "ALTER TABLE issuers ADD COLUMN dsc_certificate BLOB; ALTER TABLE issuers ADD COLUMN dsc_key BLOB;"),
        // The per-issuer issuance count reads an index, not the whole log.
        (3, "CREATE INDEX issuance_log_issuer ON issuance_log (issuer_id);"),
        // EU DCC revocation: imported revocation files (as received, re-read on use), and the HCERTs this node bridged
        // from its credentials — kid, revocation hashes and the credential's status entry, no personal data — so a
        // revoked or suspended credential revokes its HCERTs too.
        (4, """
            CREATE TABLE hcert_revocation_imports (
              id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL, content BLOB NOT NULL,
              chunks INTEGER NOT NULL, entries INTEGER NOT NULL, imported_at TEXT NOT NULL);
            CREATE TABLE bridged_hcerts (
              seq INTEGER PRIMARY KEY AUTOINCREMENT, issuer_id TEXT NOT NULL REFERENCES issuers(id),
              country TEXT, kid BLOB NOT NULL, signature_hash BLOB NOT NULL, uci_hash BLOB, country_uci_hash BLOB,
              status_list_id TEXT NOT NULL, status_index INTEGER NOT NULL, bridged_at TEXT NOT NULL);
            CREATE INDEX bridged_hcerts_status ON bridged_hcerts (status_list_id, status_index);
            """),
        // EU DCC validation rules imported from gateway rule lists (signature and schema checked at import): one row per
        // rule version, the rule JSON as signed and the signed message kept for audit.
        (5, """
            CREATE TABLE dcc_rules (
              id INTEGER PRIMARY KEY AUTOINCREMENT, identifier TEXT NOT NULL, version TEXT NOT NULL, country TEXT NOT NULL,
              content BLOB NOT NULL, cms TEXT NOT NULL, signer TEXT NOT NULL, source TEXT NOT NULL, imported_at TEXT NOT NULL,
              UNIQUE (identifier, version));
            """),
        // An issuer key inside a PKCS#11 token: its URI (RFC 7512, no PIN), encrypted_key then empty — no key material.
        (6, "ALTER TABLE issuers ADD COLUMN key_uri TEXT;"),
    ];
}

/// <summary>
/// PostgreSQL, shared by several node processes: row locks (SELECT … FOR UPDATE) serialize what two nodes could
/// otherwise both change, and every connection runs with synchronous_commit on (a commit is flushed before it returns).
/// </summary>
internal sealed class PostgresBackend : StoreBackend
{
    // pg_advisory_xact_lock key of the schema migration ("vchealth" in ASCII).
    private const long MigrationLock = 0x7663_6865_616c_7468;
    private readonly NpgsqlDataSource _source;
    private readonly string _location;

    private PostgresBackend(NpgsqlConnectionStringBuilder builder)
    {
        _location = $"postgres://{builder.Host}:{builder.Port}/{builder.Database}";
        _source = NpgsqlDataSource.Create(builder);
    }

    /// <summary>
    /// A <c>postgres://user:password@host:port/database?sslmode=require</c> URL (libpq's URI form) as Npgsql settings;
    /// query parameters are Npgsql connection-string keywords (sslmode, pooling, …). Malformed: a StoreException
    /// that never repeats the password.
    /// </summary>
    public static PostgresBackend FromUrl(string url) => new(ParseUrl(url));

    public static NpgsqlConnectionStringBuilder ParseUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgres" or "postgresql") || uri.Host.Length == 0)
            throw new StoreException("--db must be a postgres://user:password@host:port/database URL");
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } db ? db : "vchealth",
            ApplicationName = "vchealth",
            Timeout = 10,          // connecting (seconds)
            CommandTimeout = 30,   // every statement is bounded
            // Durability does not depend on the server's default: a commit returns once it is flushed.
            Options = "-c synchronous_commit=on",
            // The same few statements run for every credential: prepared once per connection, the server parses and
            // plans them once, not per call. Nothing here changes session state, so a pooled connection needs no reset.
            MaxAutoPrepare = 32,
            NoResetOnClose = true,
        };
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':');
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0) builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            try { builder[key] = Uri.UnescapeDataString(eq < 0 ? "" : pair[(eq + 1)..]); }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            {
                throw new StoreException($"--db: unsupported or invalid parameter '{key}'", e);
            }
        }
        return builder;
    }

    public override string Name => "postgres";
    public override string Location => _location;
    public override bool Exists => true;
    public override string ForUpdate => " FOR UPDATE";

    public override async Task<DbConnection> OpenAsync(bool setUp) => await _source.OpenConnectionAsync();

    public override async Task<DbTransaction> BeginWriteAsync(DbConnection c) => await c.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted);

    public override async Task LockForMigrationAsync(DbConnection c, DbTransaction tx) =>
        await NodeStore.Execute(c, tx, "SELECT pg_advisory_xact_lock(@k)", ("@k", MigrationLock));

    public override StoreException Wrap(string operation, DbException e) =>
        new($"{operation} ({_location}): {e.Message}", e,
            unavailable: e is not PostgresException p || p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState.StartsWith("53", StringComparison.Ordinal)
                || p.SqlState.StartsWith("57P", StringComparison.Ordinal) || p.SqlState == "3D000");

    public override bool IsUniqueViolation(DbException e) => e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override IReadOnlyList<(int Version, string Sql)> Migrations { get; } =
    [
        (1, """
            CREATE TABLE api_keys (
              id TEXT PRIMARY KEY, secret_hash BYTEA NOT NULL, scopes TEXT NOT NULL,
              description TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT);
            CREATE TABLE issuers (
              id TEXT PRIMARY KEY, did TEXT NOT NULL, method TEXT NOT NULL,
              verification_method TEXT NOT NULL, cryptosuite TEXT NOT NULL, key_type TEXT NOT NULL,
              encrypted_key BYTEA NOT NULL, controller_key BYTEA, created_at TEXT NOT NULL, metadata TEXT NOT NULL DEFAULT '{}');
            CREATE TABLE status_lists (
              id TEXT PRIMARY KEY, issuer_id TEXT NOT NULL REFERENCES issuers(id), purpose TEXT NOT NULL,
              size INTEGER NOT NULL, next_index INTEGER NOT NULL, bits BYTEA NOT NULL, updated_at TEXT NOT NULL);
            CREATE TABLE issuance_log (
              seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, issuer_id TEXT NOT NULL REFERENCES issuers(id),
              credential_id TEXT, credential_types TEXT NOT NULL, status_list_id TEXT, status_index INTEGER,
              issued_at TEXT NOT NULL,
              UNIQUE (status_list_id, status_index));
            """),
        (2, "ALTER TABLE issuers ADD COLUMN dsc_certificate BYTEA, ADD COLUMN dsc_key BYTEA;"),
        (3, "CREATE INDEX issuance_log_issuer ON issuance_log (issuer_id);"),
        (4, """
            CREATE TABLE hcert_revocation_imports (
              id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, source TEXT NOT NULL, content BYTEA NOT NULL,
              chunks INTEGER NOT NULL, entries INTEGER NOT NULL, imported_at TEXT NOT NULL);
            CREATE TABLE bridged_hcerts (
              seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, issuer_id TEXT NOT NULL REFERENCES issuers(id),
              country TEXT, kid BYTEA NOT NULL, signature_hash BYTEA NOT NULL, uci_hash BYTEA, country_uci_hash BYTEA,
              status_list_id TEXT NOT NULL, status_index INTEGER NOT NULL, bridged_at TEXT NOT NULL);
            CREATE INDEX bridged_hcerts_status ON bridged_hcerts (status_list_id, status_index);
            """),
        (5, """
            CREATE TABLE dcc_rules (
              id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, identifier TEXT NOT NULL, version TEXT NOT NULL, country TEXT NOT NULL,
              content BYTEA NOT NULL, cms TEXT NOT NULL, signer TEXT NOT NULL, source TEXT NOT NULL, imported_at TEXT NOT NULL,
              UNIQUE (identifier, version));
            """),
        (6, "ALTER TABLE issuers ADD COLUMN key_uri TEXT;"),
    ];

    public override ValueTask DisposeAsync() => _source.DisposeAsync();
}

/// <summary>Applies a backend's numbered migrations at open, under a lock, recording each in schema_version.</summary>
internal static class Migrations
{
    public static async Task ApplyAsync(StoreBackend backend, DbConnection c, TimeProvider time)
    {
        await using var tx = await backend.BeginWriteAsync(c);
        await backend.LockForMigrationAsync(c, tx);
        await NodeStore.Execute(c, tx, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
        var current = Convert.ToInt32(await NodeStore.Scalar(c, tx, "SELECT COALESCE(MAX(version), 0) FROM schema_version"));
        if (current == 0 && await backend.LegacyVersionAsync(c, tx) is > 0 and var legacy)
        {
            // A database of a node from before schema_version (PRAGMA user_version): its migrations count as applied.
            for (var v = 1; v <= legacy; v++)
                await NodeStore.Execute(c, tx, "INSERT INTO schema_version (version, applied_at) VALUES (@v, 'before schema_version')", ("@v", v));
            current = legacy;
        }
        var latest = backend.Migrations[^1].Version;
        if (current > latest)
            throw new StoreException($"database {backend.Location} has schema {current}, newer than this node ({latest})");
        foreach (var (version, sql) in backend.Migrations)
        {
            if (version <= current) continue;
            await NodeStore.Execute(c, tx, sql);
            await NodeStore.Execute(c, tx, "INSERT INTO schema_version (version, applied_at) VALUES (@v, @t)",
                ("@v", version), ("@t", time.GetUtcNow().ToString("O")));
        }
        await tx.CommitAsync();
    }
}
