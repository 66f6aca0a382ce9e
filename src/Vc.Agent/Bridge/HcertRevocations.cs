using System.Globalization;
using System.Text.Json.Nodes;
using Vc.Agent.Storage;
using Vc.Interop.Hcert;
using Vc.Interop.Revocation;

namespace Vc.Agent;

/// <summary>What an import of a revocation file added.</summary>
public sealed record RevocationImport(long Id, string Source, int Chunks, int Entries)
{
    public JsonObject ToJson() => new() { ["id"] = Id, ["source"] = Source, ["chunks"] = Chunks, ["entries"] = Entries };
}

/// <summary>
/// The node's EU DCC revocation state: revocation files imported into its trust store (gateway batches, partitioned
/// hash-list / Bloom-filter lists), and the revocations of the HCERTs it bridged from its own credentials — an HCERT
/// is revoked as soon as the credential it was bridged from is revoked or suspended (its status bit is set), so the
/// two worlds cannot disagree. The node publishes its own revocations in the gateway's batch format.
/// </summary>
public sealed class HcertRevocations(NodeStore store, NodeUrls urls, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Parses (the whole file must be valid) and stores a revocation file.</summary>
    /// <exception cref="DccRevocationException">The file is not a revocation list.</exception>
    public async Task<RevocationImport> ImportAsync(byte[] content, string source)
    {
        var list = DccRevocationList.Parse(content);
        await using var c = await store.OpenConnectionAsync();
        var id = (long)(await NodeStore.Scalar(c, null, """
            INSERT INTO hcert_revocation_imports (source, content, chunks, entries, imported_at)
            VALUES (@s, @c, @n, @e, @t) RETURNING id
            """, ("@s", source), ("@c", content), ("@n", list.Chunks.Count), ("@e", list.EntryCount), ("@t", time.GetUtcNow().ToString("O"))))!;
        return new RevocationImport(id, source, list.Chunks.Count, list.EntryCount);
    }

    /// <summary>Verifies gateway revocation downloads (CMS-signed by UPLOAD certificates of the batches' countries,
    /// <see cref="SignedRevocationBatches"/>) and stores the batches they carry.</summary>
    /// <exception cref="DccRevocationException">A download is not signed as the gateway signs, or not a batch.</exception>
    public async Task<RevocationImport> ImportSignedAsync(byte[] content, string source, Vc.Interop.TrustLists.GatewayUploadCertificates uploads)
    {
        var (batches, countries) = SignedRevocationBatches.Open(content, uploads);
        return await ImportAsync(batches, $"{source} (CMS-signed by UPLOAD {string.Join(",", countries.Distinct(StringComparer.OrdinalIgnoreCase))})");
    }

    /// <summary>
    /// Records an HCERT bridged from a credential: its DSC kid, revocation hashes and the credential's status entries
    /// on this node's lists (an entry on another node's list cannot be followed and is not recorded).
    /// </summary>
    public async Task RecordBridgedAsync(string issuerId, string hc1, JsonObject credential)
    {
        var decoded = HcertCodec.Decode(hc1);
        var hashes = DccRevocationHashes.Compute(decoded.Cose, decoded.Claims, decoded.EuDcc);
        var entries = StatusEntries(credential).ToList();
        if (entries.Count == 0) return;
        await using var c = await store.OpenConnectionAsync();
        await using var tx = await store.Dialect.BeginWriteAsync(c);
        foreach (var (listId, index) in entries)
            await NodeStore.Execute(c, tx, """
                INSERT INTO bridged_hcerts (issuer_id, country, kid, signature_hash, uci_hash, country_uci_hash, status_list_id, status_index, bridged_at)
                VALUES (@i, @c, @k, @s, @u, @cu, @l, @x, @t)
                """, ("@i", issuerId), ("@c", decoded.Claims.Issuer), ("@k", hashes.Kid), ("@s", hashes.Signature), ("@u", hashes.Uci),
                ("@cu", hashes.CountryCodeUci), ("@l", listId), ("@x", index), ("@t", time.GetUtcNow().ToString("O")));
        await tx.CommitAsync();
    }

    private IEnumerable<(string ListId, int Index)> StatusEntries(JsonObject credential)
    {
        var status = credential["credentialStatus"];
        foreach (var entry in status is JsonArray a ? a.OfType<JsonObject>() : status is JsonObject o ? [o] : [])
        {
            if (entry["statusListCredential"]?.GetValue<string>() is not { } url || urls.LocalStatusListId(url) is not { } listId) continue;
            var indexText = entry["statusListIndex"]?.ToString();
            if (int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                yield return (listId, index);
        }
    }

    /// <summary>The HCERTs this node bridged whose credential is now revoked or suspended, as revocation entries
    /// (SIGNATURE, and UCI / COUNTRYCODEUCI when the HCERT has a UCI), per DSC kid.</summary>
    public async Task<DccRevocationList> OwnAsync()
    {
        if (!store.Exists) return DccRevocationList.Empty;
        await using var c = await store.OpenConnectionAsync();
        // The byte holding the status bit, read in SQL: a status list is 16 KB, the bridged records are few.
        await using var cmd = NodeStore.Command(c, null, """
            SELECT b.country, b.kid, b.signature_hash, b.uci_hash, b.country_uci_hash, b.status_index, substr(s.bits, b.status_index / 8 + 1, 1)
            FROM bridged_hcerts b JOIN status_lists s ON s.id = b.status_list_id
            """);
        await using var r = await cmd.ExecuteReaderAsync();
        var revoked = new List<(string? Country, byte[] Kid, DccRevocationHashType Type, byte[] Hash)>();
        while (await r.ReadAsync())
        {
            var index = r.GetInt32(5);
            var b = (byte[])r[6];
            // Bitstring Status List §4: index 0 is the most significant bit of the first byte.
            if (b.Length == 0 || (b[0] & (0x80 >> (index % 8))) == 0) continue;
            var country = r.IsDBNull(0) ? null : r.GetString(0);
            var kid = (byte[])r[1];
            revoked.Add((country, kid, DccRevocationHashType.Signature, (byte[])r[2]));
            if (!r.IsDBNull(3)) revoked.Add((country, kid, DccRevocationHashType.Uci, (byte[])r[3]));
            if (!r.IsDBNull(4)) revoked.Add((country, kid, DccRevocationHashType.CountryCodeUci, (byte[])r[4]));
        }
        return new DccRevocationList(revoked
            .GroupBy(e => (Kid: Convert.ToBase64String(e.Kid), e.Type, e.Country))
            .Select(g => new DccRevocationChunk(g.Key.Country, Convert.FromBase64String(g.Key.Kid), g.Key.Type, null,
                g.Select(e => Convert.ToHexString(e.Hash)).ToHashSet(), null)));
    }

    /// <summary>The imported files as read (by row id), the batches of them still applied, and the next time one expires.</summary>
    private sealed record ImportedState(long LastId, IReadOnlyList<(long Id, DccRevocationList List)> Files, DccRevocationList Applied, DateTimeOffset NextExpiry);

    private ImportedState? _imported;

    /// <summary>
    /// Every imported file's batches not expired at the injected clock's now (gateway revocation batches carry
    /// <c>expires</c>, after which the gateway deletes them): a file whose batches have all expired is pruned from the
    /// store. Read once per import and re-pruned only when the next expiry passes.
    /// </summary>
    public async Task<DccRevocationList> ImportedAsync()
    {
        if (!store.Exists) return DccRevocationList.Empty;
        var now = time.GetUtcNow();
        await using var c = await store.OpenConnectionAsync();
        var last = await NodeStore.Scalar(c, null, "SELECT coalesce(max(id), 0) FROM hcert_revocation_imports") is long l ? l : 0;
        if (_imported is { } cached && cached.LastId == last && now < cached.NextExpiry) return cached.Applied;
        await _gate.WaitAsync();
        try
        {
            var files = _imported is { } known && known.LastId == last ? known.Files : await ReadImportsAsync(c, last);
            var kept = new List<(long Id, DccRevocationList List)>();
            var applied = new List<DccRevocationChunk>();
            foreach (var (id, list) in files)
            {
                var unexpired = list.Unexpired(now);
                if (unexpired.Chunks.Count == 0 && list.Chunks.Count > 0)
                {
                    await NodeStore.Execute(c, null, "DELETE FROM hcert_revocation_imports WHERE id = @i", ("@i", id));
                    continue;
                }
                kept.Add((id, list));
                applied.AddRange(unexpired.Chunks);
            }
            var next = applied.Select(x => x.Expires).OfType<DateTimeOffset>().DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
            var state = new ImportedState(kept.Count > 0 ? kept.Max(k => k.Id) : 0, kept, new DccRevocationList(applied), next);
            _imported = state;
            return state.Applied;
        }
        finally { _gate.Release(); }
    }

    private static async Task<IReadOnlyList<(long Id, DccRevocationList List)>> ReadImportsAsync(System.Data.Common.DbConnection c, long last)
    {
        var files = new List<(long, DccRevocationList)>();
        await using var cmd = NodeStore.Command(c, null, "SELECT id, content FROM hcert_revocation_imports WHERE id <= @l ORDER BY id", ("@l", last));
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) files.Add((r.GetInt64(0), DccRevocationList.Parse((byte[])r[1])));
        return files;
    }

    /// <summary>What a verification checks: the imported lists and this node's own revocations.</summary>
    public async Task<IDccRevocationCheck> CurrentAsync() => (await ImportedAsync()).With(await OwnAsync());

    /// <summary>This node's own revocations in the gateway's batch format (what it would upload to a gateway).</summary>
    public async Task<JsonObject> ExportAsync() => (await OwnAsync()).ToGatewayBatches();
}
