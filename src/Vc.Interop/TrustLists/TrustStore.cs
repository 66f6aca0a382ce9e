using System.Security.Cryptography.X509Certificates;

namespace Vc.Interop.TrustLists;

/// <summary>Where a verifier finds the DSCs for a kid. kids can collide: every candidate is returned.</summary>
public interface ITrustStore
{
    IReadOnlyList<TrustEntry> FindByKid(ReadOnlySpan<byte> kid);

    IReadOnlyCollection<TrustEntry> Entries { get; }
}

/// <summary>An immutable trust store keyed by kid. Entries for the same certificate from several sources are kept
/// once (the first source wins).</summary>
public sealed class TrustStore : ITrustStore
{
    private readonly Dictionary<ulong, TrustEntry[]> _byKid8;
    private readonly Dictionary<string, TrustEntry[]> _byOtherKid;
    private readonly TrustEntry[] _entries;

    public static TrustStore Empty { get; } = new([]);

    public TrustStore(IEnumerable<TrustEntry> entries)
    {
        var unique = new List<TrustEntry>();
        var seen = new HashSet<(string, string)>();
        foreach (var e in entries)
            if (seen.Add((e.Thumbprint, Convert.ToBase64String(e.Kid))))
                unique.Add(e);
        _entries = [.. unique];
        _byKid8 = unique.Where(e => e.Kid.Length == 8)
            .GroupBy(e => BitConverter.ToUInt64(e.Kid))
            .ToDictionary(g => g.Key, g => g.ToArray());
        _byOtherKid = unique.Where(e => e.Kid.Length != 8)
            .GroupBy(e => Convert.ToBase64String(e.Kid))
            .ToDictionary(g => g.Key, g => g.ToArray());
    }

    public IReadOnlyCollection<TrustEntry> Entries => _entries;

    public IReadOnlyList<TrustEntry> FindByKid(ReadOnlySpan<byte> kid)
    {
        if (kid.Length == 8)
            return _byKid8.TryGetValue(BitConverter.ToUInt64(kid), out var hits) ? hits : [];
        return _byOtherKid.TryGetValue(Convert.ToBase64String(kid), out var other) ? other : [];
    }

    /// <summary>A store over the union of this one and more entries.</summary>
    public TrustStore With(IEnumerable<TrustEntry> more) => new(_entries.Concat(more));

    /// <summary>A store trusting exactly these DSCs (PEM or DER files, or certificates in memory).</summary>
    public static TrustStore FromCertificates(params X509Certificate2[] certificates) =>
        new(certificates.Select(c => new TrustEntry(c, TrustSource.Certificate)));
}
