using System.Buffers;

namespace Vc.JsonLd;

/// <summary>A growable byte buffer on pooled arrays, for N-Quads lines written and hashed as UTF-8 (RDFC-1.0 hashes
/// UTF-8 and sorts by code point, which is UTF-8 byte order). Not thread-safe; dispose to return the array.</summary>
internal sealed class Utf8Buffer(int capacity = 1024) : IDisposable
{
    private byte[] _bytes = ArrayPool<byte>.Shared.Rent(capacity);

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, Length);

    public ReadOnlySpan<byte> Slice(int start, int end) => _bytes.AsSpan(start, end - start);

    public void Clear() => Length = 0;

    public void Append(byte b)
    {
        if (Length == _bytes.Length) Grow(1);
        _bytes[Length++] = b;
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_bytes.Length - Length < bytes.Length) Grow(bytes.Length);
        bytes.CopyTo(_bytes.AsSpan(Length));
        Length += bytes.Length;
    }

    /// <summary>Appends UTF-8 of <paramref name="chars"/> (a lone surrogate becomes U+FFFD, as in all UTF-8 output).</summary>
    public void Append(ReadOnlySpan<char> chars)
    {
        int max = System.Text.Encoding.UTF8.GetMaxByteCount(chars.Length);
        if (_bytes.Length - Length < max) Grow(max);
        Length += System.Text.Encoding.UTF8.GetBytes(chars, _bytes.AsSpan(Length));
    }

    private void Grow(int needed)
    {
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_bytes.Length * 2, Length + needed));
        _bytes.AsSpan(0, Length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_bytes);
        _bytes = larger;
    }

    public void Dispose()
    {
        var bytes = _bytes;
        _bytes = [];
        Length = 0;
        if (bytes.Length > 0) ArrayPool<byte>.Shared.Return(bytes);
    }
}
