using System.Text.Json.Nodes;
using Vc.Credentials.Keys;

namespace Vc.Credentials.Dids;

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

/// <summary>A verification method (DID Core §5.2) with its public key decoded when the type is supported.</summary>
/// <param name="Id">Absolute DID URL of the method.</param>
/// <param name="Type">e.g. Multikey, JsonWebKey2020, Ed25519VerificationKey2020.</param>
/// <param name="Controller">The DID that controls the method.</param>
/// <param name="Key">The decoded key, or null when the method carries no key this library can use.</param>
public sealed record VerificationMethod(string Id, string Type, string Controller, VerificationKey? Key);

/// <summary>The parts of a DID document (DID Core §5) that proof verification needs.</summary>
public sealed record DidDocument(
    string Id,
    IReadOnlyList<VerificationMethod> VerificationMethods,
    IReadOnlyDictionary<VerificationRelationship, IReadOnlyList<string>> Relationships)
{
    /// <summary>The names of the relationships as JSON properties (DID Core §5.3).</summary>
    public static string PropertyName(VerificationRelationship relationship) => relationship switch
    {
        VerificationRelationship.Authentication => "authentication",
        VerificationRelationship.AssertionMethod => "assertionMethod",
        VerificationRelationship.KeyAgreement => "keyAgreement",
        VerificationRelationship.CapabilityInvocation => "capabilityInvocation",
        _ => "capabilityDelegation",
    };

    /// <summary>The method with this absolute id, if the document defines it (also inside a relationship).</summary>
    public VerificationMethod? FindMethod(string id) => VerificationMethods.FirstOrDefault(m => m.Id == id);

    /// <summary>True when the method id is listed under the relationship.</summary>
    public bool IsAuthorized(string methodId, VerificationRelationship relationship) =>
        Relationships.TryGetValue(relationship, out var ids) && ids.Contains(methodId);

    /// <summary>Reads a DID document from JSON (verificationMethod and the five relationships).</summary>
    /// <exception cref="DidResolutionException">The document is malformed.</exception>
    public static DidDocument Parse(JsonObject json)
    {
        if (json["id"] is not JsonValue idv || !idv.TryGetValue<string>(out var id) || !id.StartsWith("did:", StringComparison.Ordinal))
            throw new DidResolutionException(DidResolutionError.InvalidDidDocument, "The DID document has no DID 'id'.");
        var methods = new List<VerificationMethod>();
        foreach (var node in AsArray(json["verificationMethod"]))
            methods.Add(ParseMethod(node as JsonObject ?? throw Malformed("verificationMethod entries must be objects."), id));
        var relationships = new Dictionary<VerificationRelationship, IReadOnlyList<string>>();
        foreach (var rel in Enum.GetValues<VerificationRelationship>())
        {
            var ids = new List<string>();
            foreach (var node in AsArray(json[PropertyName(rel)]))
            {
                switch (node)
                {
                    case JsonValue v when v.TryGetValue<string>(out var reference):
                        ids.Add(Absolute(reference, id));
                        break;
                    case JsonObject embedded:
                        var method = ParseMethod(embedded, id);
                        methods.Add(method);
                        ids.Add(method.Id);
                        break;
                    default:
                        throw Malformed($"{PropertyName(rel)} entries must be strings or objects.");
                }
            }
            relationships[rel] = ids;
        }
        return new DidDocument(id, methods, relationships);
    }

    private static VerificationMethod ParseMethod(JsonObject m, string documentId)
    {
        var id = Absolute(Str(m, "id") ?? throw Malformed("A verification method has no id."), documentId);
        var type = Str(m, "type") ?? throw Malformed($"Verification method {id} has no type.");
        var controller = Str(m, "controller") ?? throw Malformed($"Verification method {id} has no controller.");
        VerificationKey? key = null;
        try
        {
            if (Str(m, "publicKeyMultibase") is { } mb) key = VerificationKey.FromMultikey(mb);
            else if (m["publicKeyJwk"] is JsonObject jwk) key = VerificationKey.FromJwk(jwk);
            else if (Str(m, "publicKeyBase58") is { } b58 && type.StartsWith("Ed25519", StringComparison.Ordinal))
                key = VerificationKey.FromEd25519(SimpleBase.Base58.Bitcoin.Decode(b58));
        }
        catch (Exception e) when (e is KeyFormatException or FormatException or ArgumentException)
        {
            // Unusable key material leaves the method without a key; verification then reports it.
            key = null;
        }
        return new VerificationMethod(id, type, Absolute(controller, documentId), key);
    }

    private static string Absolute(string reference, string documentId) =>
        reference.StartsWith('#') ? documentId + reference : reference;

    private static IEnumerable<JsonNode?> AsArray(JsonNode? node) => node switch
    {
        null => Array.Empty<JsonNode?>(),
        JsonArray a => a,
        _ => new[] { node },
    };

    private static string? Str(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static DidResolutionException Malformed(string message) => new(DidResolutionError.InvalidDidDocument, message);
}
