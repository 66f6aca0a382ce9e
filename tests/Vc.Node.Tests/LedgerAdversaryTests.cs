using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Vc.Agent;
using Vc.Did.Ledger;

namespace Vc.Node.Tests;

/// <summary>
/// A ledger that lies or stalls (issue #15, finding 2): between the node and a real Anvil sits a proxy that answers
/// malformed JSON, replies with the wrong ids, sends huge bodies or never answers; and a chain reorganisation undoes
/// a key rotation. Every verdict is typed and follows the ledger: never "verified" on what could not be read, never
/// a stale cache saying "verified" after the chain changed, never a 500.
/// </summary>
public sealed class LedgerAdversaryTests
{
    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    internal enum Lie { None, MalformedJson, WrongIds, HugeBody, Hang }

    /// <summary>An HTTP proxy to an Ethereum node that answers as told.</summary>
    private sealed class RpcProxy : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly HttpClient _upstream = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Uri _target;
        public volatile Lie Mode;
        public Uri Url { get; }

        public RpcProxy(Uri target)
        {
            _target = target;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                Url = new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/");
            }
            _listener.Prefixes.Add(Url.ToString());
            _listener.Start();
            _ = AcceptAsync();
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
                _ = AnswerAsync(context);
            }
        }

        private async Task AnswerAsync(HttpListenerContext context)
        {
            try
            {
                var request = await new StreamReader(context.Request.InputStream).ReadToEndAsync();
                var mode = Mode;
                if (mode == Lie.Hang) { await Task.Delay(Timeout.Infinite, _stop.Token); return; }
                context.Response.ContentType = "application/json";
                if (mode == Lie.HugeBody)
                {
                    // Chunked (no Content-Length to refuse up front): the reader has to stop at its cap by itself.
                    context.Response.SendChunked = true;
                    var chunk = Encoding.ASCII.GetBytes(new string('7', 1 << 20));
                    await context.Response.OutputStream.WriteAsync(Encoding.ASCII.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x"));
                    for (var i = 0; i < 40; i++) await context.Response.OutputStream.WriteAsync(chunk, _stop.Token);
                    context.Response.Close();
                    return;
                }
                using var forwarded = await _upstream.PostAsync(_target, new StringContent(request, Encoding.UTF8, "application/json"), _stop.Token);
                var reply = await forwarded.Content.ReadAsStringAsync();
                reply = mode switch
                {
                    Lie.MalformedJson => reply[..(reply.Length / 2)],
                    Lie.WrongIds => WithOtherIds(JsonNode.Parse(reply)!).ToJsonString(),
                    _ => reply,
                };
                var bytes = Encoding.UTF8.GetBytes(reply);
                await context.Response.OutputStream.WriteAsync(bytes, _stop.Token);
                context.Response.Close();
            }
            catch (Exception e) when (e is OperationCanceledException or HttpListenerException or IOException or ObjectDisposedException or HttpRequestException) { }
        }

        private static JsonNode WithOtherIds(JsonNode reply)
        {
            foreach (var item in reply is JsonArray a ? a.Select(x => x!).ToArray() : [reply])
                item["id"] = 4242;
            return reply;
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Close();
            _upstream.Dispose();
        }
    }

    [Fact]
    public async Task Malformed_wrong_id_huge_and_hanging_ledger_answers_give_typed_verdicts_and_refusals()
    {
        await using var anvil = await AnvilProcess.StartAsync(new AnvilOptions());
        using var proxy = new RpcProxy(anvil.RpcUrl);
        var node = new NodeFixture { RpcUrl = proxy.Url };
        await node.InitializeAsync();
        try
        {
            var vc = await LedgerFaultTests.IssueVcAsync(node, "lied-to");
            var verify = LedgerFaultTests.VerifyOf(node, vc);
            Assert.Equal(HttpStatusCode.OK, (await verify()).Item1);

            foreach (var lie in new[] { Lie.MalformedJson, Lie.WrongIds, Lie.HugeBody, Lie.Hang })
            {
                proxy.Mode = lie;
                var (status, answer) = await verify();
                try { LedgerFaultTests.AssertIndeterminate(status, answer); }
                catch (Exception e) { throw new Xunit.Sdk.XunitException($"{lie}: {answer.ToJsonString()}\n{e.Message}"); }
                await LedgerFaultTests.AssertLedgerUnavailableAsync(await LedgerFaultTests.TryIssueAsync(node, "lied-to"));
                Assert.Equal(HttpStatusCode.ServiceUnavailable, (await node.Anonymous.GetAsync("/ready")).StatusCode);
                // Resolution answers what it knows and says it is stale (or that it cannot answer): never a 500.
                using var resolve = await node.Anonymous.GetAsync("/1.0/identifiers/" + (string)vc["issuer"]!);
                var resolved = await resolve.Content.ReadAsStringAsync();
                Assert.True(resolve.StatusCode == HttpStatusCode.ServiceUnavailable
                    || resolve.StatusCode == HttpStatusCode.OK && resolved.Contains("\"stale\": true", StringComparison.Ordinal),
                    $"{lie}: resolution answered {(int)resolve.StatusCode} {resolved}");
            }

            // An honest ledger again: the same credential verifies and the issuer signs.
            proxy.Mode = Lie.None;
            Assert.Equal(HttpStatusCode.OK, (await verify()).Item1);
            Assert.Equal(HttpStatusCode.Created, (await LedgerFaultTests.TryIssueAsync(node, "lied-to")).StatusCode);
        }
        finally
        {
            proxy.Mode = Lie.None;
            await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_key_rotation_undone_by_a_reorg_changes_the_verdict_and_stops_issuance_with_the_lost_key()
    {
        var node = new NodeFixture();
        await node.InitializeAsync();
        try
        {
            var before = await LedgerFaultTests.IssueVcAsync(node, "reorged");
            using var rpc = new LedgerRpc(node.Services.GetRequiredService<NodeLedger>().Connection.RpcUrl);
            var forkPoint = (long)(await rpc.Client.CallAsync<HexBigInteger>(ChainReads.BlockNumber())).Value;
            var snapshot = await rpc.Client.CallAsync<string>(new RpcRequest(1, "evm_snapshot"));

            using var admin = node.With(node.AdminKey);
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/issuers/reorged/keys/rotate", Json(new JsonObject { ["overlapSeconds"] = 0 }))).StatusCode);
            var issued = await LedgerFaultTests.TryIssueAsync(node, "reorged");
            Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
            var rotated = (await issued.Content.ReadFromJsonAsync<JsonObject>())!["verifiableCredential"]!;
            Assert.Equal(HttpStatusCode.OK, (await LedgerFaultTests.VerifyOf(node, rotated)()).Item1);

            // The chain drops the rotation's blocks and grows a different branch past the old height (same numbers, other hashes).
            var height = (long)(await rpc.Client.CallAsync<HexBigInteger>(ChainReads.BlockNumber())).Value;
            Assert.True(height > forkPoint);
            Assert.True(await rpc.Client.CallAsync<bool>(new RpcRequest(1, "evm_revert", snapshot)));
            for (var i = forkPoint; i <= height; i++) await rpc.Client.CallAsync<string>(new RpcRequest(1, "evm_mine"));
            Assert.True((long)(await rpc.Client.CallAsync<HexBigInteger>(ChainReads.BlockNumber())).Value > height);

            // The rotated key is no longer the issuer's: its credential fails, the node stops signing with it.
            var (status, answer) = await LedgerFaultTests.VerifyOf(node, rotated)();
            Assert.True(status == HttpStatusCode.BadRequest, answer.ToJsonString());
            Assert.False((bool)answer["verified"]!);
            var conflict = await LedgerFaultTests.TryIssueAsync(node, "reorged");
            Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
            Assert.Contains("not an assertion method", await conflict.Content.ReadAsStringAsync());

            // What the surviving branch holds still verifies.
            Assert.Equal(HttpStatusCode.OK, (await LedgerFaultTests.VerifyOf(node, before)()).Item1);
        }
        finally
        {
            await node.DisposeAsync();
        }
    }
}
