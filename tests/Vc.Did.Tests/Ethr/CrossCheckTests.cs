using System.Text.Json.Nodes;
using Vc.Did.Core;
using Vc.Did.Encoding;
using Vc.Did.Ethr;
using Vc.Did.Ledger;

namespace Vc.Did.Tests.Ethr;

/// <summary>
/// A chain whose clock runs ten minutes behind the wall clock. Both resolvers (ours and the npm reference) judge
/// expiry at wall-clock "now", so every near expiry and revocation written on it has lapsed by the time they
/// resolve: no waiting for the wall clock, and no race at a second's boundary.
/// </summary>
public sealed class LaggingLedgerFixture : IAsyncLifetime
{
    public static readonly TimeSpan Lag = TimeSpan.FromMinutes(10);
    private LedgerHost? _host;
    public LedgerConnection Connection => (_host ?? throw new InvalidOperationException("ledger not started")).Connection;

    public async Task InitializeAsync() =>
        _host = await LedgerHost.StartAsync(options: new AnvilOptions { GenesisTime = TimeProvider.System.GetUtcNow() - Lag });
    public async Task DisposeAsync() { if (_host is not null) await _host.DisposeAsync(); }
}

/// <summary>
/// Live cross-check on one Anvil chain: histories written by our writer and by ethers.js are resolved by our
/// resolvers (walker and index) and by npm ethr-did-resolver 11.1.3 (key encodings mapped to the current spec);
/// every DID and every historical version must agree. Also against the reference registry bytecode.
/// </summary>
public sealed class CrossCheckTests(LaggingLedgerFixture ledger) : IClassFixture<LaggingLedgerFixture>
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private static async Task<List<string>> OurDidsAsync(EthrDidWriter writer, string network, WriteMode mode, Uri rpc)
    {
        var dids = new List<string>();
        // C1: issuer with Ed25519 + P-256 assertion keys, a JSON service, then a rotation that revokes the old key;
        // the new key starts with a 0x00 byte (a leading '1' in base58, which must survive as a byte).
        var c1 = EthrIdentity.Create();
        var ed1 = KeyAttribute.Ed25519Assertion(RandomBytes(32));
        await writer.PublishKeyAsync(c1, c1.Address, ed1, Day, mode: mode);
        await writer.PublishKeyAsync(c1, c1.Address, KeyAttribute.P256Assertion(P256Compressed()), Day, mode: mode);
        await writer.AddServiceAsync(c1, c1.Address, "CredentialRegistry", """{"uri":"https://issuer.example","n":1.5e-7,"big":1e21}""", Day, mode: mode);
        await writer.RotateKeyAsync(c1, c1.Address, ed1, KeyAttribute.Ed25519Assertion(ZeroLeading(RandomBytes(32))), Day, mode: mode);
        dids.Add(c1.Did(network));
        // C2: delegates added and revoked, owner change, the new owner writes (typed signed writes) an X25519 key
        // starting with two 0x00 bytes.
        var c2 = EthrIdentity.Create();
        var c2b = EthrIdentity.Create();
        var d = EthrIdentity.Create().Address;
        await writer.AddDelegateAsync(c2, c2.Address, "veriKey", d, Day, mode: mode);
        await writer.AddDelegateAsync(c2, c2.Address, "sigAuth", EthrIdentity.Create().Address, Day, mode: mode);
        await writer.RevokeDelegateAsync(c2, c2.Address, "veriKey", d, mode);
        await writer.ChangeOwnerAsync(c2, c2.Address, c2b.Address, mode);
        await writer.PublishKeyAsync(c2b, c2.Address, KeyAttribute.X25519KeyAgreement(ZeroLeading(RandomBytes(32), zeros: 2)), Day, mode: mode);
        dids.Add(c2.Did(network));
        // C3: ERC-1056 signed writes, then deactivation.
        var c3 = EthrIdentity.Create();
        await writer.SetAttributeAsync(c3, c3.Address, "did/pub/Secp256k1/veriKey/hex", EthrIdentity.Create().PublicKey, Day, WriteMode.SignedErc1056);
        await writer.AddServiceAsync(c3, c3.Address, "Hub", "https://c3.example", Day, WriteMode.SignedErc1056);
        await writer.DeactivateAsync(c3, c3.Address, WriteMode.SignedErc1056);
        dids.Add(c3.Did(network));
        // C4: rotation letting the old key expire at a chosen (near) time; public-key DID form.
        var c4 = EthrIdentity.Create();
        var old = KeyAttribute.Ed25519Assertion(RandomBytes(32));
        var pkDid = $"did:ethr:{network}:{Codec.ToHex0x(c4.PublicKey)}";
        var published = await writer.PublishKeyAsync(c4, c4.Address, old, Day, mode: mode);
        // A few seconds of chain time after the publication: long past on the wall clock (the chain lags it).
        var nearExpiry = DateTimeOffset.FromUnixTimeSeconds(await DevChain.BlockTimeAsync(rpc, published.BlockNumber) + 5);
        await writer.RotateKeyAsync(c4, c4.Address, old, KeyAttribute.Ed25519Assertion(RandomBytes(32)), Day, nearExpiry, mode);
        dids.Add(pkDid);
        dids.Add($"did:ethr:0x7a69:{c4.Address}"); // hex chain id form of the same identity
        // C6: a delegate that expires (1 s) next to a lasting one, and a service revoked.
        var c6 = EthrIdentity.Create();
        await writer.AddDelegateAsync(c6, c6.Address, "veriKey", EthrIdentity.Create().Address, TimeSpan.FromSeconds(1), mode);
        await writer.AddDelegateAsync(c6, c6.Address, "sigAuth", EthrIdentity.Create().Address, Day, mode: mode);
        await writer.AddServiceAsync(c6, c6.Address, "Gone", "https://gone.example", Day, mode: mode);
        await writer.RevokeAttributeAsync(c6, c6.Address, "did/svc/Gone", "https://gone.example"u8.ToArray(), mode);
        await writer.AddServiceAsync(c6, c6.Address, "Kept", "https://kept.example", Day, mode: mode);
        dids.Add(c6.Did(network));
        // C5: never written.
        dids.Add(EthrIdentity.Create().Did(network));
        return dids;
    }

    private static byte[] RandomBytes(int n) => System.Security.Cryptography.RandomNumberGenerator.GetBytes(n);

    /// <summary>A key with leading zero bytes: random keys have one in 1 of 256 cases only, too rarely to be checked every run.</summary>
    private static byte[] ZeroLeading(byte[] key, int zeros = 1)
    {
        key.AsSpan(0, zeros).Clear();
        return key;
    }

    private static byte[] P256Compressed()
    {
        using var ec = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var q = ec.ExportParameters(false).Q;
        return [(byte)(2 + (q.Y![31] & 1)), .. q.X!];
    }

    private async Task CrossCheckAsync(string registry, bool ourRegistry, bool ethersToo)
    {
        var conn = ledger.Connection;
        var writer = new EthrDidWriter(conn.Web3, conn.RelayerAddress, registry, conn.ChainId);
        var dids = await OurDidsAsync(writer, "anvil", ourRegistry ? WriteMode.SignedTyped : WriteMode.SignedErc1056, conn.RpcUrl);
        if (ethersToo)
        {
            var written = await NodeCrossCheck.RunAsync(new JsonObject
            {
                ["op"] = "write", ["rpc"] = conn.RpcUrl.ToString(), ["registry"] = registry, ["funderKey"] = DevAccounts.Keys[5],
            }, TimeSpan.FromSeconds(90));
            dids.AddRange(written.GetProperty("dids").EnumerateArray().Select(e => e.GetString()!));
        }
        // The chain's clock lags the wall clock by LaggingLedgerFixture.Lag: every near expiry has lapsed already.
        var last = await DevChain.BlockTimeAsync(conn.RpcUrl, await conn.BlockNumberAsync());
        Assert.True(last + 60 < TimeProvider.System.GetUtcNow().ToUnixTimeSeconds(), "the chain's clock should lag the wall clock");

        var network = new EthrNetwork("anvil", conn.ChainId, conn.RpcUrl, registry);
        using var http = new LedgerRpc(conn.RpcUrl);
        var walker = new EthrDidResolver(network, new RpcHistoryWalker(http.Client, network));
        await using var index = await EthrEventIndex.OpenAsync(":memory:", http.Client, network);
        var indexed = new EthrDidResolver(network, index);

        // Every version of every DID: its history blocks as ?versionId.
        var urls = new List<string>();
        foreach (var did in dids)
        {
            urls.Add(did);
            var history = await new RpcHistoryWalker(http.Client, network).HistoryAsync(EthrDid.Parse(did).Address);
            urls.AddRange(history.Events.Select(e => e.BlockNumber).Distinct().Select(b => $"{did}?versionId={b}"));
        }
        var reference = await NodeCrossCheck.RunAsync(new JsonObject
        {
            ["op"] = "resolve", ["rpc"] = conn.RpcUrl.ToString(), ["registry"] = registry, ["chainId"] = conn.ChainId,
            ["dids"] = new JsonArray(urls.Select(u => (JsonNode)u!).ToArray()),
        });
        Assert.True(dids.Count >= 11, $"only {dids.Count} DIDs");
        foreach (var url in urls)
        {
            var expected = reference.GetProperty("results").GetProperty(url).GetString()!;
            Assert.True(expected.Contains("\"didDocument\": {"), $"reference failed on {url}: {expected}");
            Assert.Equal(expected, (await walker.ResolveAsync(url)).ToJson());
            Assert.Equal(expected, (await indexed.ResolveAsync(url)).ToJson());
        }
    }

    [Fact]
    public async Task A_revoked_key_agreement_key_leaves_no_dangling_reference_unlike_the_npm_reference()
    {
        // Known divergence, on purpose: the reference deletes a revoked key from verificationMethod but keeps its
        // keyAgreement reference; DID Core requires references to resolve, so we drop it too.
        await using var client = await EthrDidClient.OpenAsync(ledger.Connection);
        var issuer = EthrIdentity.Create();
        var key = KeyAttribute.X25519KeyAgreement(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await client.Writer!.PublishKeyAsync(issuer, issuer.Address, key, TimeSpan.FromHours(1));
        var revoked = await client.Writer.RevokeAttributeAsync(issuer, issuer.Address, key.Name, key.Value);
        // The chain's clock lags the wall clock (LaggingLedgerFixture): the revocation has lapsed for both resolvers.
        Assert.True(await DevChain.BlockTimeAsync(ledger.Connection.RpcUrl, revoked.BlockNumber) < TimeProvider.System.GetUtcNow().ToUnixTimeSeconds());
        var did = issuer.Did("anvil");
        var ours = await client.Resolver.ResolveAsync(did);
        Assert.Empty(ours.DidDocument!.KeyAgreement);
        var npm = await NodeCrossCheck.RunAsync(new JsonObject
        {
            ["op"] = "resolve", ["rpc"] = ledger.Connection.RpcUrl.ToString(), ["registry"] = client.Network.RegistryAddress,
            ["chainId"] = ledger.Connection.ChainId, ["dids"] = new JsonArray(did),
        });
        var reference = npm.GetProperty("results").GetProperty(did).GetString()!;
        Assert.Contains("\"keyAgreement\"", reference);
        Assert.DoesNotContain("X25519", reference);
    }

    [Fact]
    public Task Our_writer_and_ethers_histories_resolve_identically_in_our_resolvers_and_the_npm_reference() =>
        CrossCheckAsync(ledger.Connection.Contracts[ContractArtifact.DidRegistry], ourRegistry: true, ethersToo: true);

    [Fact]
    public async Task Our_resolver_reads_the_reference_registry_bytecode_written_by_our_writer()
    {
        var reference = DevChain.ReferenceRegistry();
        var (address, _) = await ledger.Connection.DeployAsync(reference);
        await CrossCheckAsync(Codec.ChecksumAddress(address), ourRegistry: false, ethersToo: true);
    }
}
