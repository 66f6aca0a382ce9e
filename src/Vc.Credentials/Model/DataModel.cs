using System.Text.Json.Nodes;
using Vc.Credentials.Json;

namespace Vc.Credentials.Model;

/// <summary>The VC Data Model 2.0 rules a verifier (and an issuer, before signing) checks.</summary>
public static class DataModel
{
    /// <summary>VC DM 2.0 §4.3: the first @context of every credential and presentation.</summary>
    public const string CredentialsV2Context = "https://www.w3.org/ns/credentials/v2";

    /// <summary>The violations of VC DM 2.0 §4 in a credential (empty when conforming).</summary>
    public static IReadOnlyList<string> ValidateCredential(JsonObject vc)
    {
        var errors = new List<string>();
        CheckContext(vc, errors);
        CheckOptionalId(vc, "id", errors);
        CheckType(vc, "VerifiableCredential", errors);
        // §4.7 issuer: a URL, or an object whose id is a URL.
        switch (vc["issuer"])
        {
            case null: errors.Add("§4.7: issuer is required."); break;
            case JsonObject o when JsonInput.IsUrl(o.GetString("id")): break;
            case var n when n.IsString(out var s) && JsonInput.IsUrl(s): break;
            default: errors.Add("§4.7: issuer must be a URL or an object with an 'id' URL."); break;
        }
        // §4.8 credentialSubject: one or more objects.
        var subjects = JsonInput.Items(vc["credentialSubject"]).ToArray();
        if (subjects.Length == 0) errors.Add("§4.8: credentialSubject is required.");
        foreach (var s in subjects)
        {
            if (s is not JsonObject so) { errors.Add("§4.8: each credentialSubject must be an object."); continue; }
            if (so.Count == 0) errors.Add("§4.8: a credentialSubject must make at least one claim.");
            CheckOptionalId(so, "credentialSubject.id", errors, "id");
        }
        // §4.9 validity period: dateTimeStamp values.
        DateTimeOffset from = default, until = default;
        var hasFrom = vc["validFrom"] is not null;
        var hasUntil = vc["validUntil"] is not null;
        if (hasFrom && !JsonInput.TryParseDateTimeStamp(vc.GetString("validFrom"), out from)) errors.Add("§4.9: validFrom must be an XML Schema dateTimeStamp.");
        if (hasUntil && !JsonInput.TryParseDateTimeStamp(vc.GetString("validUntil"), out until)) errors.Add("§4.9: validUntil must be an XML Schema dateTimeStamp.");
        if (hasFrom && hasUntil && from != default && until != default && until < from) errors.Add("§4.9: validUntil is before validFrom.");
        // §4.10 status: objects with a type; an id, if present, is a URL.
        foreach (var st in JsonInput.Items(vc["credentialStatus"]))
        {
            if (st is not JsonObject so) { errors.Add("§4.10: credentialStatus entries must be objects."); continue; }
            if (JsonInput.Strings(so["type"]).Count == 0) errors.Add("§4.10: a credentialStatus entry needs a type.");
            CheckOptionalId(so, "credentialStatus.id", errors, "id");
        }
        // §4.11 data schemas: objects with id URL and type.
        foreach (var sc in JsonInput.Items(vc["credentialSchema"]))
        {
            if (sc is not JsonObject so || !JsonInput.IsUrl(so.GetString("id")) || JsonInput.Strings(so["type"]).Count == 0)
                errors.Add("§4.11: each credentialSchema needs an 'id' URL and a type.");
        }
        // §5.4 refreshService, §5.5 termsOfUse, §5.6 evidence: each entry needs a type.
        foreach (var property in new[] { "refreshService", "termsOfUse", "evidence" })
            foreach (var entry in JsonInput.Items(vc[property]))
                if (entry is not JsonObject eo || JsonInput.Strings(eo["type"]).Count == 0)
                    errors.Add($"§5: each {property} entry must be an object with a type.");
        return errors;
    }

    /// <summary>The violations of VC DM 2.0 §4.13 in a presentation (embedded credentials are checked separately).</summary>
    public static IReadOnlyList<string> ValidatePresentation(JsonObject vp)
    {
        var errors = new List<string>();
        CheckContext(vp, errors);
        CheckOptionalId(vp, "id", errors);
        CheckType(vp, "VerifiablePresentation", errors);
        switch (vp["holder"])
        {
            case null: break;
            case JsonObject o when JsonInput.IsUrl(o.GetString("id")): break;
            case var n when n.IsString(out var s) && JsonInput.IsUrl(s): break;
            default: errors.Add("§4.13: holder must be a URL or an object with an 'id' URL."); break;
        }
        foreach (var c in JsonInput.Items(vp["verifiableCredential"]))
            if (c is not JsonObject) errors.Add("§4.13: verifiableCredential entries must be objects.");
        return errors;
    }

    /// <summary>The issuer's id (string issuer or issuer.id).</summary>
    public static string? IssuerId(JsonObject vc) => vc["issuer"] switch
    {
        JsonObject o => o.GetString("id"),
        var n when n.IsString(out var s) => s,
        _ => null,
    };

    /// <summary>The holder's id (string holder or holder.id).</summary>
    public static string? HolderId(JsonObject vp) => vp["holder"] switch
    {
        JsonObject o => o.GetString("id"),
        var n when n.IsString(out var s) => s,
        _ => null,
    };

    private static void CheckContext(JsonObject doc, List<string> errors)
    {
        var contexts = JsonInput.Items(doc["@context"]).ToArray();
        if (doc["@context"] is not JsonArray || contexts.Length == 0 || !contexts[0].IsString(out var first) || first != CredentialsV2Context)
            errors.Add($"§4.3: @context must be an array whose first item is {CredentialsV2Context}.");
        foreach (var c in contexts.Skip(1))
            if (!(c.IsString(out var s) && JsonInput.IsUrl(s)) && c is not JsonObject)
                errors.Add("§4.3: later @context items must be URLs or objects.");
    }

    private static void CheckType(JsonObject doc, string required, List<string> errors)
    {
        var types = JsonInput.Strings(doc["type"]);
        if (!types.Contains(required)) errors.Add($"§4.5: type must include {required}.");
    }

    private static void CheckOptionalId(JsonObject doc, string label, List<string> errors, string property = "id")
    {
        if (doc[property] is null) return;
        if (!doc[property].IsString(out var s) || !JsonInput.IsUrl(s)) errors.Add($"§4.4: {label} must be a single URL.");
    }
}
