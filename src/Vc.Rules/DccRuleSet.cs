using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vc.Rules;

/// <summary>Where rules are applied: arrival country (acceptance rules), optional region, and the time.</summary>
public sealed record DccRuleContext
{
    /// <summary>The country of arrival (ISO 3166-1 alpha-2), whose acceptance rules apply.</summary>
    public required string CountryCode { get; init; }
    public string? Region { get; init; }
    /// <summary>The issuing country (alpha-2), whose invalidation rules apply; null when unknown (none apply then).</summary>
    public string? IssuerCountryCode { get; init; }
    public required DateTimeOffset ValidationClock { get; init; }
    public DateTimeOffset? IssuedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    /// <summary>The COSE kid, base64.</summary>
    public string? Kid { get; init; }
}

/// <summary>Every applicable rule's outcome; <see cref="Passed"/> only when each passed (fail closed).</summary>
public sealed record DccRulesReport(IReadOnlyList<DccRuleOutcome> Outcomes)
{
    public bool Passed => Outcomes.All(o => o.Passed);

    /// <summary>The first outcome that did not pass.</summary>
    public DccRuleOutcome? FirstFailure => Outcomes.FirstOrDefault(o => !o.Passed);
}

/// <summary>
/// A set of gateway validation rules (any versions of any countries) and the selection the EU verifiers apply
/// (dcc-business-rules-utils validateDcc; DCC gateway "Validation rules"): the arrival country's Acceptance rules and
/// the issuing country's Invalidation rules, of the certificate's type or General, valid at the verification time
/// (ValidFrom ≤ t &lt; ValidTo), the latest Version of each Identifier, in Identifier order. Immutable.
/// </summary>
public sealed class DccRuleSet
{
    /// <summary>Bound on rule files read from one folder (a country's set holds tens).</summary>
    public const int MaxRules = 10_000;
    /// <summary>Bound on one rule file's size.</summary>
    public const long MaxRuleFileBytes = 1 << 20;

    public DccRuleSet(IEnumerable<DccRule> rules) => Rules = rules.ToArray();

    public IReadOnlyList<DccRule> Rules { get; }

    /// <summary>Loads a rule file (one rule, or a JSON array of rules as the gateway lists them), or a folder: every
    /// rule.json under it (the dgc-business-rules-testdata layout COUNTRY/ID/rule.json, whose other files are tests and
    /// drafts), else every *.json file directly in it.</summary>
    /// <exception cref="DccRuleException">A file holds an invalid rule.</exception>
    /// <exception cref="IOException">Missing or unreadable.</exception>
    public static DccRuleSet Load(string path)
    {
        List<string> files;
        if (Directory.Exists(path))
        {
            files = Directory.EnumerateFiles(path, "rule.json", SearchOption.AllDirectories).Take(MaxRules + 1).ToList();
            if (files.Count == 0) files = Directory.EnumerateFiles(path, "*.json").Take(MaxRules + 1).ToList();
            files.Sort(StringComparer.Ordinal);
        }
        else files = File.Exists(path) ? [path] : throw new FileNotFoundException($"no rule file or folder at {path}");
        if (files.Count > MaxRules) throw new IOException($"more than {MaxRules} rule files under {path}");
        var rules = new List<DccRule>();
        foreach (var file in files)
        {
            var node = ReadJson(file);
            if (node is JsonArray list) rules.AddRange(list.Select(DccRule.FromJson));
            else rules.Add(DccRule.FromJson(node));
        }
        return new DccRuleSet(rules);
    }

    /// <summary>Reads a bounded JSON file.</summary>
    /// <exception cref="IOException">Too large, missing, or not JSON (wrapped).</exception>
    public static JsonNode? ReadJson(string file)
    {
        var info = new FileInfo(file);
        if (!info.Exists) throw new FileNotFoundException($"no such file: {file}");
        if (info.Length > MaxRuleFileBytes) throw new IOException($"{file} is larger than {MaxRuleFileBytes} bytes");
        try { return JsonNode.Parse(File.ReadAllBytes(file)); }
        catch (JsonException e) { throw new InvalidDataException($"{file} is not JSON: {e.Message}", e); }
    }

    /// <summary>The rules that apply, acceptance first then invalidation, each group in Identifier order.</summary>
    public IReadOnlyList<DccRule> Applicable(DccRuleContext context, DccCertificateType type)
    {
        IEnumerable<DccRule> Select(DccRuleType ruleType, string? country) => country is null ? [] :
            Rules.Where(r => r.Type == ruleType && string.Equals(r.Country, country, StringComparison.OrdinalIgnoreCase)
                    && (r.Region is null || string.Equals(r.Region, context.Region, StringComparison.OrdinalIgnoreCase))
                    && r.Concerns(type) && r.IsValidAt(context.ValidationClock))
                .GroupBy(r => r.Identifier, StringComparer.Ordinal)
                .Select(g => g.MaxBy(r => r.Version)!)
                .OrderBy(r => r.Identifier, StringComparer.Ordinal);
        return Select(DccRuleType.Acceptance, context.CountryCode)
            .Concat(Select(DccRuleType.Invalidation, context.IssuerCountryCode)).ToList();
    }

    /// <summary>Applies the applicable rules to a DCC payload (the JSON of claim -260/1). A payload or value-set node
    /// without a parent becomes part of the data context as it is (no copy); one with a parent is copied.</summary>
    public DccRulesReport Apply(JsonNode payload, DccRuleContext context, JsonObject valueSets)
    {
        var type = TypeOf(payload);
        var data = new JsonObject { ["payload"] = Own(payload), ["external"] = External(context, valueSets) };
        return new DccRulesReport(Applicable(context, type).Select(r => r.Evaluate(data)).ToList());
    }

    /// <summary>The "external" object of the data context (EU DCC validation: CertLogic external parameters).</summary>
    public static JsonObject External(DccRuleContext context, JsonObject valueSets)
    {
        static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var external = new JsonObject
        {
            ["valueSets"] = Own(valueSets),
            ["validationClock"] = Iso(context.ValidationClock),
            ["countryCode"] = context.CountryCode,
        };
        if (context.ExpiresAt is { } exp) external["exp"] = Iso(exp);
        if (context.IssuedAt is { } iat) external["iat"] = Iso(iat);
        if (context.IssuerCountryCode is { } issuer) external["issuerCountryCode"] = issuer;
        if (context.Kid is { } kid) external["kid"] = kid;
        if (context.Region is { } region) external["region"] = region;
        return external;
    }

    private static JsonNode Own(JsonNode node) => node.Parent is null ? node : node.DeepClone();

    /// <summary>Vaccination, Test or Recovery by the entry group the payload carries (General when none or several).</summary>
    public static DccCertificateType TypeOf(JsonNode payload)
    {
        if (payload is not JsonObject o) return DccCertificateType.General;
        var types = new[] { ("v", DccCertificateType.Vaccination), ("t", DccCertificateType.Test), ("r", DccCertificateType.Recovery) }
            .Where(t => o.ContainsKey(t.Item1)).Select(t => t.Item2).ToList();
        return types.Count == 1 ? types[0] : DccCertificateType.General;
    }

    /// <summary>Value sets in the "compressed" form rules read (valueSetId → its codes), from eu-dcc-valuesets files
    /// (each {valueSetId, valueSetValues{code: …}}) in a folder.</summary>
    public static JsonObject ValueSetsFromFolder(string folder)
    {
        var sets = new JsonObject();
        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal).Take(100))
        {
            if (ReadJson(file) is not JsonObject o || o["valueSetId"] is not JsonValue id || o["valueSetValues"] is not JsonObject values) continue;
            sets[id.GetValue<string>()] = new JsonArray(values.Select(p => (JsonNode?)JsonValue.Create(p.Key)).ToArray());
        }
        return sets;
    }
}
