using static Vc.Trust.Tests.Assertions;

namespace Vc.Trust.Tests;

[Collection(RegistryCollection.Name)]
public sealed class AnchorTransferTests(RegistryFixture f)
{
    [Fact]
    public async Task The_anchor_role_moves_to_a_new_key_and_the_old_one_loses_it()
    {
        // A registry of its own: the shared one keeps its anchor for the other tests.
        var oldAnchor = await f.FundedKeyAsync();
        var newAnchor = Nethereum.Signer.EthECKey.GenerateKey();
        var (client, block) = await TrustRegistryClient.DeployAsync(f.Connection, oldAnchor.GetPublicAddress());
        var reader = new TrustRegistryReader(f.Connection, client.Address, block);

        await Refused(TrustRegistryError.NotTrustAnchor, () => client.ExecuteAsync(new TransferAnchor(newAnchor.GetPublicAddress()), newAnchor, WriteMode.Relayed));
        await Refused(TrustRegistryError.InvalidAddress, () => client.ExecuteAsync(new TransferAnchor("0x0000000000000000000000000000000000000000"), oldAnchor));
        await client.ExecuteAsync(new TransferAnchor(newAnchor.GetPublicAddress()), oldAnchor, WriteMode.Relayed);

        Assert.Equal(newAnchor.GetPublicAddress(), await client.GetAnchorAsync(), StringComparer.OrdinalIgnoreCase);
        await Refused(TrustRegistryError.NotTrustAnchor, () => client.ExecuteAsync(
            new OnboardParticipant(CountryCode.Parse("KEN"), oldAnchor.GetPublicAddress(), TrustDomains.Icvp), oldAnchor));
        await client.ExecuteAsync(new OnboardParticipant(CountryCode.Parse("KEN"), oldAnchor.GetPublicAddress(), TrustDomains.Icvp), newAnchor, WriteMode.Relayed);

        var transfers = (await reader.GetAuditTrailAsync()).OfType<AnchorTransferred>().ToArray();
        Assert.Equal(2, transfers.Length);
        Assert.Equal(oldAnchor.GetPublicAddress(), transfers[0].NewAnchor, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(oldAnchor.GetPublicAddress(), transfers[1].PreviousAnchor, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(newAnchor.GetPublicAddress(), transfers[1].NewAnchor, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Opening_a_registry_needs_contract_code_at_the_address()
    {
        var opened = await TrustRegistryClient.OpenAsync(f.Connection, f.Client.Address);
        Assert.Equal(f.Client.Address, opened.Address);
        var e = await Assert.ThrowsAsync<TrustRegistryException>(() => TrustRegistryClient.OpenAsync(f.Connection, f.Connection.RelayerAddress));
        Assert.Equal(TrustRegistryError.RegistryNotFound, e.Error);
    }
}
