using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vc.Rules;

/// <summary>Acceptance rules are the arrival country's; invalidation rules the issuing country's (EU DCC gateway,
/// "Validation rules" / dcc-business-rules-utils).</summary>
public enum DccRuleType { Acceptance, Invalidation }

/// <summary>
/// One version of an EU DCC gateway validation rule (the gateway's validation-rule JSON schema: Identifier, Type,
/// Country, Version, SchemaVersion, Engine, EngineVersion, CertificateType, Description, ValidFrom, ValidTo,
/// AffectedFields, Logic), with its Logic compiled. Immutable.
/// </summary>
public sealed record DccRule
{
    public required string Identifier { get; init; }
    public required DccRuleType Type { get; init; }
    public required string Country { get; init; }
    /// <summary>The optional region of a country's rule (gateway "Region"; absent in most rule sets).</summary>
    public string? Region { get; init; }
    public required Version Version { get; init; }
    public required string VersionText { get; init; }
    /// <summary>General, Test, Vaccination or Recovery.</summary>
    public required string CertificateType { get; init; }
    public required DateTimeOffset ValidFrom { get; init; }
    public required DateTimeOffset ValidTo { get; init; }
    public required IReadOnlyList<string> AffectedFields { get; init; }
    /// <summary>Descriptions by language code.</summary>
    public required IReadOnlyDictionary<string, string> Descriptions { get; init; }
    public required CertLogicExpression Logic { get; init; }
    /// <summary>The rule's JSON as given.</summary>
    public required JsonObject Json { get; init; }

    /// <summary>The English description (the schema requires one).</summary>
    public string Description => Descriptions.TryGetValue("en", out var en) ? en : Descriptions.Values.FirstOrDefault() ?? "";

    /// <summary>ValidFrom ≤ at &lt; ValidTo (dcc-business-rules-utils applicableRuleVersions).</summary>
    public bool IsValidAt(DateTimeOffset at) => ValidFrom <= at && at < ValidTo;

    /// <summary>Whether the rule concerns a certificate of this type: General rules concern every type.</summary>
    public bool Concerns(DccCertificateType type) =>
        CertificateType == "General" || string.Equals(CertificateType, type.ToString(), StringComparison.Ordinal);

    /// <summary>Problems of the rule's JSON against the gateway's validation-rule schema (see Resources/NOTICE.md for the
    /// two upstream fixes applied), then of its Logic as CertLogic. Empty when the rule is valid.</summary>
    public static IReadOnlyList<string> Validate(JsonNode? json)
    {
        var problems = RuleSchema.Gateway.Validate(json).Select(p => "schema: " + p).ToList();
        if (json is JsonObject o && o.ContainsKey("Logic"))
            problems.AddRange(CertLogicValidator.Validate(o["Logic"]).Select(i => "Logic: " + i));
        if (json is JsonObject e && e["Engine"] is JsonValue engine && engine.GetValueKind() == JsonValueKind.String && engine.GetValue<string>() != "CERTLOGIC")
            problems.Add($"Engine: {engine.GetValue<string>()} is not CERTLOGIC");
        return problems;
    }

    /// <summary>Reads and compiles a validated rule.</summary>
    /// <exception cref="DccRuleException">The rule is not valid (schema or CertLogic); every problem is named.</exception>
    public static DccRule FromJson(JsonNode? json)
    {
        var problems = Validate(json);
        var id = (json as JsonObject)?["Identifier"] is JsonValue idv && idv.GetValueKind() == JsonValueKind.String ? idv.GetValue<string>() : null;
        if (problems.Count > 0) throw new DccRuleException(id, problems);
        return Build((JsonObject)json!.DeepClone());
    }

    /// <summary>Reads a rule that passed <see cref="FromJson"/> before (e.g. when it was imported into a trust store):
    /// the schema is not evaluated again; the Logic is validated as CertLogic when it is compiled.</summary>
    /// <exception cref="DccRuleException">Not a rule object, or its Logic is not valid CertLogic.</exception>
    public static DccRule FromImported(JsonNode? json)
    {
        if (json is not JsonObject o) throw new DccRuleException(null, ["not a rule object"]);
        try { return Build((JsonObject)o.DeepClone()); }
        catch (Exception e) when (e is CertLogicInvalidExpressionException or InvalidOperationException or FormatException
            or NullReferenceException or ArgumentException or KeyNotFoundException)
        {
            throw new DccRuleException(o["Identifier"]?.ToString(), [e.Message]);
        }
    }

    private static DccRule Build(JsonObject o)
    {
        string S(string name) => o[name]!.GetValue<string>();
        var versionText = S("Version");
        var descriptions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var d in o["Description"]!.AsArray())
            descriptions.TryAdd(d!["lang"]!.GetValue<string>(), d["desc"]!.GetValue<string>());
        return new DccRule
        {
            Identifier = S("Identifier"),
            Type = Enum.Parse<DccRuleType>(S("Type")),
            Country = S("Country"),
            Region = o["Region"] is JsonValue r && r.GetValueKind() == JsonValueKind.String ? r.GetValue<string>() : null,
            Version = System.Version.Parse(System.Text.RegularExpressions.Regex.Match(versionText, @"^\d+\.\d+\.\d+").Value),
            VersionText = versionText,
            CertificateType = S("CertificateType"),
            ValidFrom = DateTimeOffset.Parse(S("ValidFrom"), CultureInfo.InvariantCulture),
            ValidTo = DateTimeOffset.Parse(S("ValidTo"), CultureInfo.InvariantCulture),
            AffectedFields = o["AffectedFields"]!.AsArray().Select(f => f!.GetValue<string>()).ToArray(),
            Descriptions = descriptions,
            Logic = CertLogicExpression.Compile(o["Logic"]),
            Json = o,
        };
    }

    /// <summary>Evaluates the rule on { payload, external }; the outcome is the result's truthiness.</summary>
    public DccRuleOutcome Evaluate(JsonNode? data)
    {
        try
        {
            var value = Logic.Evaluate(data);
            return value.Truthiness is { } t
                ? new DccRuleOutcome(this, t, null)
                : new DccRuleOutcome(this, null, $"the rule evaluated to {value}, neither truthy nor falsy");
        }
        catch (CertLogicEvaluationException e)
        {
            return new DccRuleOutcome(this, null, e.Message);
        }
    }
}

/// <summary>The certificate type a DCC payload carries (v, t or r).</summary>
public enum DccCertificateType { General, Vaccination, Test, Recovery }

/// <summary>One rule's outcome: its result (null when evaluation failed) and the error text then.</summary>
public sealed record DccRuleOutcome(DccRule Rule, bool? Result, string? Error)
{
    /// <summary>An acceptance rule passes when it holds; an invalidation rule when it does not. A failed evaluation
    /// never passes (fail closed).</summary>
    public bool Passed => Result is { } r && (Rule.Type == DccRuleType.Acceptance ? r : !r);
}

/// <summary>A rule file that is not a valid gateway validation rule.</summary>
public sealed class DccRuleException(string? identifier, IReadOnlyList<string> problems)
    : Exception($"rule {identifier ?? "(no Identifier)"} is not valid: " + string.Join("; ", problems.Take(5)))
{
    public string? Identifier { get; } = identifier;
    public IReadOnlyList<string> Problems { get; } = problems;
}
