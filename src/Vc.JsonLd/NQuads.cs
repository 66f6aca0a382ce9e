using System.Globalization;
using System.Text;

namespace Vc.JsonLd;

/// <summary>N-Quads parsing and canonical serialization (RDF 1.1 N-Quads, canonical form as in RDFC-1.0).</summary>
public static class NQuads
{
    /// <summary>Parses an N-Quads document. Throws <see cref="RdfcException"/> (InvalidNQuads) on bad input.</summary>
    public static List<RdfQuad> Parse(string text, int maxQuads = 1_000_000)
    {
        var quads = new List<RdfQuad>();
        var p = new Parser(text);
        while (p.NextStatement(out var q))
        {
            if (quads.Count >= maxQuads)
                throw new RdfcException(RdfcErrorCode.SizeLimitExceeded, $"more than {maxQuads} quads");
            quads.Add(q!);
        }
        return quads;
    }

    /// <summary>Serializes quads in canonical N-Quads form, in the given order, one line each.</summary>
    public static string Serialize(IEnumerable<RdfQuad> quads)
    {
        using var buffer = new Utf8Buffer();
        foreach (var q in quads) WriteQuad(buffer, q);
        return Encoding.UTF8.GetString(buffer.Written);
    }

    /// <summary>One quad as a canonical N-Quads line (with its newline), UTF-8.</summary>
    internal static void WriteQuad(Utf8Buffer buffer, RdfQuad q)
    {
        q.Subject.WriteNQuads(buffer);
        buffer.Append((byte)' ');
        q.Predicate.WriteNQuads(buffer);
        buffer.Append((byte)' ');
        q.Object.WriteNQuads(buffer);
        if (q.Graph.Kind != RdfTermKind.DefaultGraph)
        {
            buffer.Append((byte)' ');
            q.Graph.WriteNQuads(buffer);
        }
        buffer.Append(" .\n"u8);
    }

    /// <summary>Canonical literal escaping into UTF-8: \b \t \n \f \r \" \\ as ECHAR, other controls and DEL as
    /// \u00XX.</summary>
    internal static void WriteEscaped(Utf8Buffer buffer, string s)
    {
        int start = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7F) continue;
            buffer.Append(s.AsSpan(start, i - start));
            start = i + 1;
            switch (c)
            {
                case '\b': buffer.Append("\\b"u8); break;
                case '\t': buffer.Append("\\t"u8); break;
                case '\n': buffer.Append("\\n"u8); break;
                case '\f': buffer.Append("\\f"u8); break;
                case '\r': buffer.Append("\\r"u8); break;
                case '"': buffer.Append("\\\""u8); break;
                case '\\': buffer.Append("\\\\"u8); break;
                default:
                    buffer.Append("\\u00"u8);
                    buffer.Append((byte)"0123456789ABCDEF"[c >> 4]);
                    buffer.Append((byte)"0123456789ABCDEF"[c & 0xF]);
                    break;
            }
        }
        buffer.Append(s.AsSpan(start));
    }

    private sealed class Parser(string s)
    {
        private int _pos;
        private int _line = 1;

        private RdfcException Error(string what) =>
            new(RdfcErrorCode.InvalidNQuads, $"N-Quads line {_line}: {what}");

        private void SkipWs(bool allowNewline)
        {
            while (_pos < s.Length)
            {
                char c = s[_pos];
                if (c == ' ' || c == '\t') { _pos++; continue; }
                if (c == '#')
                {
                    while (_pos < s.Length && s[_pos] != '\n' && s[_pos] != '\r') _pos++;
                    continue;
                }
                if (allowNewline && (c == '\n' || c == '\r'))
                {
                    if (c == '\n') _line++;
                    _pos++;
                    continue;
                }
                break;
            }
        }

        public bool NextStatement(out RdfQuad? quad)
        {
            quad = null;
            SkipWs(true);
            if (_pos >= s.Length) return false;
            var subj = ReadTerm(allowLiteral: false);
            SkipWs(false);
            var pred = ReadTerm(allowLiteral: false);
            if (pred.Kind != RdfTermKind.Iri) throw Error("predicate must be an IRI");
            SkipWs(false);
            var obj = ReadTerm(allowLiteral: true);
            SkipWs(false);
            var graph = RdfTerm.DefaultGraph;
            if (_pos < s.Length && s[_pos] != '.')
            {
                graph = ReadTerm(allowLiteral: false);
                SkipWs(false);
            }
            if (_pos >= s.Length || s[_pos] != '.') throw Error("expected '.'");
            _pos++;
            SkipWs(false);
            if (_pos < s.Length && s[_pos] != '\n' && s[_pos] != '\r') throw Error("unexpected text after '.'");
            quad = new RdfQuad(subj, pred, obj, graph);
            return true;
        }

        private RdfTerm ReadTerm(bool allowLiteral)
        {
            if (_pos >= s.Length) throw Error("unexpected end of input");
            char c = s[_pos];
            if (c == '<') return RdfTerm.Iri(ReadIri());
            if (c == '_')
            {
                if (_pos + 1 >= s.Length || s[_pos + 1] != ':') throw Error("bad blank node");
                _pos += 2;
                int start = _pos;
                while (_pos < s.Length && !IsLabelEnd(s[_pos])) _pos++;
                // a label may not end with '.'
                while (_pos > start && s[_pos - 1] == '.') _pos--;
                if (_pos == start) throw Error("empty blank node label");
                return RdfTerm.Blank(s.Substring(start, _pos - start));
            }
            if (c == '"' && allowLiteral)
            {
                _pos++;
                var sb = new StringBuilder();
                while (true)
                {
                    if (_pos >= s.Length) throw Error("unterminated literal");
                    char d = s[_pos++];
                    if (d == '"') break;
                    if (d == '\n' || d == '\r') throw Error("newline in literal");
                    if (d == '\\') ReadEscape(sb, inIri: false);
                    else sb.Append(d);
                }
                string lex = sb.ToString();
                if (_pos < s.Length && s[_pos] == '@')
                {
                    _pos++;
                    int start = _pos;
                    while (_pos < s.Length && (char.IsAsciiLetterOrDigit(s[_pos]) || s[_pos] == '-')) _pos++;
                    var lang = s.Substring(start, _pos - start);
                    if (lang.Length == 0 || !char.IsAsciiLetter(lang[0])) throw Error("bad language tag");
                    return RdfTerm.Literal(lex, null, lang);
                }
                if (_pos + 1 < s.Length && s[_pos] == '^' && s[_pos + 1] == '^')
                {
                    _pos += 2;
                    if (_pos >= s.Length || s[_pos] != '<') throw Error("expected datatype IRI");
                    return RdfTerm.Literal(lex, ReadIri());
                }
                return RdfTerm.Literal(lex);
            }
            throw Error($"unexpected character '{c}'");
        }

        private static bool IsLabelEnd(char c) =>
            c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '<' || c == '"' || c == '#';

        private string ReadIri()
        {
            _pos++; // '<'
            var sb = new StringBuilder();
            while (true)
            {
                if (_pos >= s.Length) throw Error("unterminated IRI");
                char d = s[_pos++];
                if (d == '>') break;
                if (d == '\\') { ReadEscape(sb, inIri: true); continue; }
                if (d <= 0x20 || d == '<' || d == '"' || d == '{' || d == '}' || d == '|' || d == '^' || d == '`')
                    throw Error("invalid character in IRI");
                sb.Append(d);
            }
            return sb.ToString();
        }

        private void ReadEscape(StringBuilder sb, bool inIri)
        {
            if (_pos >= s.Length) throw Error("bad escape");
            char e = s[_pos++];
            switch (e)
            {
                case 'u': AppendCodePoint(sb, ReadHex(4)); return;
                case 'U': AppendCodePoint(sb, ReadHex(8)); return;
            }
            if (inIri) throw Error("only \\u and \\U escapes are allowed in IRIs");
            switch (e)
            {
                case 't': sb.Append('\t'); break;
                case 'b': sb.Append('\b'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 'f': sb.Append('\f'); break;
                case '"': sb.Append('"'); break;
                case '\'': sb.Append('\''); break;
                case '\\': sb.Append('\\'); break;
                default: throw Error($"bad escape \\{e}");
            }
        }

        private int ReadHex(int n)
        {
            if (_pos + n > s.Length) throw Error("bad \\u escape");
            if (!int.TryParse(s.AsSpan(_pos, n), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int v))
                throw Error("bad \\u escape");
            _pos += n;
            return v;
        }

        private void AppendCodePoint(StringBuilder sb, int cp)
        {
            if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) throw Error("escape is not a Unicode scalar value");
            if (cp < 0x10000) sb.Append((char)cp);
            else sb.Append(char.ConvertFromUtf32(cp));
        }
    }
}
