using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.Credentials.Dids;

namespace Vc.Did.Core;

/// <summary>A JSON Web Key for an elliptic-curve public key (RFC 7517 §4, RFC 7518 §6.2.1).</summary>
public sealed record EcPublicJwk(string Kty, string Crv, string X, string Y);

/// <summary>
/// A verification method (DID Core §5.2). Exactly one key representation is normally set; did:ethr's
/// legacy encodings (publicKeyHex, publicKeyBase58, …) are kept so documents from older tools round-trip.
/// </summary>
public sealed record VerificationMethod(string Id, string Type, string Controller)
{
    public string? BlockchainAccountId { get; init; }
    public string? PublicKeyMultibase { get; init; }
    public EcPublicJwk? PublicKeyJwk { get; init; }
    public string? PublicKeyHex { get; init; }
    public string? PublicKeyBase58 { get; init; }
    public string? PublicKeyBase64 { get; init; }
    public string? PublicKeyPem { get; init; }
    /// <summary>did:ethr: raw key bytes (hex) when the attribute's encoding hint is unknown.</summary>
    public string? Value { get; init; }
}

/// <summary>A service (DID Core §5.4); the endpoint is a string, a map or a set, kept as parsed JSON.</summary>
public sealed record Service(string Id, string Type, JsonElement ServiceEndpoint);

/// <summary>
/// A DID document (W3C DID Core §4–5). Relationships hold references (DID URLs) to entries of
/// <see cref="VerificationMethod"/>, as did:ethr and did:key produce them. The credential verifier reads the
/// verification subset, <see cref="Vc.Credentials.Dids.DidDocument"/>, from this document's DID Core JSON
/// (<see cref="ToVerificationDocument"/>): the full model keeps every key encoding and service byte for byte,
/// the subset holds decoded keys, and the JSON between them is the one both already speak.
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

    /// <summary>The verification method with this id (absolute, or a fragment like "#delegate-1").</summary>
    public VerificationMethod? FindVerificationMethod(string idOrFragment)
    {
        var id = idOrFragment.StartsWith('#') ? Id + idOrFragment : idOrFragment;
        return VerificationMethod.FirstOrDefault(vm => string.Equals(vm.Id, id, StringComparison.Ordinal));
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
        var vm = FindVerificationMethod(idOrFragment);
        return vm is not null && References(relationship).Contains(vm.Id, StringComparer.Ordinal) ? vm : null;
    }

    public string ToJson() => DidJson.Serialize(this);

    /// <summary>The verification methods (keys decoded) and relationships, as the credential verifier reads them.</summary>
    /// <exception cref="DidResolutionException">The document is malformed for the verifier.</exception>
    public Vc.Credentials.Dids.DidDocument ToVerificationDocument() =>
        Vc.Credentials.Dids.DidDocument.Parse(JsonNode.Parse(ToJson())!.AsObject());
}
