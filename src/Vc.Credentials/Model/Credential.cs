using System.Text.Json.Nodes;
using Vc.Credentials.Json;
using Vc.Credentials.Verification;

namespace Vc.Credentials.Model;

/// <summary>A credentialStatus entry (VC DM 2.0 §4.10).</summary>
public sealed record CredentialStatusEntry(string? Id, IReadOnlyList<string> Types, JsonObject Json);

/// <summary>A credentialSchema entry (VC DM 2.0 §4.11).</summary>
public sealed record CredentialSchemaEntry(string Id, IReadOnlyList<string> Types);

/// <summary>
/// A typed, read-only view of a VC Data Model 2.0 credential (§4). <see cref="Json"/> stays the source of
/// truth: proofs sign the JSON-LD document, so claims are never re-serialized from this record.
/// </summary>
public sealed record VerifiableCredential(
    string? Id,
    IReadOnlyList<string> Types,
    string Issuer,
    DateTimeOffset? ValidFrom,
    DateTimeOffset? ValidUntil,
    IReadOnlyList<JsonObject> CredentialSubjects,
    IReadOnlyList<CredentialStatusEntry> CredentialStatus,
    IReadOnlyList<CredentialSchemaEntry> CredentialSchema,
    IReadOnlyList<JsonObject> Proofs,
    JsonObject Json)
{
    /// <summary>Reads a credential, checking the data model rules.</summary>
    /// <exception cref="CredentialException">MalformedValue listing every violated rule.</exception>
    public static VerifiableCredential Parse(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var violations = DataModel.ValidateCredential(json);
        if (violations.Count > 0) throw new CredentialException(ProblemCode.MalformedValue, string.Join(" ", violations));
        var copy = (JsonObject)json.DeepClone();
        // VC 1.1 issuanceDate / expirationDate play the part of VC 2.0 validFrom / validUntil.
        var v1 = DataModel.Version(copy) == "1.1";
        var fromName = v1 ? "issuanceDate" : "validFrom";
        var untilName = v1 ? "expirationDate" : "validUntil";
        JsonInput.TryParseDateTime(copy.GetString(fromName), out var from);
        JsonInput.TryParseDateTime(copy.GetString(untilName), out var until);
        return new VerifiableCredential(
            copy.GetString("id"),
            JsonInput.Strings(copy["type"]),
            DataModel.IssuerId(copy)!,
            copy[fromName] is null ? null : from,
            copy[untilName] is null ? null : until,
            JsonInput.Items(copy["credentialSubject"]).OfType<JsonObject>().ToArray(),
            JsonInput.Items(copy["credentialStatus"]).OfType<JsonObject>().Select(s => new CredentialStatusEntry(s.GetString("id"), JsonInput.Strings(s["type"]), s)).ToArray(),
            JsonInput.Items(copy["credentialSchema"]).OfType<JsonObject>().Select(s => new CredentialSchemaEntry(s.GetString("id")!, JsonInput.Strings(s["type"]))).ToArray(),
            JsonInput.Items(copy["proof"]).OfType<JsonObject>().ToArray(),
            copy);
    }
}

/// <summary>A typed, read-only view of a VC Data Model 2.0 presentation (§4.13).</summary>
public sealed record VerifiablePresentation(
    string? Id,
    IReadOnlyList<string> Types,
    string? Holder,
    IReadOnlyList<JsonObject> VerifiableCredentials,
    IReadOnlyList<JsonObject> Proofs,
    JsonObject Json)
{
    /// <summary>Reads a presentation, checking the data model rules.</summary>
    /// <exception cref="CredentialException">MalformedValue listing every violated rule.</exception>
    public static VerifiablePresentation Parse(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var violations = DataModel.ValidatePresentation(json);
        if (violations.Count > 0) throw new CredentialException(ProblemCode.MalformedValue, string.Join(" ", violations));
        var copy = (JsonObject)json.DeepClone();
        return new VerifiablePresentation(
            copy.GetString("id"),
            JsonInput.Strings(copy["type"]),
            DataModel.HolderId(copy),
            JsonInput.Items(copy["verifiableCredential"]).OfType<JsonObject>().ToArray(),
            JsonInput.Items(copy["proof"]).OfType<JsonObject>().ToArray(),
            copy);
    }
}
