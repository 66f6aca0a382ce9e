using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Vc.Credentials.Json;
using Vc.Credentials.Verification;
using Vc.JsonLd;

namespace Vc.Credentials.DataIntegrity.SelectiveDisclosure;

/// <summary>A label map factory (vc-di-ecdsa §3.3.1): from RDFC-1.0's canonical identifier map (input blank node
/// label → c14nN) to the labels written instead (input label → new label). Labels carry no "_:".</summary>
public delegate IReadOnlyDictionary<string, string> LabelMapFactory(IReadOnlyDictionary<string, string> canonicalIdMap);

/// <summary>N-Quads relabelled by a label map, and the map used (vc-di-ecdsa §3.3.1 labelReplacementCanonicalizeNQuads).</summary>
/// <param name="LabelMap">input blank node label → new label.</param>
/// <param name="NQuads">The relabelled canonical N-Quads, one line each (with its "\n"), sorted.</param>
public sealed record LabelReplacementResult(IReadOnlyDictionary<string, string> LabelMap, IReadOnlyList<string> NQuads);

/// <summary>One group of canonicalizeAndGroup: the canonical N-Quads a group's pointers select (matching) and the
/// others (nonMatching), by their index in the whole canonical list, in index order.</summary>
public sealed record SdGroup(SortedList<int, string> Matching, SortedList<int, string> NonMatching, IReadOnlyList<RdfQuad> DeskolemizedQuads);

/// <summary>The result of canonicalizeAndGroup (vc-di-ecdsa §3.3.13).</summary>
public sealed record SdGrouping(IReadOnlyDictionary<string, SdGroup> Groups, IReadOnlyDictionary<string, string> LabelMap,
    IReadOnlyList<string> NQuads, JsonObject SkolemizedCompact);

/// <summary>
/// The selective-disclosure functions of VC Data Integrity ECDSA Cryptosuites §3.3 (shared with bbs-2023):
/// skolemization, label replacement canonicalization, JSON pointer selection and grouping, over Vc.JsonLd's
/// toRdf and RDFC-1.0 (through <see cref="IRdfCanonicalizer"/>).
/// </summary>
public static class SdPrimitives
{
    /// <summary>The URN prefix of skolem IRIs (vc-di-ecdsa §3.3.7).</summary>
    public const string SkolemPrefix = "urn:bnid:";

    /// <summary>
    /// skolemizeCompactJsonLd (vc-di-ecdsa §3.3.8): a copy of the compact document in which every node object gets an
    /// id: "urn:bnid:_{random}_{n}" where it had none, "urn:bnid:{label}" where it had a blank node id "_:{label}".
    /// Done in compact form (the JSON-LD here has no compaction): value objects, @context, @list/@set objects and
    /// their literals are left alone; a document whose nodes cannot all be named so is refused later by
    /// <see cref="ToDeskolemizedDataset"/> (no blank node may remain).
    /// </summary>
    public static JsonObject SkolemizeCompact(JsonObject document, string? random = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document["@context"] is null)
            throw new CredentialException(ProblemCode.ProofTransformationError, "A compact JSON-LD document with an @context is required.");
        random ??= Guid.NewGuid().ToString("D");
        var count = 0;
        var copy = (JsonObject)document.DeepClone();
        Skolemize(copy, random, ref count);
        return copy;
    }

    private static void Skolemize(JsonNode? node, string random, ref int count)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array) Skolemize(item, random, ref count);
                break;
            case JsonObject obj when obj.ContainsKey("@value"):
                break; // a literal (value object)
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                    if (name != "@context") Skolemize(value, random, ref count);
                if (obj.ContainsKey("@list") || obj.ContainsKey("@set")) break;
                var idKey = obj.ContainsKey("@id") ? "@id" : "id";
                if (obj[idKey] is null) obj[idKey] = $"{SkolemPrefix}_{random}_{count++}";
                else if (obj[idKey].IsString(out var id) && id.StartsWith("_:", StringComparison.Ordinal))
                    obj[idKey] = SkolemPrefix + id[2..]; // keep a shared blank node shared
                break;
        }
    }

    /// <summary>toDeskolemizedNQuads (vc-di-ecdsa §3.3.9): the skolemized document's dataset with every
    /// "urn:bnid:{label}" IRI back as blank node "_:{label}". Any other blank node means a node could not be
    /// skolemized: refused (fail closed) rather than selected wrongly.</summary>
    public static List<RdfQuad> ToDeskolemizedDataset(IRdfCanonicalizer canonicalizer, JsonObject skolemized)
    {
        using var doc = JsonInput.ToDocument(skolemized);
        var quads = canonicalizer.ToRdf(doc.RootElement);
        var result = new List<RdfQuad>(quads.Count);
        foreach (var q in quads)
            result.Add(new RdfQuad(Deskolemize(q.Subject), q.Predicate, Deskolemize(q.Object), Deskolemize(q.Graph)));
        return result;
    }

    private static RdfTerm Deskolemize(RdfTerm term)
    {
        if (term.IsBlank)
            throw new CredentialException(ProblemCode.ProofTransformationError,
                "The document holds a blank node that cannot be skolemized for selective disclosure (e.g. a graph container or a map container).");
        return term.Kind == RdfTermKind.Iri && term.Value.StartsWith(SkolemPrefix, StringComparison.Ordinal)
            ? RdfTerm.Blank(term.Value[SkolemPrefix.Length..])
            : term;
    }

    /// <summary>labelReplacementCanonicalizeNQuads (vc-di-ecdsa §3.3.1): RDFC-1.0 over the dataset, then each
    /// canonical blank node label replaced by the factory's label, lines sorted.</summary>
    public static LabelReplacementResult LabelReplacementCanonicalize(IRdfCanonicalizer canonicalizer,
        IReadOnlyList<RdfQuad> dataset, LabelMapFactory labelMapFactory)
    {
        var canonical = canonicalizer.CanonicalizeDataset(dataset);
        var labelMap = labelMapFactory(canonical.IssuedIdentifiers);
        var c14nToNew = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (input, newLabel) in labelMap) c14nToNew[canonical.IssuedIdentifiers[input]] = newLabel;
        var lines = canonical.CanonicalQuads.Select(q => Line(Relabel(q, c14nToNew))).ToList();
        // The JS reference sorts by UTF-16 code unit: ordinal comparison, the same order.
        lines.Sort(StringComparer.Ordinal);
        return new LabelReplacementResult(labelMap, lines);
    }

    /// <summary>labelReplacementCanonicalizeJsonLd (vc-di-ecdsa §3.3.2): the same over a JSON-LD document's toRdf.</summary>
    public static IReadOnlyList<string> LabelReplacementCanonicalizeJsonLd(IRdfCanonicalizer canonicalizer, JsonObject document,
        LabelMapFactory labelMapFactory)
    {
        using var doc = JsonInput.ToDocument(document);
        return LabelReplacementCanonicalize(canonicalizer, canonicalizer.ToRdf(doc.RootElement), labelMapFactory).NQuads;
    }

    /// <summary>createHmacIdLabelMapFunction (vc-di-ecdsa §3.3.3): each canonical label c14nN becomes
    /// "u" + base64url-no-pad(HMAC-SHA-256(key, UTF-8 "c14nN")).</summary>
    public static LabelMapFactory CreateHmacIdLabelMapFunction(byte[] hmacKey)
    {
        var key = (byte[])hmacKey.Clone();
        return canonicalIdMap =>
        {
            var map = new Dictionary<string, string>(canonicalIdMap.Count, StringComparer.Ordinal);
            foreach (var (input, c14n) in canonicalIdMap)
                map[input] = "u" + Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(c14n)));
            return map;
        };
    }

    /// <summary>createShuffledIdLabelMapFunction (vc-di-bbs §3.3.4, on the same primitives): the HMAC labels sorted,
    /// each blank node labelled "b" + the position of its HMAC label.</summary>
    public static LabelMapFactory CreateShuffledIdLabelMapFunction(byte[] hmacKey)
    {
        var hmac = CreateHmacIdLabelMapFunction(hmacKey);
        return canonicalIdMap =>
        {
            var hmacIds = hmac(canonicalIdMap);
            var sorted = hmacIds.Values.Order(StringComparer.Ordinal).ToList();
            return hmacIds.ToDictionary(p => p.Key, p => "b" + sorted.IndexOf(p.Value), StringComparer.Ordinal);
        };
    }

    /// <summary>createLabelMapFunction (vc-di-ecdsa §3.3.1 note, used by verifiers): canonical label → the label the
    /// derived proof's map gives it. A canonical label the map lacks fails verification.</summary>
    public static LabelMapFactory CreateLabelMapFunction(IReadOnlyDictionary<string, string> labelMap) => canonicalIdMap =>
    {
        var map = new Dictionary<string, string>(canonicalIdMap.Count, StringComparer.Ordinal);
        foreach (var (input, c14n) in canonicalIdMap)
            map[input] = labelMap.TryGetValue(c14n, out var label) ? label
                : throw new CredentialException(ProblemCode.ProofVerificationError, $"The derived proof's label map has no label for blank node {c14n}.");
        return map;
    };

    /// <summary>relabelBlankNodes (vc-di-ecdsa §3.3.5).</summary>
    public static RdfQuad Relabel(RdfQuad q, IReadOnlyDictionary<string, string> labelMap) =>
        !q.Subject.IsBlank && !q.Object.IsBlank && !q.Graph.IsBlank ? q
            : new RdfQuad(Relabel(q.Subject, labelMap), q.Predicate, Relabel(q.Object, labelMap), Relabel(q.Graph, labelMap));

    private static RdfTerm Relabel(RdfTerm t, IReadOnlyDictionary<string, string> labelMap) =>
        !t.IsBlank ? t
        : labelMap.TryGetValue(t.Value, out var label) ? RdfTerm.Blank(label)
        : throw new CredentialException(ProblemCode.ProofTransformationError, $"Blank node _:{t.Value} has no label in the label map.");

    /// <summary>One quad as a canonical N-Quads line with its "\n".</summary>
    public static string Line(RdfQuad q) => NQuads.Serialize([q]);

    /// <summary>
    /// selectJsonLd (vc-di-ecdsa §3.3.4, with jsonPointerToPaths §3.3.10, createInitialSelection §3.3.11 and
    /// selectPaths §3.3.12): the parts of a compact document the JSON pointers name, with the @context, and the
    /// (non-blank) id and the type of every object on the way. Null for no pointers.
    /// </summary>
    /// <exception cref="CredentialException">ProofGenerationError when a pointer is malformed or names nothing.</exception>
    public static JsonObject? SelectJsonLd(JsonObject document, IReadOnlyList<string> pointers, bool includeTypes = true)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(pointers);
        if (pointers.Count == 0) return null;
        var holes = new HashSet<JsonNode>(ReferenceEqualityComparer.Instance);
        var arrays = new List<JsonArray>();
        var selection = new JsonObject();
        if (document["@context"] is { } context) selection["@context"] = context.DeepClone();
        InitialSelection(selection, document, includeTypes);
        foreach (var pointer in pointers)
        {
            var paths = JsonPointer.Parse(pointer);
            if (paths.Count == 0) return (JsonObject)document.DeepClone(); // the whole document
            SelectPaths(document, pointer, paths, selection, arrays, holes, includeTypes);
        }
        // §3.3.4: sparse arrays are made dense.
        foreach (var array in arrays)
            for (var i = array.Count - 1; i >= 0; i--)
                if (array[i] is { } item && holes.Contains(item)) array.RemoveAt(i);
        return selection;
    }

    private static void SelectPaths(JsonObject document, string pointer, IReadOnlyList<string> paths, JsonObject selectionDocument,
        List<JsonArray> arrays, HashSet<JsonNode> holes, bool includeTypes)
    {
        JsonNode? value = document;
        JsonNode selectedParent = selectionDocument, selectedValue = selectionDocument;
        foreach (var path in paths)
        {
            selectedParent = selectedValue;
            if (!TryStep(value, path, out value))
                throw new CredentialException(ProblemCode.ProofGenerationError, $"JSON pointer \"{pointer}\" does not match the document.");
            var existing = Get(selectedParent, path, holes);
            if (existing is null)
            {
                if (value is JsonArray) { var a = new JsonArray(); arrays.Add(a); existing = a; }
                else existing = InitialSelection(new JsonObject(), value, includeTypes);
                Set(selectedParent, path, existing, holes);
            }
            selectedValue = existing;
        }
        JsonNode? selected = value switch
        {
            JsonObject obj => Blend(selectedValue as JsonObject, obj),
            _ => value?.DeepClone(), // a literal or a whole array
        };
        Set(selectedParent, paths[^1], selected, holes);
    }

    // {...selectedValue, ...copy(value)}: the id/type already selected, overwritten by the whole object.
    private static JsonObject Blend(JsonObject? selected, JsonObject value)
    {
        var result = new JsonObject();
        if (selected is not null)
            foreach (var (name, v) in selected) result[name] = v?.DeepClone();
        foreach (var (name, v) in value) result[name] = v?.DeepClone();
        return result;
    }

    // createInitialSelection (§3.3.11): a non-blank id and, when asked, the type.
    private static JsonObject InitialSelection(JsonObject selection, JsonNode? source, bool includeTypes)
    {
        if (source is not JsonObject obj) return selection;
        if (obj["id"].IsString(out var id) && !id.StartsWith("_:", StringComparison.Ordinal)) selection["id"] = id;
        if (includeTypes && obj["type"] is { } type) selection["type"] = type.DeepClone();
        return selection;
    }

    private static bool TryStep(JsonNode? parent, string path, out JsonNode? value)
    {
        value = null;
        switch (parent)
        {
            case JsonObject obj:
                return obj.TryGetPropertyValue(path, out value);
            case JsonArray array when JsonPointer.TryIndex(path, out var i) && i < array.Count:
                value = array[i];
                return true;
            default:
                return false;
        }
    }

    private static JsonNode? Get(JsonNode parent, string path, HashSet<JsonNode> holes) => parent switch
    {
        JsonObject obj => obj[path],
        JsonArray array when JsonPointer.TryIndex(path, out var i) && i < array.Count && array[i] is { } item && !holes.Contains(item) => item,
        _ => null,
    };

    private static void Set(JsonNode parent, string path, JsonNode? value, HashSet<JsonNode> holes)
    {
        switch (parent)
        {
            case JsonObject obj:
                obj[path] = value;
                break;
            case JsonArray array when JsonPointer.TryIndex(path, out var i):
                while (array.Count <= i)
                {
                    var hole = JsonValue.Create("\uE000hole")!; // a placeholder removed when the array is made dense
                    holes.Add(hole);
                    array.Add(hole);
                }
                if (array[i] is { } old) holes.Remove(old);
                array[i] = value;
                break;
            default:
                throw new CredentialException(ProblemCode.ProofGenerationError, $"JSON pointer segment \"{path}\" does not fit the selection.");
        }
    }

    /// <summary>selectCanonicalNQuads (vc-di-ecdsa §3.3.6): the canonical (relabelled) N-Quads of a selection of a
    /// skolemized compact document, and the selection's deskolemized dataset.</summary>
    public static (IReadOnlyList<RdfQuad> Deskolemized, HashSet<string> NQuads) SelectCanonicalNQuads(IRdfCanonicalizer canonicalizer,
        JsonObject skolemizedCompact, IReadOnlyList<string> pointers, IReadOnlyDictionary<string, string> labelMap)
    {
        var selection = SelectJsonLd(skolemizedCompact, pointers);
        if (selection is null) return ([], new HashSet<string>(StringComparer.Ordinal));
        var deskolemized = ToDeskolemizedDataset(canonicalizer, selection);
        var nquads = new HashSet<string>(deskolemized.Select(q => Line(Relabel(q, labelMap))), StringComparer.Ordinal);
        return (deskolemized, nquads);
    }

    /// <summary>canonicalizeAndGroup (vc-di-ecdsa §3.3.13): skolemize, canonicalize with the label map factory, and
    /// split the canonical N-Quads into matching / non-matching for each named group of JSON pointers.</summary>
    public static SdGrouping CanonicalizeAndGroup(IRdfCanonicalizer canonicalizer, JsonObject document, LabelMapFactory labelMapFactory,
        IReadOnlyDictionary<string, IReadOnlyList<string>> groups)
    {
        // Steps 1–3: skolemize, deskolemized N-Quads of the whole document, canonical relabelled N-Quads.
        var skolemized = SkolemizeCompact(document);
        var deskolemized = ToDeskolemizedDataset(canonicalizer, skolemized);
        var (labelMap, nquads) = LabelReplacementCanonicalize(canonicalizer, deskolemized, labelMapFactory);
        // Steps 4–5: each group's selection, and the canonical N-Quads it matches.
        var result = new Dictionary<string, SdGroup>(StringComparer.Ordinal);
        foreach (var (name, pointers) in groups)
        {
            var (selectedQuads, selected) = SelectCanonicalNQuads(canonicalizer, skolemized, pointers, labelMap);
            var matching = new SortedList<int, string>();
            var nonMatching = new SortedList<int, string>();
            for (var i = 0; i < nquads.Count; i++)
                (selected.Contains(nquads[i]) ? matching : nonMatching).Add(i, nquads[i]);
            result[name] = new SdGroup(matching, nonMatching, selectedQuads);
        }
        return new SdGrouping(result, labelMap, nquads, skolemized);
    }

    /// <summary>hashMandatoryNQuads (vc-di-ecdsa §3.3.14): SHA-256 of the concatenated mandatory N-Quads.</summary>
    public static byte[] HashMandatoryNQuads(IEnumerable<string> mandatory) =>
        SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(mandatory)));
}

/// <summary>JSON Pointer (RFC 6901) parsing as selectJsonLd uses it.</summary>
public static class JsonPointer
{
    /// <summary>jsonPointerToPaths (vc-di-ecdsa §3.3.10): the unescaped reference tokens; none for "" (the whole document).</summary>
    /// <exception cref="CredentialException">ProofGenerationError for a malformed pointer.</exception>
    public static IReadOnlyList<string> Parse(string pointer)
    {
        ArgumentNullException.ThrowIfNull(pointer);
        if (pointer.Length == 0) return [];
        if (pointer[0] != '/') throw new CredentialException(ProblemCode.ProofGenerationError, $"JSON pointer \"{pointer}\" must start with '/'.");
        var tokens = pointer[1..].Split('/');
        for (var t = 0; t < tokens.Length; t++)
        {
            var token = tokens[t];
            if (!token.Contains('~')) continue;
            var sb = new StringBuilder(token.Length);
            for (var i = 0; i < token.Length; i++)
            {
                if (token[i] != '~') { sb.Append(token[i]); continue; }
                // RFC 6901 §4: "~1" is '/', "~0" is '~', nothing else may follow '~'.
                sb.Append(i + 1 < token.Length ? token[++i] switch
                {
                    '0' => '~',
                    '1' => '/',
                    _ => throw new CredentialException(ProblemCode.ProofGenerationError, $"JSON pointer \"{pointer}\" has an invalid escape."),
                } : throw new CredentialException(ProblemCode.ProofGenerationError, $"JSON pointer \"{pointer}\" has an invalid escape."));
            }
            tokens[t] = sb.ToString();
        }
        return tokens;
    }

    /// <summary>Whether <paramref name="pointer"/> names something in <paramref name="document"/>.</summary>
    public static bool Resolves(JsonNode document, string pointer)
    {
        JsonNode? node = document;
        foreach (var token in Parse(pointer))
        {
            if (node is JsonObject o) { if (!o.TryGetPropertyValue(token, out node)) return false; }
            else if (node is JsonArray a && TryIndex(token, out var i) && i < a.Count) node = a[i];
            else return false;
        }
        return true;
    }

    /// <summary>An array index token (RFC 6901 §4: "0" or digits without a leading zero).</summary>
    public static bool TryIndex(string token, out int index)
    {
        index = -1;
        if (token.Length == 0 || token.Length > 9 || (token.Length > 1 && token[0] == '0') || !token.All(char.IsAsciiDigit)) return false;
        index = int.Parse(token, System.Globalization.CultureInfo.InvariantCulture);
        return true;
    }
}
