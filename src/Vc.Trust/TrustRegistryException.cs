using System.Numerics;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.Model;
using Nethereum.Util;
using Vc.Trust.Contracts;

namespace Vc.Trust;

/// <summary>Why a registry write or read failed. The first group are the contract's custom errors, one to one.</summary>
public enum TrustRegistryError
{
    // Contract custom errors (TrustRegistry.sol).
    NotTrustAnchor,
    NotParticipantAdmin,
    UnknownParticipant,
    ParticipantExists,
    ParticipantNotActive,
    UnknownIssuer,
    IssuerExists,
    InvalidTransition,
    InvalidCountryCode,
    InvalidAddress,
    InvalidDomains,
    InvalidValidity,
    InvalidIssuer,
    InvalidSnapshot,
    SnapshotExists,
    BadSignature,
    WrongChainId,
    InvalidNonce,
    SignatureExpired,
    // Client side.
    /// <summary>Input rejected before anything was sent.</summary>
    InvalidInput,
    /// <summary>The contract reverted with data this client does not know.</summary>
    UnknownRevert,
    /// <summary>The transaction was mined but failed, or the node refused it for a reason other than a revert.</summary>
    TransactionFailed,
    /// <summary>A log or answer from the chain did not decode as the registry's ABI.</summary>
    MalformedChainData,
    /// <summary>No registry contract at the given address.</summary>
    RegistryNotFound,
}

/// <summary>A typed registry failure. For contract reverts, <see cref="Arguments"/> holds the decoded error arguments.</summary>
public sealed class TrustRegistryException : Exception
{
    public TrustRegistryError Error { get; }
    /// <summary>True when the contract itself rejected the call (a decoded custom error).</summary>
    public bool RevertedOnChain { get; }
    public IReadOnlyList<object> Arguments { get; }

    public TrustRegistryException(TrustRegistryError error, string message, Exception? inner = null)
        : this(error, message, false, [], inner) { }

    internal TrustRegistryException(TrustRegistryError error, string message, bool onChain, IReadOnlyList<object> args, Exception? inner = null)
        : base($"trust registry: {error}: {message}", inner)
    {
        Error = error;
        RevertedOnChain = onChain;
        Arguments = args;
    }
}

/// <summary>Decodes revert data (4-byte selector + ABI arguments) of the contract's custom errors.</summary>
internal static class RevertDecoder
{
    private sealed record ErrorSpec(TrustRegistryError Error, string[] Types);

    // The contract's custom errors as the generated bindings list them (from its ABI); each maps to the
    // TrustRegistryError of the same name.
    private static readonly Dictionary<string, ErrorSpec> BySelector = TrustRegistryContract.Errors.ToDictionary(
        e => Convert.ToHexStringLower(Sha3Keccack.Current.CalculateHash(System.Text.Encoding.ASCII.GetBytes($"{e.Name}({string.Join(',', e.Types)})")), 0, 4),
        e => new ErrorSpec(Enum.Parse<TrustRegistryError>(e.Name), e.Types),
        StringComparer.Ordinal);

    /// <summary>Turns revert data into a typed exception (UnknownRevert when the selector is not ours).</summary>
    public static TrustRegistryException Decode(string revertHex, Exception? inner)
    {
        var hex = revertHex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? revertHex[2..] : revertHex;
        if (hex.Length < 8 || !BySelector.TryGetValue(hex[..8].ToLowerInvariant(), out var spec))
            return new TrustRegistryException(TrustRegistryError.UnknownRevert, $"contract reverted with unrecognised data 0x{hex}", true, [], inner);
        try
        {
            var parameters = spec.Types.Select((t, i) => new Parameter(t, i + 1)).ToArray();
            var outputs = new ParameterDecoder().DecodeDefaultData(hex[8..], parameters);
            var args = outputs.Select(o => Render(spec.Error, o.Parameter.Type, o.Result)).ToArray();
            return new TrustRegistryException(spec.Error, $"{spec.Error}({string.Join(", ", args)})", true, args, inner);
        }
        catch (Exception e) when (e is not TrustRegistryException)
        {
            return new TrustRegistryException(TrustRegistryError.UnknownRevert, $"undecodable {spec.Error} arguments", true, [], e);
        }
    }

    private static object Render(TrustRegistryError error, string type, object value) => type switch
    {
        "uint8" when error == TrustRegistryError.InvalidIssuer => (IssuerKind)SmallInt(value),
        "bytes3" => System.Text.Encoding.ASCII.GetString((byte[])value).TrimEnd('\0'),
        "bytes32" => "0x" + Convert.ToHexStringLower((byte[])value),
        "uint8" => (EntryStatus)SmallInt(value),
        "uint256" or "uint64" or "uint32" => value is BigInteger b ? b : new BigInteger(Convert.ToUInt64(value)),
        _ => value,
    };

    private static byte SmallInt(object value) => value is BigInteger b ? (byte)b : Convert.ToByte(value);
}
