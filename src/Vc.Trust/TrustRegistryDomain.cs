using System.Numerics;
using Nethereum.Contracts;
using Nethereum.Contracts.Extensions;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Signer;
using Vc.Trust.Contracts;

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

    /// <summary>
    /// The signed write a relayed transaction carries in its call data: the operation and its authorization, as the
    /// contract received them. Decoded for the writes that make up a registration (onboardParticipantSigned,
    /// updateParticipantSigned, addIssuerSigned); anything else — a direct write included — is refused.
    /// </summary>
    /// <exception cref="TrustRegistryException">Not one of those signed writes, or call data that does not decode.</exception>
    public static SignedTrustWrite FromCallData(string callData)
    {
        try
        {
            var selector = callData.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? callData[2..Math.Min(callData.Length, 10)] : "";
            if (Is<OnboardParticipantSignedFunction>(selector))
            {
                var f = new OnboardParticipantSignedFunction().DecodeInput(callData);
                return Of(new OnboardParticipant(CountryCode.FromBytes3(f.Country), f.Admin, (TrustDomains)f.Domains), f.Auth);
            }
            if (Is<UpdateParticipantSignedFunction>(selector))
            {
                var f = new UpdateParticipantSignedFunction().DecodeInput(callData);
                return Of(new UpdateParticipant(CountryCode.FromBytes3(f.Country), f.Admin, (TrustDomains)f.Domains), f.Auth);
            }
            if (Is<AddIssuerSignedFunction>(selector))
            {
                var f = new AddIssuerSignedFunction().DecodeInput(callData);
                var i = f.Input;
                var registration = new IssuerRegistration(CountryCode.FromBytes3(i.Country), IssuerRef.FromIdentifier((IssuerKind)i.Kind, i.Identifier),
                    (TrustDomains)i.Domains, ChainTime.FromSeconds(i.ValidFrom), ChainTime.UntilFromSeconds(i.ValidUntil),
                    i.Thumbprint.All(b => b == 0) ? null : Bytes32.FromBytes(i.Thumbprint));
                return Of(new AddIssuer(registration), f.Auth);
            }
        }
        catch (Exception e) when (e is not TrustRegistryException and not OutOfMemoryException)
        {
            throw new TrustRegistryException(TrustRegistryError.MalformedChainData, "the call data does not decode: " + e.Message, e);
        }
        throw new TrustRegistryException(TrustRegistryError.InvalidInput,
            "not a signed registry write (onboardParticipantSigned, updateParticipantSigned or addIssuerSigned): a direct write carries no signature of its own");
    }

    /// <summary>The address the signature recovers to over the EIP-712 digest of this write in <paramref name="domain"/>
    /// (what the contract checks against <see cref="Signer"/>).</summary>
    public string RecoverSigner(TrustRegistryDomain domain)
    {
        var rsv = SignatureHex.HexToByteArray();
        if (rsv.Length != 65) throw new TrustRegistryException(TrustRegistryError.InvalidInput, "a signature is r‖s‖v, 65 bytes");
        var signature = EthECDSASignatureFactory.FromComponents(rsv[..32], rsv[32..64], rsv[64]);
        return EthECKey.RecoverFromSignature(signature, domain.Digest(Operation, Nonce, Deadline.ToUnixTimeSeconds())).GetPublicAddress();
    }

    private static bool Is<T>(string selector) where T : FunctionMessage, new() =>
        string.Equals(ABITypedRegistry.GetFunctionABI<T>().Sha3Signature, selector, StringComparison.OrdinalIgnoreCase);

    private static SignedTrustWrite Of(TrustOperation operation, AuthTuple auth) =>
        new(operation, auth.Signer, auth.Nonce, DateTimeOffset.FromUnixTimeSeconds((long)auth.Deadline), (long)auth.ChainId, "0x" + Convert.ToHexStringLower(auth.Signature));
}
