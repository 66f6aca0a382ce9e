using System.Numerics;
using System.Text;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.Model;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using Vc.Did.Contracts;
using Vc.Did.Encoding;

namespace Vc.Did.Ethr;

/// <summary>An ERC-1056 registry event of one identity, in chain order (block, then log index).</summary>
public abstract record Erc1056Event(string Identity, long BlockNumber, int LogIndex, long PreviousChange)
{
    /// <summary>The event's name as the reference keys it ("DIDOwnerChanged", …).</summary>
    public abstract string EventName { get; }
}

public sealed record DidOwnerChanged(string Identity, long BlockNumber, int LogIndex, long PreviousChange, string Owner)
    : Erc1056Event(Identity, BlockNumber, LogIndex, PreviousChange)
{
    public override string EventName => "DIDOwnerChanged";
}

public sealed record DidDelegateChanged(string Identity, long BlockNumber, int LogIndex, long PreviousChange,
    string DelegateType, string Delegate, BigInteger ValidTo)
    : Erc1056Event(Identity, BlockNumber, LogIndex, PreviousChange)
{
    public override string EventName => "DIDDelegateChanged";
}

public sealed record DidAttributeChanged(string Identity, long BlockNumber, int LogIndex, long PreviousChange,
    string Name, byte[] Value, BigInteger ValidTo)
    : Erc1056Event(Identity, BlockNumber, LogIndex, PreviousChange)
{
    public override string EventName => "DIDAttributeChanged";
}

/// <summary>A registry log that could not be decoded (malformed ABI data or an oversized value).</summary>
public sealed class Erc1056DecodeException(string message, Exception? inner = null) : FormatException("ERC-1056 log: " + message, inner);

/// <summary>
/// Decodes ERC-1056 logs with Nethereum and the bindings generated from the registry's ABI. Only the canonical
/// encoding is accepted (the decoded values re-encode to the same bytes), so truncated or padded data fails closed.
/// Events whose bytes32 fields are not UTF-8 are not DID events: they are reported without an event,
/// but their previousChange is still followed, as the reference does.
/// </summary>
public static class Erc1056Log
{
    public const int DefaultMaxValueBytes = 64 * 1024;
    public static readonly string OwnerChangedTopic = Topic<DIDOwnerChangedEvent>();
    public static readonly string DelegateChangedTopic = Topic<DIDDelegateChangedEvent>();
    public static readonly string AttributeChangedTopic = Topic<DIDAttributeChangedEvent>();

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
    // The non-indexed parameters (the log's data) of each event, from the generated bindings: decoding and
    // re-encoding by this layout avoids per-log reflection over the DTOs.
    private static readonly Parameter[] OwnerData = DataLayout<DIDOwnerChangedEvent>();
    private static readonly Parameter[] DelegateData = DataLayout<DIDDelegateChangedEvent>();
    private static readonly Parameter[] AttributeData = DataLayout<DIDAttributeChangedEvent>();

    private static string Topic<T>() where T : IEventDTO, new()
    {
        var signature = ABITypedRegistry.GetEvent<T>().Sha3Signature;
        return (signature.StartsWith("0x", StringComparison.Ordinal) ? signature : "0x" + signature).ToLowerInvariant();
    }

    private static Parameter[] DataLayout<T>() where T : IEventDTO, new() =>
        ABITypedRegistry.GetEvent<T>().InputParameters.Where(p => !p.Indexed).OrderBy(p => p.Order).ToArray();

    public static string IdentityTopic(string address) => "0x000000000000000000000000" + address[2..].ToLowerInvariant();

    public static bool IsRegistryEvent(string? topic0) =>
        topic0 == OwnerChangedTopic || topic0 == DelegateChangedTopic || topic0 == AttributeChangedTopic;

    /// <summary>Topic 0 of a log, lower-case (null when it has none).</summary>
    public static string? Topic0(FilterLog log) => log.Topics is { Length: > 0 } t ? t[0]?.ToString()?.ToLowerInvariant() : null;

    /// <summary>Decodes one log; returns its previousChange and the event (null when not a DID event).</summary>
    public static (long PreviousChange, Erc1056Event? Event) Decode(FilterLog log, int maxValueBytes = DefaultMaxValueBytes) =>
        Decode(log, maxValueBytes, null);

    /// <summary>
    /// <paramref name="storedIdentity"/>: the log comes from the event index, which stored it only after a full
    /// <see cref="Decode(FilterLog, int)"/>, under this (EIP-55) identity: the canonical re-encoding and the
    /// identity's checksum are not computed again on every resolution.
    /// </summary>
    internal static (long PreviousChange, Erc1056Event? Event) Decode(FilterLog log, int maxValueBytes, string? storedIdentity)
    {
        if (log.Topics is not { Length: 2 } topics) throw new Erc1056DecodeException($"expected 2 topics, got {log.Topics?.Length ?? 0}");
        if (topics[1]?.ToString() is not { Length: 66 } identityTopic || !identityTopic.StartsWith("0x000000000000000000000000", StringComparison.OrdinalIgnoreCase)
            || !Codec.IsHexAddress("0x" + identityTopic[26..]))
            throw new Erc1056DecodeException("identity is not an address");
        var stored = storedIdentity is not null && string.Equals(storedIdentity[2..], identityTopic[26..], StringComparison.OrdinalIgnoreCase);
        var identity = stored ? storedIdentity! : Codec.ChecksumAddress("0x" + identityTopic[26..]);
        var block = (long)log.BlockNumber.Value;
        var index = (int)log.LogIndex.Value;
        var topic0 = Topic0(log);
        var layout = topic0 == OwnerChangedTopic ? OwnerData : topic0 == DelegateChangedTopic ? DelegateData
            : topic0 == AttributeChangedTopic ? AttributeData : throw new Erc1056DecodeException("unknown event topic " + topic0);
        var data = Codec.TryFromHex(log.Data ?? "", out var bytes) ? bytes : throw new Erc1056DecodeException("data is not hex");
        object[] v;
        try { v = new ParameterDecoder().DecodeDefaultData(data, layout).OrderBy(o => o.Parameter.Order).Select(o => o.Result).ToArray(); }
        catch (Exception e) { throw new Erc1056DecodeException("data does not decode: " + e.Message, e); }
        if (v.Length != layout.Length) throw new Erc1056DecodeException("data does not decode");
        if (layout == AttributeData && v[1] is byte[] { Length: var length } && length > maxValueBytes)
            throw new Erc1056DecodeException($"attribute value of {length} bytes exceeds the limit of {maxValueBytes}");
        if (!stored) Canonical(data, layout, v);
        var pc = Block((BigInteger)v[^1]);
        if (layout == OwnerData)
            return (pc, new DidOwnerChanged(identity, block, index, pc, Address((string)v[0])));
        if (layout == DelegateData)
            return (pc, Bytes32String((byte[])v[0]) is { } type
                ? new DidDelegateChanged(identity, block, index, pc, type, Address((string)v[1]), (BigInteger)v[2]) : null);
        return (pc, Bytes32String((byte[])v[0]) is { } name
            ? new DidAttributeChanged(identity, block, index, pc, name, (byte[])v[1], (BigInteger)v[2]) : null);
    }

    /// <summary>The decoded values must re-encode to exactly the log's data (no truncation, no slack, no dirty padding).</summary>
    private static void Canonical(byte[] data, Parameter[] layout, object[] values)
    {
        byte[] expected;
        try { expected = new ParametersEncoder().EncodeParameters(layout, values); }
        catch (Exception e) { throw new Erc1056DecodeException("data does not re-encode: " + e.Message, e); }
        if (!expected.AsSpan().SequenceEqual(data)) throw new Erc1056DecodeException("log data is not the canonical ABI encoding");
    }

    /// <summary>bytes32 → UTF-8 text with trailing NULs cut (ethers toUtf8String); null when not valid UTF-8.</summary>
    public static string? Bytes32String(ReadOnlySpan<byte> word)
    {
        try { return StrictUtf8.GetString(word).TrimEnd('\0'); }
        catch (DecoderFallbackException) { return null; }
    }

    /// <summary>UTF-8 text → bytes32 (right-padded with zeros, at most 32 bytes).</summary>
    public static byte[] StringToBytes32(string text)
    {
        var bytes = StrictUtf8.GetBytes(text);
        if (bytes.Length > 32) throw new ArgumentException($"'{Codec.Short(text)}' is longer than 32 bytes in UTF-8");
        var word = new byte[32];
        bytes.CopyTo(word, 0);
        return word;
    }

    private static long Block(BigInteger v) =>
        v >= 0 && v <= long.MaxValue ? (long)v : throw new Erc1056DecodeException("previousChange out of range");

    private static string Address(string address) =>
        Codec.IsHexAddress(address) ? Codec.ChecksumAddress(address) : throw new Erc1056DecodeException("not an address");
}
