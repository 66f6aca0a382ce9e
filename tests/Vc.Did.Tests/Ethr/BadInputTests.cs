using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Nethereum.JsonRpc.Client;
using Vc.Did.Core;
using Vc.Did.Ethr;
using Vc.Did.Key;
using Vc.Did.Ledger;
using Vc.Did.Tests.Ledger;

namespace Vc.Did.Tests.Ethr;

public sealed class DidParsingTests
{
    [Theory]
    [InlineData("")]
    [InlineData("did:ethr")]
    [InlineData("did:ethr:")]
    [InlineData("did:ethr:0x123")]
    [InlineData("did:ethr:anvil:0xZZ997970C51812dc3A010C7d01b50e0d17dc79C8")]
    [InlineData("did:ethr:anvil:0x70997970C51812dc3A010C7d01b50e0d17dc79c8")] // wrong EIP-55 checksum
    [InlineData("did:ethr:anvil:0x05337d2f7c029f46c952a8a2b286a81403327318113383635f376b6161eff433e7")] // not 02/03
    [InlineData("did:ethr:anvil:0x70997970C51812dc3A010C7d01b50e0d17dc79C8?versionId=abc")]
    [InlineData("did:ethr:anvil:0x70997970C51812dc3A010C7d01b50e0d17dc79C8?versionId=1&versionTime=2026-01-01T00:00:00Z")]
    [InlineData("did:ethr:an vil:0x70997970C51812dc3A010C7d01b50e0d17dc79C8")]
    public async Task Malformed_did_ethr_identifiers_give_invalidDid_without_touching_the_ledger(string did)
    {
        var network = new EthrNetwork("anvil", 31337, new Uri("http://127.0.0.1:9"), "0x5FbDB2315678afecb367f032d93F642f64180aa3");
        var result = await new EthrDidResolver(network, new RpcHistoryWalker(new ThrowingRpc(), network)).ResolveAsync(did);
        Assert.Null(result.DidDocument);
        Assert.Equal(DidResolutionErrors.InvalidDid, result.DidResolutionMetadata.Error);
    }

    [Fact]
    public async Task An_overlong_did_is_rejected_before_parsing()
    {
        var network = new EthrNetwork("anvil", 31337, new Uri("http://127.0.0.1:9"), "0x5FbDB2315678afecb367f032d93F642f64180aa3");
        var result = await new EthrDidResolver(network, new RpcHistoryWalker(new ThrowingRpc(), network))
            .ResolveAsync("did:ethr:" + new string('a', 100_000) + ":0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        Assert.Equal(DidResolutionErrors.InvalidDid, result.DidResolutionMetadata.Error);
    }

    [Theory]
    [InlineData("did:ethr:sepolia:0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "sepolia")]
    [InlineData("did:ethr:0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "mainnet")]
    [InlineData("did:ethr:0x1:0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "0x1")]
    public async Task Dids_on_unconfigured_networks_give_unknownNetwork(string did, string named)
    {
        var network = new EthrNetwork("anvil", 31337, new Uri("http://127.0.0.1:9"), "0x5FbDB2315678afecb367f032d93F642f64180aa3");
        var result = await new EthrDidResolver(network, new RpcHistoryWalker(new ThrowingRpc(), network)).ResolveAsync(did);
        Assert.Equal(DidResolutionErrors.UnknownNetwork, result.DidResolutionMetadata.Error);
        Assert.Contains(named, result.DidResolutionMetadata.Message);
    }

    [Fact]
    public void Parsing_reads_network_address_public_key_and_version_query()
    {
        var d = EthrDid.Parse("did:ethr:0x7a69:0x03337d2f7c029f46c952a8a2b286a81403327318113383635f376b6161eff433e7?versionTime=2026-11-26T11:53:45Z#controller");
        Assert.Equal(31337, d.HexChainId);
        Assert.Equal("0x7b3e3d5DC0CD7de41ec6d61eEB538074767c2263", d.Address);
        Assert.NotNull(d.PublicKey);
        Assert.Equal(DateTimeOffset.Parse("2026-11-26T11:53:45Z"), d.VersionTime);
        Assert.Equal("controller", d.Fragment);
        Assert.Equal("did:ethr:0x7a69:0x03337d2f7c029f46c952a8a2b286a81403327318113383635f376b6161eff433e7", d.Did);
    }

    [Fact]
    public async Task Did_key_resolves_to_one_multikey_and_rejects_unknown_codecs()
    {
        var composite = new CompositeDidResolver([new DidKeyResolver()]);
        var ok = await composite.ResolveAsync("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK");
        var vm = Assert.Single(ok.DidDocument!.VerificationMethod);
        Assert.Equal("Multikey", vm.Type);
        Assert.Equal("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", vm.Id);
        Assert.Equal(vm, ok.DidDocument.Authorized(VerificationRelationship.AssertionMethod, "#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"));
        Assert.Equal(DidResolutionErrors.InvalidDid, (await composite.ResolveAsync("did:key:zQ3sh")).DidResolutionMetadata.Error);
        Assert.Equal(DidResolutionErrors.MethodNotSupported, (await composite.ResolveAsync("did:web:example.com")).DidResolutionMetadata.Error);
        Assert.Equal(DidResolutionErrors.InvalidDid, (await composite.ResolveAsync("not-a-did")).DidResolutionMetadata.Error);
    }

    [Fact]
    public void Json_numbers_and_strings_are_written_as_JSON_stringify_does()
    {
        Assert.Equal("1.5e-7", DidJson.FormatNumber(1.5e-7));
        Assert.Equal("1e+21", DidJson.FormatNumber(1e21));
        Assert.Equal("123456789012345680000", DidJson.FormatNumber(123456789012345678901d));
        Assert.Equal("0.000001", DidJson.FormatNumber(1e-6));
        Assert.Equal("-2.5", DidJson.FormatNumber(-2.5));
        var doc = new DidDocument("did:x:\u0001\"\\é😀");
        Assert.Contains("\"id\": \"did:x:\\u0001\\\"\\\\é😀\"", doc.ToJson());
    }

    /// <summary>Fails every call: bad input must be refused before the ledger is asked anything.</summary>
    private sealed class ThrowingRpc : Nethereum.JsonRpc.Client.ClientBase
    {
        protected override Task<Nethereum.JsonRpc.Client.RpcMessages.RpcResponseMessage[]> SendAsync(Nethereum.JsonRpc.Client.RpcMessages.RpcRequestMessage[] requests) =>
            throw new InvalidOperationException("no RPC expected for bad input");
        public override Task<Nethereum.JsonRpc.Client.RpcMessages.RpcResponseMessage> SendAsync(Nethereum.JsonRpc.Client.RpcMessages.RpcRequestMessage request, string? route = null) =>
            throw new InvalidOperationException("no RPC expected for bad input");
    }
}

/// <summary>Bad input against a live chain: invalid names, oversized values, reverted writes, broken RPC nodes, reorgs.</summary>
[Collection(LedgerCollection.Name)]
public sealed class LedgerBadInputTests(LedgerFixture ledger)
{
    private EthrNetwork Network => new("anvil", ledger.Connection.ChainId, ledger.Connection.RpcUrl, ledger.Connection.Contracts[ContractArtifact.DidRegistry]);
    private EthrDidWriter Writer => new(ledger.Connection.Web3, ledger.Connection.RelayerAddress, Network.RegistryAddress, ledger.Connection.ChainId);

    [Fact]
    public async Task A_write_by_someone_other_than_the_owner_reverts_with_a_typed_error_and_changes_nothing()
    {
        var owner = EthrIdentity.Create();
        var stranger = EthrIdentity.Create();
        var e = await Assert.ThrowsAsync<DidWriteException>(() => Writer.AddServiceAsync(stranger, owner.Address, "X", "https://x", TimeSpan.FromHours(1)));
        Assert.Equal(DidWriteError.Reverted, e.Error);
        Assert.Contains("bad_signature", e.Message);
        using var http = new LedgerRpc(Network.RpcUrl);
        Assert.Empty((await new RpcHistoryWalker(http.Client, Network).HistoryAsync(owner.Address)).Events);
    }

    [Fact]
    public async Task A_write_to_a_node_that_is_not_there_fails_as_unreachable()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var web3 = new Nethereum.Web3.Web3(new Nethereum.Web3.Accounts.Account(Nethereum.Signer.EthECKey.GenerateKey(), 31337), $"http://127.0.0.1:{port}");
        var writer = new EthrDidWriter(web3, web3.TransactionManager.Account.Address, Network.RegistryAddress, 31337);
        var owner = EthrIdentity.Create();
        var e = await Assert.ThrowsAsync<DidWriteException>(() => writer.AddServiceAsync(owner, owner.Address, "X", "https://x", TimeSpan.FromHours(1)));
        Assert.Equal(DidWriteError.Unreachable, e.Error);
        Assert.DoesNotContain(owner.ExportPrivateKey()[2..], e.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task After_deactivation_every_write_reverts()
    {
        var owner = EthrIdentity.Create();
        await Writer.DeactivateAsync(owner, owner.Address);
        var e = await Assert.ThrowsAsync<DidWriteException>(() => Writer.AddServiceAsync(owner, owner.Address, "X", "https://x", TimeSpan.FromHours(1)));
        Assert.Equal(DidWriteError.Reverted, e.Error);
    }

    [Fact]
    public async Task Oversized_values_and_invalid_names_are_refused_before_anything_is_sent()
    {
        var owner = EthrIdentity.Create();
        var big = await Assert.ThrowsAsync<DidWriteException>(() => Writer.SetAttributeAsync(owner, owner.Address, "did/svc/Big", new byte[EthrDidWriter.MaxValueBytes + 1], TimeSpan.FromHours(1)));
        Assert.Equal(DidWriteError.ValueTooLarge, big.Error);
        var longName = await Assert.ThrowsAsync<DidWriteException>(() => Writer.SetAttributeAsync(owner, owner.Address, "did/svc/" + new string('x', 40), [1], TimeSpan.FromHours(1)));
        Assert.Equal(DidWriteError.InvalidInput, longName.Error);
        var loneSurrogate = await Assert.ThrowsAsync<DidWriteException>(() => Writer.SetAttributeAsync(owner, owner.Address, "did/svc/\ud800", [1], TimeSpan.FromHours(1)));
        Assert.Equal(DidWriteError.InvalidInput, loneSurrogate.Error);
    }

    [Fact]
    public async Task Events_with_invalid_UTF8_names_are_skipped_but_the_history_chain_is_still_followed()
    {
        var owner = EthrIdentity.Create();
        await Writer.AddServiceAsync(owner, owner.Address, "First", "https://first", TimeSpan.FromHours(1));
        // A registry write whose bytes32 name is not UTF-8 (0xff…): not a DID event.
        var fn = ledger.Connection.Web3.Eth.GetContract(ContractArtifact.Load(ContractArtifact.DidRegistry).Abi, Network.RegistryAddress).GetFunction("setAttributeSigned");
        var badName = Enumerable.Repeat((byte)0xff, 32).ToArray();
        var nonce = await Writer.NonceAsync(owner.Address);
        byte[] packed = [0x19, 0x00, .. Convert.FromHexString(Network.RegistryAddress[2..]), .. Word(nonce), .. Convert.FromHexString(owner.Address[2..]),
            .. "setAttribute"u8.ToArray(), .. badName, 1, .. Word(3600)];
        var (v, r, s) = owner.SignHash(Vc.Did.Encoding.Codec.Keccak256(packed));
        object[] args = [owner.Address, v, r, s, badName, new byte[] { 1 }, new System.Numerics.BigInteger(3600)];
        var gas = await fn.EstimateGasAsync(ledger.Connection.RelayerAddress, null, null, args);
        var receipt = await fn.SendTransactionAndWaitForReceiptAsync(ledger.Connection.RelayerAddress, new Nethereum.Hex.HexTypes.HexBigInteger(gas.Value * 2), null, null, args);
        Assert.Equal(1, (int)receipt.Status.Value);
        await Writer.AddServiceAsync(owner, owner.Address, "Second", "https://second", TimeSpan.FromHours(1));

        using var http = new LedgerRpc(Network.RpcUrl);
        var result = await new EthrDidResolver(Network, new RpcHistoryWalker(http.Client, Network)).ResolveAsync(owner.Did("anvil"));
        Assert.Equal(["First", "Second"], result.DidDocument!.Service.Select(x => x.Type));
        Assert.Equal(["#service-1", "#service-2"], result.DidDocument.Service.Select(x => x.Id[x.Id.IndexOf('#')..]));
    }

    private static byte[] Word(System.Numerics.BigInteger x)
    {
        var b = x.ToByteArray(true, true);
        var w = new byte[32];
        b.CopyTo(w, 32 - b.Length);
        return w;
    }

    [Fact]
    public async Task An_attribute_value_above_the_resolver_limit_fails_resolution_with_a_typed_error()
    {
        var owner = EthrIdentity.Create();
        await Writer.SetAttributeAsync(owner, owner.Address, "did/svc/Big", new byte[2048], TimeSpan.FromHours(1));
        using var http = new LedgerRpc(Network.RpcUrl);
        var result = await new EthrDidResolver(Network, new RpcHistoryWalker(http.Client, Network, maxValueBytes: 1024)).ResolveAsync(owner.Did("anvil"));
        Assert.Null(result.DidDocument);
        Assert.Equal(DidResolutionErrors.NotFound, result.DidResolutionMetadata.Error);
        Assert.Contains("exceeds the limit of 1024", result.DidResolutionMetadata.Message);

        // The index stores it, refuses only that identity, and keeps serving everyone else.
        await using var index = await EthrEventIndex.OpenAsync(":memory:", http.Client, Network, new EthrIndexOptions { MaxValueBytes = 1024 });
        var indexed = new EthrDidResolver(Network, index);
        Assert.Contains("exceeds the limit of 1024", (await indexed.ResolveAsync(owner.Did("anvil"))).DidResolutionMetadata.Message);
        var other = EthrIdentity.Create();
        await Writer.AddServiceAsync(other, other.Address, "Hub", "https://hub", TimeSpan.FromHours(1));
        Assert.Single((await indexed.ResolveAsync(other.Did("anvil"))).DidDocument!.Service);
    }

    [Fact]
    public async Task An_rpc_node_that_never_answers_gives_a_timeout_result()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var url = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}");
        var network = Network with { RpcUrl = url };
        using var http = new LedgerRpc(url, TimeSpan.FromMilliseconds(500));
        var result = await new EthrDidResolver(network, new RpcHistoryWalker(http.Client, network)).ResolveAsync(EthrIdentity.Create().Did("anvil"));
        Assert.Equal(DidResolutionErrors.NotFound, result.DidResolutionMetadata.Error);
        Assert.Contains("Timeout", result.DidResolutionMetadata.Message);
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0xnothex\"}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":999,\"result\":\"0x00\"}")]
    [InlineData("[1,2,3]")]
    public async Task An_rpc_node_answering_garbage_gives_a_typed_error(string body)
    {
        await using var garbage = await GarbageServer.StartAsync(body);
        var network = Network with { RpcUrl = garbage.Url };
        using var http = new LedgerRpc(garbage.Url, TimeSpan.FromSeconds(2));
        var result = await new EthrDidResolver(network, new RpcHistoryWalker(http.Client, network)).ResolveAsync(EthrIdentity.Create().Did("anvil"));
        Assert.Null(result.DidDocument);
        Assert.Equal(DidResolutionErrors.NotFound, result.DidResolutionMetadata.Error);
        Assert.Contains("MalformedResponse", result.DidResolutionMetadata.Message);
    }

    [Fact]
    public async Task When_the_node_turns_unreachable_the_index_answers_with_staleness_metadata_and_caches_nothing_wrong()
    {
        var owner = EthrIdentity.Create();
        await Writer.AddServiceAsync(owner, owner.Address, "Hub", "https://hub", TimeSpan.FromHours(1));
        using var good = new LedgerRpc(Network.RpcUrl);
        await using var garbage = await GarbageServer.StartAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[]}");
        using var bad = new LedgerRpc(garbage.Url, TimeSpan.FromSeconds(2));
        var rpc = new SwitchableRpc(good.Client);
        await using var index = await EthrEventIndex.OpenAsync(":memory:", rpc, Network);
        var resolver = new EthrDidResolver(Network, index);
        var fresh = await resolver.ResolveAsync(owner.Did("anvil"));
        Assert.Null(fresh.DidResolutionMetadata.IndexFreshness);
        var indexedTo = await index.IndexedToAsync();

        rpc.Inner = bad.Client;
        var stale = await resolver.ResolveAsync(owner.Did("anvil"));
        Assert.Equal(fresh.DidDocument!.ToJson(), stale.DidDocument!.ToJson());
        var f = Assert.IsType<IndexFreshness>(stale.DidResolutionMetadata.IndexFreshness);
        Assert.True(f.Stale);
        Assert.Equal(indexedTo, f.IndexedToBlock);
        Assert.Contains("MalformedResponse", f.Reason);
        Assert.Contains("\"indexFreshness\"", stale.ToJson());
        Assert.Equal(indexedTo, await index.IndexedToAsync());

        rpc.Inner = good.Client;
        await Writer.AddServiceAsync(owner, owner.Address, "Hub2", "https://hub2", TimeSpan.FromHours(1));
        var back = await resolver.ResolveAsync(owner.Did("anvil"));
        Assert.Null(back.DidResolutionMetadata.IndexFreshness);
        Assert.Equal(2, back.DidDocument!.Service.Count);
    }

    [Fact]
    public async Task An_index_that_never_synced_refuses_to_answer_while_the_node_is_unreachable()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var url = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}");
        using var http = new LedgerRpc(url, TimeSpan.FromMilliseconds(300));
        await using var index = await EthrEventIndex.OpenAsync(":memory:", http.Client, Network);
        var result = await new EthrDidResolver(Network, index).ResolveAsync(EthrIdentity.Create().Did("anvil"));
        Assert.Null(result.DidDocument);
        Assert.Contains("never synced", result.DidResolutionMetadata.Message);
    }

    [Fact]
    public async Task The_indexed_resolver_needs_one_round_trip_per_resolution_whatever_the_history_length()
    {
        var owner = EthrIdentity.Create();
        for (var i = 0; i < 12; i++)
            await Writer.AddServiceAsync(owner, owner.Address, "S" + i, "https://s" + i, TimeSpan.FromHours(1));
        using var counting = new LedgerRpc(Network.RpcUrl);
        await using var index = await EthrEventIndex.OpenAsync(":memory:", counting.Client, Network);
        var resolver = new EthrDidResolver(Network, index);
        await index.SyncAsync();
        counting.ResetRoundTrips();
        var result = await resolver.ResolveAsync(owner.Did("anvil"));
        Assert.Equal(12, result.DidDocument!.Service.Count);
        Assert.Equal(1, counting.RoundTrips);
        using var walking = new LedgerRpc(Network.RpcUrl);
        await new EthrDidResolver(Network, new RpcHistoryWalker(walking.Client, Network)).ResolveAsync(owner.Did("anvil"));
        Assert.True(walking.RoundTrips >= 13, $"walker used {walking.RoundTrips}");
    }

    /// <summary>A transport whose node can be swapped mid-test (a node that turns bad, then good again).</summary>
    private sealed class SwitchableRpc(IClient inner) : IClient
    {
        public IClient Inner { get; set; } = inner;
        public RequestInterceptor OverridingRequestInterceptor { get; set; } = null!;
        public Task<RpcRequestResponseBatch> SendBatchRequestAsync(RpcRequestResponseBatch batch) => Inner.SendBatchRequestAsync(batch);
        public Task<T> SendRequestAsync<T>(RpcRequest request, string? route = null) => Inner.SendRequestAsync<T>(request, route);
        public Task<T> SendRequestAsync<T>(string method, string? route = null, params object[] paramList) => Inner.SendRequestAsync<T>(method, route, paramList);
        public Task<Nethereum.JsonRpc.Client.RpcMessages.RpcResponseMessage> SendAsync(Nethereum.JsonRpc.Client.RpcMessages.RpcRequestMessage request, string? route = null) => Inner.SendAsync(request, route);
        public Task SendRequestAsync(RpcRequest request, string? route = null) => Inner.SendRequestAsync(request, route);
        public Task SendRequestAsync(string method, string? route = null, params object[] paramList) => Inner.SendRequestAsync(method, route, paramList);
        public T DecodeResult<T>(Nethereum.JsonRpc.Client.RpcMessages.RpcResponseMessage response) => Inner.DecodeResult<T>(response);
    }
}

/// <summary>A loopback HTTP server answering every request with the same body.</summary>
public sealed class GarbageServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    public Uri Url { get; }

    private GarbageServer(TcpListener listener, string body)
    {
        _listener = listener;
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(_stop.Token); } catch (OperationCanceledException) { return; } catch (SocketException) { return; }
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        var stream = client.GetStream();
                        var buffer = new byte[65536];
                        var read = 0;
                        // Read headers and the Content-Length body, then answer.
                        while (true)
                        {
                            var n = await stream.ReadAsync(buffer.AsMemory(read));
                            if (n == 0) return;
                            read += n;
                            var text = System.Text.Encoding.ASCII.GetString(buffer, 0, read);
                            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                            if (end < 0) continue;
                            var m = System.Text.RegularExpressions.Regex.Match(text, "Content-Length: (\\d+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
                            if (!m.Success || read - end - 4 >= int.Parse(m.Groups[1].Value)) break;
                        }
                        var payload = System.Text.Encoding.UTF8.GetBytes(body);
                        var head = System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n\r\n");
                        await stream.WriteAsync(head);
                        await stream.WriteAsync(payload);
                    }
                });
            }
        });
    }

    public static Task<GarbageServer> StartAsync(string body)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return Task.FromResult(new GarbageServer(listener, body));
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _loop; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
