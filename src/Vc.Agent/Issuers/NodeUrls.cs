namespace Vc.Agent;

/// <summary>
/// The node's public base URL, used in the URLs it mints (status list credentials). Configured, or the
/// first listening address once the server has started (port 0 resolves only then).
/// </summary>
public sealed class NodeUrls(string? configured)
{
    private string? _base = configured?.TrimEnd('/');

    public string Base => _base ?? throw new InvalidOperationException("the node's public URL is not known before the server starts");

    /// <summary>Sets the base from the actual listening address unless one was configured.</summary>
    public void OnStarted(string listeningAddress) => _base ??= listeningAddress.TrimEnd('/');

    public string StatusList(string listId) => $"{Base}/status-lists/{Uri.EscapeDataString(listId)}";

    /// <summary>The list id when <paramref name="url"/> is one of this node's status list URLs.</summary>
    public string? LocalStatusListId(string url)
    {
        var prefix = Base + "/status-lists/";
        return url.StartsWith(prefix, StringComparison.Ordinal) ? Uri.UnescapeDataString(url[prefix.Length..]) : null;
    }
}
