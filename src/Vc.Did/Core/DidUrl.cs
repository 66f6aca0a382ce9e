using System.Diagnostics.CodeAnalysis;

namespace Vc.Did.Core;

/// <summary>
/// A DID URL (DID Core §3.2): <c>did:method:method-specific-id[/path][?query][#fragment]</c>, split into its parts.
/// The DID itself is checked against the DID Core §3.1 syntax; the path, query and fragment are kept as written.
/// </summary>
/// <param name="Did">The DID: did:&lt;method&gt;:&lt;method-specific-id&gt;.</param>
/// <param name="Method">The method name (lower-case letters and digits).</param>
/// <param name="MethodSpecificId">What follows "did:&lt;method&gt;:".</param>
/// <param name="Path">"" or a path starting with '/'.</param>
/// <param name="Query">The query without '?', or null when there is none.</param>
/// <param name="Fragment">The fragment without '#', or null when there is none.</param>
public sealed record DidUrl(string Did, string Method, string MethodSpecificId, string Path, string? Query, string? Fragment)
{
    /// <summary>Longest DID URL read: identifiers here are a few hundred characters at most.</summary>
    public const int MaxLength = 4096;

    /// <summary>Splits a DID URL; false (with the reason) when the text is not one.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out DidUrl? url, [NotNullWhen(false)] out string? error)
    {
        url = null;
        if (text.Length > MaxLength || !text.StartsWith("did:", StringComparison.Ordinal))
        {
            error = $"not a DID: {CompositeDidResolver.Truncate(text)}";
            return false;
        }
        var hash = text.IndexOf('#');
        var fragment = hash < 0 ? null : text[(hash + 1)..];
        var beforeFragment = hash < 0 ? text : text[..hash];
        var question = beforeFragment.IndexOf('?');
        var query = question < 0 ? null : beforeFragment[(question + 1)..];
        var beforeQuery = question < 0 ? beforeFragment : beforeFragment[..question];
        var slash = beforeQuery.IndexOf('/');
        var did = slash < 0 ? beforeQuery : beforeQuery[..slash];
        var path = slash < 0 ? "" : beforeQuery[slash..];

        // DID Core §3.1: method-name = 1*method-char (%x61-7A / DIGIT); method-specific-id = *( *idchar ":" ) 1*idchar.
        var colon = did.IndexOf(':', 4);
        var method = colon < 0 ? "" : did[4..colon];
        var id = colon < 0 ? "" : did[(colon + 1)..];
        if (method.Length == 0 || !method.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9'))
            error = $"the DID method name must be lower-case letters and digits: {CompositeDidResolver.Truncate(text)}";
        else if (id.Length == 0 || id[^1] == ':' || !IsMethodSpecificId(id))
            error = $"the method-specific id is not 1*idchar parts separated by ':': {CompositeDidResolver.Truncate(text)}";
        else
        {
            url = new DidUrl(did, method, id, path, query, fragment);
            error = null;
            return true;
        }
        return false;
    }

    // idchar = ALPHA / DIGIT / "." / "-" / "_" / pct-encoded
    private static bool IsMethodSpecificId(string id)
    {
        for (var i = 0; i < id.Length; i++)
        {
            var c = id[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or ':') continue;
            if (c == '%' && i + 2 < id.Length && char.IsAsciiHexDigit(id[i + 1]) && char.IsAsciiHexDigit(id[i + 2]))
            {
                i += 2;
                continue;
            }
            return false;
        }
        return true;
    }
}
