using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Vc.JsonLd;

/// <summary>Options for RDFC-1.0.</summary>
public sealed class RdfcOptions
{
    /// <summary>Default of <see cref="MaxWorkFactor"/>: 1, as rdf-canonize and the Digital Bazaar VC stack.</summary>
    public const int DefaultMaxWorkFactor = 1;

    /// <summary>Default absolute cap on Hash N-Degree Quads calls: none beyond the work factor's bound.</summary>
    public const int DefaultMaxHashNDegreeQuadsCalls = int.MaxValue;

    /// <summary>Default limit on permutations examined inside Hash N-Degree Quads (all calls together).</summary>
    public const long DefaultMaxPermutations = 1_000_000;

    /// <summary>The hash function: SHA256 (default, RDFC-1.0's) or SHA384 / SHA512.</summary>
    public HashAlgorithmName HashAlgorithm { get; init; } = HashAlgorithmName.SHA256;

    /// <summary>Work bound as rdf-canonize's <c>maxWorkFactor</c>: Hash N-Degree Quads (§4.8, the "deep iterations",
    /// recursive calls included) may run at most n^factor times, n being the number of blank nodes whose first-degree
    /// hash is shared (§4.4.3 step 5) — beyond that <see cref="RdfcException"/> (WorkLimitExceeded). 0: no blank node
    /// may need it; 1 (default): linear, what the Digital Bazaar VC stack signs and verifies with; 2–3: the W3C
    /// "medium" and "high" complexity tests (a 6-clique needs 5); null: no bound (rdf-canonize's Infinity, which
    /// n^factor above 2^53 − 1 also gives). The same permutation order and pruning as rdf-canonize make the call
    /// counts equal, so the same datasets are accepted and refused at the same factor.</summary>
    public int? MaxWorkFactor
    {
        get => _maxWorkFactor;
        init => _maxWorkFactor = value is < 0 ? throw new ArgumentOutOfRangeException(nameof(MaxWorkFactor), "a work factor is ≥ 0 (null: no bound)") : value;
    }
    private readonly int? _maxWorkFactor = DefaultMaxWorkFactor;

    /// <summary>Absolute cap on Hash N-Degree Quads calls besides <see cref="MaxWorkFactor"/> (default: none).</summary>
    public int MaxHashNDegreeQuadsCalls { get; init; } = DefaultMaxHashNDegreeQuadsCalls;

    /// <summary>Work limit on permutations of related blank nodes examined (all calls together); rdf-canonize has
    /// none, so this can refuse a dataset it accepts (only one with millions of permutations within the calls the
    /// work factor allows).</summary>
    public long MaxPermutations { get; init; } = DefaultMaxPermutations;

    /// <summary>Largest dataset accepted.</summary>
    public int MaxQuads { get; init; } = 1_000_000;

    internal static readonly RdfcOptions Default = new();

    // Hash contexts kept for reuse: setting one up is a third of the cost of hashing a few hundred bytes, and
    // canonicalizing one document hashes several times. Bounded; each is used by one thread at a time.
    private readonly ConcurrentBag<IncrementalHash> _hashers = new();
    private int _pooled;

    internal byte[] Hash(HashAlgorithmName algorithm, ReadOnlySpan<byte> data)
    {
        if (algorithm != HashAlgorithm) return CryptographicOperations.HashData(algorithm, data);
        if (_hashers.TryTake(out var hasher)) Interlocked.Decrement(ref _pooled);
        else hasher = IncrementalHash.CreateHash(algorithm);
        hasher.AppendData(data);
        var digest = new byte[hasher.HashLengthInBytes];
        hasher.GetHashAndReset(digest);
        if (Interlocked.Increment(ref _pooled) <= 16) _hashers.Add(hasher);
        else
        {
            Interlocked.Decrement(ref _pooled);
            hasher.Dispose();
        }
        return digest;
    }
}

/// <summary>The result of RDFC-1.0 canonicalization.</summary>
public sealed class RdfcResult
{
    private readonly byte[] _utf8;
    private readonly Func<IReadOnlyList<RdfQuad>> _quads;
    private string? _nquads;
    private IReadOnlyList<RdfQuad>? _canonicalQuads;

    internal RdfcResult(byte[] utf8, Func<IReadOnlyList<RdfQuad>> quads, IReadOnlyDictionary<string, string> issued,
        int calls, long permutations)
    {
        _utf8 = utf8;
        _quads = quads;
        IssuedIdentifiers = issued;
        HashNDegreeQuadsCalls = calls;
        Permutations = permutations;
    }

    /// <summary>The canonical N-Quads document as UTF-8 (what the cryptosuites hash; no string is made for it).</summary>
    public ReadOnlyMemory<byte> CanonicalUtf8 => _utf8;

    /// <summary>The canonical N-Quads document: sorted lines, each ending in "\n".</summary>
    public string CanonicalNQuads => _nquads ??= Encoding.UTF8.GetString(_utf8);

    /// <summary>The relabelled quads in canonical order (duplicates removed).</summary>
    public IReadOnlyList<RdfQuad> CanonicalQuads => _canonicalQuads ??= _quads();

    /// <summary>The issued identifiers map: input blank node label → canonical label (c14nN), both without "_:".</summary>
    public IReadOnlyDictionary<string, string> IssuedIdentifiers { get; }

    /// <summary>How many times Hash N-Degree Quads ran (work done).</summary>
    public int HashNDegreeQuadsCalls { get; }

    /// <summary>How many permutations Hash N-Degree Quads examined.</summary>
    public long Permutations { get; }

    /// <summary>UTF-8 bytes of <see cref="CanonicalNQuads"/> (a copy).</summary>
    public byte[] ToUtf8() => (byte[])_utf8.Clone();
}

/// <summary>RDF Dataset Canonicalization (RDFC-1.0, W3C Recommendation).</summary>
public static class Rdfc10
{
    /// <summary>Canonicalizes a dataset. Blank node labels of the input are the keys of the issued identifiers map.</summary>
    public static RdfcResult Canonicalize(IReadOnlyList<RdfQuad> dataset, RdfcOptions? options = null) =>
        Run(dataset, options, null).Result!;

    /// <summary>The hash of the canonical N-Quads document (what Data Integrity's rdfc cryptosuites sign), without
    /// keeping the document.</summary>
    public static byte[] HashCanonical(IReadOnlyList<RdfQuad> dataset, HashAlgorithmName hash, RdfcOptions? options = null) =>
        Run(dataset, options, hash).Digest!;

    private static (RdfcResult? Result, byte[]? Digest) Run(IReadOnlyList<RdfQuad> dataset, RdfcOptions? options, HashAlgorithmName? digestOnly)
    {
        options ??= RdfcOptions.Default;
        if (dataset.Count > options.MaxQuads)
            throw new RdfcException(RdfcErrorCode.SizeLimitExceeded, $"dataset has more than {options.MaxQuads} quads");
        using var canonicalizer = new Canonicalizer(options);
        return canonicalizer.Run(dataset, digestOnly);
    }

    /// <summary>Parses N-Quads and canonicalizes them.</summary>
    public static RdfcResult CanonicalizeNQuads(string nquads, RdfcOptions? options = null) =>
        Canonicalize(NQuads.Parse(nquads, (options ?? RdfcOptions.Default).MaxQuads), options);

    private sealed class Issuer
    {
        private readonly string _prefix;
        private int _counter;
        public readonly Dictionary<string, string> Map;
        public readonly List<string> Order;

        public Issuer(string prefix)
        {
            _prefix = prefix;
            Map = new Dictionary<string, string>(StringComparer.Ordinal);
            Order = new List<string>();
        }

        private Issuer(Issuer o)
        {
            _prefix = o._prefix;
            _counter = o._counter;
            Map = new Dictionary<string, string>(o.Map, StringComparer.Ordinal);
            Order = new List<string>(o.Order);
        }

        public Issuer Clone() => new(this);

        public string Issue(string existing)
        {
            if (Map.TryGetValue(existing, out var id)) return id;
            id = _prefix + _counter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _counter++;
            Map[existing] = id;
            Order.Add(existing);
            return id;
        }

        public bool TryGet(string existing, out string id) => Map.TryGetValue(existing, out id!);
    }

    private sealed class Canonicalizer(RdfcOptions options) : IDisposable
    {
        // Everything kept per blank node, under its label: one lookup finds its quads, hash and canonical label.
        private sealed class Bnode(RdfQuad first)
        {
            public readonly List<RdfQuad> Quads = [first];
            public HashSet<RdfQuad>? QuadSet;   // when it has many quads (duplicate checks stay linear)
            public byte[]? FirstDegreeDigest;   // 4.6.3, computed once
            public string? FirstDegreeHash;      // the same as text, for Hash N-Degree Quads
            public byte[]? CanonicalLabel;      // "_:c14nN" as UTF-8
        }

        private readonly Dictionary<string, Bnode> _bnodes = new(StringComparer.Ordinal);
        private readonly Issuer _canonical = new("c14n");
        private readonly Utf8Buffer _buf = new(4096);
        private int _calls;
        private long _perms;
        private long _maxDeepIterations = long.MaxValue; // the work factor's bound, set in step 5

        /// <summary>The canonical document, or only its hash when <paramref name="digestOnly"/> names the algorithm.</summary>
        public (RdfcResult? Result, byte[]? Digest) Run(IReadOnlyList<RdfQuad> dataset, HashAlgorithmName? digestOnly)
        {
            bool anyBlank = false;
            for (int i = 0; i < dataset.Count && !anyBlank; i++)
            {
                var q = dataset[i];
                anyBlank = q.Subject.IsBlank || q.Object.IsBlank || q.Graph.IsBlank;
            }

            // An RDF dataset is a set: a duplicate quad would change its blank nodes' first-degree hashes, so each
            // blank node's quads are kept without duplicates (AddBnode); other duplicates are equal lines, dropped in
            // step 6 like every duplicate line.
            if (anyBlank) IssueIdentifiers(dataset);

            // 6. relabel and serialize, sort by code point (= UTF-8 byte order), drop duplicate lines. All lines are
            // written as UTF-8 into one pooled buffer and sorted as spans: no string per line, none for the result.
            int n = dataset.Count;
            var ends = ArrayPool<int>.Shared.Rent(n);
            var order = ArrayPool<int>.Shared.Rent(n);
            try
            {
                _buf.Clear();
                for (int i = 0; i < n; i++)
                {
                    var q = dataset[i];
                    AppendCanonical(q.Subject);
                    _buf.Append((byte)' ');
                    q.Predicate.WriteNQuads(_buf);
                    _buf.Append((byte)' ');
                    AppendCanonical(q.Object);
                    if (q.Graph.Kind != RdfTermKind.DefaultGraph)
                    {
                        _buf.Append((byte)' ');
                        AppendCanonical(q.Graph);
                    }
                    _buf.Append(" .\n"u8);
                    ends[i] = _buf.Length;
                }
                var lines = new LineSpans(_buf, ends);
                for (int i = 0; i < n; i++) order[i] = i;
                lines.Sort(order.AsSpan(0, n));
                int total = 0, kept = 0;
                for (int i = 0; i < n; i++)
                {
                    if (kept > 0 && lines.Line(order[i]).SequenceEqual(lines.Line(order[kept - 1]))) continue;
                    order[kept++] = order[i];
                    total += lines.Line(order[i]).Length;
                }
                if (digestOnly is { } algorithm)
                {
                    var joined = ArrayPool<byte>.Shared.Rent(Math.Max(total, 1));
                    try
                    {
                        lines.Join(order.AsSpan(0, kept), joined);
                        return (null, options.Hash(algorithm, joined.AsSpan(0, total)));
                    }
                    finally { ArrayPool<byte>.Shared.Return(joined); }
                }
                var text = new byte[total];
                lines.Join(order.AsSpan(0, kept), text);
                var canonical = _canonical.Map;
                var keptQuads = new RdfQuad[kept];
                for (int i = 0; i < kept; i++) keptQuads[i] = dataset[order[i]];
                return (new RdfcResult(text, () =>
                {
                    // The relabelled quads, made only when asked for (from a copy: the caller's list may change).
                    var relabelled = new Dictionary<string, RdfTerm>(StringComparer.Ordinal);
                    RdfTerm Relabel(RdfTerm t)
                    {
                        if (t.Kind != RdfTermKind.BlankNode) return t;
                        if (!relabelled.TryGetValue(t.Value, out var c)) relabelled[t.Value] = c = RdfTerm.Blank(canonical[t.Value]);
                        return c;
                    }
                    var sorted = new RdfQuad[keptQuads.Length];
                    for (int i = 0; i < sorted.Length; i++)
                    {
                        var q = keptQuads[i];
                        sorted[i] = q.Subject.IsBlank || q.Object.IsBlank || q.Graph.IsBlank
                            ? new RdfQuad(Relabel(q.Subject), q.Predicate, Relabel(q.Object), Relabel(q.Graph))
                            : q;
                    }
                    return sorted;
                }, canonical, _calls, _perms), null);
            }
            finally
            {
                ArrayPool<int>.Shared.Return(ends);
                ArrayPool<int>.Shared.Return(order);
            }
        }

        public void Dispose() => _buf.Dispose();

        // A blank node by its canonical identifier; any other term as it is.
        private void AppendCanonical(RdfTerm t)
        {
            if (t.Kind != RdfTermKind.BlankNode)
            {
                t.WriteNQuads(_buf);
                return;
            }
            var bnode = _bnodes[t.Value];
            _buf.Append(bnode.CanonicalLabel ??= Encoding.ASCII.GetBytes("_:" + _canonical.Map[t.Value]));
        }

        /// <summary>Lines held back to back in one buffer (line i ends at ends[i]), compared by code point, i.e. by
        /// their UTF-8 bytes.</summary>
        private readonly struct LineSpans(Utf8Buffer buffer, int[] ends)
        {
            public ReadOnlySpan<byte> Line(int i) => buffer.Slice(i == 0 ? 0 : ends[i - 1], ends[i]);

            public int Compare(int x, int y)
            {
                if (x == y) return 0;
                int c = Line(x).SequenceCompareTo(Line(y));
                return c != 0 ? c : x - y; // equal lines: keep input order (stable)
            }

            /// <summary>Writes the lines in <paramref name="order"/> back to back; returns the bytes written.</summary>
            public int Join(ReadOnlySpan<int> order, Span<byte> destination)
            {
                int pos = 0;
                foreach (var i in order)
                {
                    var line = Line(i);
                    line.CopyTo(destination[pos..]);
                    pos += line.Length;
                }
                return pos;
            }

            /// <summary>Sorts line numbers by their lines. Documents are mostly a few dozen lines: insertion sort,
            /// with no comparer object or delegate made; larger ones go to the framework's sort.</summary>
            public void Sort(Span<int> order)
            {
                if (order.Length > 48)
                {
                    var self = this;
                    order.Sort(self.Compare);
                    return;
                }
                for (int i = 1; i < order.Length; i++)
                {
                    int item = order[i], j = i - 1;
                    while (j >= 0 && Compare(order[j], item) > 0)
                    {
                        order[j + 1] = order[j];
                        j--;
                    }
                    order[j + 1] = item;
                }
            }
        }

        private void IssueIdentifiers(IReadOnlyList<RdfQuad> dataset)
        {
            // 2. blank node to quads map
            for (int i = 0; i < dataset.Count; i++)
            {
                var q = dataset[i];
                AddBnode(q.Subject, q);
                AddBnode(q.Object, q);
                AddBnode(q.Graph, q);
            }

            // One blank node: step 4 issues it c14n0 whatever its first-degree hash is (hashes only order blank nodes).
            if (_bnodes.Count == 1)
            {
                foreach (var only in _bnodes.Keys) _canonical.Issue(only);
                return;
            }

            // 3. first-degree hashes, kept as digests: hexadecimal order is byte order, so the hashes are ordered and
            // compared without making strings.
            int count = _bnodes.Count;
            var ids = new string[count];
            var digests = new byte[count][];
            int k = 0;
            foreach (var (id, bnode) in _bnodes)
            {
                ids[k] = id;
                digests[k++] = FirstDegree(bnode, id);
            }
            var byHash = new int[count];
            for (int i = 0; i < count; i++) byHash[i] = i;
            Array.Sort(byHash, (a, b) =>
            {
                int c = digests[a].AsSpan().SequenceCompareTo(digests[b]);
                return c != 0 ? c : a - b;
            });

            // 4. unique hashes get canonical identifiers, in hash order; blank nodes sharing a hash wait for step 5
            var remaining = new List<List<string>>();
            for (int i = 0; i < count;)
            {
                int j = i + 1;
                var digest = digests[byHash[i]];
                while (j < count && digests[byHash[j]].AsSpan().SequenceEqual(digest)) j++;
                if (j == i + 1) _canonical.Issue(ids[byHash[i]]);
                else
                {
                    var shared = new List<string>(j - i);
                    for (int m = i; m < j; m++) shared.Add(ids[byHash[m]]);
                    remaining.Add(shared);
                }
                i = j;
            }

            // Work bound (rdf-canonize's maxDeepIterations): (blank nodes with a shared hash)^factor Hash N-Degree
            // Quads calls; 0 for factor 0, none for no factor or above 2^53 − 1 (JavaScript's safe integers).
            if (options.MaxWorkFactor is int factor)
            {
                int nonUnique = 0;
                foreach (var list in remaining) nonUnique += list.Count;
                double bound = factor == 0 ? 0 : Math.Pow(nonUnique, factor);
                _maxDeepIterations = bound > 9007199254740991d ? long.MaxValue : (long)bound;
            }

            // 5. shared hashes
            foreach (var list in remaining)
            {
                var results = new List<(string Hash, Issuer Issuer)>();
                foreach (var bn in list)
                {
                    if (_canonical.Map.ContainsKey(bn)) continue;
                    var temp = new Issuer("b");
                    temp.Issue(bn);
                    results.Add(HashNDegree(bn, temp));
                }
                results.Sort((a, b) => string.CompareOrdinal(a.Hash, b.Hash));
                foreach (var (_, issuer) in results)
                    foreach (var existing in issuer.Order)
                        _canonical.Issue(existing);
            }
        }

        private const int ScanForDuplicatesUpTo = 32;

        // A blank node's quads mostly differ in their predicate: compare that first (terms compare by reference first).
        private static bool SameQuad(RdfQuad a, RdfQuad b) =>
            a.Predicate.Equals(b.Predicate) && a.Object.Equals(b.Object) && a.Subject.Equals(b.Subject) && a.Graph.Equals(b.Graph);
        private void AddBnode(RdfTerm t, RdfQuad q)
        {
            if (t.Kind != RdfTermKind.BlankNode) return;
            if (!_bnodes.TryGetValue(t.Value, out var bnode))
            {
                _bnodes[t.Value] = new Bnode(q);
                return;
            }
            var list = bnode.Quads;
            if (ReferenceEquals(list[^1], q)) return; // same quad, bnode repeated in it
            if (list.Count < ScanForDuplicatesUpTo)
            {
                foreach (var other in list)
                    if (SameQuad(other, q)) return;
            }
            else
            {
                // Many quads on one blank node: a set, so no input makes this quadratic.
                bnode.QuadSet ??= new HashSet<RdfQuad>(list);
                if (!bnode.QuadSet.Add(q)) return;
            }
            list.Add(q);
        }

        // 4.6.3 Hash First Degree Quads, as text (what Hash N-Degree Quads and Hash Related Blank Node take).
        private string HashFirstDegree(string id)
        {
            var bnode = _bnodes[id];
            return bnode.FirstDegreeHash ??= Convert.ToHexStringLower(FirstDegree(bnode, id));
        }

        private byte[] FirstDegree(Bnode bnode, string id) => bnode.FirstDegreeDigest ??= ComputeFirstDegree(bnode, id);

        private byte[] ComputeFirstDegree(Bnode bnode, string id)
        {
            // 4.6.3 steps 3–5: serialize each quad with _:a for the reference blank node and _:z for others, sort
            // the lines by code point, hash their concatenation.
            var quads = bnode.Quads;
            _buf.Clear();
            if (quads.Count == 1)
            {
                AppendFirstDegree(quads[0], id);
                return Digest(_buf.Written);
            }
            int n = quads.Count;
            var ends = ArrayPool<int>.Shared.Rent(n);
            var order = ArrayPool<int>.Shared.Rent(n);
            byte[]? joined = null;
            try
            {
                for (int i = 0; i < n; i++)
                {
                    AppendFirstDegree(quads[i], id);
                    ends[i] = _buf.Length;
                }
                var lines = new LineSpans(_buf, ends);
                for (int i = 0; i < n; i++) order[i] = i;
                lines.Sort(order.AsSpan(0, n));
                joined = ArrayPool<byte>.Shared.Rent(_buf.Length);
                return Digest(joined.AsSpan(0, lines.Join(order.AsSpan(0, n), joined)));
            }
            finally
            {
                ArrayPool<int>.Shared.Return(ends);
                ArrayPool<int>.Shared.Return(order);
                if (joined is not null) ArrayPool<byte>.Shared.Return(joined);
            }
        }

        private void AppendFirstDegree(RdfQuad q, string id)
        {
            AppendFd(q.Subject, id);
            _buf.Append((byte)' ');
            q.Predicate.WriteNQuads(_buf);
            _buf.Append((byte)' ');
            AppendFd(q.Object, id);
            if (q.Graph.Kind != RdfTermKind.DefaultGraph)
            {
                _buf.Append((byte)' ');
                AppendFd(q.Graph, id);
            }
            _buf.Append(" .\n"u8);
        }

        private void AppendFd(RdfTerm t, string id)
        {
            if (t.Kind == RdfTermKind.BlankNode)
                _buf.Append(string.Equals(t.Value, id, StringComparison.Ordinal) ? "_:a"u8 : "_:z"u8);
            else t.WriteNQuads(_buf);
        }

        private string HashRelated(string related, RdfQuad quad, Issuer issuer, char position)
        {
            var sb = new StringBuilder();
            sb.Append(position);
            if (position != 'g') sb.Append('<').Append(quad.Predicate.Value).Append('>');
            if (_canonical.TryGet(related, out var cid)) sb.Append("_:").Append(cid);
            else if (issuer.TryGet(related, out var iid)) sb.Append("_:").Append(iid);
            else sb.Append(HashFirstDegree(related));
            return Hash(sb);
        }

        private (string Hash, Issuer Issuer) HashNDegree(string identifier, Issuer issuer)
        {
            if (_calls >= _maxDeepIterations)
                throw new RdfcException(RdfcErrorCode.WorkLimitExceeded,
                    $"RDFC-1.0 work limit exceeded: more than {_maxDeepIterations} Hash N-Degree Quads calls (work factor {options.MaxWorkFactor}; poison graph?)")
                { HashNDegreeQuadsCalls = _calls };
            if (_calls >= options.MaxHashNDegreeQuadsCalls)
                throw new RdfcException(RdfcErrorCode.WorkLimitExceeded,
                    $"RDFC-1.0 work limit exceeded: more than {options.MaxHashNDegreeQuadsCalls} Hash N-Degree Quads calls (poison graph?)")
                { HashNDegreeQuadsCalls = _calls };
            _calls++;

            // 1-3. related hashes
            var hn = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var q in _bnodes[identifier].Quads)
            {
                Related(q.Subject, 's');
                Related(q.Object, 'o');
                Related(q.Graph, 'g');

                void Related(RdfTerm t, char pos)
                {
                    if (t.Kind != RdfTermKind.BlankNode || string.Equals(t.Value, identifier, StringComparison.Ordinal)) return;
                    var h = HashRelated(t.Value, q, issuer, pos);
                    if (!hn.TryGetValue(h, out var l)) hn[h] = l = new List<string>(2);
                    l.Add(t.Value);
                }
            }

            var data = new StringBuilder();
            foreach (var (relatedHash, list) in hn)
            {
                data.Append(relatedHash);
                string? chosenPath = null;
                Issuer? chosenIssuer = null;
                // 5.4 "for each permutation of blank node list": in rdf-canonize's order (the list sorted by
                // identifier, then Steinhaus–Johnson–Trotter), so that pruning, and the calls counted against the
                // work bound, are the same as there. The result does not depend on the order.
                var perm = new Permuter(list);
                do
                {
                    if (++_perms > options.MaxPermutations)
                        throw new RdfcException(RdfcErrorCode.WorkLimitExceeded,
                            $"RDFC-1.0 work limit exceeded: more than {options.MaxPermutations} permutations (poison graph?)")
                        { HashNDegreeQuadsCalls = _calls };
                    var issuerCopy = issuer.Clone();
                    var path = new StringBuilder();
                    var recursion = new List<string>();
                    bool skip = false;
                    foreach (var related in perm.Current)
                    {
                        if (_canonical.TryGet(related, out var cid)) path.Append("_:").Append(cid);
                        else
                        {
                            if (!issuerCopy.TryGet(related, out _)) recursion.Add(related);
                            path.Append("_:").Append(issuerCopy.Issue(related));
                        }
                        // 5.4.4.3 "length of path ≥ length of chosen path and path greater": compared as
                        // rdf-canonize does, lexicographically only (a path greater at a differing character stays
                        // greater when extended), which prunes earlier, so calls are counted as there.
                        if (chosenPath is not null && Greater(path, chosenPath))
                        {
                            skip = true;
                            break;
                        }
                    }
                    if (skip) continue;
                    foreach (var related in recursion)
                    {
                        var result = HashNDegree(related, issuerCopy);
                        path.Append("_:").Append(issuerCopy.Issue(related));
                        path.Append('<').Append(result.Hash).Append('>');
                        issuerCopy = result.Issuer;
                        if (chosenPath is not null && Greater(path, chosenPath))
                        {
                            skip = true;
                            break;
                        }
                    }
                    if (skip) continue;
                    var p = path.ToString();
                    if (chosenPath is null || string.CompareOrdinal(p, chosenPath) < 0)
                    {
                        chosenPath = p;
                        chosenIssuer = issuerCopy;
                    }
                } while (perm.MoveNext());
                data.Append(chosenPath);
                issuer = chosenIssuer!;
            }
            return (Hash(data), issuer);
        }

        // Paths hold only ASCII (hex, "_:", labels, '<', '>'), so ordinal = code point order.
        private static bool Greater(StringBuilder path, string chosen)
        {
            int n = Math.Min(path.Length, chosen.Length);
            for (int i = 0; i < n; i++)
            {
                int d = path[i] - chosen[i];
                if (d != 0) return d > 0;
            }
            return path.Length > chosen.Length;
        }

        /// <summary>5.4's permutations as rdf-canonize's Permuter gives them: the list sorted (by UTF-16 unit, as
        /// JavaScript's sort), then Steinhaus–Johnson–Trotter order (the largest mobile element swapped with the
        /// neighbour it looks at, then the elements larger than it turn round). Ported literally, one direction per
        /// distinct identifier: a blank node related twice under one hash (twice the graph of the reference node's
        /// quads) is listed twice there too.</summary>
        private sealed class Permuter
        {
            private readonly Dictionary<string, bool>? _left; // true: looks left
            public List<string> Current { get; }

            public Permuter(List<string> list)
            {
                Current = list;
                if (list.Count < 2) return;
                list.Sort(StringComparer.Ordinal);
                _left = new Dictionary<string, bool>(list.Count, StringComparer.Ordinal);
                foreach (var e in list) _left[e] = true;
            }

            public bool MoveNext()
            {
                if (_left is null) return false;
                var a = Current;
                string? k = null;
                int pos = 0;
                for (int i = 0; i < a.Count; i++)
                {
                    var e = a[i];
                    if ((k is null || string.CompareOrdinal(e, k) > 0)
                        && (_left[e] ? i > 0 && string.CompareOrdinal(e, a[i - 1]) > 0
                                     : i < a.Count - 1 && string.CompareOrdinal(e, a[i + 1]) > 0))
                    {
                        k = e;
                        pos = i;
                    }
                }
                if (k is null) return false;
                int swap = _left[k] ? pos - 1 : pos + 1;
                (a[pos], a[swap]) = (a[swap], a[pos]);
                foreach (var e in a)
                    if (string.CompareOrdinal(e, k) > 0) _left[e] = !_left[e];
                return true;
            }
        }

        private string Hash(StringBuilder sb)
        {
            int chars = sb.Length;
            char[] cbuf = ArrayPool<char>.Shared.Rent(Math.Max(chars, 1));
            try
            {
                sb.CopyTo(0, cbuf, 0, chars);
                return Hash(cbuf.AsSpan(0, chars));
            }
            finally
            {
                ArrayPool<char>.Shared.Return(cbuf);
            }
        }

        private string Hash(ReadOnlySpan<char> text)
        {
            int max = Encoding.UTF8.GetMaxByteCount(text.Length);
            byte[] bbuf = ArrayPool<byte>.Shared.Rent(max);
            try { return Hash(bbuf.AsSpan(0, Encoding.UTF8.GetBytes(text, bbuf))); }
            finally { ArrayPool<byte>.Shared.Return(bbuf); }
        }

        private string Hash(ReadOnlySpan<byte> utf8) => Convert.ToHexStringLower(Digest(utf8));

        // RDFC-1.0's hash function (SHA-256 by default; SHA-384 and SHA-512 allowed).
        private byte[] Digest(ReadOnlySpan<byte> utf8) =>
            options.HashAlgorithm == HashAlgorithmName.SHA256 || options.HashAlgorithm == HashAlgorithmName.SHA384
            || options.HashAlgorithm == HashAlgorithmName.SHA512
                ? options.Hash(options.HashAlgorithm, utf8)
                : throw new RdfcException(RdfcErrorCode.UnsupportedHashAlgorithm, $"unsupported hash algorithm {options.HashAlgorithm.Name}");
    }
}
