using System.Collections;

namespace Vc.JsonLd;

/// <summary>
/// A JSON object of the expanded form (node, value, list, graph objects): an insertion-ordered map. Most of them hold
/// one or two entries (every value object does), so the first two live in the map itself and only larger maps get an
/// array; entries are found by a scan (keys are mostly the same interned keyword and IRI strings), and a map that
/// grows large gets a hash index, so no input makes lookups quadratic.
/// </summary>
internal sealed class JMap : IEnumerable<KeyValuePair<string, object?>>
{
    private const int IndexFrom = 12;

    private struct Entry
    {
        public string Key;
        public object? Value;
    }

    private Entry _first, _second;
    private Entry[]? _more; // entries from the third on
    private int _count;
    private Dictionary<string, int>? _index;

    public JMap() { }

    public JMap(int capacity)
    {
        if (capacity > 2) _more = new Entry[capacity - 2];
    }

    public int Count => _count;

    public IEnumerable<string> Keys
    {
        get
        {
            for (int i = 0; i < _count; i++) yield return At(i).Key;
        }
    }

    private ref Entry At(int i)
    {
        if (i == 0) return ref _first;
        if (i == 1) return ref _second;
        return ref _more![i - 2];
    }

    private int IndexOf(string key)
    {
        if (_index is not null) return _index.TryGetValue(key, out var found) ? found : -1;
        int count = _count;
        if (count > 0 && ReferenceEquals(_first.Key, key)) return 0;
        if (count > 1 && ReferenceEquals(_second.Key, key)) return 1;
        var more = _more;
        for (int i = 2; i < count; i++)
            if (ReferenceEquals(more![i - 2].Key, key)) return i;
        // IRIs of one vocabulary share long prefixes and differ at the end: compare the last character first.
        for (int i = 0; i < count; i++)
            if (SameKey(At(i).Key, key)) return i;
        return -1;
    }

    private static bool SameKey(string a, string b) =>
        a.Length == b.Length && (a.Length == 0 || a[^1] == b[^1]) && string.Equals(a, b, StringComparison.Ordinal);

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, out object? value)
    {
        int i = IndexOf(key);
        value = i >= 0 ? At(i).Value : null;
        return i >= 0;
    }

    public object? this[string key]
    {
        get
        {
            int i = IndexOf(key);
            return i >= 0 ? At(i).Value : throw new KeyNotFoundException(key);
        }
        set
        {
            int i = IndexOf(key);
            if (i >= 0)
            {
                At(i).Value = value;
                return;
            }
            if (_count >= 2)
            {
                if (_more is null) _more = new Entry[2];
                else if (_count - 2 == _more.Length) Array.Resize(ref _more, _more.Length * 2);
            }
            ref var entry = ref At(_count);
            entry.Key = key;
            entry.Value = value;
            _index?.Add(key, _count);
            _count++;
            if (_index is null && _count > IndexFrom)
            {
                _index = new Dictionary<string, int>(_count * 2, StringComparer.Ordinal);
                for (int k = 0; k < _count; k++) _index[At(k).Key] = k;
            }
        }
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<string, object?>> IEnumerable<KeyValuePair<string, object?>>.GetEnumerator()
    {
        for (int i = 0; i < _count; i++) yield return new(At(i).Key, At(i).Value);
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)this).GetEnumerator();

    public struct Enumerator(JMap map)
    {
        private int _i = -1;

        public readonly KeyValuePair<string, object?> Current
        {
            get
            {
                ref var entry = ref map.At(_i);
                return new(entry.Key, entry.Value);
            }
        }

        public bool MoveNext() => ++_i < map._count;
    }
}
