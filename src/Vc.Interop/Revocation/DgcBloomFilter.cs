using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace Vc.Interop.Revocation;

/// <summary>
/// The Bloom filter of the EU DCC revocation distribution (eu-digital-green-certificates dgc-bloomfilter, version 1),
/// in its serialized form, big-endian: version (u16 = 1), k = number of hashes (u8), hash function id (u8, 0 =
/// SHA-256), false-positive rate p (f32), defined element count n (i32), current element count (i32), data length
/// in 32-bit words (i32), the words (i32 each). Bit i of the filter is bit (31 − i mod 32) of word i / 32. Hash j of an
/// element e is SHA-256(e ‖ byte j) read as a signed big-endian integer, modulo the number of bits (non-negative).
/// </summary>
public sealed class DgcBloomFilter
{
    private const int HeaderBytes = 2 + 1 + 1 + 4 + 4 + 4 + 4;
    /// <summary>Decoding bound: 2^21 words = 8 MB of filter, far above a partition chunk.</summary>
    public const int MaxWords = 1 << 21;

    private readonly uint[] _words;

    public int Hashes { get; }
    public float FalsePositiveRate { get; }
    public int DefinedElements { get; }
    public int CurrentElements { get; private set; }
    public long Bits => (long)_words.Length * 32;

    private DgcBloomFilter(uint[] words, int hashes, float p, int defined, int current)
    {
        _words = words;
        Hashes = hashes;
        FalsePositiveRate = p;
        DefinedElements = defined;
        CurrentElements = current;
    }

    /// <summary>An empty filter sized for <paramref name="elements"/> at false-positive rate <paramref name="p"/>, by
    /// the reference library's formulas (m = ⌈n·ln p / ln(1/2^ln 2)⌉ rounded up to 32-bit words, k = round(m/n·ln 2)).</summary>
    public static DgcBloomFilter Create(int elements, float p)
    {
        if (elements <= 0 || p is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(elements), "elements > 0 and 0 < p < 1");
        var m = (long)Math.Ceiling(elements * Math.Log(p) / Math.Log(1 / Math.Pow(2, Math.Log(2))));
        var bytes = (int)(m / 8) + 1;
        var words = bytes / 4 + bytes % 4;
        var bits = (long)words * 32;
        var k = Math.Max(1, (int)Math.Round((double)bits / elements * Math.Log(2)));
        return new DgcBloomFilter(new uint[words], Math.Min(k, 127), p, elements, 0);
    }

    /// <summary>Reads the serialized form, or throws <see cref="InvalidDataException"/>.</summary>
    public static DgcBloomFilter Read(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderBytes) throw new InvalidDataException("bloom filter: shorter than its header");
        var version = BinaryPrimitives.ReadUInt16BigEndian(data);
        if (version != 1) throw new InvalidDataException($"bloom filter: version {version}, only 1 is known");
        int k = data[2];
        if (k is 0 or > 127) throw new InvalidDataException($"bloom filter: {k} hash functions");
        if (data[3] != 0) throw new InvalidDataException($"bloom filter: hash function {data[3]}, only 0 (SHA-256) is known");
        var p = BinaryPrimitives.ReadSingleBigEndian(data[4..]);
        var defined = BinaryPrimitives.ReadInt32BigEndian(data[8..]);
        var current = BinaryPrimitives.ReadInt32BigEndian(data[12..]);
        var length = BinaryPrimitives.ReadInt32BigEndian(data[16..]);
        if (length is <= 0 or > MaxWords) throw new InvalidDataException($"bloom filter: {length} words (1..{MaxWords})");
        if (data.Length != HeaderBytes + 4L * length) throw new InvalidDataException($"bloom filter: {data.Length} bytes for {length} words");
        var words = new uint[length];
        for (var i = 0; i < length; i++) words[i] = BinaryPrimitives.ReadUInt32BigEndian(data[(HeaderBytes + 4 * i)..]);
        return new DgcBloomFilter(words, k, p, defined, current);
    }

    public byte[] Write()
    {
        var data = new byte[HeaderBytes + 4 * _words.Length];
        BinaryPrimitives.WriteUInt16BigEndian(data, 1);
        data[2] = (byte)Hashes;
        data[3] = 0;
        BinaryPrimitives.WriteSingleBigEndian(data.AsSpan(4), FalsePositiveRate);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(8), DefinedElements);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(12), CurrentElements);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(16), _words.Length);
        for (var i = 0; i < _words.Length; i++) BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(HeaderBytes + 4 * i), _words[i]);
        return data;
    }

    /// <summary>Adds an element (building a filter to publish; a read filter is not changed by verification).</summary>
    public void Add(ReadOnlySpan<byte> element)
    {
        for (var j = 0; j < Hashes; j++)
        {
            var index = Index(element, j);
            _words[index / 32] |= 0x8000_0000u >> (int)(index % 32);
        }
        CurrentElements++;
    }

    /// <summary>False: certainly not in the filter; true: in it, or a false positive (rate <see cref="FalsePositiveRate"/>).</summary>
    public bool MightContain(ReadOnlySpan<byte> element)
    {
        for (var j = 0; j < Hashes; j++)
        {
            var index = Index(element, j);
            if ((_words[index / 32] & (0x8000_0000u >> (int)(index % 32))) == 0) return false;
        }
        return true;
    }

    private long Index(ReadOnlySpan<byte> element, int j)
    {
        Span<byte> input = stackalloc byte[element.Length + 1];
        element.CopyTo(input);
        input[^1] = (byte)j;
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        var value = new BigInteger(hash, isUnsigned: false, isBigEndian: true);
        var bits = new BigInteger(Bits);
        var index = BigInteger.Remainder(value, bits);
        if (index.Sign < 0) index += bits;
        return (long)index;
    }
}
