using System.Text;

namespace Vc.JsonLd;

/// <summary>What an <see cref="RdfTerm"/> is.</summary>
public enum RdfTermKind : byte
{
    Iri,
    BlankNode,
    Literal,
    DefaultGraph,
}

/// <summary>An immutable RDF term: IRI, blank node (label without "_:"), literal, or the default graph.</summary>
public sealed class RdfTerm : IEquatable<RdfTerm>
{
    public const string XsdString = "http://www.w3.org/2001/XMLSchema#string";
    public const string RdfLangString = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

    /// <summary>The default graph (graph component of a triple in the default graph).</summary>
    public static readonly RdfTerm DefaultGraph = new(RdfTermKind.DefaultGraph, "", null, null);

    private RdfTerm(RdfTermKind kind, string value, string? datatype, string? language)
    {
        Kind = kind;
        Value = value;
        Datatype = datatype;
        Language = language;
    }

    public RdfTermKind Kind { get; }

    /// <summary>IRI, blank node label (without "_:"), or literal lexical form.</summary>
    public string Value { get; }

    /// <summary>Literal datatype IRI (xsd:string or rdf:langString by default); null for non-literals.</summary>
    public string? Datatype { get; }

    /// <summary>Literal language tag, or null.</summary>
    public string? Language { get; }

    public bool IsBlank => Kind == RdfTermKind.BlankNode;

    public static RdfTerm Iri(string iri) => new(RdfTermKind.Iri, iri, null, null);

    /// <summary>A blank node; <paramref name="label"/> is given without the "_:" prefix.</summary>
    public static RdfTerm Blank(string label) => new(RdfTermKind.BlankNode, label, null, null);

    public static RdfTerm Literal(string lexical, string? datatype = null, string? language = null) =>
        new(RdfTermKind.Literal, lexical,
            language is not null ? RdfLangString : datatype ?? XsdString, language);

    public bool Equals(RdfTerm? other) =>
        ReferenceEquals(this, other) || other is not null && Kind == other.Kind && string.Equals(Value, other.Value, StringComparison.Ordinal)
        && string.Equals(Datatype, other.Datatype, StringComparison.Ordinal)
        && string.Equals(Language, other.Language, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is RdfTerm t && Equals(t);

    private int _hash;

    public override int GetHashCode()
    {
        int h = _hash;
        if (h == 0)
        {
            h = HashCode.Combine(Kind, Value, Datatype, Language);
            if (h == 0) h = 1;
            _hash = h;
        }
        return h;
    }

    private byte[]? _iriUtf8;

    /// <summary>Writes the term in canonical N-Quads syntax as UTF-8. An IRI keeps its bytes: IRI terms are shared by
    /// the quads (and, for vocabulary IRIs, by the documents) that mention them.</summary>
    internal void WriteNQuads(Utf8Buffer buffer)
    {
        switch (Kind)
        {
            case RdfTermKind.Iri:
                if (_iriUtf8 is null)
                {
                    using var iri = new Utf8Buffer(Value.Length * 3 + 2);
                    iri.Append((byte)'<');
                    iri.Append(Value.AsSpan());
                    iri.Append((byte)'>');
                    _iriUtf8 = iri.Written.ToArray();
                }
                buffer.Append(_iriUtf8);
                break;
            case RdfTermKind.BlankNode:
                buffer.Append("_:"u8);
                buffer.Append(Value.AsSpan());
                break;
            case RdfTermKind.Literal:
                buffer.Append((byte)'"');
                NQuads.WriteEscaped(buffer, Value);
                buffer.Append((byte)'"');
                if (Language is not null)
                {
                    buffer.Append((byte)'@');
                    buffer.Append(Language.AsSpan());
                }
                else if (Datatype is not null && Datatype != XsdString)
                {
                    buffer.Append("^^<"u8);
                    buffer.Append(Datatype.AsSpan());
                    buffer.Append((byte)'>');
                }
                break;
        }
    }

    /// <summary>The term in canonical N-Quads syntax.</summary>
    public override string ToString()
    {
        using var buffer = new Utf8Buffer(256);
        WriteNQuads(buffer);
        return Encoding.UTF8.GetString(buffer.Written);
    }
}

/// <summary>An RDF quad; <see cref="Graph"/> is <see cref="RdfTerm.DefaultGraph"/> for triples in the default graph.</summary>
public sealed record RdfQuad(RdfTerm Subject, RdfTerm Predicate, RdfTerm Object, RdfTerm Graph)
{
    /// <summary>The quad as one canonical N-Quads line, with its trailing newline.</summary>
    public override string ToString() => NQuads.Serialize([this]);
}

/// <summary>Compares strings by Unicode code point (what RDFC-1.0 sorts by), not by UTF-16 code unit.</summary>
public sealed class CodePointComparer : IComparer<string>
{
    public static readonly CodePointComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        return CompareSpans(x.AsSpan(), y.AsSpan());
    }

    public static int CompareSpans(ReadOnlySpan<char> x, ReadOnlySpan<char> y)
    {
        int i = x.CommonPrefixLength(y);
        if (i == x.Length || i == y.Length) return x.Length - y.Length;
        return Fix(x[i]) - Fix(y[i]);
    }

    // Surrogates (D800–DFFF) encode code points above FFFF: they must sort after E000–FFFF.
    private static int Fix(char c) => c >= 0xE000 ? c - 0x800 : c >= 0xD800 ? c + 0x2000 : c;
}
