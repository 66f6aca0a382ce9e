using System.Numerics;
using Nethereum.ABI;
using Nethereum.Contracts;
using Vc.Did.Contracts;
using Vc.Did.Encoding;

namespace Vc.Did.Ethr;

/// <summary>
/// The registry's write operations: the call of the plain function (the owner sends it), the call of its *Signed
/// form (a relayer sends it with the owner's v, r, s), and the arguments hashed into the ERC-1056 signed-write
/// message. Calls are encoded by the bindings generated from the registry's ABI.
/// </summary>
public abstract record Erc1056Operation(string Identity)
{
    /// <summary>ERC-1056 function name (also the name hashed into the untyped signed-write layout).</summary>
    public abstract string Function { get; }
    /// <summary>The arguments after the function name as abi.encodePacked values (ERC-1056 signed-write layout).</summary>
    internal abstract ABIValue[] PackedArguments();
    /// <summary>Call data of the plain function.</summary>
    internal abstract byte[] DirectCall();
    /// <summary>Call data of the *Signed function.</summary>
    internal abstract byte[] SignedCall(byte v, byte[] r, byte[] s);

    // Nethereum encodes by the message's static type, hence generic.
    private protected static byte[] Encode<T>(T message) where T : FunctionMessage, new() => message.GetCallData();
    private protected static ABIValue Bytes32(string text) => new("bytes32", Erc1056Log.StringToBytes32(text));
}

public sealed record ChangeOwner(string Identity, string NewOwner) : Erc1056Operation(Identity)
{
    public override string Function => "changeOwner";
    internal override ABIValue[] PackedArguments() => [new("address", NewOwner)];
    internal override byte[] DirectCall() => Encode(new ChangeOwnerFunction { Identity = Identity, NewOwner = NewOwner });
    internal override byte[] SignedCall(byte v, byte[] r, byte[] s) =>
        Encode(new ChangeOwnerSignedFunction { Identity = Identity, SigV = v, SigR = r, SigS = s, NewOwner = NewOwner });
}

public sealed record AddDelegate(string Identity, string DelegateType, string Delegate, BigInteger Validity) : Erc1056Operation(Identity)
{
    public override string Function => "addDelegate";
    internal override ABIValue[] PackedArguments() => [Bytes32(DelegateType), new("address", Delegate), new("uint256", Validity)];
    internal override byte[] DirectCall() => Encode(new AddDelegateFunction
        { Identity = Identity, DelegateType = Erc1056Log.StringToBytes32(DelegateType), Delegate = Delegate, Validity = Validity });
    internal override byte[] SignedCall(byte v, byte[] r, byte[] s) => Encode(new AddDelegateSignedFunction
        { Identity = Identity, SigV = v, SigR = r, SigS = s, DelegateType = Erc1056Log.StringToBytes32(DelegateType), Delegate = Delegate, Validity = Validity });
}

public sealed record RevokeDelegate(string Identity, string DelegateType, string Delegate) : Erc1056Operation(Identity)
{
    public override string Function => "revokeDelegate";
    internal override ABIValue[] PackedArguments() => [Bytes32(DelegateType), new("address", Delegate)];
    internal override byte[] DirectCall() => Encode(new RevokeDelegateFunction
        { Identity = Identity, DelegateType = Erc1056Log.StringToBytes32(DelegateType), Delegate = Delegate });
    internal override byte[] SignedCall(byte v, byte[] r, byte[] s) => Encode(new RevokeDelegateSignedFunction
        { Identity = Identity, SigV = v, SigR = r, SigS = s, DelegateType = Erc1056Log.StringToBytes32(DelegateType), Delegate = Delegate });
}

public sealed record SetAttribute(string Identity, string Name, byte[] Value, BigInteger Validity) : Erc1056Operation(Identity)
{
    public override string Function => "setAttribute";
    internal override ABIValue[] PackedArguments() => [Bytes32(Name), new("bytes", Value), new("uint256", Validity)];
    internal override byte[] DirectCall() => Encode(new SetAttributeFunction
        { Identity = Identity, Name = Erc1056Log.StringToBytes32(Name), Value = Value, Validity = Validity });
    internal override byte[] SignedCall(byte v, byte[] r, byte[] s) => Encode(new SetAttributeSignedFunction
        { Identity = Identity, SigV = v, SigR = r, SigS = s, Name = Erc1056Log.StringToBytes32(Name), Value = Value, Validity = Validity });
}

public sealed record RevokeAttribute(string Identity, string Name, byte[] Value) : Erc1056Operation(Identity)
{
    public override string Function => "revokeAttribute";
    internal override ABIValue[] PackedArguments() => [Bytes32(Name), new("bytes", Value)];
    internal override byte[] DirectCall() => Encode(new RevokeAttributeFunction
        { Identity = Identity, Name = Erc1056Log.StringToBytes32(Name), Value = Value });
    internal override byte[] SignedCall(byte v, byte[] r, byte[] s) => Encode(new RevokeAttributeSignedFunction
        { Identity = Identity, SigV = v, SigR = r, SigS = s, Name = Erc1056Log.StringToBytes32(Name), Value = Value });
}

/// <summary>Hashes that an identity owner signs for a relayed write.</summary>
public static class Erc1056Hashes
{
    private static readonly ABIEncode Abi = new();

    /// <summary>
    /// ERC-1056 signed-write message: 0x19 ‖ 0x00 ‖ registry ‖ nonce[owner] ‖ identity ‖ function name ‖ packed args.
    /// Not bound to a chain: kept for compatibility with existing tools.
    /// </summary>
    public static byte[] Erc1056Packed(string registry, BigInteger ownerNonce, Erc1056Operation op) =>
        Abi.GetABIEncodedPacked([
            new("bytes1", new byte[] { 0x19 }), new("bytes1", new byte[] { 0x00 }), new("address", CheckAddress(registry)),
            new("uint256", ownerNonce), new("address", CheckAddress(op.Identity)), new("string", op.Function), .. op.PackedArguments()]);

    public static byte[] Erc1056Hash(string registry, BigInteger ownerNonce, Erc1056Operation op) =>
        Codec.Keccak256(Erc1056Packed(registry, ownerNonce, op));

    /// <summary>EIP-712 §"Definition of domainSeparator": name "EthereumDIDRegistry", version "1", chainId, registry.</summary>
    public static byte[] DomainSeparator(long chainId, string registry) => Codec.Keccak256(Abi.GetABIEncoded(
        new ABIValue("bytes32", Codec.Keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"u8)),
        new ABIValue("bytes32", Codec.Keccak256("EthereumDIDRegistry"u8)),
        new ABIValue("bytes32", Codec.Keccak256("1"u8)),
        new ABIValue("uint256", new BigInteger(chainId)),
        new ABIValue("address", CheckAddress(registry))));

    /// <summary>
    /// Chain-bound signing hash (our registry's addition, submitted with v + 2): EIP-712
    /// keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ hashStruct(ERC1056Write(bytes32 erc1056Hash))), the domain naming the
    /// chain id and registry; the ERC-1056 hash inside already binds registry, owner nonce, identity and arguments.
    /// </summary>
    public static byte[] TypedHash(long chainId, string registry, BigInteger ownerNonce, Erc1056Operation op)
    {
        var structHash = Codec.Keccak256(Abi.GetABIEncoded(
            new ABIValue("bytes32", Codec.Keccak256("ERC1056Write(bytes32 erc1056Hash)"u8)),
            new ABIValue("bytes32", Erc1056Hash(registry, ownerNonce, op))));
        return Codec.Keccak256([0x19, 0x01, .. DomainSeparator(chainId, registry), .. structHash]);
    }

    /// <summary>sigV offset marking a chain-bound (EIP-712) signature in the *Signed functions of our registry.</summary>
    public const byte ChainBoundVOffset = 2;

    private static string CheckAddress(string address) =>
        Codec.IsHexAddress(address) ? address : throw new ArgumentException($"not an address: {Codec.Short(address)}");
}
