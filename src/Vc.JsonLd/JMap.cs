using System.Collections;

namespace Vc.JsonLd;

/// <summary>
/// A JSON object of the expanded form (node, value, list, graph objects): an insertion-ordered map. Most of them hold
/// one to a few entries (every value object is one), so entries live in two small arrays and are found by a scan
/// (keys are mostly the same interned keyword and IRI strings); a map that grows large gets a hash index, so no
/// input makes lookups quadratic.
/// </summary>
internal sealed class JMap : IEnumerable<KeyValuePair<string, object?>>
{
    private const int IndexFrom = 12;

    private string[] _keys;
    private object?[] _values;
    private int _count;
    private Dictionary<string, int>? _index;

    public JMap() : this(2) { }

    public JMap(int capacity)
    {
        capacity = Math.Max(capacity, 1);
        _keys = new string[capacity];
        _values = new object?[capacity];
    }

    public int Count => _count;

    public IEnumerable<string> Keys
    {
        get
        {
            for (int i = 0; i < _count; i++) yield return _keys[i];
        }
    }

    private int IndexOf(string key)
    {
        if (_index is not null) return _index.TryGetValue(key, out var i) ? i : -1;
        var keys = _keys;
        for (int i = 0; i < _count; i++)
            if (ReferenceEquals(keys[i], key)) return i;
        if (key.Length == 0) return IndexOfEmpty();
        // IRIs of one vocabulary share long prefixes and differ at the end: compare the last character first.
        int length = key.Length;
        char last = key[length - 1];
        for (int i = 0; i < _count; i++)
        {
            var k = keys[i];
            if (k.Length == length && k[length - 1] == last && string.Equals(k, key, StringComparison.Ordinal)) return i;
        }
        return -1;
    }

    private int IndexOfEmpty()
    {
        for (int i = 0; i < _count; i++)
            if (_keys[i].Length == 0) return i;
        return -1;
    }

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, out object? value)
    {
        int i = IndexOf(key);
        value = i >= 0 ? _values[i] : null;
        return i >= 0;
    }

    public object? this[string key]
    {
        get
        {
            int i = IndexOf(key);
            return i >= 0 ? _values[i] : throw new KeyNotFoundException(key);
        }
        set
        {
            int i = IndexOf(key);
            if (i >= 0)
            {
                _values[i] = value;
                return;
            }
            if (_count == _keys.Length)
            {
                Array.Resize(ref _keys, _count * 2);
                Array.Resize(ref _values, _count * 2);
            }
            _keys[_count] = key;
            _values[_count] = value;
            _index?.Add(key, _count);
            _count++;
            if (_index is null && _count > IndexFrom)
            {
                _index = new Dictionary<string, int>(_count * 2, StringComparer.Ordinal);
                for (int k = 0; k < _count; k++) _index[_keys[k]] = k;
            }
        }
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<string, object?>> IEnumerable<KeyValuePair<string, object?>>.GetEnumerator()
    {
        for (int i = 0; i < _count; i++) yield return new(_keys[i], _values[i]);
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)this).GetEnumerator();

    public struct Enumerator(JMap map)
    {
        private int _i = -1;

        public readonly KeyValuePair<string, object?> Current => new(map._keys[_i], map._values[_i]);

        public bool MoveNext() => ++_i < map._count;
    }
}
