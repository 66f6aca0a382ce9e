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
    /// <summary>Sizes of the lists batches have met (a list's size never changes after it is created).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _sizes = new(StringComparer.Ordinal);

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

    /// <summary>
    /// One transaction for a batch. As planned, in two round trips on PostgreSQL whatever its size (<see cref="TryCommitAsPlannedAsync"/>);
    /// where that finds something amiss (a basis that no longer holds, a list missing or full, a list not seen yet),
    /// carefully in three: (1) lock its lists and read its issuance bases again, (2) log an index drawn at random for
    /// each request that may have one and count them, (3) commit. An index already taken (by anyone, committed or in
    /// this batch) comes back without a row and is drawn again one by one.
    /// </summary>
    private async Task CommitBatchAsync(List<Pending> batch)
    {
        if (!await TryCommitAsPlannedAsync(batch)) await CommitCarefullyAsync(batch);
    }

    /// <summary>
    /// The common case: every list known (its size is fixed at creation), every basis still holding, room in every
    /// list. One statement batch raises the lists' counts (their row locks, in list order), reads the bases again and
    /// logs every request at a random index; then the commit. False, with the transaction rolled back and nothing
    /// reserved, when any of that does not hold.
    /// </summary>
    private async Task<bool> TryCommitAsPlannedAsync(List<Pending> batch)
    {
        var lists = batch.GroupBy(p => p.ListId).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (Id: g.Key, Count: g.Count())).ToList();
        if (!lists.TrueForAll(l => _sizes.ContainsKey(l.Id))) return false;
        var bases = new Bases(batch);
        var now = _store.Time.GetUtcNow().ToString("O");
        var indexes = batch.Select(p => RandomNumberGenerator.GetInt32(_sizes[p.ListId])).ToArray();
        List<Pending> reserved;
        await using (var c = await _store.OpenConnectionAsync())
        await using (var tx = await _store.BeginWriteAsync(c))
        {
            var read = await NodeStore.Rows(c, tx, [
                .. lists.Select(l => Statement(RaiseCount, ("@n", l.Count), ("@id", l.Id))),
                .. bases.Statements,
                .. batch.Select((p, i) => Statement(InsertLog, LogArguments(p, indexes[i], now))),
            ]);
            var fits = lists.Select((_, i) => read[i] is [var row] && Convert.ToInt32(row[0]) <= Convert.ToInt32(row[1])).All(x => x);
            var stale = bases.Judge(read[lists.Count..]);
            if (!fits || batch.Exists(p => stale(p) is not null)) return false; // disposed uncommitted: rolled back
            reserved = await ReserveAsLoggedAsync(c, tx, batch, indexes, read[(lists.Count + bases.Count)..], now);
            await tx.CommitAsync();
        }
        foreach (var p in reserved) p.Committed.TrySetResult();
        return true;
    }

    // Raises a list's count of indexes handed out (and takes its row lock until the commit).
    private const string RaiseCount = "UPDATE status_lists SET next_index = next_index + @n WHERE id = @id RETURNING next_index, size";

    private async Task CommitCarefullyAsync(List<Pending> batch)
    {
        List<Pending> reserved;
        var refused = new List<(Pending Request, Exception Error)>();
        await using (var c = await _store.OpenConnectionAsync())
        await using (var tx = await _store.BeginWriteAsync(c))
        {
            // Lists locked in one order everywhere, so two nodes' batches never wait on each other in a cycle.
            var lists = batch.Select(p => p.ListId).Distinct().Order(StringComparer.Ordinal).ToList();
            var bases = new Bases(batch);
            var read = await NodeStore.Rows(c, tx, [
                .. lists.Select(id => Statement("SELECT next_index, size FROM status_lists WHERE id = @id" + _store.Dialect.ForUpdate, ("@id", id))),
                .. bases.Statements,
            ]);
            var stale = bases.Judge(read[lists.Count..]);

            var accepted = new List<Pending>(batch.Count);
            var counts = new List<(string List, int Granted)>();
            for (var l = 0; l < lists.Count; l++)
            {
                var granted = 0;
                if (read[l] is [var known]) _sizes[lists[l]] = Convert.ToInt32(known[1]); // fixed at creation: the planned path draws from it
                foreach (var p in batch.Where(p => p.ListId == lists[l]))
                {
                    if (stale(p) is { } reason)
                        refused.Add((p, reason));
                    else if (read[l] is not [var row])
                        refused.Add((p, new StoreException($"status list '{lists[l]}' does not exist")));
                    else if (Convert.ToInt32(row[0]) + granted >= Convert.ToInt32(row[1]))
                        refused.Add((p, new StoreException($"status list '{lists[l]}' is full ({Convert.ToInt32(row[1])} entries)")));
                    else
                    {
                        accepted.Add(p);
                        granted++;
                    }
                }
                if (granted > 0) counts.Add((lists[l], granted));
            }

            // Each accepted request logged at a random index, and each list's count raised, in one round trip.
            var now = _store.Time.GetUtcNow().ToString("O");
            var indexes = accepted.Select(p => RandomNumberGenerator.GetInt32(_sizes[p.ListId])).ToArray();
            var logged = await NodeStore.Rows(c, tx, [
                .. accepted.Select((p, i) => Statement(InsertLog, LogArguments(p, indexes[i], now))),
                .. counts.Select(x => Statement(RaiseCount, ("@n", x.Granted), ("@id", x.List))),
            ]);
            reserved = await ReserveAsLoggedAsync(c, tx, accepted, indexes, logged, now);
            await tx.CommitAsync();
        }
        foreach (var p in reserved) p.Committed.TrySetResult();
        foreach (var (p, e) in refused) p.Reserved.TrySetException(e);
    }

    /// <summary>
    /// The distinct API keys and issuer signing keys a batch was decided on (<see cref="IssuanceBasis"/>): the statements
    /// that read them again in the batch's transaction and, from their rows, why a request no longer holds (null: it holds).
    /// </summary>
    private sealed class Bases(List<Pending> batch)
    {
        private readonly List<string> _keyIds = batch.Select(p => p.Basis?.ApiKeyId).OfType<string>().Distinct().ToList();
        private readonly List<StoredSigningKey> _signing = batch.Select(p => p.Basis?.Signing).OfType<StoredSigningKey>().Distinct().ToList();

        public int Count => _keyIds.Count + _signing.Count;

        public IEnumerable<(string, (string, object?)[])> Statements =>
        [
            .. _keyIds.Select(id => Statement(ApiKeys.ActiveKeyQuery, ("@id", id))),
            .. _signing.Select(k => Statement(IssuerStore.SigningKeyQuery, ("@id", k.Issuer.Id))),
        ];

        /// <param name="rows">the rows of <see cref="Statements"/> in order (more may follow)</param>
        public Func<Pending, IssuanceBasisException?> Judge(IReadOnlyList<List<object[]>> rows)
        {
            var revoked = _keyIds.Where((_, i) => rows[i].Count == 0).ToHashSet(StringComparer.Ordinal);
            var changed = _signing.Where((k, i) => !IssuerStore.SigningKeyUnchanged(rows[_keyIds.Count + i], k)).ToHashSet();
            return p => p.Basis switch
            {
                { ApiKeyId: { } id } when revoked.Contains(id) => new IssuanceBasisException($"the API key {id} was revoked", apiKeyRevoked: true),
                { } b when changed.Contains(b.Signing) => new IssuanceBasisException($"the signing key of issuer '{p.IssuerId}' changed", apiKeyRevoked: false),
                _ => null,
            };
        }
    }

    /// <summary>
    /// Hands each request the index its log statement took (<paramref name="logged"/>: that statement's rows, in order),
    /// or one drawn again where that index was taken; returns them, reserved.
    /// </summary>
    private async Task<List<Pending>> ReserveAsLoggedAsync(DbConnection c, DbTransaction tx, List<Pending> requests, int[] indexes,
        IReadOnlyList<List<object[]>> logged, string now)
    {
        var reserved = new List<Pending>(requests.Count);
        await using var insert = NodeStore.Command(c, tx, InsertLog, ("@iss", null), ("@cid", null), ("@types", null), ("@list", null), ("@idx", null), ("@t", null));
        for (var i = 0; i < requests.Count; i++)
        {
            var p = requests[i];
            var allocation = logged[i] is [var row]
                ? new StatusAllocation(p.ListId, indexes[i], Convert.ToInt64(row[0]))
                : await LogAsync(insert, c, tx, p, _sizes[p.ListId], now); // that index was taken: drawn again
            p.Reserved.TrySetResult(new StatusReservation(allocation, p.Committed.Task));
            reserved.Add(p);
        }
        return reserved;
    }

    private static (string, (string, object?)[]) Statement(string sql, params (string, object?)[] args) => (sql, args);

    private static (string, object?)[] LogArguments(Pending p, int index, string now) =>
        [("@iss", p.IssuerId), ("@cid", p.CredentialId), ("@types", p.CredentialTypes), ("@list", p.ListId), ("@idx", index), ("@t", now)];

    // ON CONFLICT … DO NOTHING: a taken index returns no row, without aborting the batch's transaction.
    private const string InsertLog = """
        INSERT INTO issuance_log (issuer_id, credential_id, credential_types, status_list_id, status_index, issued_at)
        VALUES (@iss, @cid, @types, @list, @idx, @t) ON CONFLICT (status_list_id, status_index) DO NOTHING RETURNING seq
        """;

    /// <summary>
    /// Logs one issuance at a free random index, drawn again while taken (after 16 draws, among the free ones).
    /// <paramref name="insert"/> is the batch's one <see cref="InsertLog"/> command (prepared once, run per entry).
    /// </summary>
    private async Task<StatusAllocation> LogAsync(DbCommand insert, DbConnection c, DbTransaction tx, Pending p, int size, string now)
    {
        foreach (var (name, value) in LogArguments(p, 0, now)) insert.Parameters[name].Value = value ?? DBNull.Value;
        for (var attempt = 0; attempt < 32; attempt++)
        {
            var index = attempt < 16 ? RandomNumberGenerator.GetInt32(size) : await FreeIndexAsync(c, tx, p.ListId, size);
            insert.Parameters["@idx"].Value = index;
            if (await insert.ExecuteScalarAsync() is { } seq and not DBNull) return new StatusAllocation(p.ListId, index, Convert.ToInt64(seq));
        }
        throw new StoreException($"status list '{p.ListId}': no free index found");
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
