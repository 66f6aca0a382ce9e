using System.Text.Json.Nodes;
using Vc.Did.Ledger;
using Vc.Agent;
using Vc.Node.Hosting;

namespace Vc.Node.Api;

/// <summary>GET /health (ledger status: chain id, block, contracts) and GET /ready.</summary>
public static class HealthEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/health", async (NodeLedger ledger, NodeOptions options) =>
        {
            try { return Results.Json(await NodeStatus.ReadAsync(ledger, options.Ledger)); }
            catch (Exception e) when (e is LedgerException or HttpRequestException or Nethereum.JsonRpc.Client.RpcClientUnknownException)
            {
                return Results.Json(new { status = "degraded", error = e.Message }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }).Public().Answers<HealthBody>(200).Answers<HealthBody>(503);
        app.MapGet("/ready", () => Results.Json(new { ready = true })).Answers<ReadyBody>(200);
    }
}
