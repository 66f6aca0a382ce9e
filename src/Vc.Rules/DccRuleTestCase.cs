using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vc.Rules;

/// <summary>
/// One test of a rule, in the format of dgc-business-rules-testdata (schemas/validation-rule-test.schema.json):
/// {name?, payload, external?, validationClock?, expected, message?}. The rule is evaluated on
/// {"payload": payload, "external": external}; the test passes when the result's truthiness equals expected's.
/// </summary>
public sealed record DccRuleTestCase(string? Name, JsonNode? Payload, JsonObject External, bool Expected, string? Message)
{
    /// <summary>Reads one test file.</summary>
    /// <exception cref="InvalidDataException">Not JSON, or not a test (no payload / expected).</exception>
    /// <exception cref="IOException">Missing, unreadable or too large.</exception>
    public static DccRuleTestCase Load(string path) => FromJson(DccRuleSet.ReadJson(path), path);

    public static DccRuleTestCase FromJson(JsonNode? json, string source)
    {
        if (json is not JsonObject o || !o.ContainsKey("payload") || !o.ContainsKey("expected"))
            throw new InvalidDataException($"{source} is not a rule test: an object with payload and expected is required");
        var external = o["external"] switch
        {
            JsonObject e => (JsonObject)e.DeepClone(),
            null => new JsonObject(),
            _ => throw new InvalidDataException($"{source}: external must be an object"),
        };
        // The test schema also allows the validation clock beside the payload; the data context has it in external.
        if (o["validationClock"] is JsonValue clock && !external.ContainsKey("validationClock"))
            external["validationClock"] = clock.DeepClone();
        var expected = CertLogicValues.Boolsiness(CertLogicValues.FromNode(o["expected"]))
            ?? throw new InvalidDataException($"{source}: expected is neither truthy nor falsy");
        return new DccRuleTestCase(Str(o["name"]), o["payload"]?.DeepClone(), external, expected, Str(o["message"]));
    }

    private static string? Str(JsonNode? n) => n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>The data context: {"payload": …, "external": …}.</summary>
    public JsonObject Data => new() { ["payload"] = Payload?.DeepClone(), ["external"] = External.DeepClone() };

    /// <summary>Runs the rule on this test: actual truthiness (null and an error text when evaluation fails).</summary>
    public DccRuleOutcome Run(DccRule rule) => rule.Evaluate(Data);
}
