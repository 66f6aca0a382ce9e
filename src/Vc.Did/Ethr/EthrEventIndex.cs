using Microsoft.Data.Sqlite;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Vc.Did.Core;
using Vc.Did.Encoding;
using Vc.Did.Ledger;

namespace Vc.Did.Ethr;

/// <summary>The local event index cannot serve (never synced while the node is unreachable, or a foreign database).</summary>
public sealed class EthrIndexException(string message, Exception? inner = null) : Exception("did:ethr index: " + message, inner);

/// <summary>Options of the event index.</summary>
public sealed record EthrIndexOptions
{
    /// <summary>Blocks a log must be buried under before it is indexed (0: index the head).</summary>
    public int Confirmations { get; init; }
    /// <summary>Skip syncing before a resolution when the last successful sync is younger than this.</summary>
    public TimeSpan MaxSyncAge { get; init; } = TimeSpan.Zero;
    /// <summary>Block range of one eth_getLogs call.</summary>
    public int MaxLogRange { get; init; } = 10_000;
    public int MaxValueBytes { get; init; } = Erc1056Log.DefaultMaxValueBytes;
}

/// <summary>
/// An index of every registry event of one network, kept in SQLite. It follows new blocks (each sync is a
/// constant number of round trips), waits for confirmations, detects a reorg by the hash of the last indexed
/// block and re-reads from the fork point, and when the node is unreachable answers from what it has, saying so.
/// </summary>
public sealed class EthrEventIndex : IEthrHistorySource, IAsyncDisposable
{
    private readonly IClient _rpc;
    private readonly EthrNetwork _network;
    private readonly EthrIndexOptions _options;
    private readonly TimeProvider _clock;
    private readonly SqliteConnection _db;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private EthrEventIndex(IClient rpc, EthrNetwork network, EthrIndexOptions options, TimeProvider clock, SqliteConnection db)
    {
        _rpc = rpc;
        _network = network;
        _options = options;
        _clock = clock;
        _db = db;
    }

    /// <summary>Opens (or creates) the index database at <paramref name="path"/> (":memory:" for a private in-memory one).</summary>
    public static async Task<EthrEventIndex> OpenAsync(string path, IClient rpc, EthrNetwork network, EthrIndexOptions? options = null, TimeProvider? clock = null)
    {
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await db.OpenAsync();
        try
        {
            await ExecAsync(db, """
                PRAGMA journal_mode=WAL;
                CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS blocks(number INTEGER PRIMARY KEY, hash TEXT NOT NULL, time INTEGER NOT NULL);
                CREATE TABLE IF NOT EXISTS logs(block INTEGER NOT NULL, log_index INTEGER NOT NULL, identity TEXT NOT NULL,
                    topic0 TEXT NOT NULL, topic1 TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY(block, log_index));
                CREATE INDEX IF NOT EXISTS logs_by_identity ON logs(identity, block, log_index);
                """);
            var registry = network.RegistryAddress.ToLowerInvariant();
            var storedChain = await MetaAsync(db, "chain_id");
            var storedRegistry = await MetaAsync(db, "registry");
            if (storedChain is null)
            {
                await SetMetaAsync(db, "chain_id", network.ChainId.ToString());
                await SetMetaAsync(db, "registry", registry);
            }
            else if (storedChain != network.ChainId.ToString() || storedRegistry != registry)
                throw new EthrIndexException($"{path} indexes chain {storedChain} registry {storedRegistry}, not chain {network.ChainId} registry {registry}");
            return new EthrEventIndex(rpc, network, options ?? new EthrIndexOptions(), clock ?? TimeProvider.System, db);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>The last block indexed (-1 before the first sync).</summary>
    public async Task<long> IndexedToAsync()
    {
        await _gate.WaitAsync();
        try { return await IndexedToUnlockedAsync(); }
        finally { _gate.Release(); }
    }

    private async Task<long> IndexedToUnlockedAsync() =>
        await MetaAsync(_db, "indexed_to") is { } s ? long.Parse(s) : _network.StartBlock - 1;

    /// <summary>Follows the chain until cancelled, syncing every <paramref name="interval"/>; failures are retried.</summary>
    public async Task FollowAsync(TimeSpan interval, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval, _clock);
        do
        {
            try { await SyncAsync(ct); }
            catch (LedgerException) { /* recorded by SyncAsync; the next tick retries */ }
        } while (await timer.WaitForNextTickAsync(ct));
    }

    /// <summary>Last error of a sync attempt (null after a success).</summary>
    public string? LastSyncError { get; private set; }

    /// <summary>
    /// Brings the index up to head − confirmations. Round trips: 1 when nothing is new; 3 when there are new
    /// blocks (head + cursor check, logs, block headers); a reorg adds the fork search.
    /// </summary>
    public async Task<long> SyncAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    var to = await SyncUnlockedAsync(ct);
                    LastSyncError = null;
                    return to;
                }
                catch (ReorgDuringSync) when (attempt < 3) { }
                catch (LedgerException e) { LastSyncError = e.Message; throw; }
                catch (ReorgDuringSync) { throw new LedgerException(LedgerError.MalformedResponse, "rpc eth_getLogs: chain kept reorganising during sync"); }
            }
        }
        finally { _gate.Release(); }
    }

    private sealed class ReorgDuringSync : Exception;

    private async Task<long> SyncUnlockedAsync(CancellationToken ct)
    {
        var cursor = await IndexedToUnlockedAsync();
        var cursorHash = cursor >= _network.StartBlock ? await BlockHashAsync(cursor) : null;
        // Head and the cursor's block in one round trip (a batch of two, decoded as raw JSON then typed).
        var first = await _rpc.BatchAsync<Newtonsoft.Json.Linq.JToken?>(cursorHash is null ? [ChainReads.BlockNumber()] : [ChainReads.BlockNumber(), ChainReads.Block(cursor)], ct);
        var head = ChainReads.Quantity(As<HexBigInteger>(first[0], "eth_blockNumber"), "eth_blockNumber", "result");
        if (cursorHash is not null && ChainReads.Header(As<BlockWithTransactionHashes>(first[1], "eth_getBlockByNumber"), cursor)?.Hash != cursorHash)
        {
            // Reorg (or a reset dev chain): the last indexed block is no longer canonical.
            cursor = await FindForkPointAsync(ct);
            await TruncateAboveAsync(cursor);
        }
        var target = head - _options.Confirmations;
        if (target <= cursor)
        {
            await SetMetaAsync(_db, "last_sync", _clock.GetUtcNow().ToUnixTimeSeconds().ToString());
            return cursor;
        }

        var logs = new List<FilterLog>();
        for (var from = cursor + 1; from <= target; from += _options.MaxLogRange)
        {
            var to = Math.Min(target, from + _options.MaxLogRange - 1);
            logs.AddRange(ChainReads.Canonical(await _rpc.CallAsync<FilterLog[]>(ChainReads.Logs(_network.RegistryAddress, from, to), ct)));
        }
        var registry = _network.RegistryAddress.ToLowerInvariant();
        logs = logs.Where(l => l.Address == registry && l.Topics.Length == 2 && Erc1056Log.IsRegistryEvent(Erc1056Log.Topic0(l))).ToList();
        foreach (var l in logs)
            if (Block(l) <= cursor || Block(l) > target)
                throw new LedgerException(LedgerError.MalformedResponse, $"rpc eth_getLogs: log of block {Block(l)} outside {cursor + 1}..{target}");
            else
            {
                // Validate the ABI layout before anything is stored; value size is checked per identity at
                // resolution, so one identity's oversized value cannot stop the index for everyone.
                try { _ = Erc1056Log.Decode(l, int.MaxValue); }
                catch (Erc1056DecodeException e) { throw new LedgerException(LedgerError.MalformedResponse, "rpc eth_getLogs: " + e.Message, e); }
            }

        var wanted = logs.Select(Block).Append(target).Distinct().Order().ToList();
        var headers = new Dictionary<long, BlockHeader>();
        foreach (var chunk in wanted.Chunk(100))
        {
            var replies = await _rpc.BatchAsync<BlockWithTransactionHashes?>(chunk.Select(ChainReads.Block).ToList(), ct);
            for (var i = 0; i < chunk.Length; i++)
                headers[chunk[i]] = ChainReads.Header(replies[i], chunk[i]) ?? throw new ReorgDuringSync();
        }
        if (logs.Any(l => headers[Block(l)].Hash != l.BlockHash)) throw new ReorgDuringSync();

        await using var tx = (SqliteTransaction)await _db.BeginTransactionAsync(ct);
        foreach (var h in headers.Values)
            await ExecAsync(_db, "INSERT OR REPLACE INTO blocks(number, hash, time) VALUES($n, $h, $t)", tx, ("$n", h.Number), ("$h", h.Hash), ("$t", h.Timestamp));
        foreach (var l in logs)
            await ExecAsync(_db, "INSERT OR REPLACE INTO logs(block, log_index, identity, topic0, topic1, data) VALUES($b, $i, $id, $t0, $t1, $d)", tx,
                ("$b", Block(l)), ("$i", (long)l.LogIndex.Value), ("$id", "0x" + l.Topics[1].ToString()![26..]), ("$t0", l.Topics[0]), ("$t1", l.Topics[1]),
                ("$d", Codec.FromHex(l.Data)));
        await SetMetaAsync(_db, "indexed_to", target.ToString(), tx);
        await SetMetaAsync(_db, "last_sync", _clock.GetUtcNow().ToUnixTimeSeconds().ToString(), tx);
        await tx.CommitAsync(ct);
        return target;
    }

    /// <summary>Walks our stored blocks newest → oldest, batch-comparing hashes with the chain, to the last common block.</summary>
    private async Task<long> FindForkPointAsync(CancellationToken ct)
    {
        var stored = new List<(long Number, string Hash)>();
        await using (var cmd = _db.CreateCommand())
        {
            cmd.CommandText = "SELECT number, hash FROM blocks ORDER BY number DESC";
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) stored.Add((r.GetInt64(0), r.GetString(1)));
        }
        foreach (var chunk in stored.Chunk(64))
        {
            var replies = await _rpc.BatchAsync<BlockWithTransactionHashes?>(chunk.Select(b => ChainReads.Block(b.Number)).ToList(), ct);
            for (var i = 0; i < chunk.Length; i++)
                if (ChainReads.Header(replies[i], chunk[i].Number)?.Hash == chunk[i].Hash) return chunk[i].Number;
        }
        return _network.StartBlock - 1;
    }

    private async Task TruncateAboveAsync(long block)
    {
        await using var tx = (SqliteTransaction)await _db.BeginTransactionAsync();
        await ExecAsync(_db, "DELETE FROM logs WHERE block > $b", tx, ("$b", block));
        await ExecAsync(_db, "DELETE FROM blocks WHERE number > $b", tx, ("$b", block));
        await SetMetaAsync(_db, "indexed_to", block.ToString(), tx);
        await tx.CommitAsync();
    }

    public async Task<EthrHistory> HistoryAsync(string address, CancellationToken ct = default)
    {
        var identity = Codec.ChecksumAddress(address);
        IndexFreshness? freshness = null;
        if (await NeedsSyncAsync())
        {
            try { await SyncAsync(ct); }
            catch (LedgerException e) { freshness = await StaleFreshnessAsync(e.Message); }
        }
        await _gate.WaitAsync(ct);
        try
        {
            var events = new List<Erc1056Event>();
            var times = new Dictionary<long, long>();
            await using var cmd = _db.CreateCommand();
            cmd.CommandText = """
                SELECT l.block, l.log_index, l.topic0, l.topic1, l.data, b.hash, b.time FROM logs l JOIN blocks b ON b.number = l.block
                WHERE l.identity = $id ORDER BY l.block, l.log_index
                """;
            cmd.Parameters.AddWithValue("$id", address.ToLowerInvariant());
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var log = new FilterLog
                {
                    BlockNumber = new HexBigInteger(r.GetInt64(0)), BlockHash = r.GetString(5), LogIndex = new HexBigInteger(r.GetInt32(1)),
                    Address = _network.RegistryAddress, Topics = [r.GetString(2), r.GetString(3)], Data = Codec.ToHex0x((byte[])r[4]),
                };
                times[r.GetInt64(0)] = r.GetInt64(6);
                if (Erc1056Log.Decode(log, _options.MaxValueBytes, identity).Event is { } ev) events.Add(ev);
            }
            return new EthrHistory(events, times) { Freshness = freshness };
        }
        finally { _gate.Release(); }
    }

    public async Task<long?> BlockTimeAsync(long blockNumber, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await using var cmd = _db.CreateCommand();
            cmd.CommandText = "SELECT time FROM blocks WHERE number = $n";
            cmd.Parameters.AddWithValue("$n", blockNumber);
            if (await cmd.ExecuteScalarAsync(ct) is long t) return t;
        }
        finally { _gate.Release(); }
        return ChainReads.Header(await _rpc.CallAsync<BlockWithTransactionHashes?>(ChainReads.Block(blockNumber), ct), blockNumber)?.Timestamp;
    }

    private async Task<bool> NeedsSyncAsync()
    {
        if (_options.MaxSyncAge <= TimeSpan.Zero) return true;
        await _gate.WaitAsync();
        try
        {
            return await MetaAsync(_db, "last_sync") is not { } s
                || _clock.GetUtcNow().ToUnixTimeSeconds() - long.Parse(s) > _options.MaxSyncAge.TotalSeconds;
        }
        finally { _gate.Release(); }
    }

    private async Task<IndexFreshness> StaleFreshnessAsync(string reason)
    {
        await _gate.WaitAsync();
        try
        {
            var indexedTo = await IndexedToUnlockedAsync();
            if (indexedTo < _network.StartBlock)
                throw new EthrIndexException("the ledger is unreachable and the index has never synced: " + reason);
            await using var cmd = _db.CreateCommand();
            cmd.CommandText = "SELECT time FROM blocks WHERE number = $n";
            cmd.Parameters.AddWithValue("$n", indexedTo);
            var blockTime = await cmd.ExecuteScalarAsync() is long t ? Codec.IsoTime(t) : null;
            var lastSync = await MetaAsync(_db, "last_sync") is { } s ? long.Parse(s) : (long?)null;
            var now = _clock.GetUtcNow().ToUnixTimeSeconds();
            return new IndexFreshness(true, indexedTo, blockTime, lastSync is { } ls ? Codec.IsoTime(ls) : null, lastSync is { } l2 ? now - l2 : null, reason);
        }
        finally { _gate.Release(); }
    }

    private static long Block(FilterLog l) => (long)l.BlockNumber.Value;

    /// <summary>A batch reply decoded as raw JSON, typed here (the head and a header share one batch).</summary>
    private static T? As<T>(Newtonsoft.Json.Linq.JToken? token, string method) where T : class
    {
        try { return token is null || token.Type == Newtonsoft.Json.Linq.JTokenType.Null ? null : token.ToObject<T>(); }
        catch (Exception e) when (e is Newtonsoft.Json.JsonException or FormatException or ArgumentException)
        {
            throw new LedgerException(LedgerError.MalformedResponse, $"rpc {method}: {e.Message}", e);
        }
    }

    private async Task<string?> BlockHashAsync(long number)
    {
        await using var cmd = _db.CreateCommand();
        cmd.CommandText = "SELECT hash FROM blocks WHERE number = $n";
        cmd.Parameters.AddWithValue("$n", number);
        return await cmd.ExecuteScalarAsync() as string;
    }

    private static async Task<string?> MetaAsync(SqliteConnection db, string key)
    {
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT value FROM meta WHERE key = $k";
        cmd.Parameters.AddWithValue("$k", key);
        return await cmd.ExecuteScalarAsync() as string;
    }

    private static Task SetMetaAsync(SqliteConnection db, string key, string value, SqliteTransaction? tx = null) =>
        ExecAsync(db, "INSERT OR REPLACE INTO meta(key, value) VALUES($k, $v)", tx, ("$k", key), ("$v", value));

    private static Task ExecAsync(SqliteConnection db, string sql) => ExecAsync(db, sql, null);

    private static async Task ExecAsync(SqliteConnection db, string sql, SqliteTransaction? tx, params (string Name, object Value)[] args)
    {
        await using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v);
        await cmd.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync();
        _gate.Dispose();
    }
}
