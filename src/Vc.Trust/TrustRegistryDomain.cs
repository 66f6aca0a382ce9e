using System.Numerics;
using Nethereum.Signer;

namespace Vc.Trust;

/// <summary>The EIP-712 domain of one deployed registry: binds signatures to its chain and address.</summary>
public sealed record TrustRegistryDomain(long ChainId, string VerifyingContract)
{
    public const string Name = "VcHealthTrustRegistry";
    public const string Version = "1";

    /// <summary>EIP-712 §"Definition of domainSeparator".</summary>
    public byte[] Separator() => Words.Keccak(
        Words.Keccak("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
        Words.Keccak(Name), Words.Keccak(Version), Words.Uint((ulong)ChainId), Words.Address(VerifyingContract));

    /// <summary>EIP-712 hashStruct(message) = keccak256(typeHash ‖ encodeData(message)), nonce and deadline last.</summary>
    public static byte[] StructHash(TrustOperation operation, BigInteger nonce, BigInteger deadline) =>
        Words.Keccak([Words.Keccak(operation.TypeString), .. operation.EncodeFields(), Words.Uint(nonce), Words.Uint(deadline)]);

    /// <summary>EIP-712: keccak256("\x19\x01" ‖ domainSeparator ‖ hashStruct(message)).</summary>
    public byte[] Digest(TrustOperation operation, BigInteger nonce, BigInteger deadline) =>
        Words.Keccak([0x19, 0x01], Separator(), StructHash(operation, nonce, deadline));
}

/// <summary>
/// A write signed by an authorised key, ready for any account to relay. Carries no key material:
/// the signer's address, its registry nonce, the deadline, the chain it was signed for and the r‖s‖v signature.
/// </summary>
public sealed record SignedTrustWrite(
    TrustOperation Operation, string Signer, BigInteger Nonce, DateTimeOffset Deadline, long ChainId, string SignatureHex)
{
    /// <summary>Signs offline for a given registry domain and nonce.</summary>
    public static SignedTrustWrite Sign(TrustOperation operation, EthECKey signer, TrustRegistryDomain domain, BigInteger nonce, DateTimeOffset deadline)
    {
        var digest = domain.Digest(operation, nonce, deadline.ToUnixTimeSeconds());
        var signature = signer.SignAndCalculateV(digest);
        var rsv = new byte[65];
        signature.R.CopyTo(rsv, 32 - signature.R.Length);
        signature.S.CopyTo(rsv, 64 - signature.S.Length);
        rsv[64] = signature.V[0];
        return new SignedTrustWrite(operation, signer.GetPublicAddress(), nonce, deadline, domain.ChainId, "0x" + Convert.ToHexStringLower(rsv));
    }
}
