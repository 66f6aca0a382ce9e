using System.Numerics;
using Vc.Did.Encoding;

namespace Vc.Did.Ethr;

/// <summary>The registry's write operations, as signed-write hashes and call arguments.</summary>
public abstract record Erc1056Operation(string Identity)
{
    /// <summary>ERC-1056 function name (also the name hashed into the untyped signed-write layout).</summary>
    public abstract string Function { get; }
    /// <summary>abi.encodePacked of the arguments after the function name (ERC-1056 signed-write layout).</summary>
    public abstract byte[] PackedArguments();
    /// <summary>Arguments of the contract call after the (v, r, s) of a signed form.</summary>
    public abstract object[] CallArguments();
}

public sealed record ChangeOwner(string Identity, string NewOwner) : Erc1056Operation(Identity)
{
    public override string Function => "changeOwner";
    public override byte[] PackedArguments() => Erc1056Hashes.Address(NewOwner);
    public override object[] CallArguments() => [NewOwner];
}

public sealed record AddDelegate(string Identity, string DelegateType, string Delegate, BigInteger Validity) : Erc1056Operation(Identity)
{
    public override string Function => "addDelegate";
    public override byte[] PackedArguments() => [.. Erc1056Log.StringToBytes32(DelegateType), .. Erc1056Hashes.Address(Delegate), .. Erc1056Hashes.Word(Validity)];
    public override object[] CallArguments() => [Erc1056Log.StringToBytes32(DelegateType), Delegate, Validity];
}

public sealed record RevokeDelegate(string Identity, string DelegateType, string Delegate) : Erc1056Operation(Identity)
{
    public override string Function => "revokeDelegate";
    public override byte[] PackedArguments() => [.. Erc1056Log.StringToBytes32(DelegateType), .. Erc1056Hashes.Address(Delegate)];
    public override object[] CallArguments() => [Erc1056Log.StringToBytes32(DelegateType), Delegate];
}

public sealed record SetAttribute(string Identity, string Name, byte[] Value, BigInteger Validity) : Erc1056Operation(Identity)
{
    public override string Function => "setAttribute";
    public override byte[] PackedArguments() => [.. Erc1056Log.StringToBytes32(Name), .. Value, .. Erc1056Hashes.Word(Validity)];
    public override object[] CallArguments() => [Erc1056Log.StringToBytes32(Name), Value, Validity];
}

public sealed record RevokeAttribute(string Identity, string Name, byte[] Value) : Erc1056Operation(Identity)
{
    public override string Function => "revokeAttribute";
    public override byte[] PackedArguments() => [.. Erc1056Log.StringToBytes32(Name), .. Value];
    public override object[] CallArguments() => [Erc1056Log.StringToBytes32(Name), Value];
}

/// <summary>Hashes that an identity owner signs for a relayed write.</summary>
public static class Erc1056Hashes
{
    /// <summary>
    /// ERC-1056 signed-write message: 0x19 ‖ 0x00 ‖ registry ‖ nonce[owner] ‖ identity ‖ function name ‖ packed args.
    /// Not bound to a chain: kept for compatibility with existing tools.
    /// </summary>
    public static byte[] Erc1056Packed(string registry, BigInteger ownerNonce, Erc1056Operation op) =>
        [0x19, 0x00, .. Address(registry), .. Word(ownerNonce), .. Address(op.Identity), .. System.Text.Encoding.UTF8.GetBytes(op.Function), .. op.PackedArguments()];

    public static byte[] Erc1056Hash(string registry, BigInteger ownerNonce, Erc1056Operation op) =>
        Codec.Keccak256(Erc1056Packed(registry, ownerNonce, op));

    /// <summary>EIP-712 §"Definition of domainSeparator": name "EthereumDIDRegistry", version "1", chainId, registry.</summary>
    public static byte[] DomainSeparator(long chainId, string registry) => Codec.Keccak256([
        .. Codec.Keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"u8),
        .. Codec.Keccak256("EthereumDIDRegistry"u8),
        .. Codec.Keccak256("1"u8),
        .. Word(new BigInteger(chainId)),
        .. Word(registry)]);

    /// <summary>
    /// Chain-bound signing hash (our registry's addition, submitted with v + 2): EIP-712
    /// keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ hashStruct(ERC1056Write(bytes32 erc1056Hash))), the domain naming the
    /// chain id and registry; the ERC-1056 hash inside already binds registry, owner nonce, identity and arguments.
    /// </summary>
    public static byte[] TypedHash(long chainId, string registry, BigInteger ownerNonce, Erc1056Operation op)
    {
        var structHash = Codec.Keccak256([.. Codec.Keccak256("ERC1056Write(bytes32 erc1056Hash)"u8), .. Erc1056Hash(registry, ownerNonce, op)]);
        return Codec.Keccak256([0x19, 0x01, .. DomainSeparator(chainId, registry), .. structHash]);
    }

    /// <summary>sigV offset marking a chain-bound (EIP-712) signature in the *Signed functions of our registry.</summary>
    public const byte ChainBoundVOffset = 2;

    internal static byte[] Address(string address)
    {
        if (!Codec.IsHexAddress(address)) throw new ArgumentException($"not an address: {Codec.Short(address)}");
        return Convert.FromHexString(address[2..]);
    }

    internal static byte[] Word(string address) => [.. new byte[12], .. Address(address)];

    internal static byte[] Word(BigInteger value)
    {
        if (value.Sign < 0) throw new ArgumentOutOfRangeException(nameof(value));
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        if (bytes.Length > 32) throw new ArgumentOutOfRangeException(nameof(value), "does not fit uint256");
        var word = new byte[32];
        bytes.CopyTo(word, 32 - bytes.Length);
        return word;
    }
}
