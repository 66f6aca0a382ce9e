using System.Numerics;
using System.Text;
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
public sealed class Erc1056DecodeException(string message) : FormatException("ERC-1056 log: " + message);

/// <summary>
/// Decodes ERC-1056 logs (ABI encoding, Solidity docs §"Formal Specification of the Encoding").
/// Events whose bytes32 fields are not UTF-8 are not DID events: they are reported without an event,
/// but their previousChange is still followed, as the reference does.
/// </summary>
public static class Erc1056Log
{
    public const int DefaultMaxValueBytes = 64 * 1024;
    public static readonly string OwnerChangedTopic = Topic("DIDOwnerChanged(address,address,uint256)");
    public static readonly string DelegateChangedTopic = Topic("DIDDelegateChanged(address,bytes32,address,uint256,uint256)");
    public static readonly string AttributeChangedTopic = Topic("DIDAttributeChanged(address,bytes32,bytes,uint256,uint256)");

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    private static string Topic(string signature) => Codec.ToHex0x(Codec.Keccak256(System.Text.Encoding.ASCII.GetBytes(signature)));

    public static string IdentityTopic(string address) => "0x000000000000000000000000" + address[2..].ToLowerInvariant();

    public static bool IsRegistryEvent(string topic0) =>
        topic0 == OwnerChangedTopic || topic0 == DelegateChangedTopic || topic0 == AttributeChangedTopic;

    /// <summary>Decodes one log; returns its previousChange and the event (null when not a DID event).</summary>
    public static (long PreviousChange, Erc1056Event? Event) Decode(RawLog log, int maxValueBytes = DefaultMaxValueBytes)
    {
        if (log.Topics.Count != 2) throw new Erc1056DecodeException($"expected 2 topics, got {log.Topics.Count}");
        var identity = AddressWord(Codec.FromHex(log.Topics[1]), "identity");
        var d = log.Data;
        var topic0 = log.Topics[0];
        if (topic0 == OwnerChangedTopic)
        {
            Need(d, 64);
            var owner = AddressWord(d.AsSpan(0, 32), "owner");
            var pc = Block(d.AsSpan(32, 32));
            return (pc, new DidOwnerChanged(identity, log.BlockNumber, log.LogIndex, pc, owner));
        }
        if (topic0 == DelegateChangedTopic)
        {
            Need(d, 128);
            var pc = Block(d.AsSpan(96, 32));
            var type = Bytes32String(d.AsSpan(0, 32));
            var delegateAddress = AddressWord(d.AsSpan(32, 32), "delegate");
            var validTo = Uint(d.AsSpan(64, 32));
            return (pc, type is null ? null : new DidDelegateChanged(identity, log.BlockNumber, log.LogIndex, pc, type, delegateAddress, validTo));
        }
        if (topic0 == AttributeChangedTopic)
        {
            Need(d, 160);
            var pc = Block(d.AsSpan(96, 32));
            var name = Bytes32String(d.AsSpan(0, 32));
            var offset = Uint(d.AsSpan(32, 32));
            var validTo = Uint(d.AsSpan(64, 32));
            if (offset > d.Length - 32) throw new Erc1056DecodeException("value offset out of range");
            var length = Uint(d.AsSpan((int)offset, 32));
            if (length > maxValueBytes) throw new Erc1056DecodeException($"attribute value of {length} bytes exceeds the limit of {maxValueBytes}");
            if ((long)offset + 32 + (long)length > d.Length) throw new Erc1056DecodeException("value runs past the end of the log data");
            var value = d.AsSpan((int)offset + 32, (int)length).ToArray();
            return (pc, name is null ? null : new DidAttributeChanged(identity, log.BlockNumber, log.LogIndex, pc, name, value, validTo));
        }
        throw new Erc1056DecodeException("unknown event topic " + topic0);
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

    private static void Need(byte[] d, int n)
    {
        if (d.Length < n) throw new Erc1056DecodeException($"log data of {d.Length} bytes is shorter than {n}");
    }

    private static BigInteger Uint(ReadOnlySpan<byte> word) => new(word, isUnsigned: true, isBigEndian: true);

    private static long Block(ReadOnlySpan<byte> word)
    {
        var v = Uint(word);
        if (v > long.MaxValue) throw new Erc1056DecodeException("previousChange out of range");
        return (long)v;
    }

    private static string AddressWord(ReadOnlySpan<byte> word, string field)
    {
        if (word.Length != 32 || word[..12].IndexOfAnyExcept((byte)0) >= 0) throw new Erc1056DecodeException($"{field} is not an address");
        return Codec.ChecksumAddress(Codec.ToHex0x(word[12..]));
    }
}
