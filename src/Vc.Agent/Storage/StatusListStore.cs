namespace Vc.Agent.Storage;

/// <summary>A status index handed out for one credential, and the issuance-log entry recorded with it.</summary>
public sealed record StatusAllocation(string StatusListId, int Index, long LogSequence);

/// <summary>
/// Status lists (Bitstring Status List bits) and the issuance log. An index is allocated and logged in
/// one transaction before the credential is signed: a node killed mid-issuance may leave an index logged
/// but unused, and never hands the same index out twice nor loses a logged issuance.
/// </summary>
public sealed class StatusListStore(NodeStore store)
{
    /// <summary>W3C Bitstring Status List §6.1: at least 131,072 entries for group privacy.</summary>
    public const int DefaultSize = 131_072;

    public async Task EnsureListAsync(string listId, string issuerId, string purpose, int size = DefaultSize)
    {
        await using var c = await store.OpenConnectionAsync();
        await NodeStore.Execute(c, null, """
            INSERT INTO status_lists (id, issuer_id, purpose, size, next_index, bits, updated_at)
            VALUES ($id, $iss, $p, $n, 0, zeroblob($bytes), $t) ON CONFLICT(id) DO NOTHING
            """, ("$id", listId), ("$iss", issuerId), ("$p", purpose), ("$n", size), ("$bytes", size / 8), ("$t", store.Time.GetUtcNow().ToString("O")));
    }

    /// <summary>
    /// Allocates an unused index of a list, chosen uniformly at random (so an index says nothing about when
    /// or to whom a credential was issued), and logs the issuance (no personal data: id and types only).
    /// The log's UNIQUE (list, index) constraint is what guarantees an index is never handed out twice.
    /// </summary>
    public async Task<StatusAllocation> AllocateAsync(string listId, string issuerId, string? credentialId, string credentialTypes)
    {
        await using var c = await store.OpenConnectionAsync();
        for (var attempt = 0; attempt < 64; attempt++)
        {
            await using var tx = (Microsoft.Data.Sqlite.SqliteTransaction)await c.BeginTransactionAsync(System.Data.IsolationLevel.Serializable);
            await using var read = NodeStore.Command(c, tx, "SELECT next_index, size FROM status_lists WHERE id = $id", ("$id", listId));
            int used, size;
            await using (var r = await read.ExecuteReaderAsync())
            {
                if (!await r.ReadAsync()) throw new StoreException($"status list '{listId}' does not exist");
                used = r.GetInt32(0);
                size = r.GetInt32(1);
            }
            if (used >= size) throw new StoreException($"status list '{listId}' is full ({size} entries)");
            var index = attempt < 16 ? System.Security.Cryptography.RandomNumberGenerator.GetInt32(size) : await FreeIndexAsync(c, tx, listId, size);
            try
            {
                var seq = (long)(await NodeStore.Scalar(c, tx, """
                    INSERT INTO issuance_log (issuer_id, credential_id, credential_types, status_list_id, status_index, issued_at)
                    VALUES ($iss, $cid, $types, $list, $idx, $t) RETURNING seq
                    """, ("$iss", issuerId), ("$cid", credentialId), ("$types", credentialTypes), ("$list", listId), ("$idx", index),
                    ("$t", store.Time.GetUtcNow().ToString("O"))))!;
                await NodeStore.Execute(c, tx, "UPDATE status_lists SET next_index = next_index + 1 WHERE id = $id", ("$id", listId));
                await tx.CommitAsync();
                return new StatusAllocation(listId, index, seq);
            }
            catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode == 19)
            {
                await tx.RollbackAsync(); // index taken: draw again
            }
        }
        throw new StoreException($"status list '{listId}': no free index after 64 attempts (concurrent allocations); retry");
    }

    /// <summary>A uniformly chosen free index, for nearly full lists where random draws keep colliding.</summary>
    private static async Task<int> FreeIndexAsync(Microsoft.Data.Sqlite.SqliteConnection c, Microsoft.Data.Sqlite.SqliteTransaction tx, string listId, int size)
    {
        var taken = new HashSet<int>();
        await using (var cmd = NodeStore.Command(c, tx, "SELECT status_index FROM issuance_log WHERE status_list_id = $id", ("$id", listId)))
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) taken.Add(r.GetInt32(0));
        var skip = System.Security.Cryptography.RandomNumberGenerator.GetInt32(size - taken.Count);
        for (var i = 0; i < size; i++)
            if (!taken.Contains(i) && skip-- == 0) return i;
        throw new StoreException($"status list '{listId}' is full ({size} entries)");
    }

    /// <summary>Indexes handed out so far for a list (for restoring a status list manager).</summary>
    public async Task<IReadOnlyList<int>> AllocatedAsync(string listId)
    {
        await using var c = await store.OpenConnectionAsync();
        await using var cmd = NodeStore.Command(c, null, "SELECT status_index FROM issuance_log WHERE status_list_id = $id", ("$id", listId));
        await using var r = await cmd.ExecuteReaderAsync();
        var list = new List<int>();
        while (await r.ReadAsync()) list.Add(r.GetInt32(0));
        return list;
    }

    /// <summary>Every status list of this node (what a verifier pack carries).</summary>
    public async Task<IReadOnlyList<string>> ListIdsAsync()
    {
        if (!store.Exists) return [];
        await using var c = await store.OpenConnectionAsync();
        await using var cmd = NodeStore.Command(c, null, "SELECT id FROM status_lists ORDER BY id");
        await using var r = await cmd.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await r.ReadAsync()) ids.Add(r.GetString(0));
        return ids;
    }

    /// <summary>Sets or clears one status bit (revocation is final; suspension can be lifted).</summary>
    public async Task SetAsync(string listId, int index, bool value)
    {
        await using var c = await store.OpenConnectionAsync();
        await using var tx = c.BeginTransaction();
        var bits = await NodeStore.Scalar(c, tx, "SELECT bits FROM status_lists WHERE id = $id", ("$id", listId)) as byte[]
            ?? throw new StoreException($"status list '{listId}' does not exist");
        if (index < 0 || index >= bits.Length * 8) throw new StoreException($"status index {index} is outside list '{listId}'");
        // Bitstring Status List §4: index 0 is the left-most (most significant) bit of the first byte.
        var mask = (byte)(0x80 >> (index % 8));
        bits[index / 8] = value ? (byte)(bits[index / 8] | mask) : (byte)(bits[index / 8] & ~mask);
        await NodeStore.Execute(c, tx, "UPDATE status_lists SET bits = $b, updated_at = $t WHERE id = $id",
            ("$b", bits), ("$t", store.Time.GetUtcNow().ToString("O")), ("$id", listId));
        await tx.CommitAsync();
    }

    public async Task<(byte[] Bits, string Purpose, string IssuerId, DateTimeOffset Updated)?> ReadAsync(string listId)
    {
        await using var c = await store.OpenConnectionAsync();
        await using var cmd = NodeStore.Command(c, null, "SELECT bits, purpose, issuer_id, updated_at FROM status_lists WHERE id = $id", ("$id", listId));
        await using var r = await cmd.ExecuteReaderAsync();
        if (!await r.ReadAsync()) return null;
        return ((byte[])r[0], r.GetString(1), r.GetString(2), DateTimeOffset.Parse(r.GetString(3)));
    }

    public async Task<long> IssuedCountAsync(string issuerId)
    {
        await using var c = await store.OpenConnectionAsync();
        return (long)(await NodeStore.Scalar(c, null, "SELECT COUNT(*) FROM issuance_log WHERE issuer_id = $i", ("$i", issuerId)))!;
    }
}
