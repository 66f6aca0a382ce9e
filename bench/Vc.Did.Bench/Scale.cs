using System.Diagnostics;
using Nethereum.JsonRpc.Client;
using Vc.Did.Ethr;
using Vc.Did.Ledger;

/// <summary>
/// did:ethr at size (issue #16): a chain of BLOCKS blocks holding EVENTS DID events (spread over 100 DIDs), plus one DID
/// with CHANGES changes. Prints the event index's cold sync (time, RPC round trips) and the resolution of the busy DID
/// (indexed and walking the chain) with their RPC counts. `dotnet run -c Release -- scale [BLOCKS] [EVENTS] [CHANGES]`.
/// </summary>
internal static class Scale
{
    public static async Task RunAsync(int blocks, int events, int changes)
    {
        await using var host = await LedgerHost.StartAsync();
        var conn = host.Connection;
        var registry = conn.Contracts[ContractArtifact.DidRegistry];
        var network = new EthrNetwork("anvil", conn.ChainId, conn.RpcUrl, registry);
        var writer = new EthrDidWriter(conn.Web3, conn.RelayerAddress, registry, conn.ChainId);
        using var rpc = new LedgerRpc(conn.RpcUrl);
        var fill = Stopwatch.StartNew();

        // The busy DID's changes, then the other events; empty blocks mined between batches spread them over the chain.
        var busy = EthrIdentity.Create();
        var identities = Enumerable.Range(0, 100).Select(_ => EthrIdentity.Create()).ToArray();
        var total = changes + events;
        var gapEvery = Math.Max(1, total / 100);
        var gap = Math.Max(0, (blocks - total) / 100);
        for (var i = 0; i < total; i++)
        {
            var id = i < changes ? busy : identities[i % identities.Length];
            await writer.AddServiceAsync(id, id.Address, "S" + i, "https://s" + i + ".example", TimeSpan.FromDays(365), WriteMode.SignedErc1056);
            if (i % gapEvery == gapEvery - 1 && gap > 0)
                await rpc.Client.CallAsync<object>(new RpcRequest(1, "anvil_mine", "0x" + gap.ToString("x")));
        }
        var head = await conn.BlockNumberAsync();
        Console.WriteLine($"did:ethr at size on Anvil: {head:N0} blocks, {total:N0} DID events ({changes:N0} on one DID, {events:N0} over 100 DIDs); chain filled in {fill.Elapsed.TotalSeconds:0.0} s");

        using var indexRpc = new LedgerRpc(conn.RpcUrl);
        await using var index = await EthrEventIndex.OpenAsync(":memory:", indexRpc.Client, network);
        var sync = Stopwatch.StartNew();
        await index.SyncAsync();
        Console.WriteLine($"{"event index cold sync",-40} | {sync.Elapsed.TotalSeconds,8:0.00} s | {indexRpc.RoundTrips,8:N0} RPC round trips");

        var did = busy.Did("anvil");
        foreach (var (name, resolver, counter) in new[]
        {
            ("resolve busy DID, indexed (warm index)", new EthrDidResolver(network, index), indexRpc),
            ("resolve busy DID, walking the chain", new EthrDidResolver(network, new RpcHistoryWalker(rpc.Client, network)), rpc),
        })
        {
            var first = await resolver.ResolveAsync(did);
            if (!first.IsSuccess || first.DidDocument!.Service.Count != changes)
                throw new InvalidOperationException($"{name}: expected {changes} services, got {first.DidDocument?.Service.Count}");
            counter.ResetRoundTrips();
            var sw = Stopwatch.StartNew();
            const int runs = 5;
            for (var r = 0; r < runs; r++) await resolver.ResolveAsync(did);
            Console.WriteLine($"{name,-40} | {sw.Elapsed.TotalMilliseconds / runs,8:0.0} ms | {(double)counter.RoundTrips / runs,8:0.#} RPC round trips");
        }
    }
}
