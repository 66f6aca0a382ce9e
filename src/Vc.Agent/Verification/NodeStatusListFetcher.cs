using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.Credentials.StatusList;
using Vc.Credentials.Verification;

namespace Vc.Agent;

/// <summary>
/// Status list credentials for verification: this node's own lists are read from its store; others are
/// fetched through the guarded outbound fetcher (https, no private addresses, size, time and redirect caps, cache).
/// </summary>
public sealed class NodeStatusListFetcher(NodeUrls urls, Func<IssuerService> issuers, Vc.Did.Net.OutboundFetcher outbound) : IStatusListCredentialFetcher
{

    public async ValueTask<JsonObject> FetchAsync(string url, CancellationToken cancellationToken = default)
    {
        if (urls.LocalStatusListId(url) is { } listId)
            return await issuers().StatusListCredentialAsync(listId, cancellationToken)
                ?? throw new CredentialException(ProblemCode.StatusRetrievalError, $"status list {url} does not exist on this node");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "https" && uri.Scheme != "http"))
            throw new CredentialException(ProblemCode.StatusRetrievalError, $"status list URL {url} is not http(s)");
        try
        {
            var body = await outbound.GetAsync(uri, "application/vc+ld+json, application/vc, application/ld+json;q=0.9, application/json;q=0.8", cancellationToken);
            if (Vc.JsonLd.IJson.Violation(body) is { } notIJson)
                throw new JsonException("not I-JSON: " + notIJson);
            return JsonNode.Parse(body) as JsonObject
                ?? throw new CredentialException(ProblemCode.StatusRetrievalError, $"status list {url} is not a JSON object");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or Vc.Did.Net.OutboundRefusedException
                                   || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // A refusal at connect time arrives wrapped by the HTTP stack: its own reason is the useful one.
            var reason = e.InnerException is Vc.Did.Net.OutboundRefusedException refused ? refused.Message : e.Message;
            throw new CredentialException(ProblemCode.StatusRetrievalError, $"status list {url} could not be retrieved: {reason}", e);
        }
    }
}
