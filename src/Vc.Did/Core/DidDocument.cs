using System.Text.Json;
using Vc.Did.Keys;

namespace Vc.Did.Core;

/// <summary>DID Core §5.3 verification relationships.</summary>
public enum VerificationRelationship
{
    /// <summary>authentication — holders proving control (presentations).</summary>
    Authentication,
    /// <summary>assertionMethod — issuers making claims (credentials).</summary>
    AssertionMethod,
    /// <summary>keyAgreement.</summary>
    KeyAgreement,
    /// <summary>capabilityInvocation.</summary>
    CapabilityInvocation,
    /// <summary>capabilityDelegation.</summary>
    CapabilityDelegation,
}

/// <summary>
/// A verification method (DID Core §5.2). Exactly one key representation is normally set; did:ethr's
/// legacy encodings (publicKeyHex, publicKeyBase58, …) are kept so documents from older tools round-trip.
/// </summary>
public sealed record VerificationMethod(string Id, string Type, string Controller)
{
    public string? BlockchainAccountId { get; init; }
    public string? PublicKeyMultibase { get; init; }
    public PublicJwk? PublicKeyJwk { get; init; }
    public string? PublicKeyHex { get; init; }
    public string? PublicKeyBase58 { get; init; }
    public string? PublicKeyBase64 { get; init; }
    public string? PublicKeyPem { get; init; }
    /// <summary>did:ethr: raw key bytes (hex) when the attribute's encoding hint is unknown.</summary>
    public string? Value { get; init; }

    /// <summary>
    /// The public key a proof can be verified with, decoded from publicKeyMultibase (Multikey), else publicKeyJwk,
    /// else publicKeyBase58 of an Ed25519 type; null when the method carries no key of a <see cref="KeyType"/>
    /// (e.g. secp256k1, X25519, blockchainAccountId) or the key material is malformed.
    /// </summary>
    /// <remarks>
    /// Decoded on first use and kept: a cached document (did:key) then verifies without importing its key
    /// again, which costs about twice a P-256 verification.
    /// </remarks>
    public VerificationKey? Key => _decoded.Get(this);

    // Shared by copies made with `with`; it re-decodes when the copy's key representation differs.
    private readonly DecodedKey _decoded = new();

    private VerificationKey? Decode()
    {
        try
        {
            if (PublicKeyMultibase is { } multibase) return VerificationKey.FromMultikey(multibase);
            if (PublicKeyJwk is { } jwk) return VerificationKey.FromJwk(jwk);
            if (PublicKeyBase58 is { } base58 && Type.StartsWith("Ed25519", StringComparison.Ordinal))
                return VerificationKey.FromEd25519(SimpleBase.Base58.Bitcoin.Decode(base58));
        }
        catch (Exception e) when (e is KeyFormatException or FormatException or ArgumentException)
        {
            // Unusable key material leaves the method without a key; verification then reports it.
        }
        return null;
    }

    /// <summary>
    /// The decoded key with the representation it came from. Not part of the record's value: it compares equal to
    /// every other, so two methods with the same members are equal whether or not their keys were decoded yet.
    /// </summary>
    private sealed class DecodedKey
    {
        private sealed record Entry(string? Multibase, PublicJwk? Jwk, string? Base58, string Type, VerificationKey? Key);

        private Entry? _entry;

        public VerificationKey? Get(VerificationMethod method)
        {
            var e = Volatile.Read(ref _entry);
            if (e is not null && ReferenceEquals(e.Multibase, method.PublicKeyMultibase) && ReferenceEquals(e.Jwk, method.PublicKeyJwk)
                && ReferenceEquals(e.Base58, method.PublicKeyBase58) && ReferenceEquals(e.Type, method.Type))
                return e.Key;
            var key = method.Decode();
            Volatile.Write(ref _entry, new Entry(method.PublicKeyMultibase, method.PublicKeyJwk, method.PublicKeyBase58, method.Type, key));
            return key;
        }

        public override bool Equals(object? obj) => obj is DecodedKey;
        public override int GetHashCode() => 0;
    }
}

/// <summary>A service (DID Core §5.4); the endpoint is a string, a map or a set, kept as parsed JSON.</summary>
public sealed record Service(string Id, string Type, JsonElement ServiceEndpoint);

/// <summary>
/// A DID document (W3C DID Core §4–5), the one model of this code base: resolvers build it, <see cref="DidJson"/>
/// prints it as the reference resolvers do, and the credential verifier reads its keys
/// (<see cref="VerificationMethod.Key"/>). Relationships hold absolute references (DID URLs) to entries of
/// <see cref="VerificationMethod"/>; methods embedded in a relationship are read into that list.
/// </summary>
public sealed record DidDocument(string Id)
{
    /// <summary>JSON-LD @context entries (strings or inline term maps); null for application/did+json.</summary>
    public IReadOnlyList<JsonElement>? Context { get; init; }
    public IReadOnlyList<VerificationMethod> VerificationMethod { get; init; } = [];
    public IReadOnlyList<string> Authentication { get; init; } = [];
    public IReadOnlyList<string> AssertionMethod { get; init; } = [];
    public IReadOnlyList<string> KeyAgreement { get; init; } = [];
    public IReadOnlyList<string> CapabilityInvocation { get; init; } = [];
    public IReadOnlyList<string> CapabilityDelegation { get; init; } = [];
    public IReadOnlyList<Service> Service { get; init; } = [];

    /// <summary>The name of a relationship as a JSON property (DID Core §5.3).</summary>
    public static string PropertyName(VerificationRelationship relationship) => relationship switch
    {
        VerificationRelationship.Authentication => "authentication",
        VerificationRelationship.AssertionMethod => "assertionMethod",
        VerificationRelationship.KeyAgreement => "keyAgreement",
        VerificationRelationship.CapabilityInvocation => "capabilityInvocation",
        VerificationRelationship.CapabilityDelegation => "capabilityDelegation",
        _ => throw new ArgumentOutOfRangeException(nameof(relationship)),
    };

    /// <summary>The verification method with this id (absolute, or a fragment like "#delegate-1").</summary>
    public VerificationMethod? FindVerificationMethod(string idOrFragment)
    {
        // A loop, not LINQ: the credential verifier looks a method up for every proof.
        var id = idOrFragment.StartsWith('#') ? Id + idOrFragment : idOrFragment;
        var methods = VerificationMethod;
        for (var i = 0; i < methods.Count; i++)
            if (string.Equals(methods[i].Id, id, StringComparison.Ordinal)) return methods[i];
        return null;
    }

    public IReadOnlyList<string> References(VerificationRelationship relationship) => relationship switch
    {
        VerificationRelationship.Authentication => Authentication,
        VerificationRelationship.AssertionMethod => AssertionMethod,
        VerificationRelationship.KeyAgreement => KeyAgreement,
        VerificationRelationship.CapabilityInvocation => CapabilityInvocation,
        VerificationRelationship.CapabilityDelegation => CapabilityDelegation,
        _ => throw new ArgumentOutOfRangeException(nameof(relationship)),
    };

    /// <summary>
    /// The verification method <paramref name="idOrFragment"/> when it exists in this document and is
    /// referenced by <paramref name="relationship"/> (DID Core §5.3); otherwise null.
    /// </summary>
    public VerificationMethod? Authorized(VerificationRelationship relationship, string idOrFragment)
    {
        if (FindVerificationMethod(idOrFragment) is not { } vm) return null;
        var references = References(relationship);
        for (var i = 0; i < references.Count; i++)
            if (string.Equals(references[i], vm.Id, StringComparison.Ordinal)) return vm;
        return null;
    }

    public string ToJson() => DidJson.Serialize(this);
}
