using Vc.Did.Core;
using Vc.Did.Encoding;
using Vc.Did.Ethr;
using Vc.Did.Ledger;
using Vc.TestSupport;

namespace Vc.Did.Tests.Ethr;

/// <summary>
/// Replays the 13-block scenario of shared/testdata/did-ethr on a fresh dev chain (registry deployed by account 0 at
/// 0x5FbDB…, identity = account 1) and compares our resolutions with the current reference resolver's outputs.
/// Run on Anvil and on Hardhat Network: the resolutions must not depend on the Ethereum implementation.
/// </summary>
public abstract class GoldenScenarioFixtureBase : IAsyncLifetime
{
    private const string Identity = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    private const string Did = "did:ethr:anvil:" + Identity;
    private static readonly TimeSpan Year = TimeSpan.FromSeconds(31_536_000);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private IAsyncDisposable? _chain;
    public readonly Dictionary<string, (string Walker, string Indexed)> Resolved = new();
    public readonly List<string> EdgeVersion9 = [];
    private EthrEventIndex? _index;

    /// <summary>Starts the chain with its clock at <paramref name="genesis"/>.</summary>
    protected abstract Task<(Uri Rpc, IAsyncDisposable Chain)> StartChainAsync(DateTimeOffset genesis);

    public async Task InitializeAsync()
    {
        // The chain's clock lags the wall clock: a revocation (valid to its block's second) has lapsed at once.
        (var rpc, _chain) = await StartChainAsync(TimeProvider.System.GetUtcNow() - TimeSpan.FromMinutes(10));
        var deployer = DevChain.Web3For(rpc, 0);
        var artifact = ContractArtifact.Load(ContractArtifact.DidRegistry);
        var (registry, _) = await DevChain.DeployAsync(deployer, artifact.Abi, artifact.Bytecode);
        Assert.Equal("0x5FbDB2315678afecb367f032d93F642f64180aa3", Codec.ChecksumAddress(registry));

        var network = new EthrNetwork("anvil", DevChain.ChainId, rpc, registry);
        var http = new LedgerRpc(rpc);
        var walker = new EthrDidResolver(network, new RpcHistoryWalker(http.Client, network));
        _index = await EthrEventIndex.OpenAsync(":memory:", http.Client, network);
        var indexed = new EthrDidResolver(network, _index);
        async Task Snapshot(string name, string did)
        {
            var a = await walker.ResolveAsync(did);
            var b = await indexed.ResolveAsync(did);
            Resolved[name] = (a.ToJson(), b.ToJson());
        }

        var writer = new EthrDidWriter(deployer, DevAccounts.Address(0), registry, DevChain.ChainId);
        var owner = DevAccounts.Identity(1);
        var newOwner = DevAccounts.Identity(3);
        var ed25519 = SimpleBase.Base58.Bitcoin.Decode("DV4G2kpBKjE6zxKor7Cj21iL9x9qyXb6emqjszBXcuhz").ToArray();
        var secp = Codec.FromHex("02b97c30de767f084ce3080168ee293053ba33b235d7116a3263d29f1450936b71");
        var x25519 = SimpleBase.Base58.Bitcoin.Decode("2BPrpNKuM1Niey9EdfnVTVxM6e7J44MXRb73Zg3g6fbF").ToArray();

        await writer.SetAttributeAsync(owner, Identity, "did/pub/Ed25519/veriKey/base58", ed25519, Year, WriteMode.Direct);   // block 2
        await Snapshot("01-after-setAttribute", Did);
        await writer.SetAttributeAsync(owner, Identity, "did/pub/Secp256k1/veriKey/hex", secp, Year, WriteMode.Direct);       // 3
        await writer.SetAttributeAsync(owner, Identity, "did/pub/X25519/enc/base58", x25519, Year, WriteMode.Direct);         // 4
        await writer.AddDelegateAsync(owner, Identity, "veriKey", DevAccounts.Address(2), Day, WriteMode.Direct);             // 5
        await writer.AddDelegateAsync(owner, Identity, "sigAuth", DevAccounts.Address(4), Day, WriteMode.Direct);             // 6
        await writer.AddServiceAsync(owner, Identity, "HubService", "https://hubs.uport.me", Year, WriteMode.Direct);         // 7
        await Snapshot("02-full", Did);
        await writer.RevokeAttributeAsync(owner, Identity, "did/pub/Secp256k1/veriKey/hex", secp, WriteMode.Direct);          // 8
        await writer.RevokeDelegateAsync(owner, Identity, "veriKey", DevAccounts.Address(2), WriteMode.Direct);              // 9
        EdgeVersion9.Add((await walker.ResolveAsync(Did + "?versionId=9")).ToJson());
        await writer.AddDelegateAsync(owner, Identity, "veriKey", DevAccounts.Address(5), Day, WriteMode.Direct);             // 10
        await Snapshot("03-after-revocations", Did);
        await writer.ChangeOwnerAsync(owner, Identity, newOwner.Address, WriteMode.SignedErc1056);                            // 11, relayed
        await writer.AddServiceAsync(newOwner, Identity, "IssuerService",
            """{"uri":"https://issuer.example/vc","accept":["didcomm/v2"]}""", Year, WriteMode.SignedErc1056);               // 12, relayed
        await Snapshot("05-after-owner-change", Did);
        await writer.DeactivateAsync(newOwner, Identity, WriteMode.Direct);                                                   // 13
        await Snapshot("06-deactivated", Did);
        await Snapshot("04-versionId", Did + "?versionId=7");
        await Snapshot("08-publickey-did", "did:ethr:anvil:0x03337d2f7c029f46c952a8a2b286a81403327318113383635f376b6161eff433e7");
    }

    public async Task DisposeAsync()
    {
        if (_index is not null) await _index.DisposeAsync();
        if (_chain is not null) await _chain.DisposeAsync();
    }
}

public sealed class GoldenScenarioFixture : GoldenScenarioFixtureBase
{
    protected override async Task<(Uri Rpc, IAsyncDisposable Chain)> StartChainAsync(DateTimeOffset genesis)
    {
        var anvil = await AnvilProcess.StartAsync(new AnvilOptions { GenesisTime = genesis });
        return (anvil.RpcUrl, anvil);
    }
}

public sealed class HardhatGoldenScenarioFixture : GoldenScenarioFixtureBase
{
    protected override async Task<(Uri Rpc, IAsyncDisposable Chain)> StartChainAsync(DateTimeOffset genesis)
    {
        var hardhat = await HardhatProcess.StartAsync(new HardhatOptions { GenesisTime = genesis });
        return (hardhat.RpcUrl, hardhat);
    }
}

public sealed class GoldenScenarioTests(GoldenScenarioFixture scenario)
    : GoldenScenarioTestsBase(scenario), IClassFixture<GoldenScenarioFixture>;

/// <summary>The same scenario on Hardhat Network (hardhat_* dev methods, strictly increasing block times).</summary>
public sealed class GoldenScenarioOnHardhatTests(HardhatGoldenScenarioFixture scenario)
    : GoldenScenarioTestsBase(scenario), IClassFixture<HardhatGoldenScenarioFixture>;

public abstract class GoldenScenarioTestsBase(GoldenScenarioFixtureBase scenario)
{
    private static string Golden(string name) =>
        File.ReadAllText(Path.Combine(TestPaths.TestData("did-ethr", "VCHEALTH_DID_ETHR_TESTDATA"), name + ".head14.json"));

    [Theory]
    [InlineData("01-after-setAttribute")]
    [InlineData("02-full")]
    [InlineData("03-after-revocations")]
    [InlineData("04-versionId")]
    [InlineData("05-after-owner-change")]
    [InlineData("06-deactivated")]
    [InlineData("08-publickey-did")]
    public void Non_indexed_resolution_equals_the_reference_output_byte_for_byte_apart_from_timestamps(string name) =>
        Assert.Equal(DevChain.WithoutTimes(Golden(name)), DevChain.WithoutTimes(scenario.Resolved[name].Walker));

    [Theory]
    [InlineData("01-after-setAttribute")]
    [InlineData("02-full")]
    [InlineData("03-after-revocations")]
    [InlineData("04-versionId")]
    [InlineData("05-after-owner-change")]
    [InlineData("06-deactivated")]
    [InlineData("08-publickey-did")]
    public void Indexed_resolution_equals_the_reference_output_byte_for_byte_apart_from_timestamps(string name) =>
        Assert.Equal(DevChain.WithoutTimes(Golden(name)), DevChain.WithoutTimes(scenario.Resolved[name].Indexed));

    [Fact]
    public void Resolving_at_the_revocation_block_shows_the_revoked_delegate_again_as_the_reference_does()
    {
        // validTo = block time of the revocation, and validTo >= now is "valid": the 03a edge of the notes.
        var json = Assert.Single(scenario.EdgeVersion9);
        Assert.Contains("#delegate-7\"", json);
        Assert.Contains("\"versionId\": \"9\"", json);
    }
}
