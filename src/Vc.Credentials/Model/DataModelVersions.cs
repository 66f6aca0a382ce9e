using System.Text.Json.Nodes;
using Vc.Credentials.Json;
using Vc.Credentials.Verification;

namespace Vc.Credentials.Model;

/// <summary>
/// Issuing a credential as VC Data Model 1.1 or 2.0: the model is read from the first @context, and an issuer asked
/// for the other one moves the base context and the validity terms (VC 1.1 issuanceDate/expirationDate ⇄ VC 2.0
/// validFrom/validUntil). Other terms are left alone: the JSON-LD check at signing refuses any the target lacks.
/// </summary>
public static class DataModelVersions
{
    /// <summary>The versions an issuer can produce.</summary>
    public static readonly IReadOnlyList<string> Supported = ["1.1", "2.0"];

    /// <summary>
    /// Prepares <paramref name="credential"/> (modified in place) as <paramref name="version"/> (null: keep its own),
    /// adding the VC 1.1 issuanceDate (required there) at <paramref name="now"/> when absent.
    /// </summary>
    /// <exception cref="CredentialException">MalformedValue for an unknown version.</exception>
    public static void Apply(JsonObject credential, string? version, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(credential);
        if (version is not null && !Supported.Contains(version))
            throw new CredentialException(ProblemCode.MalformedValue, $"vcVersion '{version}' is not supported ({string.Join(", ", Supported)}).");
        var current = DataModel.Version(credential);
        var target = version ?? current;
        if (credential["@context"] is JsonArray { Count: > 0 } contexts && contexts[0].IsString(out var first)
            && first is DataModel.CredentialsV1Context or DataModel.CredentialsV2Context && target != current)
        {
            contexts[0] = target == "1.1" ? DataModel.CredentialsV1Context : DataModel.CredentialsV2Context;
            if (target == "1.1")
            {
                Rename(credential, "validFrom", "issuanceDate");
                Rename(credential, "validUntil", "expirationDate");
            }
            else
            {
                Rename(credential, "issuanceDate", "validFrom");
                Rename(credential, "expirationDate", "validUntil");
            }
        }
        // VC DM 1.1 §4.6: issuanceDate is required; the issuer states when it issued.
        if (DataModel.Version(credential) == "1.1" && !credential.ContainsKey("issuanceDate"))
            credential["issuanceDate"] = JsonInput.FormatDateTime(now);
    }

    private static void Rename(JsonObject o, string from, string to)
    {
        if (!o.TryGetPropertyValue(from, out var value)) return;
        if (o.ContainsKey(to)) throw new CredentialException(ProblemCode.MalformedValue, $"The credential has both {from} and {to}.");
        o.Remove(from);
        o[to] = value;
    }
}
