using System.Numerics;
using static Vc.Trust.Tests.Assertions;

namespace Vc.Trust.Tests;

[Collection(RegistryCollection.Name)]
public sealed class RelayedWriteTests(RegistryFixture f) : RelayedWriteTestsBase(f);

/// <summary>The same tests on Hardhat Network (the second Ethereum implementation).</summary>
[Collection(HardhatRegistryCollection.Name)]
public sealed class RelayedWriteOnHardhatTests(HardhatRegistryFixture f) : RelayedWriteTestsBase(f);

public abstract class RelayedWriteTestsBase(RegistryFixture f)
{
    private static TrustOperation NewIssuer(CountryCode country, string name) =>
        new AddIssuer(new IssuerRegistration(country, IssuerRef.Did($"did:web:{name}.example"), TrustDomains.Icvp));

    [Fact]
    public async Task A_signed_write_is_relayed_by_another_account_and_attributed_to_its_signer()
    {
        var country = f.NewCountry();
        // The admin key never holds ether: the relayer pays.
        var admin = Nethereum.Signer.EthECKey.GenerateKey();
        var onboard = await f.Client.ExecuteAsync(new OnboardParticipant(country, admin.GetPublicAddress(), TrustDomains.Icvp), f.Anchor, WriteMode.Relayed);
        Assert.Equal(f.Connection.RelayerAddress, onboard.Sender, StringComparer.OrdinalIgnoreCase);

        var nonceBefore = await f.Client.GetNonceAsync(admin.GetPublicAddress());
        var write = await f.Client.ExecuteAsync(NewIssuer(country, "relayed"), admin, WriteMode.Relayed);
        Assert.Equal(nonceBefore + 1, await f.Client.GetNonceAsync(admin.GetPublicAddress()));
        Assert.Equal(admin.GetPublicAddress(), write.Actor, StringComparer.OrdinalIgnoreCase);

        var trail = await f.Reader.GetAuditTrailAsync(country);
        var added = Assert.IsType<IssuerAdded>(trail[^1]);
        Assert.Equal(admin.GetPublicAddress(), added.Actor, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(write.TransactionHash, added.TransactionHash);
    }

    [Fact]
    public async Task A_replayed_signature_is_refused_by_nonce()
    {
        var (country, admin, _) = await f.OnboardAsync();
        var signed = await f.Client.SignAsync(NewIssuer(country, "once"), admin);
        await f.Client.RelayAsync(signed);
        var e = await Refused(TrustRegistryError.InvalidNonce, () => f.Client.RelayAsync(signed));
        Assert.Equal(signed.Nonce + 1, (BigInteger)e.Arguments[1]);
        Assert.Equal(signed.Nonce, (BigInteger)e.Arguments[2]);
        // Replaying onto another operation of the same signer fails the same way, even after the issuer is gone.
        await f.Client.ExecuteAsync(TrustOperation.RemoveIssuer(country, IssuerRef.Did("did:web:once.example")), admin, WriteMode.Relayed);
        await Refused(TrustRegistryError.InvalidNonce, () => f.Client.RelayAsync(signed));
    }

    [Fact]
    public async Task A_tampered_signature_or_operation_is_refused_as_a_bad_signature()
    {
        var (country, admin, _) = await f.OnboardAsync();
        var signed = await f.Client.SignAsync(NewIssuer(country, "genuine"), admin);
        var sig = Convert.FromHexString(signed.SignatureHex[2..]);
        sig[10] ^= 0x01;
        await Refused(TrustRegistryError.BadSignature, () => f.Client.RelayAsync(signed with { SignatureHex = "0x" + Convert.ToHexString(sig) }));
        await Refused(TrustRegistryError.BadSignature, () => f.Client.RelayAsync(signed with { Operation = NewIssuer(country, "substituted") }));
        await Refused(TrustRegistryError.BadSignature, () => f.Client.RelayAsync(signed with { SignatureHex = "0x1234" }));
        // A valid signature from another key claimed as the admin's.
        var other = Nethereum.Signer.EthECKey.GenerateKey();
        var forged = SignedTrustWrite.Sign(signed.Operation, other, f.Client.Domain, signed.Nonce, signed.Deadline);
        await Refused(TrustRegistryError.BadSignature, () => f.Client.RelayAsync(forged with { Signer = admin.GetPublicAddress() }));
        // The genuine one still goes through: nothing was consumed by the refusals.
        await f.Client.RelayAsync(signed);
    }

    [Fact]
    public async Task A_signature_made_for_another_chain_is_refused()
    {
        var (country, admin, _) = await f.OnboardAsync();
        var nonce = await f.Client.GetNonceAsync(admin.GetPublicAddress());
        var mainnet = f.Client.Domain with { ChainId = 1 };
        var signed = SignedTrustWrite.Sign(NewIssuer(country, "mainnet"), admin, mainnet, nonce, (await f.BlockTimeAsync()).AddHours(1));
        var e = await Refused(TrustRegistryError.WrongChainId, () => f.Client.RelayAsync(signed));
        Assert.Equal(new BigInteger(f.Connection.ChainId), (BigInteger)e.Arguments[0]);
        Assert.Equal(BigInteger.One, (BigInteger)e.Arguments[1]);
        // Claiming this chain for a signature made for chain 1 breaks the signature instead.
        await Refused(TrustRegistryError.BadSignature, () => f.Client.RelayAsync(signed with { ChainId = f.Connection.ChainId }));
    }

    [Fact]
    public async Task A_signature_for_another_registry_on_the_same_chain_is_refused()
    {
        var (country, admin, _) = await f.OnboardAsync();
        var nonce = await f.Client.GetNonceAsync(admin.GetPublicAddress());
        var elsewhere = f.Client.Domain with { VerifyingContract = "0x000000000000000000000000000000000000dEaD" };
        var signed = SignedTrustWrite.Sign(NewIssuer(country, "elsewhere"), admin, elsewhere, nonce, (await f.BlockTimeAsync()).AddHours(1));
        await Refused(TrustRegistryError.BadSignature, () => f.Client.RelayAsync(signed));
    }

    [Fact]
    public async Task An_expired_signature_is_refused()
    {
        var (country, admin, _) = await f.OnboardAsync();
        var now = await f.BlockTimeAsync();
        var signed = await f.Client.SignAsync(NewIssuer(country, "late"), admin, deadline: now.AddMinutes(-1));
        await Refused(TrustRegistryError.SignatureExpired, () => f.Client.RelayAsync(signed));
    }

    [Fact]
    public async Task A_valid_signature_by_an_unauthorised_key_is_refused_by_role()
    {
        var (country, _, _) = await f.OnboardAsync();
        var stranger = Nethereum.Signer.EthECKey.GenerateKey();
        await Refused(TrustRegistryError.NotParticipantAdmin, () => f.Client.ExecuteAsync(NewIssuer(country, "stranger"), stranger, WriteMode.Relayed));
        await Refused(TrustRegistryError.NotTrustAnchor, () => f.Client.ExecuteAsync(
            new OnboardParticipant(f.NewCountry(), stranger.GetPublicAddress(), TrustDomains.Icvp), stranger, WriteMode.Relayed));
    }

    [Fact]
    public async Task Every_operation_has_a_relayed_form()
    {
        var country = f.NewCountry();
        var admin = Nethereum.Signer.EthECKey.GenerateKey();
        var issuer = IssuerRef.Kid([7, 7, 7, 7, 7, 7, 7, 7]);
        await f.Client.ExecuteAsync(new OnboardParticipant(country, admin.GetPublicAddress(), TrustDomains.Dcc | TrustDomains.Icvp), f.Anchor, WriteMode.Relayed);
        await f.Client.ExecuteAsync(new UpdateParticipant(country, admin.GetPublicAddress(), TrustDomains.Dcc), f.Anchor, WriteMode.Relayed);
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, issuer, TrustDomains.Dcc, Thumbprint: Thumbprint("relayed-dsc"))), admin, WriteMode.Relayed);
        await f.Client.ExecuteAsync(TrustOperation.SuspendIssuer(country, issuer), admin, WriteMode.Relayed);
        await f.Client.ExecuteAsync(TrustOperation.ReinstateIssuer(country, issuer), admin, WriteMode.Relayed);
        var snapshot = await f.Reader.BuildSnapshotAsync(country);
        await f.Client.ExecuteAsync(AnchorSnapshot.Of(snapshot), admin, WriteMode.Relayed);
        await f.Client.ExecuteAsync(TrustOperation.SuspendParticipant(country), f.Anchor, WriteMode.Relayed);
        await f.Client.ExecuteAsync(TrustOperation.ReinstateParticipant(country), f.Anchor, WriteMode.Relayed);
        await f.Client.ExecuteAsync(TrustOperation.RemoveIssuer(country, issuer), admin, WriteMode.Relayed);

        var trail = await f.Reader.GetAuditTrailAsync(country);
        Assert.Equal(
            ["ParticipantOnboarded", "ParticipantUpdated", "IssuerAdded", "IssuerStatusChanged", "IssuerStatusChanged",
             "SnapshotAnchored", "ParticipantStatusChanged", "ParticipantStatusChanged", "IssuerStatusChanged"],
            trail.Select(e => e.Name));
        Assert.All(trail, e => Assert.NotEqual(f.Connection.RelayerAddress, e.Actor, StringComparer.OrdinalIgnoreCase));
    }
}
