using Vc.Agent;
using Vc.Agent.Storage;
using Vc.Interop.Revocation;

namespace Vc.Node.Api;

/// <summary>
/// EU DCC revocation: GET /hcert/revocation (public) publishes the revocations of the HCERTs this node bridged (their
/// credentials revoked or suspended) in the DCC gateway's batch format; POST /hcert/revocation (scope revoke) imports
/// a revocation file (gateway batches, or a partitioned hash-list / Bloom-filter list) into the node's trust store.
/// /hcert/verify checks both.
/// </summary>
public static class RevocationEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/hcert/revocation", async (VcAgent agent) =>
            Results.Json(await agent.Bridge.Revocations.ExportAsync()))
            .Public().Answers<RevocationBatchesBody>(200);

        app.MapPost("/hcert/revocation", async (HttpRequest request, VcAgent agent) =>
        {
            var (body, problem) = await JsonBody.ReadDocumentAsync(request);
            if (problem is not null) return problem;
            using (body)
            {
                var content = System.Text.Encoding.UTF8.GetBytes(body!.RootElement.GetRawText());
                try
                {
                    var imported = await agent.Bridge.Revocations.ImportAsync(content, "http:" + request.HttpContext.TraceIdentifier);
                    return Results.Json(imported.ToJson(), statusCode: StatusCodes.Status201Created);
                }
                catch (DccRevocationException e) { return Problems.BadRequest("revocation-invalid", e.Message); }
            }
        }).RequireScope(ApiScope.Revoke).Reads<RevocationBatchesBody>().Answers<RevocationImportBody>(201).Fails(401, 403);
    }
}
