using System.Numerics;
using Nethereum.Contracts;
using Nethereum.Contracts.Extensions;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Signer;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Newtonsoft.Json.Linq;
using Vc.Did.Ledger;
using Vc.Trust.Contracts;

namespace Vc.Trust;

/// <summary>How a write reaches the chain.</summary>
public enum WriteMode
{
    /// <summary>The actor sends (and pays for) its own transaction.</summary>
    Direct,
    /// <summary>The actor signs EIP-712 typed data; the connection's relayer account submits it.</summary>
    Relayed,
}

/// <summary>A mined registry write.</summary>
public sealed record TrustWriteResult(string TransactionHash, long BlockNumber, long GasUsed, string Actor, string Sender);

/// <summary>Writes to a deployed TrustRegistry: onboarding, issuers, status changes, snapshots; direct or relayed.</summary>
public sealed class TrustRegistryClient
{
    /// <summary>Name of the compiled contract (contracts/build/TrustRegistry.json).</summary>
    public const string ArtifactName = "TrustRegistry";
    private static readonly TimeSpan DefaultSignatureLifetime = TimeSpan.FromHours(1);

    public LedgerConnection Connection { get; }
    public string Address { get; }
    public TrustRegistryDomain Domain { get; }

    public TrustRegistryClient(LedgerConnection connection, string address)
    {
        Connection = connection;
        Address = address;
        Domain = new TrustRegistryDomain(connection.ChainId, address);
    }

    /// <summary>Deploys a new registry whose trust anchor is <paramref name="trustAnchor"/> (paid by the relayer).</summary>
    public static async Task<(TrustRegistryClient Client, long Block)> DeployAsync(LedgerConnection connection, string trustAnchor)
    {
        var deployment = new TrustRegistryDeployment { TrustAnchor = Words.CheckedAddress(trustAnchor) };
        var (address, block) = await connection.DeployAsync(ArtifactName, deployment.GetDeploymentData().ToHex(true));
        return (new TrustRegistryClient(connection, address), block);
    }

    /// <summary>Opens an existing registry, refusing an address without contract code (RegistryNotFound).</summary>
    public static async Task<TrustRegistryClient> OpenAsync(LedgerConnection connection, string address)
    {
        Words.CheckedAddress(address);
        if (!await connection.HasCodeAsync(address))
            throw new TrustRegistryException(TrustRegistryError.RegistryNotFound, $"no contract at {address} on chain {connection.ChainId}");
        return new TrustRegistryClient(connection, address);
    }

    /// <summary>
    /// Performs one write as <paramref name="actor"/>: its own transaction (<see cref="WriteMode.Direct"/>, the
    /// actor's account needs ether) or signed by it and submitted by the relayer (<see cref="WriteMode.Relayed"/>).
    /// Contract rejections surface as <see cref="TrustRegistryException"/> with the decoded custom error.
    /// </summary>
    public async Task<TrustWriteResult> ExecuteAsync(TrustOperation operation, EthECKey actor, WriteMode mode = WriteMode.Direct, CancellationToken ct = default)
    {
        if (mode == WriteMode.Relayed)
            return await RelayAsync(await SignAsync(operation, actor, ct: ct), ct);
        var web3 = Connection.Web3On(new Account(actor, Connection.ChainId));
        var address = actor.GetPublicAddress();
        return await SendAsync(web3, address, operation.Direct(), address, ct);
    }

    /// <summary>Signs a write for this registry with the signer's current nonce; default deadline: one hour of chain time.</summary>
    public async Task<SignedTrustWrite> SignAsync(TrustOperation operation, EthECKey signer, DateTimeOffset? deadline = null, CancellationToken ct = default)
    {
        var nonce = await GetNonceAsync(signer.GetPublicAddress(), ct);
        if (deadline is null)
        {
            // The contract compares with block time, which need not follow the wall clock (dev chains jump).
            var latest = await Connection.Web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber
                .SendRequestAsync(BlockParameter.CreateLatest()).WaitAsync(ct);
            deadline = DateTimeOffset.FromUnixTimeSeconds((long)latest.Timestamp.Value) + DefaultSignatureLifetime;
        }
        return SignedTrustWrite.Sign(operation, signer, Domain, nonce, deadline.Value);
    }

    /// <summary>Submits a signed write from the connection's relayer account.</summary>
    public Task<TrustWriteResult> RelayAsync(SignedTrustWrite write, CancellationToken ct = default)
    {
        byte[] signature;
        try { signature = write.SignatureHex.HexToByteArray(); }
        catch (FormatException e) { throw new TrustRegistryException(TrustRegistryError.InvalidInput, "signature is not hex", e); }
        Words.CheckedAddress(write.Signer);
        var auth = new AuthTuple
        {
            Signer = write.Signer,
            Nonce = write.Nonce,
            Deadline = write.Deadline.ToUnixTimeSeconds(),
            ChainId = write.ChainId,
            Signature = signature,
        };
        return SendAsync(Connection.Web3, Connection.RelayerAddress, write.Operation.Signed(auth), write.Signer, ct);
    }

    /// <summary>The next nonce the registry expects in a signed write from <paramref name="signer"/>.</summary>
    public async Task<BigInteger> GetNonceAsync(string signer, CancellationToken ct = default) =>
        await Connection.Web3.Eth.GetContractQueryHandler<NoncesFunction>()
            .QueryAsync<BigInteger>(Address, new NoncesFunction { Arg1 = signer }).WaitAsync(ct);

    /// <summary>The current trust anchor address.</summary>
    public async Task<string> GetAnchorAsync() =>
        await Connection.Web3.Eth.GetContractQueryHandler<AnchorFunction>().QueryAsync<string>(Address, new AnchorFunction());

    private async Task<TrustWriteResult> SendAsync(Web3 web3, string from, byte[] callData, string actor, CancellationToken ct)
    {
        TransactionReceipt receipt;
        // A reverting write fails at the gas estimate, with the custom error in the RPC error data.
        try { receipt = await LedgerTransactions.SendAsync(web3, from, Address, callData.ToHex(true), Connection.Receipts, ct); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Translate(e);
        }
        if (receipt.Status?.Value != BigInteger.One)
            throw new TrustRegistryException(TrustRegistryError.TransactionFailed, $"transaction {receipt.TransactionHash} reverted");
        return new TrustWriteResult(receipt.TransactionHash, (long)receipt.BlockNumber.Value, (long)receipt.GasUsed.Value, actor, from);
    }

    /// <summary>Finds revert data anywhere in a Nethereum/RPC exception chain and decodes it.</summary>
    internal static TrustRegistryException Translate(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            var hex = x switch
            {
                SmartContractCustomErrorRevertException c => c.ExceptionEncodedData,
                RpcResponseException r => DataOf(r.RpcError?.Data),
                _ => null,
            };
            if (hex is { Length: >= 10 }) return RevertDecoder.Decode(hex, e);
        }
        return new TrustRegistryException(TrustRegistryError.TransactionFailed, e.Message, e);
    }

    private static string? DataOf(object? data) => data switch
    {
        string s => s,
        JValue { Type: JTokenType.String } v => (string?)v,
        JObject o => DataOf(o["data"]),
        _ => null,
    };
}
