using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;

namespace Vc.JsonLd;

/// <summary>
/// Property names (JSON keys) as shared strings: documents of one kind repeat the same few dozen keys, which would
/// otherwise be decoded into a new string per key per document. A direct-mapped table looked up by the key's raw
/// UTF-8: a known key costs a hash of its first and last eight bytes and one comparison, no decoding and no
/// allocation. A slot holds one key (a colliding key replaces it), so no input can make a lookup cost more than
/// that; the slot index is keyed with a random per-table multiplier. Only plain ASCII keys (no escapes) of at most
/// <see cref="MaxNameLength"/> bytes are kept. Keys only: values (which may be personal data) are never kept.
/// Thread-safe: slots hold immutable entries, replaced whole.
/// </summary>
internal sealed class PropertyNames
{
    public const int MaxNameLength = 64;
    private const int Slots = 1024; // a power of two

    private sealed record Entry(byte[] Utf8, string Name);

    private readonly Entry?[] _slots = new Entry?[Slots];
    private readonly ulong _multiplier = BinaryPrimitives.ReadUInt64LittleEndian(RandomNumberGenerator.GetBytes(8)) | 1;

    public string Name(JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.Length > MaxNameLength || raw.Length == 0) return property.Name;
        int slot = Slot(raw);
        var entry = Volatile.Read(ref _slots[slot]);
        if (entry is not null && raw.SequenceEqual(entry.Utf8)) return entry.Name;
        var name = property.Name;
        if (System.Text.Ascii.IsValid(raw) && !raw.Contains((byte)'\\'))
            Volatile.Write(ref _slots[slot], new Entry(raw.ToArray(), name));
        return name;
    }

    public void Clear() => Array.Clear(_slots);

    private int Slot(ReadOnlySpan<byte> raw)
    {
        ulong first = 0, last = 0;
        if (raw.Length >= 8)
        {
            first = BinaryPrimitives.ReadUInt64LittleEndian(raw);
            last = BinaryPrimitives.ReadUInt64LittleEndian(raw[^8..]);
        }
        else
            for (int i = 0; i < raw.Length; i++) first |= (ulong)raw[i] << (8 * i);
        ulong h = (first ^ (last * 0x9E3779B97F4A7C15UL) ^ (ulong)raw.Length) * _multiplier;
        return (int)(h >> 54); // top 10 bits: 1024 slots
    }
}
