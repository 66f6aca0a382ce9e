using System.Text.Json.Nodes;
using Vc.Credentials.Verification;
using Vc.Node.Hosting;
using Vc.Agent;
using Vc.Agent.Storage;

namespace Vc.Node.Api;

/// <summary>
/// The VC-API (W3C CCG / VCALM) endpoints: issuer instances, issue, verify credentials and presentations,
/// status changes, and the status list credentials themselves. Writes need a scoped API key.
/// </summary>
public static class VcApiEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/issuers", async (HttpRequest request, IssuerService issuers) =>
        {
            var (body, problem) = await JsonBody.ReadObjectAsync(request);
            if (problem is not null) return problem;
            var create = new CreateIssuerRequest(
                Str(body!, "id") ?? "",
                Str(body!, "method") ?? "key",
                Str(body!, "cryptosuite") ?? "eddsa-rdfc-2022",
                Str(body!, "keyStore"));
            var record = await issuers.CreateAsync(create, request.HttpContext.RequestAborted);
            return Results.Json(Profile(record), statusCode: StatusCodes.Status201Created);
        }).RequireScope(ApiScope.ManageIssuers).Reads<CreateIssuerBody>().Answers<IssuerProfileBody>(201).Fails(401, 403, 409);

        app.MapGet("/issuers/{id}", async (string id, IssuerService issuers) => Results.Json(Profile(await issuers.GetAsync(id))))
            .Public().Answers<IssuerProfileBody>(200).Fails(404);

        // VC-API: POST {issuer}/credentials/issue {credential, options} → 201 {verifiableCredential}.
        app.MapPost("/issuers/{id}/credentials/issue", async (string id, HttpRequest request, IssuerService issuers) =>
        {
            var (body, problem) = await JsonBody.ReadObjectAsync(request);
            if (problem is not null) return problem;
            if (body!["credential"] is not JsonObject credential)
                return Problems.BadRequest("malformed-request", "the body needs a 'credential' object");
            var purposes = StatusPurposes(body["options"] as JsonObject);
            var vcVersion = body["options"]?["vcVersion"] switch
            {
                null => null,
                JsonValue v when v.TryGetValue(out string? s) => s,
                _ => throw new IssuerServiceException("invalid", "options.vcVersion must be \"1.1\" or \"2.0\""),
            };
            var signed = await issuers.IssueAsync(id, credential, purposes,
                new IssueOptions(MandatoryPointers: Pointers(body["options"]?["mandatoryPointers"], "options.mandatoryPointers"), VcVersion: vcVersion)
                {
                    AuthorizedBy = ApiKeyAuth.AuthorizedBy(request.HttpContext),
                },
                request.HttpContext.RequestAborted);
            return Results.Json(new JsonObject { ["verifiableCredential"] = signed }, statusCode: StatusCodes.Status201Created);
        }).RequireScope(ApiScope.Issue, confirmedByIssuance: true).Reads<IssueCredentialBody>().Answers<IssuedCredentialBody>(201).Fails(401, 403, 404);

        // VC-API: POST /credentials/derive {verifiableCredential, options: {selectivePointers}} → 201 {verifiableCredential}:
        // the holder's ecdsa-sd-2023 step; it uses no key of this node.
        app.MapPost("/credentials/derive", async (HttpRequest request, VcAgent agent) =>
        {
            var (body, problem) = await JsonBody.ReadObjectAsync(request);
            if (problem is not null) return problem;
            if (body!["verifiableCredential"] is not JsonObject credential)
                return Problems.BadRequest("malformed-request", "the body needs a 'verifiableCredential' object");
            var pointers = Pointers(body["options"]?["selectivePointers"], "options.selectivePointers") ?? [];
            try
            {
                return Results.Json(new JsonObject { ["verifiableCredential"] = agent.DeriveCredential(credential, pointers) }, statusCode: StatusCodes.Status201Created);
            }
            catch (CredentialException e) { return Problems.BadRequest("credential." + e.Code, e.Message); }
        }).Public().Reads<DeriveCredentialBody>().Answers<DerivedCredentialBody>(201);

        // VC-API: POST /credentials/verify {verifiableCredential, options} → 200 verified | 400 with problemDetails.
        app.MapPost("/credentials/verify", async (HttpRequest request, VcAgent agent) =>
        {
            // The credential is verified in place, from the parsed body (no object copy, no re-serialization).
            var (document, problem) = await JsonBody.ReadDocumentAsync(request);
            if (problem is not null) return problem;
            using (document)
            {
                var body = document!.RootElement;
                if (!body.TryGetProperty("verifiableCredential", out var vc) || vc.ValueKind != System.Text.Json.JsonValueKind.Object)
                    return Problems.BadRequest("malformed-request", "the body needs a 'verifiableCredential' object");
                var options = body.TryGetProperty("options", out var o) && o.ValueKind == System.Text.Json.JsonValueKind.Object ? JsonObject.Create(o) : null;
                return Answer(await agent.VerifyCredentialAsync(vc, Options(options), request.HttpContext.RequestAborted));
            }
        }).Public().Reads<VerifyCredentialBody>().Answers<VerificationBody>(200).Answers<VerificationBody>(400);

        app.MapPost("/presentations/verify", async (HttpRequest request, VcAgent agent) =>
        {
            var (document, problem) = await JsonBody.ReadDocumentAsync(request);
            if (problem is not null) return problem;
            using (document)
            {
                var body = document!.RootElement;
                if (!body.TryGetProperty("verifiablePresentation", out var vp) || vp.ValueKind != System.Text.Json.JsonValueKind.Object)
                    return Problems.BadRequest("malformed-request", "the body needs a 'verifiablePresentation' object");
                var options = body.TryGetProperty("options", out var o) && o.ValueKind == System.Text.Json.JsonValueKind.Object ? JsonObject.Create(o) : null;
                return Answer(await agent.VerifyPresentationAsync(vp, Options(options), request.HttpContext.RequestAborted));
            }
        }).Public().Reads<VerifyPresentationBody>().Answers<VerificationBody>(200).Answers<VerificationBody>(400);

        // Status change: {credentialStatus: {statusListCredential, statusListIndex, statusPurpose}} or
        // {verifiableCredential} plus {statusPurpose, status: true|false}.
        app.MapPost("/credentials/status", async (HttpRequest request, IssuerService issuers) =>
        {
            var (body, problem) = await JsonBody.ReadObjectAsync(request);
            if (problem is not null) return problem;
            var value = body!["status"] is JsonValue v && v.TryGetValue(out bool b) ? b : true;
            var purpose = Str(body, "statusPurpose");
            var entries = body["credentialStatus"] switch
            {
                JsonObject one => [one],
                JsonArray many => many.OfType<JsonObject>().ToArray(),
                _ => (body["verifiableCredential"] as JsonObject)?["credentialStatus"] switch
                {
                    JsonObject one => [one],
                    JsonArray many => many.OfType<JsonObject>().ToArray(),
                    _ => Array.Empty<JsonObject>(),
                },
            };
            var matching = entries.Where(e => purpose is null || Str(e, "statusPurpose") == purpose).ToArray();
            if (matching.Length != 1)
                return Problems.BadRequest("malformed-request", purpose is null
                    ? "name exactly one status entry (credentialStatus) or give statusPurpose"
                    : $"the credential has no single '{purpose}' status entry");
            var entry = matching[0];
            if (Str(entry, "statusListCredential") is not { } list || !int.TryParse(entry["statusListIndex"]?.ToString(), out var index))
                return Problems.BadRequest("malformed-request", "the status entry needs statusListCredential and statusListIndex");
            var change = await issuers.SetStatusAsync(list, index, value, request.HttpContext.RequestAborted);
            return Results.Json(change);
        }).RequireScope(ApiScope.Revoke).Reads<StatusChangeBody>().Answers<StatusChangedBody>(200).Fails(401, 403, 404);

        app.MapGet("/status-lists/{listId}", async (string listId, IssuerService issuers, HttpContext http) =>
            await issuers.StatusListCredentialAsync(listId, http.RequestAborted) is { } vc
                ? Results.Json(vc, contentType: "application/vc+ld+json")
                : Problems.NotFound($"status list '{listId}' does not exist"))
            .Public().Answers<JsonObject>(200, "application/vc+ld+json").Fails(404);
    }

    /// <summary>VC-API status rules: 200 when verified, 400 with the problem details otherwise.</summary>
    private static IResult Answer(CredentialVerdict verdict) =>
        Results.Json(verdict.ToJson(), statusCode: verdict.Verified ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);

    /// <summary>Unknown options (e.g. checks) are accepted, as the VC-API asks; a known one of the wrong type is a 400.</summary>
    private static VerificationOptions Options(JsonObject? options)
    {
        VerificationOptions parsed;
        try { parsed = VerificationOptions.FromVcApi(options); }
        catch (CredentialException e) { throw new IssuerServiceException("invalid", e.Detail, e); }
        return parsed with
        {
            MaxStaleness = options?["maxStalenessSeconds"] switch
            {
                null => null,
                // At most a day: staleness is for riding out an outage, not for verifying against last month's ledger.
                JsonValue v when v.TryGetValue(out long seconds) && seconds is >= 0 and <= MaxStalenessSeconds => TimeSpan.FromSeconds(seconds),
                _ => throw new IssuerServiceException("invalid", $"options.maxStalenessSeconds must be a whole number from 0 to {MaxStalenessSeconds}"),
            },
        };
    }

    /// <summary>The largest ledger staleness a caller may accept (one day).</summary>
    public const long MaxStalenessSeconds = 86_400;

    private static string[] StatusPurposes(JsonObject? options) => options?["credentialStatus"] switch
    {
        null => [],
        JsonValue v when v.TryGetValue(out bool b) => b ? [Vc.Credentials.StatusList.StatusPurposes.Revocation] : [],
        JsonValue v when v.TryGetValue(out string? s) => [s!],
        JsonArray a => a.Select(x => x?.ToString() ?? "").ToArray(),
        JsonObject o => [Str(o, "statusPurpose") ?? Vc.Credentials.StatusList.StatusPurposes.Revocation],
        _ => throw new IssuerServiceException("invalid", "options.credentialStatus must be true, a purpose, a list of purposes or {statusPurpose}"),
    };

    // A JSON array of JSON pointer strings (absent: null).
    private static IReadOnlyList<string>? Pointers(JsonNode? node, string name) => node switch
    {
        null => null,
        JsonArray a when a.All(x => x is JsonValue v && v.TryGetValue(out string? _)) => a.Select(x => x!.GetValue<string>()).ToArray(),
        _ => throw new IssuerServiceException("invalid", $"{name} must be an array of JSON pointer strings"),
    };

    internal static string? Str(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    internal static JsonObject Profile(IssuerRecord r) => new()
    {
        ["id"] = r.Id,
        ["did"] = r.Did,
        ["method"] = r.Method,
        ["verificationMethod"] = r.VerificationMethod,
        ["cryptosuite"] = r.Cryptosuite,
        ["createdAt"] = r.CreatedAt.ToString("O"),
        ["keyStore"] = r.KeyStore,
    };
}
