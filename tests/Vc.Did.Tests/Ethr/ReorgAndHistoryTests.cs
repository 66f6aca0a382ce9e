using Vc.Did.Core;
using Vc.Did.Ethr;
using Vc.Did.Ledger;

namespace Vc.Did.Tests.Ethr;

/// <summary>
/// Tests on a private chain (time travel and reorgs must not disturb the shared one), each on Anvil and on Hardhat
/// Network: reorgs, unmined writes and confirmations must behave alike on both implementations.
/// </summary>
public sealed class ReorgAndHistoryTests
{
    /// <summary>A fresh dev chain of the named kind ("anvil" or "hardhat") with the DID registry deployed.</summary>
    private static async Task<(DevNode Anvil, EthrNetwork Network, EthrDidWriter Writer)> StartAsync(string kind)
    {
        var anvil = await DevNode.StartAsync(kind);
        var web3 = DevChain.Web3For(anvil.RpcUrl, 0);
        var artifact = ContractArtifact.Load(ContractArtifact.DidRegistry);
        var (registry, _) = await DevChain.DeployAsync(web3, artifact.Abi, artifact.Bytecode);
        var network = new EthrNetwork("anvil", DevChain.ChainId, anvil.RpcUrl, registry);
        return (anvil, network, new EthrDidWriter(web3, DevAccounts.Address(0), registry, DevChain.ChainId));
    }

    [Theory]
    [InlineData("anvil")]
    [InlineData("hardhat")]
    public async Task After_a_reorg_the_index_rereads_from_the_fork_point_and_forgets_the_orphaned_change(string chain)
    {
        var (anvil, network, writer) = await StartAsync(chain);
        await using var _ = anvil;
        var owner = EthrIdentity.Create();
        await writer.AddServiceAsync(owner, owner.Address, "Kept", "https://kept", TimeSpan.FromHours(1));
        using var http = new LedgerRpc(anvil.RpcUrl);
        await using var index = await EthrEventIndex.OpenAsync(":memory:", http.Client, network);
        var resolver = new EthrDidResolver(network, index);

        var snapshot = (await DevChain.RpcAsync(anvil.RpcUrl, "evm_snapshot")).Trim('"');
        await writer.AddServiceAsync(owner, owner.Address, "Orphaned", "https://orphaned", TimeSpan.FromHours(1));
        Assert.Equal(["Kept", "Orphaned"], (await resolver.ResolveAsync(owner.Did("anvil"))).DidDocument!.Service.Select(s => s.Type));

        Assert.Equal("true", await DevChain.RpcAsync(anvil.RpcUrl, "evm_revert", snapshot));
        // A fresh relayer account object: Nethereum caches the nonce, which the revert took back.
        writer = new EthrDidWriter(DevChain.Web3For(anvil.RpcUrl, 0), DevAccounts.Address(0), network.RegistryAddress, DevChain.ChainId);
        await writer.AddServiceAsync(owner, owner.Address, "Canonical", "https://canonical", TimeSpan.FromHours(1));
        await DevChain.RpcAsync(anvil.RpcUrl, "evm_mine");

        var afterReorg = await resolver.ResolveAsync(owner.Did("anvil"));
        Assert.Equal(["Kept", "Canonical"], afterReorg.DidDocument!.Service.Select(s => s.Type));
        var walked = await new EthrDidResolver(network, new RpcHistoryWalker(http.Client, network)).ResolveAsync(owner.Did("anvil"));
        Assert.Equal(walked.ToJson(), afterReorg.ToJson());
    }

    [Theory]
    [InlineData("anvil")]
    [InlineData("hardhat")]
    public async Task Waiting_for_a_receipt_is_bounded_by_lookups_not_by_time_and_the_write_lands_once_mined(string chain)
    {
        var (anvil, network, _) = await StartAsync(chain);
        await using var _ = anvil;
        await DevChain.RpcAsync(anvil.RpcUrl, "evm_setAutomine", false);
        // Three lookups with no pause: a chain that does not mine makes the write fail at once, typed.
        var writer = new EthrDidWriter(DevChain.Web3For(anvil.RpcUrl, 0), DevAccounts.Address(0), network.RegistryAddress, DevChain.ChainId,
            new ReceiptPolicy { MaxAttempts = 3, PollInterval = TimeSpan.Zero });
        var owner = EthrIdentity.Create();
        var e = await Assert.ThrowsAsync<DidWriteException>(() => writer.AddServiceAsync(owner, owner.Address, "Late", "https://late", TimeSpan.FromHours(1)));
        Assert.Equal(DidWriteError.NotMined, e.Error);
        Assert.Equal(LedgerError.ReceiptMissing, Assert.IsType<LedgerException>(e.InnerException).Error);

        await DevChain.RpcAsync(anvil.RpcUrl, "evm_mine");
        using var http = new LedgerRpc(anvil.RpcUrl);
        var resolved = await new EthrDidResolver(network, new RpcHistoryWalker(http.Client, network)).ResolveAsync(owner.Did("anvil"));
        Assert.Equal("Late", Assert.Single(resolved.DidDocument!.Service).Type);
    }

    [Theory]
    [InlineData("anvil")]
    [InlineData("hardhat")]
    public async Task Unconfirmed_changes_are_not_served_until_buried_under_the_configured_confirmations(string chain)
    {
        var (anvil, network, writer) = await StartAsync(chain);
        await using var _ = anvil;
        var owner = EthrIdentity.Create();
        using var http = new LedgerRpc(anvil.RpcUrl);
        await using var index = await EthrEventIndex.OpenAsync(":memory:", http.Client, network, new EthrIndexOptions { Confirmations = 2 });
        var resolver = new EthrDidResolver(network, index);
        await writer.AddServiceAsync(owner, owner.Address, "Hub", "https://hub", TimeSpan.FromHours(1));
        Assert.Empty((await resolver.ResolveAsync(owner.Did("anvil"))).DidDocument!.Service);
        await DevChain.RpcAsync(anvil.RpcUrl, anvil.Kind.Method("mine"), "0x2");
        Assert.Single((await resolver.ResolveAsync(owner.Did("anvil"))).DidDocument!.Service);
    }

    [Theory]
    [InlineData("anvil")]
    [InlineData("hardhat")]
    public async Task A_key_rotated_away_was_authorized_for_assertion_before_the_rotation_and_not_after(string chain)
    {
        var (anvil, network, writer) = await StartAsync(chain);
        await using var _ = anvil;
        var issuer = EthrIdentity.Create();
        var did = issuer.Did("anvil");
        var oldKey = KeyAttribute.Ed25519Assertion(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var published = await writer.PublishKeyAsync(issuer, issuer.Address, oldKey, TimeSpan.FromDays(1));
        var publishedAt = await DevChain.BlockTimeAsync(anvil.RpcUrl, published.BlockNumber);
        await DevChain.AdvanceAsync(anvil.RpcUrl, 1); // the rotation lands in a later second than the publication
        var rotated = await writer.RotateKeyAsync(issuer, issuer.Address, oldKey,
            KeyAttribute.Ed25519Assertion(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), TimeSpan.FromDays(1));
        var revokedAt = await DevChain.BlockTimeAsync(anvil.RpcUrl, rotated[^1].BlockNumber);
        Assert.True(revokedAt > publishedAt);

        using var http = new LedgerRpc(anvil.RpcUrl);
        await using var index = await EthrEventIndex.OpenAsync(":memory:", http.Client, network);
        IDidResolver resolver = new EthrDidResolver(network, index);
        var before = await resolver.WasAuthorizedAsync(did, did + "#delegate-1", VerificationRelationship.AssertionMethod, DateTimeOffset.FromUnixTimeSeconds(publishedAt));
        Assert.True(before.Authorized, before.Reason);
        Assert.Equal("Ed25519VerificationKey2020", before.Method!.Type);
        var after = await resolver.WasAuthorizedAsync(did, did + "#delegate-1", VerificationRelationship.AssertionMethod, DateTimeOffset.FromUnixTimeSeconds(revokedAt + 1));
        Assert.False(after.Authorized);
        var notYet = await resolver.WasAuthorizedAsync(did, did + "#delegate-1", VerificationRelationship.AssertionMethod, DateTimeOffset.FromUnixTimeSeconds(publishedAt - 1));
        Assert.False(notYet.Authorized);
        var foreign = await resolver.WasAuthorizedAsync(did, "did:ethr:anvil:0x70997970C51812dc3A010C7d01b50e0d17dc79C8#delegate-1", VerificationRelationship.AssertionMethod, DateTimeOffset.FromUnixTimeSeconds(revokedAt));
        Assert.False(foreign.Authorized);
    }

    [Fact]
    public async Task At_versionTime_a_delegate_revoked_in_that_second_is_no_longer_valid()
    {
        var (anvil, network, writer) = await StartAsync("anvil");
        await using var _ = anvil;
        var owner = EthrIdentity.Create();
        var did = owner.Did("anvil");
        var signer = EthrIdentity.Create().Address;
        var added = await writer.AddDelegateAsync(owner, owner.Address, "veriKey", signer, TimeSpan.FromDays(1));
        var addedAt = await DevChain.BlockTimeAsync(anvil.RpcUrl, added.BlockNumber);
        await DevChain.AdvanceAsync(anvil.RpcUrl, 1);
        var revoked = await writer.RevokeDelegateAsync(owner, owner.Address, "veriKey", signer);
        var revokedAt = await DevChain.BlockTimeAsync(anvil.RpcUrl, revoked.BlockNumber);
        Assert.True(revokedAt > addedAt);

        using var http = new LedgerRpc(anvil.RpcUrl);
        await using var index = await EthrEventIndex.OpenAsync(":memory:", http.Client, network);
        IDidResolver resolver = new EthrDidResolver(network, index);
        // revokeDelegate writes validTo = its block's timestamp: valid while validTo > t, so not at that second.
        Assert.True((await resolver.WasAuthorizedAsync(did, did + "#delegate-1", VerificationRelationship.AssertionMethod, DateTimeOffset.FromUnixTimeSeconds(revokedAt - 1))).Authorized);
        var atRevocation = await resolver.WasAuthorizedAsync(did, did + "#delegate-1", VerificationRelationship.AssertionMethod, DateTimeOffset.FromUnixTimeSeconds(revokedAt));
        Assert.False(atRevocation.Authorized, atRevocation.Reason);
    }
}

/// <summary>A private Anvil or Hardhat Network node for one test.</summary>
public sealed record DevNode(Uri RpcUrl, DevChainKind Kind, IAsyncDisposable Process) : IAsyncDisposable
{
    public static async Task<DevNode> StartAsync(string kind) => kind switch
    {
        "anvil" => await AnvilProcess.StartAsync(new AnvilOptions()) is var a ? new DevNode(a.RpcUrl, DevChainKind.Anvil, a) : null!,
        "hardhat" => await HardhatProcess.StartAsync() is var h ? new DevNode(h.RpcUrl, DevChainKind.Hardhat, h) : null!,
        _ => throw new ArgumentException(kind, nameof(kind)),
    };

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
