using System.Diagnostics;
using System.Numerics;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.JsonRpc.Client;
using Vc.Did.Ethr;
using Vc.Did.Ledger;

/// <summary>
/// did:ethr at size (issue #16): a chain of BLOCKS blocks holding EVENTS DID events (spread over 100 DIDs), plus one DID
/// with CHANGES changes. Prints the event index's cold sync (time, RPC round trips) and the resolution of the busy DID
/// (indexed and walking the chain) with their RPC counts.
/// `dotnet run -c Release -- scale [BLOCKS] [EVENTS] [CHANGES] [anvil|hardhat]` (default 100000 10000 1000 hardhat).
/// </summary>
internal static class Scale
{
    public static async Task RunAsync(int blocks, int events, int changes, string chainName)
    {
        // Anvil's anvil_mine costs grow with the chain's height (1.7.1: ~1,000 empty blocks cost 3.4 s at height 0 and
        // 29 s at 4,000 on this machine), so 100,000 blocks do not fit a run; Hardhat Network mines empty blocks in
        // constant time (hardhat_mine), so the full size runs there. Same contract, same index, same RPC API.
        var kind = chainName == "hardhat" ? DevChainKind.Hardhat : DevChainKind.Anvil;
        await using IAsyncDisposable chain = kind == DevChainKind.Hardhat ? await HardhatProcess.StartAsync() : await AnvilProcess.StartAsync(new AnvilOptions());
        var url = chain is HardhatProcess h ? h.RpcUrl : ((AnvilProcess)chain).RpcUrl;
        var conn = await LedgerHost.ConnectDevAsync(url, null);
        var registry = conn.Contracts[ContractArtifact.DidRegistry];
        var network = new EthrNetwork("anvil", conn.ChainId, conn.RpcUrl, registry);
        using var rpc = new LedgerRpc(conn.RpcUrl, TimeSpan.FromMinutes(10));
        var fill = Stopwatch.StartNew();

        // The busy DID's changes and the other events, each a setAttribute (did/svc/…) sent by the identity itself
        // (ERC-1056 direct: its account nonce orders its writes, so they are signed locally and sent in JSON-RPC
        // batches; the chain mines each on arrival). Empty blocks mined between batches (anvil_mine) spread the
        // events over the chain.
        var busy = EthrIdentity.Create();
        var identities = Enumerable.Range(0, 100).Select(_ => EthrIdentity.Create()).ToArray();
        var setAttribute = conn.Web3.Eth.GetContract(ContractArtifact.Load(ContractArtifact.DidRegistry).Abi, registry).GetFunction("setAttribute");
        var senders = new Dictionary<EthrIdentity, (Nethereum.Web3.Web3 Web3, long Nonce)>();
        foreach (var id in identities.Append(busy))
        {
            await rpc.Client.CallAsync<object>(new RpcRequest(1, kind.Method("setBalance"), id.Address, "0x3635c9adc5dea00000")); // 1,000 ether
            var web3 = new Nethereum.Web3.Web3(new Nethereum.Web3.Accounts.Account(id.ExportPrivateKey(), conn.ChainId), rpc.Client);
            web3.TransactionManager.UseLegacyAsDefault = true;
            senders[id] = (web3, 0);
        }
        var total = changes + events;
        // Round r sends each sender's r-th write: no two writes of one sender in a batch, so the node may take a
        // batch's transactions in any order (Hardhat cannot queue a nonce gap while automining).
        var queues = identities.Append(busy).ToDictionary(id => id, _ => new Queue<int>());
        for (var i = 0; i < total; i++) queues[i < changes ? busy : identities[i % identities.Length]].Enqueue(i);
        var rounds = queues.Values.Max(q => q.Count);
        var gap = Math.Max(0, (blocks - total - (int)await conn.BlockNumberAsync()) / Math.Max(1, rounds));
        var hashes = new List<string>(total);
        for (var round = 0; round < rounds; round++)
        {
            var raw = new List<RpcRequest>();
            foreach (var (id, queue) in queues)
            {
                if (!queue.TryDequeue(out var i)) continue;
                var (web3, nonce) = senders[id];
                var name = new byte[32];
                System.Text.Encoding.ASCII.GetBytes("did/svc/S" + i).CopyTo(name, 0);
                var data = setAttribute.GetData(id.Address, name, System.Text.Encoding.UTF8.GetBytes("https://s" + i + ".example"), new BigInteger(31_536_000));
                var signed = await web3.TransactionManager.SignTransactionAsync(new TransactionInput
                {
                    From = id.Address, To = registry, Data = data, Value = new HexBigInteger(0),
                    Gas = new HexBigInteger(200_000), GasPrice = new HexBigInteger(100_000_000_000), Nonce = new HexBigInteger(nonce),
                });
                senders[id] = (web3, nonce + 1);
                raw.Add(new RpcRequest(1, "eth_sendRawTransaction", signed.StartsWith("0x", StringComparison.Ordinal) ? signed : "0x" + signed));
            }
            hashes.AddRange(await rpc.Client.BatchAsync<string>(raw));
            if (gap > 0) await rpc.Client.CallAsync<object>(new RpcRequest(1, kind.Method("mine"), "0x" + gap.ToString("x")));
        }
        const int batchSize = 250;
        // Every write must have succeeded: the receipts, a batch per 250.
        foreach (var chunk in hashes.Chunk(batchSize))
        {
            var receipts = await rpc.Client.BatchAsync<TransactionReceipt?>(chunk.Select(h => new RpcRequest(1, "eth_getTransactionReceipt", h)).ToList());
            if (receipts.Any(r => r?.Status?.Value != BigInteger.One)) throw new InvalidOperationException("a DID event transaction is missing or reverted");
        }
        var missing = blocks - (int)await conn.BlockNumberAsync();
        if (missing > 0) await rpc.Client.CallAsync<object>(new RpcRequest(1, kind.Method("mine"), "0x" + missing.ToString("x")));
        var head = await conn.BlockNumberAsync();
        Console.WriteLine($"did:ethr at size on {kind.Name}: {head:N0} blocks, {total:N0} DID events ({changes:N0} on one DID, {events:N0} over 100 DIDs); chain filled in {fill.Elapsed.TotalSeconds:0.0} s");

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
