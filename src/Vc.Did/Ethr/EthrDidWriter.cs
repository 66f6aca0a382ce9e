using System.Numerics;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.JsonRpc.Client;
using Nethereum.Signer;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Vc.Did.Contracts;
using Vc.Did.Encoding;
using Vc.Did.Ledger;

namespace Vc.Did.Ethr;

/// <summary>
/// A did:ethr identity: a secp256k1 owner key. The private key never leaves this object and is never printed.
/// </summary>
public sealed class EthrIdentity
{
    private readonly EthECKey _key;

    private EthrIdentity(EthECKey key)
    {
        _key = key;
        Address = Codec.ChecksumAddress(key.GetPublicAddress());
        PublicKey = Codec.Secp256k1Compressed(key.GetPubKey())!;
    }

    /// <summary>Creates a new identity with a fresh owner key.</summary>
    public static EthrIdentity Create() => new(EthECKey.GenerateKey());

    /// <summary>An identity from an existing 32-byte private key (hex).</summary>
    public static EthrIdentity FromPrivateKey(string privateKeyHex) => new(new EthECKey(privateKeyHex));

    public string Address { get; }
    /// <summary>Compressed secp256k1 public key (33 bytes).</summary>
    public byte[] PublicKey { get; }

    public string Did(string? network) => EthrDid.For(Address, network);

    /// <summary>The private key as hex, for the caller's key store only.</summary>
    public string ExportPrivateKey() => _key.GetPrivateKey();

    /// <summary>Signs a 32-byte hash as is (no message prefix): v ∈ {27, 28}, r, s (low-s, RFC 6979 nonces).</summary>
    public (byte V, byte[] R, byte[] S) SignHash(byte[] hash)
    {
        if (hash.Length != 32) throw new ArgumentException("a 32-byte hash is required", nameof(hash));
        var sig = _key.SignAndCalculateV(hash);
        return (sig.V[0], Pad32(sig.R), Pad32(sig.S));
    }

    internal Account Account(long chainId) => new(_key, chainId);

    private static byte[] Pad32(byte[] b) => b.Length == 32 ? b : [.. new byte[32 - b.Length], .. b];

    public override string ToString() => $"EthrIdentity({Address})";
}

/// <summary>How a write reaches the registry.</summary>
public enum WriteMode
{
    /// <summary>The owner key sends the transaction itself (it needs ether).</summary>
    Direct,
    /// <summary>The owner signs the ERC-1056 hash; the relayer submits *Signed (works on any ERC-1056 registry, replayable across chains).</summary>
    SignedErc1056,
    /// <summary>
    /// The owner signs an EIP-712 hash bound to chain id and registry; the relayer submits *Signed with v + 2
    /// (our registry only: a signature for one chain is rejected on every other).
    /// </summary>
    SignedTyped,
}

public enum DidWriteError
{
    InvalidInput,
    ValueTooLarge,
    Reverted,
    Unreachable,
    /// <summary>Sent, but no receipt within the writer's <see cref="ReceiptPolicy"/> (it may still be mined later).</summary>
    NotMined,
}

/// <summary>A typed failure of a registry write; <see cref="Step"/> names the operation.</summary>
public sealed class DidWriteException(DidWriteError error, string step, string message, Exception? inner = null)
    : Exception($"did:ethr write {step}: {error}: {message}", inner)
{
    public DidWriteError Error { get; } = error;
    public string Step { get; } = step;
}

public sealed record WriteReceipt(string TransactionHash, long BlockNumber, long GasUsed);

/// <summary>A public key attribute as published in the registry (name and raw value).</summary>
public sealed record KeyAttribute(string Name, byte[] Value)
{
    /// <summary>did/pub/Ed25519/veriKey/base58: resolves to Ed25519VerificationKey2020 in assertionMethod.</summary>
    public static KeyAttribute Ed25519Assertion(byte[] publicKey) =>
        publicKey.Length == 32 ? new("did/pub/Ed25519/veriKey/base58", publicKey) : throw new ArgumentException("an Ed25519 key is 32 bytes");

    /// <summary>did/pub/Multikey/veriKey/hex with 0x8024 ‖ compressed P-256 key: resolves to a Multikey in assertionMethod.</summary>
    public static KeyAttribute P256Assertion(byte[] compressedPublicKey) =>
        compressedPublicKey.Length == 33 && compressedPublicKey[0] is 2 or 3
            ? new("did/pub/Multikey/veriKey/hex", [.. Multicodec.P256Public, .. compressedPublicKey])
            : throw new ArgumentException("a compressed P-256 key is 33 bytes starting 02/03");

    /// <summary>did/pub/X25519/enc/base58: resolves to X25519KeyAgreementKey2020 in keyAgreement.</summary>
    public static KeyAttribute X25519KeyAgreement(byte[] publicKey) =>
        publicKey.Length == 32 ? new("did/pub/X25519/enc/base58", publicKey) : throw new ArgumentException("an X25519 key is 32 bytes");
}

/// <summary>
/// Writes did:ethr changes to an ERC-1056 registry through Nethereum and the generated registry bindings: directly
/// with the owner key, or as signed writes submitted by a relayer account so issuers need no ether. Any ERC-1056
/// registry works (the calls are ERC-1056's); the chain-bound mode needs ours.
/// </summary>
public sealed class EthrDidWriter
{
    public const int MaxValueBytes = 8 * 1024;
    private static readonly BigInteger MaxValiditySeconds = new(100L * 366 * 24 * 3600);
    private readonly Web3 _relayer;
    private readonly string _relayerAddress;
    private readonly string _registry;
    private readonly ReceiptPolicy _receipts;

    public long ChainId { get; }
    public string RegistryAddress => _registry;

    /// <param name="relayer">A Web3 with a funded account that submits signed writes.</param>
    /// <param name="receipts">How long to look for receipts (default: <see cref="ReceiptPolicy.Default"/>).</param>
    public EthrDidWriter(Web3 relayer, string relayerAddress, string registryAddress, long chainId, ReceiptPolicy? receipts = null)
    {
        _relayer = relayer;
        _relayerAddress = relayerAddress;
        _registry = Codec.ChecksumAddress(registryAddress);
        ChainId = chainId;
        _receipts = receipts ?? ReceiptPolicy.Default;
    }

    public Task<WriteReceipt> SetAttributeAsync(EthrIdentity owner, string identity, string name, byte[] value, TimeSpan validity, WriteMode mode = WriteMode.SignedTyped, CancellationToken ct = default)
    {
        if (value.Length > MaxValueBytes) throw new DidWriteException(DidWriteError.ValueTooLarge, "setAttribute", $"value of {value.Length} bytes exceeds {MaxValueBytes}");
        return WriteAsync(owner, new SetAttribute(identity, CheckName(name, "setAttribute"), value, Seconds(validity, "setAttribute")), mode, ct);
    }

    public Task<WriteReceipt> RevokeAttributeAsync(EthrIdentity owner, string identity, string name, byte[] value, WriteMode mode = WriteMode.SignedTyped, CancellationToken ct = default)
    {
        if (value.Length > MaxValueBytes) throw new DidWriteException(DidWriteError.ValueTooLarge, "revokeAttribute", $"value of {value.Length} bytes exceeds {MaxValueBytes}");
        return WriteAsync(owner, new RevokeAttribute(identity, CheckName(name, "revokeAttribute"), value), mode, ct);
    }

    public Task<WriteReceipt> AddDelegateAsync(EthrIdentity owner, string identity, string delegateType, string delegateAddress, TimeSpan validity, WriteMode mode = WriteMode.SignedTyped, CancellationToken ct = default) =>
        WriteAsync(owner, new AddDelegate(identity, CheckName(delegateType, "addDelegate"), CheckAddress(delegateAddress, "addDelegate"), Seconds(validity, "addDelegate")), mode, ct);

    public Task<WriteReceipt> RevokeDelegateAsync(EthrIdentity owner, string identity, string delegateType, string delegateAddress, WriteMode mode = WriteMode.SignedTyped, CancellationToken ct = default) =>
        WriteAsync(owner, new RevokeDelegate(identity, CheckName(delegateType, "revokeDelegate"), CheckAddress(delegateAddress, "revokeDelegate")), mode, ct);

    public Task<WriteReceipt> ChangeOwnerAsync(EthrIdentity owner, string identity, string newOwner, WriteMode mode = WriteMode.SignedTyped, CancellationToken ct = default) =>
        WriteAsync(owner, new ChangeOwner(identity, CheckAddress(newOwner, "changeOwner")), mode, ct);

    /// <summary>Deactivates the DID: owner 0x0. Final on our registry.</summary>
    public Task<WriteReceipt> DeactivateAsync(EthrIdentity owner, string identity, WriteMode mode = WriteMode.SignedTyped, CancellationToken ct = default) =>
        WriteAsync(owner, new ChangeOwner(identity, EthrDocumentBuilder.NullAddress), mode, ct);

    public Task<WriteReceipt> PublishKeyAsync(EthrIdentity owner, string identity, KeyAttribute key, TimeSpan validity, WriteMode mode = WriteMode.SignedTyped, CancellationToken ct = default) =>
        SetAttributeAsync(owner, identity, key.Name, key.Value, validity, mode, ct);

    /// <summary>Adds a service: did/svc/&lt;type&gt; with the endpoint (a URL or JSON) as UTF-8.</summary>
    public Task<WriteReceipt> AddServiceAsync(EthrIdentity owner, string identity, string type, string endpoint, TimeSpan validity, WriteMode mode = WriteMode.SignedTyped, CancellationToken ct = default) =>
        SetAttributeAsync(owner, identity, "did/svc/" + type, System.Text.Encoding.UTF8.GetBytes(endpoint), validity, mode, ct);

    /// <summary>
    /// Rotates a key: publishes <paramref name="newKey"/>, then revokes <paramref name="oldKey"/> now, or — with
    /// <paramref name="oldKeyExpiresAt"/> — re-publishes it to expire at that time (credentials signed with it stay
    /// verifiable until then).
    /// </summary>
    public async Task<IReadOnlyList<WriteReceipt>> RotateKeyAsync(EthrIdentity owner, string identity, KeyAttribute oldKey, KeyAttribute newKey,
        TimeSpan newKeyValidity, DateTimeOffset? oldKeyExpiresAt = null, WriteMode mode = WriteMode.SignedTyped, CancellationToken ct = default)
    {
        var receipts = new List<WriteReceipt> { await PublishKeyAsync(owner, identity, newKey, newKeyValidity, mode, ct) };
        if (oldKeyExpiresAt is { } expires)
        {
            var block = await _relayer.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new Nethereum.Hex.HexTypes.HexBigInteger(receipts[0].BlockNumber)).WaitAsync(ct);
            var remaining = expires.ToUnixTimeSeconds() - (long)block.Timestamp.Value;
            if (remaining <= 0) throw new DidWriteException(DidWriteError.InvalidInput, "rotateKey", "the old key's expiry is not in the future");
            receipts.Add(await SetAttributeAsync(owner, identity, oldKey.Name, oldKey.Value, TimeSpan.FromSeconds(remaining), mode, ct));
        }
        else receipts.Add(await RevokeAttributeAsync(owner, identity, oldKey.Name, oldKey.Value, mode, ct));
        return receipts;
    }

    /// <summary>Owner nonce for signed writes (shared by every identity this owner controls).</summary>
    public async Task<BigInteger> NonceAsync(string owner) =>
        await _relayer.Eth.GetContractQueryHandler<NonceFunction>().QueryAsync<BigInteger>(_registry, new NonceFunction { Arg1 = owner });

    /// <summary>Sends one registry operation in the chosen mode and waits for its receipt.</summary>
    public async Task<WriteReceipt> WriteAsync(EthrIdentity owner, Erc1056Operation op, WriteMode mode, CancellationToken ct = default)
    {
        CheckAddress(op.Identity, op.Function);
        try
        {
            Web3 sender;
            string from, function;
            byte[] call;
            if (mode == WriteMode.Direct)
            {
                sender = new Web3(owner.Account(ChainId), _relayer.Client);
                sender.TransactionManager.UseLegacyAsDefault = false;
                from = owner.Address;
                function = op.Function;
                call = op.DirectCall();
            }
            else
            {
                var nonce = await NonceAsync(owner.Address);
                var hash = mode == WriteMode.SignedTyped
                    ? Erc1056Hashes.TypedHash(ChainId, _registry, nonce, op)
                    : Erc1056Hashes.Erc1056Hash(_registry, nonce, op);
                var (v, r, s) = owner.SignHash(hash);
                if (mode == WriteMode.SignedTyped) v += Erc1056Hashes.ChainBoundVOffset;
                sender = _relayer;
                from = _relayerAddress;
                function = op.Function + "Signed";
                call = op.SignedCall(v, r, s);
            }
            var receipt = await LedgerTransactions.SendAsync(sender, from, _registry, call.ToHex(true), _receipts, ct);
            if (receipt.Status?.Value != BigInteger.One)
                throw new DidWriteException(DidWriteError.Reverted, function, $"transaction {receipt.TransactionHash} reverted");
            return new WriteReceipt(receipt.TransactionHash, (long)receipt.BlockNumber.Value, (long)receipt.GasUsed.Value);
        }
        catch (SmartContractRevertException e) { throw new DidWriteException(DidWriteError.Reverted, op.Function, e.RevertMessage ?? e.Message, e); }
        catch (SmartContractCustomErrorRevertException e) { throw new DidWriteException(DidWriteError.Reverted, op.Function, e.Message, e); }
        catch (RpcResponseException e) when (e.RpcError?.Message?.Contains("revert", StringComparison.OrdinalIgnoreCase) == true)
        { throw new DidWriteException(DidWriteError.Reverted, op.Function, e.RpcError.Message, e); }
        catch (RpcResponseException e) { throw new DidWriteException(DidWriteError.Reverted, op.Function, e.RpcError?.Message ?? e.Message, e); }
        catch (RpcClientUnknownException e) { throw new DidWriteException(DidWriteError.Unreachable, op.Function, e.Message, e); }
        catch (RpcClientTimeoutException e) { throw new DidWriteException(DidWriteError.Unreachable, op.Function, e.Message, e); }
        catch (HttpRequestException e) { throw new DidWriteException(DidWriteError.Unreachable, op.Function, e.Message, e); }
        catch (LedgerException e) when (e.Error == LedgerError.ReceiptMissing) { throw new DidWriteException(DidWriteError.NotMined, op.Function, e.Message, e); }
        catch (LedgerException e) { throw new DidWriteException(DidWriteError.Unreachable, op.Function, e.Message, e); }
    }

    private static string CheckName(string name, string step)
    {
        try { Erc1056Log.StringToBytes32(name); }
        catch (Exception e) when (e is ArgumentException or System.Text.EncoderFallbackException)
        { throw new DidWriteException(DidWriteError.InvalidInput, step, $"name must be valid UTF-8 of at most 32 bytes: {e.Message}"); }
        if (name.Length == 0 || name.Contains('\0')) throw new DidWriteException(DidWriteError.InvalidInput, step, "name must be non-empty without NUL characters");
        return name;
    }

    private static string CheckAddress(string address, string step) =>
        Codec.IsHexAddress(address) && Codec.HasValidChecksum(address)
            ? address
            : throw new DidWriteException(DidWriteError.InvalidInput, step, $"not an Ethereum address: {Codec.Short(address)}");

    private static BigInteger Seconds(TimeSpan validity, string step)
    {
        var s = new BigInteger(Math.Ceiling(validity.TotalSeconds));
        if (s <= 0 || s > MaxValiditySeconds) throw new DidWriteException(DidWriteError.InvalidInput, step, "validity must be between 1 second and 100 years");
        return s;
    }
}
