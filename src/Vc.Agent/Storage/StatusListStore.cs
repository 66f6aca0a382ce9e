using System.Data.Common;
using System.Security.Cryptography;
using System.Threading.Channels;

namespace Vc.Agent.Storage;

/// <summary>A status index handed out for one credential, and the issuance-log entry recorded with it.</summary>
public sealed record StatusAllocation(string StatusListId, int Index, long LogSequence);

/// <summary>
/// An index drawn and logged inside a transaction not yet committed: the credential may be signed meanwhile, and is
/// answered only once <see cref="Committed"/> completes (it faults when the transaction rolls back: nothing allocated).
/// </summary>
public sealed record StatusReservation(StatusAllocation Allocation, Task Committed);

/// <summary>
/// What an issuance was decided on, read again in the transaction that logs it: the issuer's signing key as stored
/// (its verification method and key, sealed or in a token) and, for a request, the API key that authorized it. A node
/// may then decide from what it read before (no read per request); a change committed through any node or command
/// since is seen here, and the issuance is refused (<see cref="IssuanceBasisException"/>) instead of logged.
/// </summary>
public sealed record IssuanceBasis(StoredSigningKey Signing, string? ApiKeyId);

/// <summary>An issuance refused in its transaction: the API key that authorized it was revoked, or the issuer's
/// signing key changed (rotated) since it was read. Nothing was logged.</summary>
public sealed class IssuanceBasisException(string message, bool apiKeyRevoked) : Exception(message)
{
    public bool ApiKeyRevoked { get; } = apiKeyRevoked;
}

/// <summary>
/// Status lists (Bitstring Status List bits) and the issuance log. An index is allocated and logged — committed
/// durably — before the credential is signed: a node killed mid-issuance may leave an index logged but unused,
/// and never hands the same index out twice nor loses a logged issuance.
/// <para>
/// Group commit: allocations go through one writer per store, which takes every allocation pending at that
/// moment into one transaction (one fsync), then completes their callers after the commit. Concurrent requests
/// share the cost of a durable commit instead of queueing for one each; a lone request commits alone. A caller
/// that reserves (<see cref="ReserveAsync"/>) hears its index once drawn, signs while the batch commits, and
/// answers after the commit.
/// </para>
/// Several node processes may share one (PostgreSQL) database: each batch locks the rows of its lists
/// (SELECT … FOR UPDATE), and the log's UNIQUE (list, index) is what makes a reused index impossible.
/// </summary>
public sealed class StatusListStore : IAsyncDisposable
{
    /// <summary>W3C Bitstring Status List §6.1: at least 131,072 entries for group privacy.</summary>
    public const int DefaultSize = 131_072;
    /// <summary>The most allocations one transaction takes by default (bounds a transaction's time and the locks it holds).</summary>
    public const int MaxBatch = 512;

    private readonly NodeStore _store;
    private readonly int _maxBatch;
    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lazy<Task> _writer;

    /// <param name="store">the database</param>
    /// <param name="maxBatch">the most allocations per commit (1: a commit per allocation, as before group commit)</param>
    public StatusListStore(NodeStore store, int maxBatch = MaxBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _store = store;
        _maxBatch = maxBatch;
        // Started on first allocation: a command that never issues runs no writer.
        _writer = new Lazy<Task>(() => Task.Run(WriteLoopAsync));
    }

    private sealed record Pending(string ListId, string IssuerId, string? CredentialId, string CredentialTypes, IssuanceBasis? Basis,
        TaskCompletionSource<StatusReservation> Reserved, TaskCompletionSource Committed);

    public async Task EnsureListAsync(string listId, string issuerId, string purpose, int size = DefaultSize)
    {
        await using var c = await _store.OpenConnectionAsync();
        await NodeStore.Execute(c, null, """
            INSERT INTO status_lists (id, issuer_id, purpose, size, next_index, bits, updated_at)
            VALUES (@id, @iss, @p, @n, 0, @bits, @t) ON CONFLICT (id) DO NOTHING
            """, ("@id", listId), ("@iss", issuerId), ("@p", purpose), ("@n", size), ("@bits", new byte[size / 8]), ("@t", _store.Time.GetUtcNow().ToString("O")));
    }

    /// <summary>
    /// Allocates an unused index of a list, chosen uniformly at random (so an index says nothing about when
    /// or to whom a credential was issued), and logs the issuance (no personal data: id and types only).
    /// Completes once the allocation is committed (durable), in a batch with whatever else was pending.
    /// </summary>
    public async Task<StatusAllocation> AllocateAsync(string listId, string issuerId, string? credentialId, string credentialTypes)
    {
        var reservation = await ReserveAsync(listId, issuerId, credentialId, credentialTypes);
        await reservation.Committed;
        return reservation.Allocation;
    }

    /// <summary>
    /// The same, completing as soon as the index is drawn and logged in its batch's transaction, before the commit:
    /// the caller signs while the batch commits (its durable write and the signature overlap), and awaits
    /// <see cref="StatusReservation.Committed"/> before it answers.
    /// </summary>
    /// <param name="basis">what the issuance was decided on, checked in the transaction (null: nothing to check)</param>
    public Task<StatusReservation> ReserveAsync(string listId, string issuerId, string? credentialId, string credentialTypes, IssuanceBasis? basis = null)
    {
        var pending = new Pending(listId, issuerId, credentialId, credentialTypes, basis,
            new TaskCompletionSource<StatusReservation>(TaskCreationOptions.RunContinuationsAsynchronously),
            new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_pending.Writer.TryWrite(pending)) throw new StoreException("the status list store is closed");
        _ = _writer.Value;
        return pending.Reserved.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(_maxBatch);
        var reader = _pending.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatch && reader.TryRead(out var p)) batch.Add(p);
            try
            {
                await CommitBatchAsync(batch);
            }
            catch (Exception e)
            {
                // The batch's transaction rolled back: nothing of it was allocated; every caller hears why.
                var error = e switch
                {
                    StoreException s => s,
                    DbException d => _store.Dialect.Wrap("allocating status indexes", d),
                    _ => new StoreException("allocating status indexes: " + e.Message, e),
                };
                foreach (var p in batch)
                {
                    p.Reserved.TrySetException(error); // not reserved yet: the caller hears it here
                    p.Committed.TrySetException(error); // reserved: the caller signed for nothing and must not answer
                }
            }
            batch.Clear();
        }
    }

    /// <summary>One transaction for a batch: lock its lists, draw and log an index for each request, count them, commit.</summary>
    private async Task CommitBatchAsync(List<Pending> batch)
    {
        var reserved = new List<Pending>(batch.Count);
        var refused = new List<(Pending Request, Exception Error)>();
        await using (var c = await _store.OpenConnectionAsync())
        await using (var tx = await _store.BeginWriteAsync(c))
        await using (var insert = NodeStore.Command(c, tx, InsertLog, ("@iss", null), ("@cid", null), ("@types", null), ("@list", null), ("@idx", null), ("@t", null)))
        {
            var stale = await StaleBasesAsync(c, tx, batch);
            foreach (var p in batch)
                if (stale(p) is { } reason) refused.Add((p, reason));
            // Lists locked in one order everywhere, so two nodes' batches never wait on each other in a cycle.
            foreach (var group in batch.Where(p => stale(p) is null).GroupBy(p => p.ListId).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                int used, size;
                await using (var read = NodeStore.Command(c, tx, "SELECT next_index, size FROM status_lists WHERE id = @id" + _store.Dialect.ForUpdate, ("@id", group.Key)))
                await using (var r = await read.ExecuteReaderAsync())
                {
                    if (!await r.ReadAsync())
                    {
                        foreach (var p in group) refused.Add((p, new StoreException($"status list '{group.Key}' does not exist")));
                        continue;
                    }
                    used = r.GetInt32(0);
                    size = r.GetInt32(1);
                }
                var accepted = new List<Pending>();
                foreach (var p in group)
                {
                    if (used + accepted.Count < size) accepted.Add(p);
                    else refused.Add((p, new StoreException($"status list '{group.Key}' is full ({size} entries)")));
                }
                var drawn = c.CanCreateBatch && accepted.Count > 1 ? await LogAllAsync(c, tx, accepted, size) : null;
                for (var i = 0; i < accepted.Count; i++)
                {
                    var p = accepted[i];
                    var allocation = drawn?[i] ?? await LogAsync(insert, c, tx, p, size);
                    p.Reserved.TrySetResult(new StatusReservation(allocation, p.Committed.Task));
                    reserved.Add(p);
                }
                var granted = accepted.Count;
                if (granted > 0)
                    await NodeStore.Execute(c, tx, "UPDATE status_lists SET next_index = next_index + @n WHERE id = @id", ("@n", granted), ("@id", group.Key));
            }
            await tx.CommitAsync();
        }
        foreach (var p in reserved) p.Committed.TrySetResult();
        foreach (var (p, e) in refused) p.Reserved.TrySetException(e);
    }

    /// <summary>
    /// The batch's issuance bases read again in its transaction, one read per API key and per issuer (a batch has few):
    /// which requests no longer hold (revoked key, changed signing key), with the reason each is refused.
    /// </summary>
    private static async Task<Func<Pending, IssuanceBasisException?>> StaleBasesAsync(DbConnection c, DbTransaction tx, List<Pending> batch)
    {
        if (batch.TrueForAll(p => p.Basis is null)) return _ => null;
        var revoked = new Dictionary<string, bool>(StringComparer.Ordinal);
        var changed = new Dictionary<StoredSigningKey, bool>();
        foreach (var basis in batch.Select(p => p.Basis).OfType<IssuanceBasis>())
        {
            if (basis.ApiKeyId is { } keyId && !revoked.ContainsKey(keyId))
                revoked[keyId] = await NodeStore.Scalar(c, tx, "SELECT 1 FROM api_keys WHERE id = @id AND revoked_at IS NULL", ("@id", keyId)) is null;
            if (!changed.ContainsKey(basis.Signing))
                changed[basis.Signing] = !await IssuerStore.SigningKeyUnchangedAsync(c, tx, basis.Signing);
        }
        return p => p.Basis switch
        {
            { ApiKeyId: { } id } when revoked[id] => new IssuanceBasisException($"the API key {id} was revoked", apiKeyRevoked: true),
            { } b when changed[b.Signing] => new IssuanceBasisException($"the signing key of issuer '{b.Signing.Issuer.Id}' changed", apiKeyRevoked: false),
            _ => null,
        };
    }

    // ON CONFLICT … DO NOTHING: a taken index returns no row, without aborting the batch's transaction.
    private const string InsertLog = """
        INSERT INTO issuance_log (issuer_id, credential_id, credential_types, status_list_id, status_index, issued_at)
        VALUES (@iss, @cid, @types, @list, @idx, @t) ON CONFLICT (status_list_id, status_index) DO NOTHING RETURNING seq
        """;

    /// <summary>
    /// Logs one issuance at a free random index; a taken index (by anyone, committed or in this batch) is drawn again.
    /// <paramref name="insert"/> is the batch's one <see cref="InsertLog"/> command (prepared once, run per entry).
    /// </summary>
    private async Task<StatusAllocation> LogAsync(DbCommand insert, DbConnection c, DbTransaction tx, Pending p, int size)
    {
        insert.Parameters["@iss"].Value = p.IssuerId;
        insert.Parameters["@cid"].Value = (object?)p.CredentialId ?? DBNull.Value;
        insert.Parameters["@types"].Value = p.CredentialTypes;
        insert.Parameters["@list"].Value = p.ListId;
        insert.Parameters["@t"].Value = _store.Time.GetUtcNow().ToString("O");
        for (var attempt = 0; attempt < 32; attempt++)
        {
            var index = attempt < 16 ? RandomNumberGenerator.GetInt32(size) : await FreeIndexAsync(c, tx, p.ListId, size);
            insert.Parameters["@idx"].Value = index;
            if (await insert.ExecuteScalarAsync() is { } seq and not DBNull) return new StatusAllocation(p.ListId, index, Convert.ToInt64(seq));
        }
        throw new StoreException($"status list '{p.ListId}': no free index found");
    }

    /// <summary>
    /// The log entries of a group in one round trip, where the driver sends several statements at once (PostgreSQL;
    /// SQLite runs in-process and has no batches): each at a random index. An entry whose index was taken comes back
    /// null and is drawn again one by one (<see cref="LogAsync"/>).
    /// </summary>
    private async Task<StatusAllocation?[]> LogAllAsync(DbConnection c, DbTransaction tx, List<Pending> group, int size)
    {
        await using var batch = c.CreateBatch();
        batch.Transaction = tx;
        var indexes = new int[group.Count];
        var now = _store.Time.GetUtcNow().ToString("O");
        for (var i = 0; i < group.Count; i++)
        {
            var (p, command) = (group[i], batch.CreateBatchCommand());
            indexes[i] = RandomNumberGenerator.GetInt32(size);
            command.CommandText = InsertLog;
            foreach (var (name, value) in new (string, object?)[] { ("@iss", p.IssuerId), ("@cid", p.CredentialId), ("@types", p.CredentialTypes), ("@list", p.ListId), ("@idx", indexes[i]), ("@t", now) })
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }
            batch.BatchCommands.Add(command);
        }
        var drawn = new StatusAllocation?[group.Count];
        await using var r = await batch.ExecuteReaderAsync();
        // One result per statement (RETURNING): a row, or none where the index was taken.
        for (var i = 0; i < group.Count; i++)
        {
            if (i > 0 && !await r.NextResultAsync()) throw new StoreException($"status list '{group[0].ListId}': the log batch answered {i} of {group.Count} statements");
            if (await r.ReadAsync()) drawn[i] = new StatusAllocation(group[i].ListId, indexes[i], r.GetInt64(0));
        }
        return drawn;
    }

    /// <summary>A uniformly chosen free index, for nearly full lists where random draws keep colliding.</summary>
    private static async Task<int> FreeIndexAsync(DbConnection c, DbTransaction tx, string listId, int size)
    {
        var taken = new HashSet<int>();
        await using (var cmd = NodeStore.Command(c, tx, "SELECT status_index FROM issuance_log WHERE status_list_id = @id", ("@id", listId)))
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) taken.Add(r.GetInt32(0));
        if (taken.Count >= size) throw new StoreException($"status list '{listId}' is full ({size} entries)");
        var skip = RandomNumberGenerator.GetInt32(size - taken.Count);
        for (var i = 0; i < size; i++)
            if (!taken.Contains(i) && skip-- == 0) return i;
        throw new StoreException($"status list '{listId}' is full ({size} entries)");
    }

    /// <summary>Indexes handed out so far for a list (for restoring a status list manager).</summary>
    public async Task<IReadOnlyList<int>> AllocatedAsync(string listId)
    {
        await using var c = await _store.OpenConnectionAsync();
        await using var cmd = NodeStore.Command(c, null, "SELECT status_index FROM issuance_log WHERE status_list_id = @id", ("@id", listId));
        await using var r = await cmd.ExecuteReaderAsync();
        var list = new List<int>();
        while (await r.ReadAsync()) list.Add(r.GetInt32(0));
        return list;
    }

    /// <summary>Every status list of this node (what a verifier pack carries).</summary>
    public async Task<IReadOnlyList<string>> ListIdsAsync()
    {
        if (!_store.Exists) return [];
        await using var c = await _store.OpenConnectionAsync();
        await using var cmd = NodeStore.Command(c, null, "SELECT id FROM status_lists ORDER BY id");
        await using var r = await cmd.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await r.ReadAsync()) ids.Add(r.GetString(0));
        return ids;
    }

    /// <summary>Sets or clears one status bit (revocation is final; suspension can be lifted). The list's row is locked while it changes.</summary>
    public async Task SetAsync(string listId, int index, bool value)
    {
        await using var c = await _store.OpenConnectionAsync();
        await using var tx = await _store.BeginWriteAsync(c);
        var bits = await NodeStore.Scalar(c, tx, "SELECT bits FROM status_lists WHERE id = @id" + _store.Dialect.ForUpdate, ("@id", listId)) as byte[]
            ?? throw new StoreException($"status list '{listId}' does not exist");
        if (index < 0 || index >= bits.Length * 8) throw new StoreException($"status index {index} is outside list '{listId}'");
        // Bitstring Status List §4: index 0 is the left-most (most significant) bit of the first byte.
        var mask = (byte)(0x80 >> (index % 8));
        bits[index / 8] = value ? (byte)(bits[index / 8] | mask) : (byte)(bits[index / 8] & ~mask);
        await NodeStore.Execute(c, tx, "UPDATE status_lists SET bits = @b, updated_at = @t WHERE id = @id",
            ("@b", bits), ("@t", _store.Time.GetUtcNow().ToString("O")), ("@id", listId));
        await tx.CommitAsync();
    }

    /// <summary>A list as stored now (read on every call: a change made through another node is seen at once).</summary>
    public async Task<(byte[] Bits, string Purpose, string IssuerId, DateTimeOffset Updated)?> ReadAsync(string listId)
    {
        await using var c = await _store.OpenConnectionAsync();
        await using var cmd = NodeStore.Command(c, null, "SELECT bits, purpose, issuer_id, updated_at FROM status_lists WHERE id = @id", ("@id", listId));
        await using var r = await cmd.ExecuteReaderAsync();
        if (!await r.ReadAsync()) return null;
        return ((byte[])r[0], r.GetString(1), r.GetString(2), DateTimeOffset.Parse(r.GetString(3)));
    }

    public async Task<long> IssuedCountAsync(string issuerId)
    {
        await using var c = await _store.OpenConnectionAsync();
        return Convert.ToInt64(await NodeStore.Scalar(c, null, "SELECT COUNT(*) FROM issuance_log WHERE issuer_id = @i", ("@i", issuerId)));
    }

    /// <summary>Stops taking allocations and waits for the pending ones to be committed (or failed).</summary>
    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        if (_writer.IsValueCreated) await _writer.Value;
    }
}
