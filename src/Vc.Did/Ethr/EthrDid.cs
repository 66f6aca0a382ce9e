using System.Globalization;
using System.Text.RegularExpressions;
using Vc.Did.Encoding;

namespace Vc.Did.Ethr;

/// <summary>Why a DID or DID URL could not be parsed.</summary>
public sealed class DidParseException(string message) : FormatException(message);

/// <summary>
/// A parsed did:ethr DID URL (did:ethr method spec §"Method Specific Identifier"):
/// <c>did:ethr:[network:]&lt;address | compressed secp256k1 public key&gt;[?versionId=N | ?versionTime=T][#fragment]</c>.
/// </summary>
public sealed partial record EthrDid
{
    public const int MaxLength = 512;

    /// <summary>The DID without query and fragment, exactly as given (the document id echoes it).</summary>
    public required string Did { get; init; }
    /// <summary>Network name ("anvil", "sepolia") or hex chain id ("0x7a69"); null = mainnet.</summary>
    public string? Network { get; init; }
    /// <summary>The identity's Ethereum address (EIP-55).</summary>
    public required string Address { get; init; }
    /// <summary>The compressed secp256k1 key of a public-key DID; null for address DIDs.</summary>
    public byte[]? PublicKey { get; init; }
    public long? VersionId { get; init; }
    public DateTimeOffset? VersionTime { get; init; }
    public string? Fragment { get; init; }

    /// <summary>The chain id named by a hex-chainId network ("0x7a69" → 31337), else null.</summary>
    public long? HexChainId => Network is { } n && HexChainIdPattern().IsMatch(n)
        ? long.TryParse(n[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var id) ? id : null
        : null;

    public static EthrDid Parse(string didUrl)
    {
        if (string.IsNullOrEmpty(didUrl)) throw new DidParseException("empty DID");
        if (didUrl.Length > MaxLength) throw new DidParseException($"DID longer than {MaxLength} characters");
        string? fragment = null, query = null;
        var rest = didUrl;
        var hash = rest.IndexOf('#');
        if (hash >= 0) { fragment = rest[(hash + 1)..]; rest = rest[..hash]; }
        var q = rest.IndexOf('?');
        if (q >= 0) { query = rest[(q + 1)..]; rest = rest[..q]; }

        var m = DidPattern().Match(rest);
        if (!m.Success) throw new DidParseException($"not a did:ethr DID: {Codec.Short(rest)}");
        var network = m.Groups["net"].Success ? m.Groups["net"].Value : null;
        var id = m.Groups["id"].Value;

        string address;
        byte[]? publicKey = null;
        if (id.Length == 42)
        {
            if (!Codec.HasValidChecksum(id)) throw new DidParseException($"address {id} has a wrong EIP-55 checksum");
            address = Codec.ChecksumAddress(id);
        }
        else
        {
            publicKey = Convert.FromHexString(id[2..]);
            if (publicKey[0] is not (2 or 3) || Codec.AddressOfPublicKey(publicKey) is not { } a)
                throw new DidParseException($"{Codec.Short(id)} is not a compressed secp256k1 public key");
            address = a;
        }

        long? versionId = null;
        DateTimeOffset? versionTime = null;
        if (query is not null)
            foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                var key = eq < 0 ? pair : pair[..eq];
                var value = Uri.UnescapeDataString(eq < 0 ? "" : pair[(eq + 1)..]);
                switch (key)
                {
                    case "versionId":
                        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v < 0)
                            throw new DidParseException($"versionId must be a block number, got '{Codec.Short(value)}'");
                        versionId = v;
                        break;
                    case "versionTime":
                        // DID Core §7.1.1: versionTime is an XML Schema dateTime normalised to UTC without sub-second precision.
                        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
                            throw new DidParseException($"versionTime must be an ISO 8601 time, got '{Codec.Short(value)}'");
                        versionTime = t;
                        break;
                }
            }
        if (versionId is not null && versionTime is not null)
            throw new DidParseException("versionId and versionTime are exclusive");

        return new EthrDid { Did = rest, Network = network, Address = address, PublicKey = publicKey, VersionId = versionId, VersionTime = versionTime, Fragment = fragment };
    }

    public static bool TryParse(string didUrl, out EthrDid? did, out string? error)
    {
        try { did = Parse(didUrl); error = null; return true; }
        catch (DidParseException e) { did = null; error = e.Message; return false; }
    }

    /// <summary>The DID of an address on a network (null network = mainnet).</summary>
    public static string For(string address, string? network) =>
        network is null ? $"did:ethr:{Codec.ChecksumAddress(address)}" : $"did:ethr:{network}:{Codec.ChecksumAddress(address)}";

    // did:ethr spec: network = name / "0x" hex chain id; the identifier is 20-byte address or 33-byte compressed key.
    [GeneratedRegex(@"\Adid:ethr:(?:(?<net>[a-zA-Z0-9_.\-]+(?::[a-zA-Z0-9_.\-]+)*):)?(?<id>0x[0-9a-fA-F]{40}|0x[0-9a-fA-F]{66})\z")]
    private static partial Regex DidPattern();

    [GeneratedRegex(@"\A0x[0-9a-fA-F]{1,15}\z")]
    private static partial Regex HexChainIdPattern();
}

/// <summary>A did:ethr network: where its registry lives.</summary>
public sealed record EthrNetwork(string Name, long ChainId, Uri RpcUrl, string RegistryAddress)
{
    /// <summary>First block to index (the registry's deployment block).</summary>
    public long StartBlock { get; init; }

    /// <summary>Whether a DID's network part names this network: by name, by hex chain id, or none for mainnet (chain 1).</summary>
    public bool Matches(EthrDid did) =>
        did.Network is null ? ChainId == 1 || Name == "mainnet"
        : string.Equals(did.Network, Name, StringComparison.Ordinal) || did.HexChainId == ChainId;
}
