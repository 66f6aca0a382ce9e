using System.Collections.Frozen;
using System.Text.Json;
using Vc.Interop.Hcert;

namespace Vc.Interop.Dcc;

/// <summary>EU DCC value sets (eu-dcc-valuesets 2.12.0, embedded). Value sets are annotations in the schema, so
/// they are checked here, separately (hcert §2.6.3, eu-dcc-valuesets README).</summary>
public sealed class DccValueSets
{
    private readonly FrozenDictionary<string, FrozenSet<string>> _sets;

    public DccValueSets()
    {
        var sets = new Dictionary<string, FrozenSet<string>>();
        foreach (var (folder, file) in EmbeddedData.List().Where(f => f.Folder == "dcc-valuesets"))
        {
            var (id, values) = Parse(EmbeddedData.Read(folder, file));
            sets[id] = values;
        }
        _sets = sets.ToFrozenDictionary();
        _rulesJson = new(BuildRulesJson);
    }

    private DccValueSets(FrozenDictionary<string, FrozenSet<string>> sets)
    {
        _sets = sets;
        _rulesJson = new(BuildRulesJson);
    }

    /// <summary>These value sets with one replaced by a newer one in the gateway's distribution form
    /// ({valueSetId, valueSetValues{code: …}}), e.g. the live RAT device list.</summary>
    /// <exception cref="InvalidDataException">The JSON is not a value set.</exception>
    public DccValueSets With(ReadOnlySpan<byte> valueSetJson)
    {
        var (id, values) = Parse(valueSetJson);
        var sets = new Dictionary<string, FrozenSet<string>>(_sets) { [id] = values };
        return new DccValueSets(sets.ToFrozenDictionary());
    }

    private static (string Id, FrozenSet<string> Values) Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var doc = JsonDocument.ParseValue(ref reader);
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("valueSetId", out var id) || id.ValueKind != JsonValueKind.String
                || !doc.RootElement.TryGetProperty("valueSetValues", out var values) || values.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException("a value set needs valueSetId (text) and valueSetValues (object)");
            return (id.GetString()!, values.EnumerateObject().Select(p => p.Name).ToFrozenSet());
        }
        catch (JsonException e) { throw new InvalidDataException("the value set is not JSON: " + e.Message, e); }
    }

    public IReadOnlyCollection<string> ValueSetIds => _sets.Keys;

    /// <summary>The value sets in the "compressed" form business rules read as external.valueSets: id → its codes.</summary>
    public System.Text.Json.Nodes.JsonObject ToRulesJson() => (System.Text.Json.Nodes.JsonObject)_rulesJson.Value.DeepClone();

    // Built once: a rule-set application copies it into its data context rather than rebuilding it from the sets.
    private readonly Lazy<System.Text.Json.Nodes.JsonObject> _rulesJson;

    private System.Text.Json.Nodes.JsonObject BuildRulesJson()
    {
        var json = new System.Text.Json.Nodes.JsonObject();
        foreach (var (id, codes) in _sets.OrderBy(s => s.Key, StringComparer.Ordinal))
            json[id] = new System.Text.Json.Nodes.JsonArray(codes.Order(StringComparer.Ordinal).Select(c => (System.Text.Json.Nodes.JsonNode?)c).ToArray());
        return json;
    }

    public bool Contains(string valueSetId, string code) => _sets.TryGetValue(valueSetId, out var s) && s.Contains(code);

    /// <summary>SNOMED/LOINC-coded test types: LP217198-3 rapid antigen (RAT), LP6464-4 NAAT.</summary>
    public const string RapidAntigenTest = "LP217198-3";

    /// <summary>Every coded field outside its value set, as "t.ma: '9999' is not in … (/t/0/ma)", as EU verifiers check
    /// them (hcert §2.6.3; eu-dcc-schema: the value sets are annotations, checked apart from the schema). Shapes that are
    /// accepted go to <paramref name="warnings"/>: a RAT without a device (t.ma), a ci that is not a UVCI.</summary>
    public IReadOnlyList<string> Check(JsonElement dcc, ICollection<HcertWarning>? warnings = null)
    {
        var problems = new List<string>();
        void Field(JsonElement entry, string path, string name, string valueSet)
        {
            if (!entry.TryGetProperty(name, out var value)) return;
            var field = $"{path.Split('/')[1]}.{name}";
            if (value.ValueKind != JsonValueKind.String)
                problems.Add($"{field}: {value.ValueKind} is not a code of {valueSet} ({path}/{name})");
            // t.ma is the RAT device; a NAAT (PCR) entry leaves it empty (eu-dcc-schema 1.3: "ma" only for RAT).
            else if (name == "ma" && path.StartsWith("/t/", StringComparison.Ordinal) && value.GetString()!.Length == 0 && !IsRat(entry))
                return;
            else if (!Contains(valueSet, value.GetString()!))
                problems.Add($"{field}: '{value.GetString()}' is not in {valueSet} ({path}/{name})");
        }
        if (dcc.ValueKind != JsonValueKind.Object) return problems;
        foreach (var (group, fields) in Groups)
        {
            if (!dcc.TryGetProperty(group, out var entries) || entries.ValueKind != JsonValueKind.Array) continue;
            var i = 0;
            foreach (var entry in entries.EnumerateArray())
            {
                if (entry.ValueKind == JsonValueKind.Object)
                {
                    foreach (var (name, set) in fields)
                        Field(entry, $"/{group}/{i}", name, set);
                    if (group == "t" && IsRat(entry) && !(entry.TryGetProperty("ma", out var ma) && ma.ValueKind == JsonValueKind.String && ma.GetString()!.Length > 0))
                        warnings?.Add(new HcertWarning("t.ma", "a rapid antigen test without its device identifier (t.ma)"));
                    if (entry.TryGetProperty("ci", out var ci) && ci.ValueKind == JsonValueKind.String && !Uvci.IsMatch(ci.GetString()!))
                        warnings?.Add(new HcertWarning($"{group}.ci", $"'{ci.GetString()}' is not a UVCI (eHN UVCI guidelines, Annex 2: [URN:UVCI:]01:CC:…)"));
                }
                i++;
            }
        }
        return problems;
    }

    private static bool IsRat(JsonElement entry) =>
        entry.TryGetProperty("tt", out var tt) && tt.ValueKind == JsonValueKind.String && tt.GetString() == RapidAntigenTest;

    /// <summary>eHN UVCI guidelines Annex 2: optional "URN:UVCI:" prefix, version 01, the issuing country, then the
    /// issuer's blocks separated by '/', ':' or '#' (a checksum after '#' optional).</summary>
    private static readonly System.Text.RegularExpressions.Regex Uvci = new(
        @"^(URN:UVCI:)?01[:/]?[A-Z]{2}[:/]?[A-Z0-9/:#]+$",
        System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    private static readonly (string Group, (string Field, string ValueSet)[] Fields)[] Groups =
    [
        ("v", [("tg", "disease-agent-targeted"), ("vp", "sct-vaccines-covid-19"), ("mp", "vaccines-covid-19-names"), ("ma", "vaccines-covid-19-auth-holders"), ("co", "country-2-codes")]),
        ("t", [("tg", "disease-agent-targeted"), ("tt", "covid-19-lab-test-type"), ("ma", "covid-19-lab-test-manufacturer-and-name"), ("tr", "covid-19-lab-result"), ("co", "country-2-codes")]),
        ("r", [("tg", "disease-agent-targeted"), ("co", "country-2-codes")]),
    ];
}
