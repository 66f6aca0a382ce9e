using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.Credentials.Json;

namespace Vc.Credentials.Model;

/// <summary>The VC Data Model 2.0 rules a verifier (and an issuer, before signing) checks.</summary>
public static class DataModel
{
    /// <summary>VC DM 2.0 §4.3: the first @context of every credential and presentation.</summary>
    public const string CredentialsV2Context = "https://www.w3.org/ns/credentials/v2";

    /// <summary>VC DM 1.1 §4.1: the first @context of a VC 1.1 credential or presentation.</summary>
    public const string CredentialsV1Context = "https://www.w3.org/2018/credentials/v1";

    /// <summary>"1.1" when the first @context is the VC 1.1 one, else "2.0" (the model the rules are read from).</summary>
    public static string Version(JsonElement document) =>
        document.Get("@context"u8) is { ValueKind: JsonValueKind.Array } c && c.GetArrayLength() > 0 && c[0].IsString(out var first)
        && first == CredentialsV1Context ? "1.1" : "2.0";

    /// <summary>The data model version of a credential or presentation (see <see cref="Version(JsonElement)"/>).</summary>
    public static string Version(JsonObject document) =>
        document["@context"] is JsonArray { Count: > 0 } c && c[0].IsString(out var first) && first == CredentialsV1Context ? "1.1" : "2.0";

    /// <summary>The violations of VC DM 2.0 §4 in a credential (empty when conforming).</summary>
    public static IReadOnlyList<string> ValidateCredential(JsonObject vc) => ValidateCredential(Element(vc));

    /// <summary>The violations of VC DM 2.0 §4 in a credential read in place (empty when conforming).</summary>
    public static IReadOnlyList<string> ValidateCredential(JsonElement vc)
    {
        var errors = new List<string>();
        var v1 = CheckContext(vc, errors) == "1.1";
        CheckOptionalId(vc, "id", errors);
        CheckType(vc, "VerifiableCredential", errors);
        // §4.7 issuer: a URL, or an object whose id is a URL.
        var issuer = vc.Get("issuer"u8);
        if (!issuer.Exists()) errors.Add("§4.7: issuer is required.");
        else if (!(issuer.ValueKind == JsonValueKind.Object ? JsonInput.IsUrl(issuer.GetString("id"u8)) : issuer.IsString(out var s) && JsonInput.IsUrl(s)))
            errors.Add("§4.7: issuer must be a URL or an object with an 'id' URL.");
        // §4.8 credentialSubject: one or more objects.
        var anySubject = false;
        foreach (var subject in JsonInput.Items(vc.Get("credentialSubject"u8)))
        {
            anySubject = true;
            if (subject.ValueKind != JsonValueKind.Object) { errors.Add("§4.8: each credentialSubject must be an object."); continue; }
            if (subject.GetPropertyCount() == 0) errors.Add("§4.8: a credentialSubject must make at least one claim.");
            CheckOptionalId(subject, "credentialSubject.id", errors);
        }
        if (!anySubject) errors.Add("§4.8: credentialSubject is required.");
        if (v1) CheckV1Dates(vc, errors);
        else CheckValidityPeriod(vc, errors);
        // §4.10 status: objects with a type; an id, if present, is a URL.
        foreach (var status in JsonInput.Items(vc.Get("credentialStatus"u8)))
        {
            if (status.ValueKind != JsonValueKind.Object) { errors.Add("§4.10: credentialStatus entries must be objects."); continue; }
            if (JsonInput.Strings(status.Get("type"u8)).Count == 0) errors.Add("§4.10: a credentialStatus entry needs a type.");
            CheckOptionalId(status, "credentialStatus.id", errors);
        }
        // §4.11 data schemas: objects with id URL and type.
        foreach (var schema in JsonInput.Items(vc.Get("credentialSchema"u8)))
        {
            if (schema.ValueKind != JsonValueKind.Object || !JsonInput.IsUrl(schema.GetString("id"u8)) || JsonInput.Strings(schema.Get("type"u8)).Count == 0)
                errors.Add("§4.11: each credentialSchema needs an 'id' URL and a type.");
        }
        // §5.4 refreshService, §5.5 termsOfUse, §5.6 evidence: each entry needs a type.
        CheckTypedEntries(vc.Get("refreshService"u8), "refreshService", errors);
        CheckTypedEntries(vc.Get("termsOfUse"u8), "termsOfUse", errors);
        CheckTypedEntries(vc.Get("evidence"u8), "evidence", errors);
        // §5.3 relatedResource: form only here (digests of held resources are checked by the verifier and issuer).
        RelatedResources.CheckForm(vc, errors);
        return errors;
    }

    // VC DM 1.1 §4.6 issuanceDate (required) and §4.7 expirationDate (optional): XML Schema dateTime values.
    private static void CheckV1Dates(JsonElement vc, List<string> errors)
    {
        if (!JsonInput.TryParseDateTime(vc.GetString("issuanceDate"u8), out _)) errors.Add("VC 1.1 §4.6: issuanceDate is required and must be an XML Schema dateTime.");
        if (vc.Get("expirationDate"u8).Exists() && !JsonInput.TryParseDateTime(vc.GetString("expirationDate"u8), out _))
            errors.Add("VC 1.1 §4.7: expirationDate must be an XML Schema dateTime.");
        if (vc.Get("validFrom"u8).Exists() || vc.Get("validUntil"u8).Exists())
            errors.Add("VC 1.1: validFrom / validUntil are VC 2.0 terms; use issuanceDate / expirationDate.");
    }

    // VC DM 2.0 §4.9 validity period: dateTimeStamp values.
    private static void CheckValidityPeriod(JsonElement vc, List<string> errors)
    {
        DateTimeOffset from = default, until = default;
        var hasFrom = vc.Get("validFrom"u8).Exists();
        var hasUntil = vc.Get("validUntil"u8).Exists();
        if (hasFrom && !JsonInput.TryParseDateTimeStamp(vc.GetString("validFrom"u8), out from)) errors.Add("§4.9: validFrom must be an XML Schema dateTimeStamp.");
        if (hasUntil && !JsonInput.TryParseDateTimeStamp(vc.GetString("validUntil"u8), out until)) errors.Add("§4.9: validUntil must be an XML Schema dateTimeStamp.");
        if (hasFrom && hasUntil && from != default && until != default && until < from) errors.Add("§4.9: validUntil is before validFrom.");
    }

    /// <summary>The violations of VC DM 2.0 §4.13 in a presentation (embedded credentials are checked separately).</summary>
    public static IReadOnlyList<string> ValidatePresentation(JsonObject vp) => ValidatePresentation(Element(vp));

    /// <summary>The violations of VC DM 2.0 §4.13 in a presentation read in place.</summary>
    public static IReadOnlyList<string> ValidatePresentation(JsonElement vp)
    {
        var errors = new List<string>();
        CheckContext(vp, errors);
        CheckOptionalId(vp, "id", errors);
        CheckType(vp, "VerifiablePresentation", errors);
        var holder = vp.Get("holder"u8);
        if (holder.Exists() && !(holder.ValueKind == JsonValueKind.Object ? JsonInput.IsUrl(holder.GetString("id"u8)) : holder.IsString(out var s) && JsonInput.IsUrl(s)))
            errors.Add("§4.13: holder must be a URL or an object with an 'id' URL.");
        foreach (var c in JsonInput.Items(vp.Get("verifiableCredential"u8)))
            if (c.ValueKind != JsonValueKind.Object) errors.Add("§4.13: verifiableCredential entries must be objects.");
        return errors;
    }

    /// <summary>The issuer's id (string issuer or issuer.id).</summary>
    public static string? IssuerId(JsonObject vc) => Id(vc["issuer"]);

    /// <summary>The issuer's id (string issuer or issuer.id) of a credential read in place.</summary>
    public static string? IssuerId(JsonElement vc) => Id(vc.Get("issuer"u8));

    /// <summary>The holder's id (string holder or holder.id).</summary>
    public static string? HolderId(JsonObject vp) => Id(vp["holder"]);

    /// <summary>The holder's id (string holder or holder.id) of a presentation read in place.</summary>
    public static string? HolderId(JsonElement vp) => Id(vp.Get("holder"u8));

    // A party: a URL string or an object with an id.
    private static string? Id(JsonNode? party) => party switch
    {
        JsonObject o => o.GetString("id"),
        var n when n.IsString(out var s) => s,
        _ => null,
    };

    private static string? Id(JsonElement party) => party.ValueKind switch
    {
        JsonValueKind.Object => party.GetString("id"u8),
        JsonValueKind.String => party.GetString(),
        _ => null,
    };

    private static JsonElement Element(JsonObject node)
    {
        ArgumentNullException.ThrowIfNull(node);
        using var document = JsonInput.ToDocument(node);
        return document.RootElement.Clone();
    }

    // VC DM 2.0 §4.3 (VC DM 1.1 §4.1): the base context first, then URLs or objects. Returns the model version.
    private static string CheckContext(JsonElement doc, List<string> errors)
    {
        var contexts = doc.Get("@context"u8);
        if (contexts.ValueKind != JsonValueKind.Array || contexts.GetArrayLength() == 0 || !contexts[0].IsString(out var first)
            || first is not (CredentialsV2Context or CredentialsV1Context))
            errors.Add($"§4.3: @context must be an array whose first item is {CredentialsV2Context} (or {CredentialsV1Context} for VC 1.1).");
        if (contexts.ValueKind != JsonValueKind.Array) return "2.0";
        var later = false;
        foreach (var c in contexts.EnumerateArray())
        {
            if (!later) { later = true; continue; }
            if (!(c.IsString(out var s) && JsonInput.IsUrl(s)) && c.ValueKind != JsonValueKind.Object)
                errors.Add("§4.3: later @context items must be URLs or objects.");
        }
        return Version(doc);
    }

    private static void CheckTypedEntries(JsonElement entries, string property, List<string> errors)
    {
        foreach (var entry in JsonInput.Items(entries))
            if (entry.ValueKind != JsonValueKind.Object || JsonInput.Strings(entry.Get("type"u8)).Count == 0)
                errors.Add($"§5: each {property} entry must be an object with a type.");
    }

    private static void CheckType(JsonElement doc, string required, List<string> errors)
    {
        if (!JsonInput.Strings(doc.Get("type"u8)).Contains(required)) errors.Add($"§4.5: type must include {required}.");
    }

    private static void CheckOptionalId(JsonElement doc, string label, List<string> errors)
    {
        var id = doc.Get("id"u8);
        if (id.Exists() && !(id.IsString(out var s) && JsonInput.IsUrl(s))) errors.Add($"§4.4: {label} must be a single URL.");
    }
}
