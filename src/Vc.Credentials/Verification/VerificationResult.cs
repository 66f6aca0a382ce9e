using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Vc.Credentials.Verification;

/// <summary>A problem detail (RFC 9457 shape as used by VC DM 2.0 and the VC-API).</summary>
public sealed record ProblemDetail(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("detail")] string Detail)
{
    /// <summary>The typed code behind <see cref="Type"/>.</summary>
    [JsonIgnore] public ProblemCode Code { get; init; }

    /// <summary>A problem detail for a code.</summary>
    public static ProblemDetail Of(ProblemCode code, string detail) =>
        new(ProblemTypes.TypeOf(code), ProblemTypes.TitleOf(code), detail) { Code = code };
}

/// <summary>One check the verifier ran and its outcome.</summary>
/// <param name="Check">Check name: dataModel, proof, verificationMethod, validity, status, challenge, domain, holderBinding, credential.</param>
/// <param name="Valid">Whether it passed.</param>
/// <param name="Detail">What was checked (e.g. which proof or status entry).</param>
/// <param name="Problem">The failure, when it failed.</param>
public sealed record CheckResult(
    [property: JsonPropertyName("check")] string Check,
    [property: JsonPropertyName("valid")] bool Valid,
    [property: JsonPropertyName("detail")] string? Detail = null,
    [property: JsonPropertyName("problem")] ProblemDetail? Problem = null);

/// <summary>The outcome of verifying a credential or presentation.</summary>
public sealed record VerificationResult(
    [property: JsonPropertyName("verified")] bool Verified,
    [property: JsonPropertyName("checks")] IReadOnlyList<CheckResult> Checks,
    [property: JsonPropertyName("problemDetails")] IReadOnlyList<ProblemDetail> ProblemDetails)
{
    /// <summary>For presentations: the result of each embedded credential, in order.</summary>
    [JsonPropertyName("credentialResults")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<VerificationResult>? CredentialResults { get; init; }

    /// <summary>True when a problem with this code was reported.</summary>
    public bool Has(ProblemCode code) => ProblemDetails.Any(p => p.Code == code);

    /// <summary>Builds a result from checks: verified when at least one check ran and none failed.</summary>
    public static VerificationResult FromChecks(IReadOnlyList<CheckResult> checks, IReadOnlyList<VerificationResult>? credentialResults = null)
    {
        var problems = checks.Where(c => c.Problem is not null).Select(c => c.Problem!).ToArray();
        return new VerificationResult(checks.Count > 0 && checks.All(c => c.Valid), checks, problems) { CredentialResults = credentialResults };
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The VC-API response shape: {verified, checks, problemDetails[, credentialResults]}.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>As a JSON node.</summary>
    public JsonNode ToJsonNode() => JsonSerializer.SerializeToNode(this, Json)!;
}

/// <summary>A typed failure raised by issuance or by the library's parsing steps.</summary>
public sealed class CredentialException(ProblemCode code, string detail, Exception? inner = null) : Exception($"{ProblemTypes.TitleOf(code)}: {detail}", inner)
{
    /// <summary>What failed.</summary>
    public ProblemCode Code { get; } = code;

    /// <summary>The failure as a problem detail.</summary>
    public ProblemDetail Problem => ProblemDetail.Of(Code, Detail);

    /// <summary>The detail text.</summary>
    public string Detail { get; } = detail;
}
