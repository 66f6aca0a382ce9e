using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Vc.JsonLd;

/// <summary>
/// Property names (JSON keys) as shared strings: documents of one kind repeat the same few dozen keys, which would
/// otherwise be decoded into a new string per key per document. Looked up by the key's raw UTF-8, so a known key
/// costs no decoding and no allocation. Only plain ASCII keys (no escapes) are kept, at most <see cref="MaxNames"/>
/// (the table is emptied when full); hashing is the runtime's randomized <see cref="HashCode"/>, so crafted keys
/// cannot make lookups slow. Keys only: values (which may be personal data) are never kept.
/// </summary>
internal sealed class PropertyNames
{
    public const int MaxNames = 4096;
    public const int MaxNameLength = 64;

    private readonly ConcurrentDictionary<string, string> _names = new(AsciiComparer.Instance);
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<byte>> _byUtf8;
    private int _added;

    public PropertyNames() => _byUtf8 = _names.GetAlternateLookup<ReadOnlySpan<byte>>();

    public string Name(JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.Length > MaxNameLength || !IsPlainAscii(raw)) return property.Name;
        if (_byUtf8.TryGetValue(raw, out var name)) return name;
        name = property.Name;
        if (Interlocked.Increment(ref _added) > MaxNames)
        {
            _names.Clear();
            Interlocked.Exchange(ref _added, 0);
        }
        _names.TryAdd(name, name);
        return name;
    }

    public void Clear()
    {
        _names.Clear();
        Interlocked.Exchange(ref _added, 0);
    }

    private static bool IsPlainAscii(ReadOnlySpan<byte> raw) =>
        System.Text.Ascii.IsValid(raw) && !raw.Contains((byte)'\\');

    /// <summary>Ordinal equality of ASCII strings, with their UTF-8 bytes as the alternate key.</summary>
    private sealed class AsciiComparer : IEqualityComparer<string>, IAlternateEqualityComparer<ReadOnlySpan<byte>, string>
    {
        public static readonly AsciiComparer Instance = new();

        public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

        public int GetHashCode(string s)
        {
            // Only plain ASCII names are added: their UTF-8 is their chars narrowed.
            Span<byte> bytes = s.Length <= MaxNameLength ? stackalloc byte[MaxNameLength] : new byte[s.Length];
            for (int i = 0; i < s.Length; i++) bytes[i] = (byte)s[i];
            return GetHashCode((ReadOnlySpan<byte>)bytes[..s.Length]);
        }

        public bool Equals(ReadOnlySpan<byte> alternate, string other)
        {
            if (alternate.Length != other.Length) return false;
            for (int i = 0; i < alternate.Length; i++)
                if (alternate[i] != other[i]) return false;
            return true;
        }

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var h = new HashCode();
            h.AddBytes(alternate);
            return h.ToHashCode();
        }

        public string Create(ReadOnlySpan<byte> alternate) => System.Text.Encoding.ASCII.GetString(alternate);
    }
}
