using Nethereum.Contracts;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Vc.Trust.Contracts;

namespace Vc.Trust.Tests;

/// <summary>
/// The contract's own checks, reached with raw ABI calls that the typed client would never build, and the reader's
/// robustness to whatever the contract accepted.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class ContractDefenceTests(RegistryFixture f)
{
    private async Task<TrustRegistryException> RawRefusal<T>(Nethereum.Signer.EthECKey sender, T message) where T : FunctionMessage, new()
    {
        var web3 = new Web3(new Account(sender, f.Connection.ChainId), f.Connection.RpcUrl.ToString());
        var e = await Assert.ThrowsAnyAsync<Exception>(() =>
            web3.Eth.GetContractTransactionHandler<T>().SendRequestAndWaitForReceiptAsync(f.Client.Address, message));
        return TrustRegistryClient.Translate(e);
    }

    [Theory]
    [InlineData("ken")]
    [InlineData("K1N")]
    [InlineData("\0\0\0")]
    public async Task The_contract_refuses_country_codes_that_are_not_three_capital_letters(string code)
    {
        var e = await RawRefusal(f.Anchor, new OnboardParticipantFunction
        {
            Country = System.Text.Encoding.ASCII.GetBytes(code), Admin = f.Anchor.GetPublicAddress(), Domains = 1,
        });
        Assert.Equal(TrustRegistryError.InvalidCountryCode, e.Error);
    }

    [Fact]
    public async Task The_contract_refuses_issuer_kinds_and_identifiers_it_does_not_know()
    {
        var (country, admin, _) = await f.OnboardAsync();
        IssuerInputTuple Input(byte kind, byte[] identifier) => new()
        {
            Country = country.ToBytes3(), Kind = kind, Identifier = identifier, Thumbprint = new byte[32], Domains = 1,
            ValidFrom = 0, ValidUntil = ulong.MaxValue,
        };
        Assert.Equal(TrustRegistryError.InvalidIssuer, (await RawRefusal(admin, new AddIssuerFunction { Input = Input(0, "did:web:a.example"u8.ToArray()) })).Error);
        Assert.Equal(TrustRegistryError.InvalidIssuer, (await RawRefusal(admin, new AddIssuerFunction { Input = Input(1, "web:a.example"u8.ToArray()) })).Error);
        Assert.Equal(TrustRegistryError.InvalidIssuer, (await RawRefusal(admin, new AddIssuerFunction { Input = Input(1, new byte[513]) })).Error);
        var unknownKind = await RawRefusal(admin, new AddIssuerFunction { Input = Input(0, "did:web:a.example"u8.ToArray()) });
        Assert.Equal(IssuerKind.None, unknownKind.Arguments[0]);
    }

    [Fact]
    public async Task An_odd_but_accepted_identifier_does_not_make_the_history_unreadable()
    {
        var (country, admin, _) = await f.OnboardAsync();
        // The contract only checks the "did:" prefix and the length; the client's DID parser is stricter.
        var web3 = new Web3(new Account(admin, f.Connection.ChainId), f.Connection.RpcUrl.ToString());
        await web3.Eth.GetContractTransactionHandler<AddIssuerFunction>().SendRequestAndWaitForReceiptAsync(f.Client.Address, new AddIssuerFunction
        {
            Input = new IssuerInputTuple
            {
                Country = country.ToBytes3(), Kind = 1, Identifier = "did:web:has space"u8.ToArray(), Thumbprint = new byte[32],
                Domains = 1, ValidFrom = 0, ValidUntil = ulong.MaxValue,
            },
        });
        var good = IssuerRef.Did("did:web:fine.example");
        await f.Client.ExecuteAsync(new AddIssuer(new IssuerRegistration(country, good, TrustDomains.Icvp)), admin);

        var trail = await f.Reader.GetAuditTrailAsync(country);
        Assert.Equal("did:web:has space", trail.OfType<IssuerAdded>().First().Entry.Issuer.Value);
        Assert.True((await f.Reader.CheckAsync(new TrustQuery(country, good, TrustDomains.Icvp))).Trusted);
        Assert.Equal(2, (await f.Reader.BuildSnapshotAsync(country)).Leaves.Count);
    }
}
