using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.Credentials.StatusList;
using Vc.Credentials.Verification;

namespace Vc.Agent;

/// <summary>
/// Status list credentials for verification: this node's own lists are read from its store; others are
/// fetched over HTTP(S) with a size cap and a timeout.
/// </summary>
public sealed class NodeStatusListFetcher(NodeUrls urls, Func<IssuerService> issuers, HttpClient http) : IStatusListCredentialFetcher
{
    public const int MaxBytes = 1024 * 1024;

    public async ValueTask<JsonObject> FetchAsync(string url, CancellationToken cancellationToken = default)
    {
        if (urls.LocalStatusListId(url) is { } listId)
            return await issuers().StatusListCredentialAsync(listId, cancellationToken)
                ?? throw new CredentialException(ProblemCode.StatusRetrievalError, $"status list {url} does not exist on this node");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "https" && uri.Scheme != "http"))
            throw new CredentialException(ProblemCode.StatusRetrievalError, $"status list URL {url} is not http(s)");
        try
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            if (response.Content.Headers.ContentLength > MaxBytes)
                throw new CredentialException(ProblemCode.StatusRetrievalError, $"status list {url} is larger than {MaxBytes} bytes");
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new MemoryStream();
            var chunk = new byte[16384];
            int n;
            while ((n = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + n > MaxBytes) throw new CredentialException(ProblemCode.StatusRetrievalError, $"status list {url} is larger than {MaxBytes} bytes");
                buffer.Write(chunk, 0, n);
            }
            if (Vc.JsonLd.IJson.HasLoneSurrogateEscape(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)))
                throw new JsonException("not I-JSON: a string holds a lone UTF-16 surrogate");
            return JsonNode.Parse(buffer.ToArray()) as JsonObject
                ?? throw new CredentialException(ProblemCode.StatusRetrievalError, $"status list {url} is not a JSON object");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            throw new CredentialException(ProblemCode.StatusRetrievalError, $"status list {url} could not be retrieved: {e.Message}", e);
        }
    }
}
