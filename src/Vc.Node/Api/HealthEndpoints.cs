using System.Text.Json.Nodes;
using Vc.Did.Ledger;
using Vc.Agent;
using Vc.Node.Hosting;

namespace Vc.Node.Api;

/// <summary>GET /health (ledger status: chain id, block, contracts) and GET /ready.</summary>
public static class HealthEndpoints
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(2);

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
        // Ready means able to give verdicts that need the ledger: false (503) while the ledger does not answer, bounded.
        app.MapGet("/ready", async (NodeLedger ledger) =>
        {
            var ask = ledger.Connection.BlockNumberAsync();
            try
            {
                await ask.WaitAsync(ReadyTimeout);
                return Results.Json(new { ready = true });
            }
            catch (Exception e) when (e is TimeoutException or LedgerException or HttpRequestException or Nethereum.JsonRpc.Client.RpcClientUnknownException)
            {
                _ = ask.ContinueWith(t => t.Exception, TaskScheduler.Default); // observed, whenever it ends
                return Results.Json(new { ready = false, reason = "the ledger does not answer: " + e.Message }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }).Answers<ReadyBody>(200).Answers<ReadyBody>(503);
    }

    /// <summary>
    /// A verifier node serving an offline pack has no ledger: /health names the pack (block, time, hash, signer) and
    /// /ready is 200 while the pack is within its --max-age, 503 once it is too old.
    /// </summary>
    public static void MapOffline(WebApplication app, VerifierPack pack)
    {
        app.MapGet("/health", () => Results.Json(new JsonObject { ["status"] = "offline-pack", ["pack"] = pack.Describe() }))
            .Public().Answers<HealthBody>(200);
        app.MapGet("/ready", (TimeProvider time) =>
        {
            try
            {
                pack.EnsureFresh(time);
                return Results.Json(new { ready = true });
            }
            catch (AgentException e) { return Results.Json(new { ready = false, reason = e.Message }, statusCode: StatusCodes.Status503ServiceUnavailable); }
        }).Answers<ReadyBody>(200).Answers<ReadyBody>(503);
    }
}
