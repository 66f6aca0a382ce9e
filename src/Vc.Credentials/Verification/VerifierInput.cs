using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.Credentials.Json;

namespace Vc.Credentials.Verification;

/// <summary>
/// How the credential and presentation verifiers take their input: JSON text (bounded parse), a node tree (written
/// to a document once), or a parsed element read in place. The checks then read the element; the document lives
/// until they end. Input that cannot be read is the result's one failed check, "parse".
/// </summary>
internal static class VerifierInput
{
    public static Task<VerificationResult> FromText(string json, Func<JsonElement, Task<VerificationResult>> verify)
    {
        ArgumentNullException.ThrowIfNull(json);
        return FromDocument(() => JsonInput.ParseDocument(json), verify);
    }

    public static Task<VerificationResult> FromNode(JsonNode node, Func<JsonElement, Task<VerificationResult>> verify)
    {
        ArgumentNullException.ThrowIfNull(node);
        return FromDocument(() => JsonInput.ToDocument(node), verify);
    }

    /// <param name="what">"credential" or "presentation", for the failure's detail.</param>
    public static Task<VerificationResult> FromElement(JsonElement element, string what, Func<JsonElement, Task<VerificationResult>> verify) =>
        element.ValueKind == JsonValueKind.Object
            ? verify(element)
            : Task.FromResult(Unreadable(ProblemCode.ParsingError, $"The {what} is not a JSON object."));

    private static async Task<VerificationResult> FromDocument(Func<JsonDocument> open, Func<JsonElement, Task<VerificationResult>> verify)
    {
        JsonDocument document;
        try { document = open(); }
        catch (CredentialException e) { return Unreadable(e.Code, e.Detail); }
        using (document)
            return await verify(document.RootElement).ConfigureAwait(false);
    }

    private static VerificationResult Unreadable(ProblemCode code, string detail) =>
        VerificationResult.FromChecks([ProofChecker.Fail("parse", code, detail)]);
}
