using System.Data.Common;

namespace Vc.Agent.Storage;

/// <summary>
/// A failure of the node's store: which operation and why. Never carries key material.
/// <see cref="Unavailable"/>: the database could not be reached or answered in time (retry later, not the caller's fault).
/// </summary>
public sealed class StoreException(string message, Exception? inner = null, bool unavailable = false) : Exception("store: " + message, inner)
{
    public bool Unavailable { get; } = unavailable;
}

/// <summary>
/// The node's database (issuers, encrypted keys, API keys, status-list allocations, issuance log) behind one
/// interface, on one of two backends (<see cref="StoreBackend"/>): SQLite in the data directory (embedded default)
/// or PostgreSQL (<c>--db postgres://…</c>, shared by several node processes). The stores above it
/// (<see cref="IssuerStore"/>, <see cref="StatusListStore"/>, <see cref="ApiKeys"/>) speak the SQL both accept.
/// Writes are transactions committed durably (SQLite WAL + synchronous=FULL, PostgreSQL synchronous_commit on).
/// No personal data is stored: the issuance log keeps ids, types and status indexes only.
/// </summary>
public sealed class NodeStore : IAsyncDisposable
{
    private readonly StoreBackend _backend;
    private readonly SemaphoreSlim _setup = new(1, 1);
    private volatile bool _ready;

    /// <summary>The SQLite file, or the PostgreSQL server and database (never its password).</summary>
    public string Path => _backend.Location;
    /// <summary>"sqlite" or "postgres".</summary>
    public string Backend => _backend.Name;
    /// <summary>The clock stamped on records (created, updated, revoked).</summary>
    public TimeProvider Time { get; }
    internal StoreBackend Dialect => _backend;

    private NodeStore(StoreBackend backend, TimeProvider time)
    {
        _backend = backend;
        Time = time;
    }

    /// <summary>
    /// The store of a data directory (SQLite node.db), or of <paramref name="database"/> when given (a
    /// <c>postgres://</c> URL). The database is created and migrated on first use, not here: a command that never
    /// touches it (an HCERT verification in a fresh directory) loads no database driver.
    /// </summary>
    public static Task<NodeStore> OpenAsync(string dataDirectory, TimeProvider? time = null, string? database = null) =>
        Task.FromResult(new NodeStore(
            database is { Length: > 0 } ? PostgresBackend.FromUrl(database) : new SqliteBackend(System.IO.Path.Combine(dataDirectory, "node.db")),
            time ?? TimeProvider.System));

    /// <summary>Checks a <c>--db</c> URL without connecting (a malformed one: <see cref="StoreException"/>, never echoing its password).</summary>
    public static void CheckDatabaseUrl(string url) => PostgresBackend.ParseUrl(url);

    /// <summary>Whether the database may hold anything yet (a SQLite file that was never created holds nothing).</summary>
    public bool Exists => _backend.Exists;

    private async Task SetUpAsync()
    {
        await _setup.WaitAsync();
        try
        {
            if (_ready) return;
            await using var c = await _backend.OpenAsync(setUp: true);
            await Migrations.ApplyAsync(_backend, c, Time);
            _ready = true;
        }
        catch (DbException e) { throw _backend.Wrap("opening the database", e); }
        finally { _setup.Release(); }
    }

    public async Task<DbConnection> OpenConnectionAsync()
    {
        if (!_ready) await SetUpAsync();
        try { return await _backend.OpenAsync(setUp: false); }
        catch (DbException e) { throw _backend.Wrap("opening a connection", e); }
    }

    /// <summary>A write transaction: it holds the database's write lock from its start (SQLite) or takes row locks as it goes (PostgreSQL).</summary>
    internal Task<DbTransaction> BeginWriteAsync(DbConnection c) => _backend.BeginWriteAsync(c);

    internal static async Task<object?> Scalar(DbConnection c, DbTransaction? tx, string sql, params (string, object?)[] args)
    {
        await using var cmd = Command(c, tx, sql, args);
        var value = await cmd.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    internal static async Task<int> Execute(DbConnection c, DbTransaction? tx, string sql, params (string, object?)[] args)
    {
        await using var cmd = Command(c, tx, sql, args);
        return await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Several statements and the rows each returns, in one round trip where the driver sends them together
    /// (PostgreSQL: one <see cref="DbBatch"/>) and one after the other where it has nothing to gain (SQLite runs
    /// in-process). Each row is its column values.
    /// </summary>
    internal static async Task<List<object[]>[]> Rows(DbConnection c, DbTransaction tx, IReadOnlyList<(string Sql, (string Name, object? Value)[] Args)> statements)
    {
        var results = new List<object[]>[statements.Count];
        if (statements.Count == 0) return results;
        if (!c.CanCreateBatch)
        {
            for (var i = 0; i < statements.Count; i++)
            {
                await using var cmd = Command(c, tx, statements[i].Sql, statements[i].Args);
                await using var r = await cmd.ExecuteReaderAsync();
                results[i] = await ReadRowsAsync(r);
            }
            return results;
        }
        await using var batch = c.CreateBatch();
        batch.Transaction = tx;
        foreach (var (sql, args) in statements)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = sql;
            Bind(command.Parameters, command.CreateParameter, args);
            batch.BatchCommands.Add(command);
        }
        await using var reader = await batch.ExecuteReaderAsync();
        for (var i = 0; i < statements.Count; i++)
        {
            if (i > 0 && !await reader.NextResultAsync()) throw new StoreException($"a batch of {statements.Count} statements answered {i}");
            results[i] = await ReadRowsAsync(reader);
        }
        return results;
    }

    private static async Task<List<object[]>> ReadRowsAsync(DbDataReader r)
    {
        var rows = new List<object[]>();
        while (await r.ReadAsync())
        {
            var row = new object[r.FieldCount];
            r.GetValues(row);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>A command with named parameters (<c>@name</c>, which both backends accept).</summary>
    internal static DbCommand Command(DbConnection c, DbTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        Bind(cmd.Parameters, cmd.CreateParameter, args);
        return cmd;
    }

    /// <summary>Named parameters (null as DBNull) into a command's or a batch command's collection.</summary>
    private static void Bind(DbParameterCollection parameters, Func<DbParameter> create, (string Name, object? Value)[] args)
    {
        foreach (var (name, value) in args)
        {
            var p = create();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            parameters.Add(p);
        }
    }

    public ValueTask DisposeAsync() => _backend.DisposeAsync();
}
