using CsCheck;
using Nethereum.Util;

namespace Vc.Trust.Tests;

/// <summary>RFC 9162 §2.1 Merkle trees over trust-list leaves (keccak256, 0x00 leaf / 0x01 node prefixes).</summary>
public sealed class MerkleTreeTests
{
    private static readonly CountryCode Kenya = CountryCode.Parse("KEN");

    private static TrustListLeaf Leaf(int n, string country = "KEN") => new(
        CountryCode.Parse(country), IssuerKind.Did, IssuerRef.Did($"did:web:issuer{n}.example").Id, Bytes32.Zero,
        TrustDomains.Icvp, (ulong)n, ChainTimeOpen, EntryStatus.Active);

    private const ulong ChainTimeOpen = ulong.MaxValue;

    private static Bytes32 Node(Bytes32 l, Bytes32 r) => Bytes32.FromBytes(Sha3Keccack.Current.CalculateHash([0x01, .. l.ToArray(), .. r.ToArray()]));

    [Fact]
    public void The_empty_list_has_the_hash_of_nothing_as_root()
    {
        var empty = TrustListSnapshot.Build(Kenya, 1, []);
        Assert.Equal(Bytes32.Parse("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"), empty.Root);
    }

    [Fact]
    public void A_leaf_hash_is_keccak_of_a_zero_byte_and_eight_abi_words()
    {
        var leaf = new TrustListLeaf(Kenya, IssuerKind.Dsc, Bytes32.Parse(new string('1', 64)), Bytes32.Parse(new string('2', 64)),
            TrustDomains.Icvp | TrustDomains.Dcc, 1_700_000_000, ulong.MaxValue, EntryStatus.Suspended);
        var data = leaf.Encode();
        Assert.Equal(TrustListLeaf.EncodedLength, data.Length);
        Assert.Equal("KEN"u8.ToArray(), data[..3]);
        Assert.All(data[3..32], b => Assert.Equal(0, b));
        Assert.Equal((byte)IssuerKind.Dsc, data[63]);
        Assert.Equal(3, data[4 * 32 + 31]);
        Assert.Equal(Convert.FromHexString("000000006553F100"), data[(5 * 32 + 24)..(6 * 32)]);
        Assert.All(data[(6 * 32 + 24)..(7 * 32)], b => Assert.Equal(0xff, b));
        Assert.Equal((byte)EntryStatus.Suspended, data[^1]);
        Assert.Equal(Bytes32.FromBytes(Sha3Keccack.Current.CalculateHash([0x00, .. data])), leaf.Hash());
    }

    [Fact]
    public void The_tree_splits_at_the_largest_power_of_two_below_the_size()
    {
        var leaves = Enumerable.Range(0, 5).Select(i => Leaf(i)).ToArray();
        var tree = TrustListSnapshot.Build(Kenya, 1, leaves);
        var h = Enumerable.Range(0, 5).Select(tree.LeafHash).ToArray();
        Assert.Equal(Node(Node(Node(h[0], h[1]), Node(h[2], h[3])), h[4]), tree.Root);

        var three = TrustListSnapshot.Build(Kenya, 1, leaves[..3]);
        var g = Enumerable.Range(0, 3).Select(three.LeafHash).ToArray();
        Assert.Equal(Node(Node(g[0], g[1]), g[2]), three.Root);
        Assert.Equal([g[1], g[2]], three.InclusionProof(0));
        Assert.Equal([Node(g[0], g[1])], three.InclusionProof(2));
    }

    [Fact]
    public void Every_leaf_of_every_size_up_to_40_has_a_verifying_proof()
    {
        for (var n = 1; n <= 40; n++)
        {
            var tree = TrustListSnapshot.Build(Kenya, 1, Enumerable.Range(0, n).Select(i => Leaf(i)));
            for (var i = 0; i < n; i++)
                Assert.True(TrustListSnapshot.VerifyInclusion(tree.LeafHash(i), i, n, tree.InclusionProof(i), tree.Root), $"n={n} i={i}");
        }
    }

    [Fact]
    public void A_proof_fails_for_another_leaf_index_size_or_root()
    {
        var tree = TrustListSnapshot.Build(Kenya, 1, Enumerable.Range(0, 7).Select(i => Leaf(i)));
        var proof = tree.InclusionProof(3);
        Assert.False(TrustListSnapshot.VerifyInclusion(tree.LeafHash(2), 3, 7, proof, tree.Root));
        Assert.False(TrustListSnapshot.VerifyInclusion(tree.LeafHash(3), 2, 7, proof, tree.Root));
        // (Sizes 7 and 8 share this leaf's path: the size is bound by the anchored leaf count, not by the proof.)
        Assert.False(TrustListSnapshot.VerifyInclusion(tree.LeafHash(3), 3, 4, proof, tree.Root));
        Assert.False(TrustListSnapshot.VerifyInclusion(tree.LeafHash(3), 3, 16, proof, tree.Root));
        Assert.False(TrustListSnapshot.VerifyInclusion(tree.LeafHash(3), 3, 7, proof, tree.LeafHash(0)));
        Assert.False(TrustListSnapshot.VerifyInclusion(tree.LeafHash(3), 3, 7, [.. proof, tree.Root], tree.Root));
        Assert.False(TrustListSnapshot.VerifyInclusion(tree.LeafHash(3), 3, 7, proof.Take(proof.Count - 1).ToArray(), tree.Root));
        Assert.False(TrustListSnapshot.VerifyInclusion(tree.LeafHash(3), 7, 7, proof, tree.Root));
        Assert.Throws<TrustRegistryException>(() => tree.InclusionProof(7));
    }

    [Fact]
    public void Any_changed_proof_element_breaks_the_proof()
    {
        Gen.Select(Gen.Int[1, 150], Gen.Int[0, 1_000_000], Gen.Int[0, 255]).Sample((n, pick, bit) =>
        {
            var tree = TrustListSnapshot.Build(Kenya, 1, Enumerable.Range(0, n).Select(i => Leaf(i)));
            var index = pick % n;
            var proof = tree.InclusionProof(index).ToArray();
            if (!TrustListSnapshot.VerifyInclusion(tree.LeafHash(index), index, n, proof, tree.Root)) return false;
            if (proof.Length == 0) return true;
            var k = pick % proof.Length;
            var bytes = proof[k].ToArray();
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            proof[k] = Bytes32.FromBytes(bytes);
            return !TrustListSnapshot.VerifyInclusion(tree.LeafHash(index), index, n, proof, tree.Root);
        }, iter: 60);
    }

    [Fact]
    public void The_root_does_not_depend_on_the_order_entries_are_given_in()
    {
        var leaves = Enumerable.Range(0, 9).Select(i => Leaf(i, i % 2 == 0 ? "KEN" : "BRA")).ToArray();
        var a = TrustListSnapshot.Build(null, 1, leaves);
        var b = TrustListSnapshot.Build(null, 1, leaves.Reverse());
        Assert.Equal(a.Root, b.Root);
        Assert.Equal("BRA", a.Leaves[0].Country.Alpha3);
    }

    [Fact]
    public void A_list_refuses_duplicates_and_foreign_entries()
    {
        Assert.Equal(TrustRegistryError.InvalidInput,
            Assert.Throws<TrustRegistryException>(() => TrustListSnapshot.Build(Kenya, 1, [Leaf(1), Leaf(1) with { Status = EntryStatus.Suspended }])).Error);
        Assert.Equal(TrustRegistryError.InvalidInput,
            Assert.Throws<TrustRegistryException>(() => TrustListSnapshot.Build(Kenya, 1, [Leaf(1), Leaf(2, "BRA")])).Error);
    }
}
