using System.Text.Json.Nodes;
using Vc.Did.Core;
using Vc.Node.Hosting;
using Vc.Agent;
using Vc.Agent.Storage;

namespace Vc.Node.Api;

/// <summary>
/// DID resolution in the Universal Resolver driver shape (GET /1.0/identifiers/{did}), and the
/// authenticated key rotation of this node's ledger issuers.
/// </summary>
public static class DidEndpoints
{
    public const string ResolutionContentType = "application/ld+json;profile=\"https://w3id.org/did-resolution\";charset=utf-8";

    private const long MaxOverlapSeconds = 3650L * 24 * 3600;

    public static void Map(WebApplication app)
    {
        app.MapGet("/1.0/identifiers/{*did}", async (string did, HttpContext http, VcAgent agent) =>
        {
            // The agent's resolver: did:key locally, did:ethr on this node's ledger, did:web over bounded HTTPS.
            var result = await agent.Credentials.Resolver.ResolveAsync(Uri.UnescapeDataString(did) + http.Request.QueryString.Value, null, http.RequestAborted);
            var status = result.DidResolutionMetadata.Error switch
            {
                null when result.DidDocumentMetadata.Deactivated => StatusCodes.Status410Gone,
                null => StatusCodes.Status200OK,
                DidResolutionErrors.NotFound => StatusCodes.Status404NotFound,
                DidResolutionErrors.MethodNotSupported => StatusCodes.Status501NotImplemented,
                // The ledger (or a did:web host) could not be asked: not the DID's fault, and never an answer.
                DidResolutionErrors.InternalError => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status400BadRequest,
            };
            return Results.Content(result.ToJson(), ResolutionContentType, System.Text.Encoding.UTF8, status);
        }).Public().Answers<DidResolutionBody>(200, DidEndpoints.ResolutionContentType).Answers<DidResolutionBody>(400, DidEndpoints.ResolutionContentType).Answers<DidResolutionBody>(404, DidEndpoints.ResolutionContentType).Answers<DidResolutionBody>(410, DidEndpoints.ResolutionContentType).Answers<DidResolutionBody>(501, DidEndpoints.ResolutionContentType).Answers<DidResolutionBody>(503, DidEndpoints.ResolutionContentType);

        // Rotate an issuer's signing key: {overlapSeconds?}. The old key ends after the overlap (default: now).
        app.MapPost("/issuers/{id}/keys/rotate", async (string id, HttpRequest request, IssuerService issuers) =>
        {
            var overlap = TimeSpan.Zero;
            if (request.ContentLength > 0)
            {
                var (body, problem) = await JsonBody.ReadObjectAsync(request);
                if (problem is not null) return problem;
                if (body!["overlapSeconds"] is { } given)
                {
                    // An overlap is at most the key's validity on the ledger (ten years); anything else is refused, not overflowed.
                    if (given is not JsonValue v || !v.TryGetValue(out long seconds) || seconds < 0 || seconds > MaxOverlapSeconds)
                        return Problems.BadRequest("malformed-request", $"overlapSeconds must be a whole number from 0 to {MaxOverlapSeconds}");
                    overlap = TimeSpan.FromSeconds(seconds);
                }
            }
            var (issuer, receipts) = await issuers.RotateKeyAsync(id, overlap, request.HttpContext.RequestAborted);
            var profile = VcApiEndpoints.Profile(issuer);
            profile["transactions"] = new JsonArray(receipts.Select(r => (JsonNode)r.TransactionHash).ToArray());
            return Results.Json(profile);
        }).RequireScope(ApiScope.ManageIssuers).Reads<RotateKeyBody>(optional: true).Answers<IssuerProfileBody>(200).Fails(401, 403, 404);
    }
}
