namespace Vc.JsonLd;

/// <summary>IRI helpers: RFC 3986 reference resolution (§5.2, no normalization) and form checks.</summary>
internal static class Iri
{
    /// <summary>True when <paramref name="s"/> starts with a scheme ("abc:").</summary>
    public static bool IsAbsolute(string s)
    {
        if (s.Length == 0 || !char.IsAsciiLetter(s[0])) return false;
        for (int i = 1; i < s.Length; i++)
        {
            char c = s[i];
            if (c == ':') return true;
            if (!(char.IsAsciiLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) return false;
        }
        return false;
    }

    /// <summary>An absolute IRI without characters that cannot appear in an N-Quads IRIREF.</summary>
    public static bool IsWellFormed(string s)
    {
        if (!IsAbsolute(s)) return false;
        int hashes = 0;
        foreach (char c in s)
        {
            if (c == '#' && ++hashes > 1) return false;
            if (c <= 0x20 || c == '<' || c == '>' || c == '"' || c == '{' || c == '}' || c == '|' || c == '\\' || c == '^' || c == '`')
                return false;
        }
        return true;
    }

    public static bool IsBlank(string s) => s.Length >= 2 && s[0] == '_' && s[1] == ':';

    /// <summary>Resolves <paramref name="reference"/> against <paramref name="baseIri"/> (RFC 3986 §5.2).
    /// A null base leaves the reference as it is.</summary>
    public static string Resolve(string? baseIri, string reference)
    {
        if (baseIri is null) return reference;
        if (IsAbsolute(reference))
        {
            // scheme present: only remove dot segments
            Split(reference, out var rs, out var ra, out var rp, out var rq, out var rf);
            return Recompose(rs, ra, RemoveDots(rp), rq, rf);
        }
        Split(baseIri, out var bs, out var ba, out var bp, out var bq, out _);
        Split(reference, out _, out var ra2, out var rp2, out var rq2, out var rf2);
        string? tA, tP, tQ;
        if (ra2 is not null)
        {
            tA = ra2; tP = RemoveDots(rp2); tQ = rq2;
        }
        else
        {
            if (rp2.Length == 0)
            {
                tP = bp;
                tQ = rq2 ?? bq;
            }
            else
            {
                if (rp2[0] == '/') tP = RemoveDots(rp2);
                else tP = RemoveDots(Merge(ba, bp, rp2));
                tQ = rq2;
            }
            tA = ba;
        }
        return Recompose(bs, tA, tP, tQ, rf2);
    }

    private static string Merge(string? baseAuthority, string basePath, string refPath)
    {
        if (baseAuthority is not null && basePath.Length == 0) return "/" + refPath;
        int i = basePath.LastIndexOf('/');
        return i < 0 ? refPath : basePath.Substring(0, i + 1) + refPath;
    }

    private static void Split(string s, out string? scheme, out string? authority, out string path, out string? query, out string? fragment)
    {
        scheme = null; authority = null; query = null; fragment = null;
        int i = 0;
        if (IsAbsolute(s))
        {
            int c = s.IndexOf(':');
            scheme = s.Substring(0, c);
            i = c + 1;
        }
        int hash = s.IndexOf('#', i);
        string rest = hash >= 0 ? s.Substring(i, hash - i) : s.Substring(i);
        if (hash >= 0) fragment = s.Substring(hash + 1);
        int q = rest.IndexOf('?');
        if (q >= 0)
        {
            query = rest.Substring(q + 1);
            rest = rest.Substring(0, q);
        }
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            int slash = rest.IndexOf('/', 2);
            if (slash < 0) { authority = rest.Substring(2); path = ""; }
            else { authority = rest.Substring(2, slash - 2); path = rest.Substring(slash); }
        }
        else path = rest;
    }

    private static string Recompose(string? scheme, string? authority, string path, string? query, string? fragment)
    {
        var sb = new System.Text.StringBuilder();
        if (scheme is not null) sb.Append(scheme).Append(':');
        if (authority is not null) sb.Append("//").Append(authority);
        sb.Append(path);
        if (query is not null) sb.Append('?').Append(query);
        if (fragment is not null) sb.Append('#').Append(fragment);
        return sb.ToString();
    }

    private static string RemoveDots(string input)
    {
        if (input.IndexOf('.') < 0) return input;
        var output = new List<string>();
        var sb = new System.Text.StringBuilder();
        string s = input;
        while (s.Length > 0)
        {
            if (s.StartsWith("../", StringComparison.Ordinal)) s = s.Substring(3);
            else if (s.StartsWith("./", StringComparison.Ordinal)) s = s.Substring(2);
            else if (s.StartsWith("/./", StringComparison.Ordinal)) s = s.Substring(2);
            else if (s == "/.") s = "/";
            else if (s.StartsWith("/../", StringComparison.Ordinal))
            {
                s = s.Substring(3);
                if (output.Count > 0) output.RemoveAt(output.Count - 1);
            }
            else if (s == "/..")
            {
                s = "/";
                if (output.Count > 0) output.RemoveAt(output.Count - 1);
            }
            else if (s == "." || s == "..") s = "";
            else
            {
                int start = s[0] == '/' ? 1 : 0;
                int next = s.IndexOf('/', start);
                string seg = next < 0 ? s : s.Substring(0, next);
                output.Add(seg);
                s = next < 0 ? "" : s.Substring(next);
            }
        }
        foreach (var seg in output) sb.Append(seg);
        return sb.ToString();
    }
}
