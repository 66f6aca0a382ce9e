using System.Text.Json;

namespace Vc.JsonLd;

internal sealed partial class Processor
{
    // ---------------------------------------------------------------- direct deserialization to RDF
    //
    // Expansion (§5.1.2) followed by §8.1 makes, for a document of plain node objects, exactly these triples: each
    // node object's subject with its types and each property value (a literal, an IRI, or a nested node's subject).
    // For canonicalization the dataset is all that matters (RDFC-1.0 relabels blank nodes and removes duplicates),
    // so such documents are read straight into quads without building the expanded form. The direct path reads
    // each map through the same EnterNode as expansion and converts values with the same LiteralTerm; anything
    // else (value, list, set, graph, reverse, nest, included or index objects, containers, @json, base directions,
    // values expansion would drop, every error) gives up, and the caller runs expansion and toRdf instead, which
    // then decides. Tests compare both paths on the W3C suites.

    /// <summary>The document's quads (with duplicates), or null when the document needs the full algorithms.</summary>
    public List<RdfQuad>? TryToRdfDirect(JsonElement document, string? omittedTopLevel = null, JsonElement? contextOverride = null)
    {
        try
        {
            var ac = BeginDocument(omittedTopLevel, contextOverride);
            var baseIri = _options.Base;
            _quads = new List<RdfQuad>(32);
            if (document.ValueKind == JsonValueKind.Object)
            {
                _root = omittedTopLevel is not null || contextOverride is not null;
                return DirectNode(ac, null, document, baseIri, 0, out _) ? _quads : null;
            }
            if (document.ValueKind != JsonValueKind.Array) return null;
            foreach (var item in document.EnumerateArray())
                if (item.ValueKind != JsonValueKind.Object || !DirectNode(ac, null, item, baseIri, 1, out _)) return null;
            return _quads;
        }
        // Errors (limits included) are left to the full algorithms, which report them in document order (a lone
        // surrogate surfaces as InvalidOperationException from System.Text.Json).
        catch (JsonLdException) { return null; }
        catch (InvalidOperationException) { return null; }
    }

    /// <summary>Emits a node object's triples into the default graph; false when the map is not a plain node
    /// object. <paramref name="subject"/>: its @id, or a fresh blank node.</summary>
    private bool DirectNode(ActiveContext ac, TermDefinition? apDef, JsonElement element, string? baseUrl, int depth,
        out RdfTerm? subject)
    {
        subject = null;
        if (depth > _limits.MaxDepth) return false;
        var (props, typeScoped, _) = EnterNode(ref ac, apDef, element, baseUrl, false);

        // The subject and types first (§5.1.2 step 13: @id and @type entries, under any alias): they may come after
        // the properties in the JSON.
        JsonElement types = default;
        int idKeys = 0, typeKeys = 0;
        foreach (var (key, value) in props)
        {
            if (ac.ExpandsTo(key, "@id"))
            {
                if (idKeys++ > 0 || value.ValueKind != JsonValueKind.String) return false;
                if (Scalar(value) is not string s || ExpandIri(ac, s, true, false) is not { } id || NodeTerm(id) is not { } node) return false;
                subject = node;
            }
            else if (ac.ExpandsTo(key, "@type"))
            {
                if (typeKeys++ > 0) return false; // several @type aliases: rare, left to expansion
                types = value;
            }
        }
        subject ??= FreshBlank();

        // @type values are IRIs, expanded in the context before type-scoped contexts apply (§5.1.2 step 13.4.4).
        if (typeKeys > 0)
        {
            if (types.ValueKind == JsonValueKind.String)
            {
                if (!DirectType(typeScoped, subject, types)) return false;
            }
            else if (types.ValueKind == JsonValueKind.Array)
            {
                foreach (var t in types.EnumerateArray())
                    if (!DirectType(typeScoped, subject, t)) return false;
            }
            else return false;
        }

        foreach (var (key, value) in props)
        {
            if (key == "@context") continue;
            CheckString(key);
            var ep = ExpandKey(ac, key, out var td);
            if (string.IsNullOrEmpty(ep)) return false;
            if (ep[0] == '@')
            {
                // @id and @type are done; any other keyword needs the full algorithms.
                if ((ep == "@id" && idKeys > 0) || (ep == "@type" && typeKeys > 0)) continue;
                return false;
            }
            if (td is { Reverse: true } || td?.TypeMapping == "@json" || ((td?.Container ?? Container.None) & ~Container.Set) != 0
                || Iri.IsBlank(ep) || TermIri(td, ep) is not { } predicate)
                return false;
            if (value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in value.EnumerateArray())
                    if (item.ValueKind == JsonValueKind.Array || !DirectValue(ac, subject, predicate, key, td, item, baseUrl, depth + 1))
                        return false;
            }
            else if (!DirectValue(ac, subject, predicate, key, td, value, baseUrl, depth)) return false;
        }
        return true;
    }

    private bool DirectType(ActiveContext typeScoped, RdfTerm subject, JsonElement type)
    {
        if (Scalar(type) is not string t) return false;
        RdfTerm? term;
        // IRI expansion (vocab) of a term is its IRI mapping (§5.2.2 step 4): its term is kept on the definition.
        if (t.Length > 0 && t[0] != '@' && typeScoped.Get(t) is { Iri: { } mapped } td && mapped[0] != '@' && !Iri.IsBlank(mapped))
            term = TermIri(td, mapped);
        else term = ExpandIri(typeScoped, t, true, true) is { } iri ? NodeTerm(iri) : null;
        if (term is null) return false;
        Emit(subject, s_rdfType, term, RdfTerm.DefaultGraph);
        return true;
    }

    // One value of a property (§5.1.2 for maps, §5.3.2 value expansion for scalars, then §8.1.5).
    private bool DirectValue(ActiveContext ac, RdfTerm subject, RdfTerm predicate, string key, TermDefinition? td,
        JsonElement value, string? baseUrl, int depth)
    {
        RdfTerm? o;
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return true;
            case JsonValueKind.Object:
                if (!DirectNode(ac, td, value, baseUrl, depth + 1, out o)) return false;
                break;
            default:
                EnterScalar(ref ac, ref td, key);
                if (td is { Reverse: true } || td?.TypeMapping == "@json") return false;
                var scalar = Scalar(value)!;
                var v = ValueParts(ac, td, scalar);
                if (v.IsReference) o = v.Id is null ? null : NodeTerm(v.Id);
                else if (v.Direction is not null) return false;
                else o = LiteralTerm(scalar, v.Type, v.Language, null);
                if (o is null) return false;
                break;
        }
        Emit(subject, predicate, o!, RdfTerm.DefaultGraph);
        return true;
    }

    // The RDF term of an IRI a term definition maps to (kept on the definition), or of any other absolute IRI.
    private RdfTerm? TermIri(TermDefinition? td, string iri) => td is null ? WellFormedIri(iri) : td.IriTerm ??= WellFormedIri(iri);

    // A node identifier as a term: a blank node (relabelled as node map generation does) or an absolute IRI.
    private RdfTerm? NodeTerm(string id) => Iri.IsBlank(id) ? BlankTerm(IssueBlank(id)) : WellFormedIri(id);
}
