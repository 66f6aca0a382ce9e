using System.Collections.Frozen;
using System.Text.Json;

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
            using var doc = JsonDocument.Parse(EmbeddedData.Read(folder, file));
            var id = doc.RootElement.GetProperty("valueSetId").GetString()!;
            sets[id] = doc.RootElement.GetProperty("valueSetValues").EnumerateObject().Select(p => p.Name).ToFrozenSet();
        }
        _sets = sets.ToFrozenDictionary();
        _rulesJson = new(BuildRulesJson);
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

    /// <summary>Every coded field outside its value set, as "path: value (value set)".</summary>
    public IReadOnlyList<string> Check(JsonElement dcc)
    {
        var problems = new List<string>();
        void Field(JsonElement entry, string path, string name, string valueSet)
        {
            if (entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !Contains(valueSet, value.GetString()!))
                problems.Add($"{path}/{name}: '{value.GetString()}' is not in {valueSet}");
        }
        foreach (var (group, fields) in Groups)
        {
            if (!dcc.TryGetProperty(group, out var entries) || entries.ValueKind != JsonValueKind.Array) continue;
            var i = 0;
            foreach (var entry in entries.EnumerateArray())
            {
                if (entry.ValueKind == JsonValueKind.Object)
                    foreach (var (name, set) in fields)
                        Field(entry, $"/{group}/{i}", name, set);
                i++;
            }
        }
        return problems;
    }

    private static readonly (string Group, (string Field, string ValueSet)[] Fields)[] Groups =
    [
        ("v", [("tg", "disease-agent-targeted"), ("vp", "sct-vaccines-covid-19"), ("mp", "vaccines-covid-19-names"), ("ma", "vaccines-covid-19-auth-holders"), ("co", "country-2-codes")]),
        ("t", [("tg", "disease-agent-targeted"), ("tt", "covid-19-lab-test-type"), ("tr", "covid-19-lab-result"), ("co", "country-2-codes")]),
        ("r", [("tg", "disease-agent-targeted"), ("co", "country-2-codes")]),
    ];
}
