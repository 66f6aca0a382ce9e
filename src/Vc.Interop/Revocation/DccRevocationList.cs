using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vc.Interop.Revocation;

/// <summary>A revocation check over the hashes of one HCERT at the verification clock: the reason it is revoked, or null.</summary>
public interface IDccRevocationCheck
{
    string? Revoked(DccRevocationHashes hashes, DateTimeOffset at);
}

/// <summary>One chunk of revocation entries of a DSC (kid) and hash type: a plain hash list, or a Bloom filter, in the
/// partition (x = first byte, y = second byte of the hash; null = any) the distribution put it in.</summary>
public sealed record DccRevocationChunk(string? Country, byte[] Kid, DccRevocationHashType HashType, DateTimeOffset? Expires,
    IReadOnlySet<string> Hashes, DgcBloomFilter? Filter, byte? X = null, byte? Y = null)
{
    /// <summary>A batch applies until its <c>expires</c> (gateway revocation batch: the time after which the batch is
    /// deleted, its certificates having expired by then); one without is applied always.</summary>
    public bool AppliesAt(DateTimeOffset at) => Expires is not { } expires || at < expires;

    public bool Matches(byte[] hash) =>
        (X is null || hash[0] == X) && (Y is null || hash[1] == Y)
        && (Hashes.Contains(Convert.ToHexString(hash)) || Filter?.MightContain(hash) == true);
}

/// <summary>The typed failure of a revocation file: which part and why.</summary>
public sealed class DccRevocationException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// EU DCC revocation lists (eHealth Network DCC revocation, in force since 2022): entries are the first 128 bits of
/// SHA-256 hashes (<see cref="DccRevocationHashes"/>), grouped per DSC kid and hash type. Read in the forms the gateway
/// and the revocation distribution service hand out — the gateway's batch
/// <c>{country, expires, kid, hashType, entries:[{hash}]}</c> (one, an array, or <c>{batches:[…]}</c>), and the
/// partitioned form <c>{kid, hashType(s), mode: POINT|VECTOR|COORDINATE, partitions:[{x, y, chunks:[{type: HASHLIST|BLOOMFILTER, data}]}]}</c>
/// whose chunks are concatenated 16-byte hashes or a <see cref="DgcBloomFilter"/> (base64). Immutable.
/// </summary>
public sealed class DccRevocationList : IDccRevocationCheck
{
    /// <summary>Bounds of one import: file size and total entries.</summary>
    public const int MaxFileBytes = 64 * 1024 * 1024;
    public const int MaxEntries = 4_000_000;

    private readonly Dictionary<string, List<DccRevocationChunk>> _byKid;

    public IReadOnlyList<DccRevocationChunk> Chunks { get; }

    public static DccRevocationList Empty { get; } = new([]);

    public DccRevocationList(IEnumerable<DccRevocationChunk> chunks)
    {
        Chunks = chunks.ToList();
        _byKid = Chunks.GroupBy(c => Convert.ToBase64String(c.Kid)).ToDictionary(g => g.Key, g => g.ToList());
    }

    public DccRevocationList With(DccRevocationList other) => new(Chunks.Concat(other.Chunks));

    public int EntryCount => Chunks.Sum(c => c.Hashes.Count + (c.Filter?.CurrentElements ?? 0));

    /// <summary>The chunks still applied at <paramref name="at"/> (expired batches pruned); this list when none expired.</summary>
    public DccRevocationList Unexpired(DateTimeOffset at) =>
        Chunks.All(c => c.AppliesAt(at)) ? this : new(Chunks.Where(c => c.AppliesAt(at)));

    /// <summary>The first listed hash of this HCERT's DSC in a batch not expired at <paramref name="at"/>: "UCI hash
    /// listed for kid …", or null.</summary>
    public string? Revoked(DccRevocationHashes hashes, DateTimeOffset at)
    {
        if (!_byKid.TryGetValue(Convert.ToBase64String(hashes.Kid), out var chunks)) return null;
        foreach (var chunk in chunks)
            if (chunk.AppliesAt(at) && hashes.Of(chunk.HashType) is { } hash && chunk.Matches(hash))
                return $"the {DccRevocationHashes.Name(chunk.HashType)} hash {Convert.ToHexStringLower(hash)} is on the revocation list of DSC kid {Convert.ToBase64String(hashes.Kid)}"
                    + (chunk.Filter is not null && !chunk.Hashes.Contains(Convert.ToHexString(hash)) ? " (Bloom filter)" : "")
                    + (chunk.Country is { } c ? $" ({c})" : "");
        return null;
    }

    /// <summary>Reads a revocation file (JSON, bounded), or throws <see cref="DccRevocationException"/>.</summary>
    public static DccRevocationList Parse(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxFileBytes) throw new DccRevocationException($"revocation file larger than {MaxFileBytes} bytes");
        JsonNode? root;
        try { root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 16 }); }
        catch (JsonException e) { throw new DccRevocationException("revocation file is not JSON: " + e.Message, e); }
        var chunks = new List<DccRevocationChunk>();
        var entries = 0;
        var items = root switch
        {
            JsonArray a => a.ToList(),
            JsonObject o when o["batches"] is JsonArray b => b.ToList(),
            JsonObject o => [o],
            _ => throw new DccRevocationException("revocation file must be a batch, an array of batches or a partitioned list"),
        };
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not JsonObject item) throw new DccRevocationException($"item {i} is not an object");
            try
            {
                if (item["partitions"] is not null) ReadPartitioned(item, chunks, ref entries);
                else ReadBatch(item, chunks, ref entries);
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException)
            {
                throw new DccRevocationException($"item {i}: {e.Message}", e);
            }
        }
        return new DccRevocationList(chunks);
    }

    private static void ReadBatch(JsonObject batch, List<DccRevocationChunk> chunks, ref int entries)
    {
        var kid = Kid(batch);
        var type = HashType(batch["hashType"]?.GetValue<string>());
        var hashes = new HashSet<string>();
        if (batch["entries"] is not JsonArray list) throw new DccRevocationException("a batch needs entries [{hash}]");
        foreach (var entry in list)
        {
            if (++entries > MaxEntries) throw new DccRevocationException($"more than {MaxEntries} entries");
            var hash = Convert.FromBase64String(entry?["hash"]?.GetValue<string>() ?? throw new DccRevocationException("an entry without hash"));
            hashes.Add(Convert.ToHexString(CheckLength(hash)));
        }
        chunks.Add(new DccRevocationChunk(batch["country"]?.GetValue<string>(), kid, type, Expires(batch), hashes, null));
    }

    private static void ReadPartitioned(JsonObject list, List<DccRevocationChunk> chunks, ref int entries)
    {
        var kid = Kid(list);
        var types = list["hashTypes"] is JsonArray ts
            ? ts.Select(t => HashType(t?.GetValue<string>())).ToList()
            : [HashType(list["hashType"]?.GetValue<string>())];
        var mode = list["mode"]?.GetValue<string>()?.ToUpperInvariant() ?? "POINT";
        if (mode is not ("POINT" or "VECTOR" or "COORDINATE")) throw new DccRevocationException($"mode '{mode}' is not POINT, VECTOR or COORDINATE");
        if (list["partitions"] is not JsonArray partitions) throw new DccRevocationException("partitions must be an array");
        foreach (var partition in partitions.OfType<JsonObject>())
        {
            var x = mode == "POINT" ? null : Byte(partition["x"], "x");
            var y = mode == "COORDINATE" ? Byte(partition["y"], "y") : null;
            if (mode != "POINT" && x is null) throw new DccRevocationException($"a {mode} partition needs x");
            if (mode == "COORDINATE" && y is null) throw new DccRevocationException("a COORDINATE partition needs y");
            foreach (var chunk in (partition["chunks"] as JsonArray ?? throw new DccRevocationException("a partition needs chunks")).OfType<JsonObject>())
            {
                var data = Convert.FromBase64String(chunk["data"]?.GetValue<string>() ?? throw new DccRevocationException("a chunk needs data"));
                var chunkType = chunk["type"]?.GetValue<string>()?.ToUpperInvariant();
                HashSet<string> hashes = [];
                DgcBloomFilter? filter = null;
                if (chunkType == "BLOOMFILTER")
                {
                    filter = DgcBloomFilter.Read(data);
                    entries += Math.Max(0, filter.CurrentElements);
                }
                else if (chunkType == "HASHLIST")
                {
                    if (data.Length % DccRevocationHashes.HashLength != 0) throw new DccRevocationException("a HASHLIST chunk is not a whole number of 16-byte hashes");
                    entries += data.Length / DccRevocationHashes.HashLength;
                    for (var at = 0; at < data.Length; at += DccRevocationHashes.HashLength)
                        hashes.Add(Convert.ToHexString(data, at, DccRevocationHashes.HashLength));
                }
                else throw new DccRevocationException($"chunk type '{chunkType}' is not HASHLIST or BLOOMFILTER");
                if (entries > MaxEntries) throw new DccRevocationException($"more than {MaxEntries} entries");
                foreach (var type in types)
                    chunks.Add(new DccRevocationChunk(list["country"]?.GetValue<string>(), kid, type, Expires(list), hashes, filter, x, y));
            }
        }
    }

    private static byte[] Kid(JsonObject o)
    {
        var kid = Convert.FromBase64String(o["kid"]?.GetValue<string>() ?? throw new DccRevocationException("kid (base64) is required"));
        return kid.Length is > 0 and <= 64 ? kid : throw new DccRevocationException($"kid of {kid.Length} bytes");
    }

    private static DccRevocationHashType HashType(string? name) =>
        DccRevocationHashes.Parse(name) ?? throw new DccRevocationException($"hashType '{name}' is not SIGNATURE, UCI or COUNTRYCODEUCI");

    private static byte[] CheckLength(byte[] hash) => hash.Length == DccRevocationHashes.HashLength
        ? hash
        // Some producers send the whole SHA-256: the entry is its first 128 bits.
        : hash.Length == 32 ? hash[..DccRevocationHashes.HashLength]
        : throw new DccRevocationException($"a hash of {hash.Length} bytes (16 expected)");

    private static DateTimeOffset? Expires(JsonObject o) =>
        o["expires"]?.GetValue<string>() is { } s
            ? DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : throw new DccRevocationException($"expires '{s}' is not a date-time")
            : null;

    private static byte? Byte(JsonNode? node, string name) => node?.GetValue<string>() is { } s
        ? s.Length == 2 ? Convert.FromHexString(s)[0] : throw new DccRevocationException($"partition {name} '{s}' is not one hex byte")
        : null;

    /// <summary>The gateway batch form of these entries (plain hash lists; Bloom filter chunks cannot be listed and are
    /// left out): <c>{batches:[{country, expires, kid, hashType, entries:[{hash}]}]}</c>.</summary>
    public JsonObject ToGatewayBatches() => new()
    {
        ["batches"] = new JsonArray(Chunks.Where(c => c.Hashes.Count > 0)
            .GroupBy(c => (Kid: Convert.ToBase64String(c.Kid), c.HashType, c.Country))
            .OrderBy(g => g.Key.Kid, StringComparer.Ordinal).ThenBy(g => g.Key.HashType)
            .Select(g => (JsonNode)new JsonObject
            {
                ["country"] = g.Key.Country,
                ["expires"] = g.Max(c => c.Expires)?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                ["kid"] = g.Key.Kid,
                ["hashType"] = DccRevocationHashes.Name(g.Key.HashType),
                ["entries"] = new JsonArray(g.SelectMany(c => c.Hashes).Distinct().Order(StringComparer.Ordinal)
                    .Select(h => (JsonNode)new JsonObject { ["hash"] = Convert.ToBase64String(Convert.FromHexString(h)) }).ToArray()),
            }).ToArray()),
    };
}
