using Nethereum.Util;

namespace Vc.Trust;

/// <summary>
/// One trust-list entry as a Merkle leaf. Leaf encoding (also TrustRegistry.leafHash on chain):
/// leafData = abi.encode(bytes3 country, uint8 kind, bytes32 issuerId, bytes32 thumbprint, uint32 domains,
/// uint64 validFrom, uint64 validUntil, uint8 status) — eight 32-byte words, 256 bytes;
/// leaf hash = keccak256(0x00 ‖ leafData) (RFC 9162 §2.1.1 leaf prefix). Times are unix seconds;
/// validUntil 2^64−1 = open-ended; thumbprint zero for DIDs; status the effective one (Suspended when either the
/// issuer or its participant is suspended).
/// </summary>
public sealed record TrustListLeaf(
    CountryCode Country, IssuerKind Kind, Bytes32 IssuerId, Bytes32 Thumbprint, TrustDomains Domains,
    ulong ValidFrom, ulong ValidUntil, EntryStatus Status)
{
    public const int EncodedLength = 8 * 32;

    public byte[] Encode() =>
    [
        .. Words.FixedBytes(Country.ToBytes3()), .. Words.Uint((ulong)Kind), .. IssuerId.ToArray(), .. Thumbprint.ToArray(),
        .. Words.Uint((uint)Domains), .. Words.Uint(ValidFrom), .. Words.Uint(ValidUntil), .. Words.Uint((ulong)Status),
    ];

    public Bytes32 Hash() => Bytes32.FromBytes(Sha3Keccack.Current.CalculateHash([0x00, .. Encode()]));

    public static TrustListLeaf From(IssuerEntry entry, EntryStatus effectiveStatus) => new(
        entry.Country, entry.Issuer.Kind, entry.IssuerId, entry.Thumbprint ?? Bytes32.Zero, entry.Domains,
        ChainTime.ToSeconds(entry.ValidFrom, 0), ChainTime.ToSeconds(entry.ValidUntil, ChainTime.Open), effectiveStatus);
}

/// <summary>
/// A trust list as a Merkle tree: RFC 9162 §2.1.1 tree shape (split at the largest power of two below n), with
/// keccak256 as HASH, 0x00 leaf and 0x01 node prefixes. Leaves are in canonical order: country, then issuer id
/// (bytewise), so the same list always gives the same root.
/// </summary>
public sealed class TrustListSnapshot
{
    private readonly Bytes32[] _hashes;
    // MTH of every subtree (start, size) of the RFC 9162 shape, computed once: an inclusion proof is then log n
    // look-ups instead of rehashing the tree.
    private readonly Dictionary<(int Start, int Size), Bytes32> _subtrees = [];

    /// <summary>Null: the whole registry; otherwise one participant's list.</summary>
    public CountryCode? Country { get; }
    /// <summary>The block whose registry state the list reflects.</summary>
    public long AsOfBlock { get; }
    public IReadOnlyList<TrustListLeaf> Leaves { get; }
    public Bytes32 Root { get; }

    private TrustListSnapshot(CountryCode? country, long asOfBlock, TrustListLeaf[] leaves)
    {
        Country = country;
        AsOfBlock = asOfBlock;
        Leaves = leaves;
        _hashes = leaves.Select(l => l.Hash()).ToArray();
        Root = _hashes.Length == 0 ? MerkleTreeHash([]) : Subtree(0, _hashes.Length);
    }

    private Bytes32 Subtree(int start, int size)
    {
        if (size == 1) return _hashes[start];
        if (_subtrees.TryGetValue((start, size), out var known)) return known;
        var k = LargestPowerOfTwoBelow(size);
        var hash = Node(Subtree(start, k), Subtree(start + k, size - k));
        _subtrees[(start, size)] = hash;
        return hash;
    }

    public static TrustListSnapshot Build(CountryCode? country, long asOfBlock, IEnumerable<TrustListLeaf> leaves)
    {
        var sorted = leaves
            .OrderBy(l => l.Country.Alpha3, StringComparer.Ordinal)
            .ThenBy(l => l.IssuerId.ToString(), StringComparer.Ordinal)
            .ToArray();
        for (var i = 1; i < sorted.Length; i++)
            if (sorted[i].Country == sorted[i - 1].Country && sorted[i].IssuerId == sorted[i - 1].IssuerId)
                throw new TrustRegistryException(TrustRegistryError.InvalidInput, $"issuer {sorted[i].IssuerId} of {sorted[i].Country} listed twice");
        if (country is { } c && sorted.Any(l => l.Country != c))
            throw new TrustRegistryException(TrustRegistryError.InvalidInput, $"a list of {c} holds another participant's issuer");
        if (sorted.LongLength > uint.MaxValue)
            throw new TrustRegistryException(TrustRegistryError.InvalidInput, "more leaves than the registry's uint32 leaf count");
        return new TrustListSnapshot(country, asOfBlock, sorted);
    }

    public int IndexOf(TrustListLeaf leaf) => Array.IndexOf(_hashes, leaf.Hash());

    public Bytes32 LeafHash(int index) => _hashes[index];

    /// <summary>RFC 9162 §2.1.3.1 PATH(m, D[n]): sibling hashes from the leaf up to the root.</summary>
    public IReadOnlyList<Bytes32> InclusionProof(int index)
    {
        if (index < 0 || index >= _hashes.Length)
            throw new TrustRegistryException(TrustRegistryError.InvalidInput, $"leaf index {index} outside 0..{_hashes.Length - 1}");
        var path = new List<Bytes32>();
        Path(index, 0, _hashes.Length, path);
        return path;
    }

    // PATH(m, D[start:start+size]), the subtree hashes from the cache.
    private void Path(int m, int start, int size, List<Bytes32> proof)
    {
        if (size <= 1) return;
        var k = LargestPowerOfTwoBelow(size);
        if (m < k)
        {
            Path(m, start, k, proof);
            proof.Add(Subtree(start + k, size - k));
        }
        else
        {
            Path(m - k, start + k, size - k, proof);
            proof.Add(Subtree(start, k));
        }
    }

    /// <summary>RFC 9162 §2.1.1 MTH over leaf hashes; MTH({}) = keccak256("").</summary>
    public static Bytes32 MerkleTreeHash(ReadOnlySpan<Bytes32> leafHashes)
    {
        if (leafHashes.Length == 0) return Bytes32.FromBytes(Sha3Keccack.Current.CalculateHash(Array.Empty<byte>()));
        if (leafHashes.Length == 1) return leafHashes[0];
        var k = LargestPowerOfTwoBelow(leafHashes.Length);
        return Node(MerkleTreeHash(leafHashes[..k]), MerkleTreeHash(leafHashes[k..]));
    }

    /// <summary>RFC 9162 §2.1.3.2: verifies an inclusion proof of the leaf at <paramref name="index"/> in a tree of <paramref name="treeSize"/> leaves.</summary>
    public static bool VerifyInclusion(Bytes32 leafHash, long index, long treeSize, IReadOnlyList<Bytes32> proof, Bytes32 root)
    {
        if (index < 0 || index >= treeSize) return false;
        var fn = index;
        var sn = treeSize - 1;
        var r = leafHash;
        foreach (var p in proof)
        {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                r = Node(p, r);
                while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
            }
            else
            {
                r = Node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && r == root;
    }

    private static Bytes32 Node(Bytes32 left, Bytes32 right) =>
        Bytes32.FromBytes(Sha3Keccack.Current.CalculateHash([0x01, .. left.ToArray(), .. right.ToArray()]));

    private static int LargestPowerOfTwoBelow(int n)
    {
        var k = 1;
        while (k << 1 < n) k <<= 1;
        return k;
    }
}
