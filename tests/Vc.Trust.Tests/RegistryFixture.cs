using System.Numerics;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Signer;
using Vc.Did.Ledger;

namespace Vc.Trust.Tests;

/// <summary>
/// One Anvil chain with a TrustRegistry deployed, shared by the "trust-ledger" collection. Each test onboards its
/// own participants (fresh country codes from <see cref="NewCountry"/>), so tests do not see each other's entries.
/// </summary>
public class RegistryFixture : IAsyncLifetime
{
    private IAsyncDisposable? _chain;
    private LedgerConnection? _connection;
    private int _nextCountry;

    public LedgerConnection Connection => _connection ?? throw new InvalidOperationException("ledger not started");
    /// <summary>Which development chain runs the registry (its dev methods differ in prefix).</summary>
    public DevChainKind Kind { get; private set; } = DevChainKind.Anvil;
    public EthECKey Anchor { get; } = EthECKey.GenerateKey();
    public TrustRegistryClient Client { get; private set; } = null!;
    public TrustRegistryReader Reader { get; private set; } = null!;
    public long DeploymentBlock { get; private set; }

    /// <summary>How the fixture's Anvil starts (default: genesis now).</summary>
    protected virtual AnvilOptions? Anvil => null;

    /// <summary>Starts the chain the registry runs on (default: Anvil with <see cref="Anvil"/>).</summary>
    protected virtual async Task<(IAsyncDisposable Chain, Uri Rpc)> StartChainAsync()
    {
        var anvil = await AnvilProcess.StartAsync(Anvil ?? new AnvilOptions());
        return (anvil, anvil.RpcUrl);
    }

    public async Task InitializeAsync()
    {
        (_chain, var rpc) = await StartChainAsync();
        _connection = await LedgerHost.ConnectDevAsync(rpc, null);
        using (var probe = new LedgerRpc(rpc)) Kind = await DevChainKind.DetectAsync(probe) ?? throw new InvalidOperationException("not a dev chain");
        (Client, DeploymentBlock) = await TrustRegistryClient.DeployAsync(Connection, Anchor.GetPublicAddress());
        Reader = new TrustRegistryReader(Connection, Client.Address, DeploymentBlock);
        await FundAsync(Anchor);
    }

    public async Task DisposeAsync() { if (_chain is not null) await _chain.DisposeAsync(); }

    /// <summary>A fresh ISO-shaped code (QAA…: the user-assigned range, so never a real country).</summary>
    public CountryCode NewCountry()
    {
        var n = Interlocked.Increment(ref _nextCountry);
        return CountryCode.Parse($"Q{(char)('A' + n / 26 % 26)}{(char)('A' + n % 26)}");
    }

    /// <summary>A new key whose account holds dev ether (anvil_/hardhat_setBalance), for direct writes.</summary>
    public async Task<EthECKey> FundedKeyAsync()
    {
        var key = EthECKey.GenerateKey();
        await FundAsync(key);
        return key;
    }

    private Task FundAsync(EthECKey key) => Connection.Web3.Client.SendRequestAsync(
        new RpcRequest(1, Kind.Method("setBalance"), key.GetPublicAddress(), new HexBigInteger(BigInteger.Pow(10, 21)).HexValue));

    /// <summary>Onboards a new participant for <paramref name="domains"/> with a funded admin key.</summary>
    public async Task<(CountryCode Country, EthECKey Admin, TrustWriteResult Write)> OnboardAsync(TrustDomains domains = TrustDomains.Icvp | TrustDomains.Dcc)
    {
        var country = NewCountry();
        var admin = await FundedKeyAsync();
        var write = await Client.ExecuteAsync(new OnboardParticipant(country, admin.GetPublicAddress(), domains), Anchor);
        return (country, admin, write);
    }

    /// <summary>Moves chain time forward and mines a block, so later events get later timestamps.</summary>
    public async Task AdvanceTimeAsync(TimeSpan by)
    {
        await Connection.Web3.Client.SendRequestAsync(new RpcRequest(1, "evm_increaseTime", (long)by.TotalSeconds));
        await Connection.Web3.Client.SendRequestAsync(new RpcRequest(1, "evm_mine"));
    }

    public async Task<DateTimeOffset> BlockTimeAsync(long? block = null)
    {
        var b = await Connection.Web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(
            block is { } n ? new BlockParameter(new HexBigInteger(n)) : BlockParameter.CreateLatest());
        return DateTimeOffset.FromUnixTimeSeconds((long)b.Timestamp.Value);
    }
}

[CollectionDefinition(Name)]
public sealed class RegistryCollection : ICollectionFixture<RegistryFixture>
{
    public const string Name = "trust-ledger";
}

/// <summary>The registry on Hardhat Network: the second Ethereum implementation the trust registry is tested on.</summary>
public sealed class HardhatRegistryFixture : RegistryFixture
{
    protected override async Task<(IAsyncDisposable Chain, Uri Rpc)> StartChainAsync()
    {
        var hardhat = await HardhatProcess.StartAsync();
        return (hardhat, hardhat.RpcUrl);
    }
}

[CollectionDefinition(Name)]
public sealed class HardhatRegistryCollection : ICollectionFixture<HardhatRegistryFixture>
{
    public const string Name = "trust-ledger-hardhat";
}

internal static class Assertions
{
    /// <summary>Runs a write that must be refused, and returns the typed refusal.</summary>
    public static async Task<TrustRegistryException> Refused(TrustRegistryError expected, Func<Task> write)
    {
        var e = await Assert.ThrowsAsync<TrustRegistryException>(write);
        Assert.True(expected == e.Error, $"expected {expected}, got {e.Error}: {e.Message}");
        return e;
    }

    public static Bytes32 Thumbprint(string seed) =>
        Bytes32.FromBytes(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed)));
}
