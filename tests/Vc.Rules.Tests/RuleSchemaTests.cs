using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Vc.TestSupport;

namespace Vc.Rules.Tests;

/// <summary>
/// The shipped validator of the gateway's rule schema (<see cref="RuleSchema"/>) against a general JSON Schema
/// 2020-12 implementation (JsonSchema.Net) on the same schema file: the same verdict on every published rule and on
/// broken variants of each kind the schema constrains.
/// </summary>
public sealed class RuleSchemaTests
{
    private static string Root => TestPaths.TestData("dcc-business-rules", "VCHEALTH_DCC_BUSINESS_RULES");

    private static readonly JsonSchema Reference = LoadReference();

    private static JsonSchema LoadReference()
    {
        using var stream = typeof(DccRule).Assembly.GetManifestResourceStream("Vc.Rules.validation-rule.schema.json")!;
        return JsonSchema.FromText(new StreamReader(stream).ReadToEnd(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }

    private static bool ReferenceValid(JsonNode? instance)
    {
        using var doc = JsonDocument.Parse(instance?.ToJsonString() ?? "null");
        return Reference.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Flag }).IsValid;
    }

    private static List<JsonObject> PublishedRules() => Directory.GetFiles(Root, "rule.json", SearchOption.AllDirectories)
        .Order(StringComparer.Ordinal).Select(f => JsonNode.Parse(File.ReadAllText(f))!.AsObject()).ToList();

    /// <summary>Each edit breaks (or, for some, keeps) one constraint of the schema.</summary>
    private static readonly (string Name, Action<JsonObject> Edit)[] Edits =
    [
        ("no Identifier", r => r.Remove("Identifier")),
        ("Identifier pattern", r => r["Identifier"] = "XX-EU-0001"),
        ("Identifier three digits", r => r["Identifier"] = "VR-EU-001"),
        ("Identifier number", r => r["Identifier"] = 1),
        ("Type enum", r => r["Type"] = "Sometimes"),
        ("Type Invalidation", r => r["Type"] = "Invalidation"),
        ("Country lower case", r => r["Country"] = "de"),
        ("Country three letters", r => r["Country"] = "DEU"),
        ("Version not semver", r => r["Version"] = "v1"),
        ("Version with suffix", r => r["Version"] = "1.0.0-beta"),
        ("SchemaVersion missing", r => r.Remove("SchemaVersion")),
        ("Engine number", r => r["Engine"] = 3),
        ("EngineVersion bad", r => r["EngineVersion"] = "x"),
        ("CertificateType enum", r => r["CertificateType"] = "Passport"),
        ("Description empty", r => r["Description"] = new JsonArray()),
        ("Description not array", r => r["Description"] = "text text text text text"),
        ("Description short", r => r["Description"] = new JsonArray(new JsonObject { ["lang"] = "en", ["desc"] = "too short" })),
        ("Description no English", r => r["Description"] = new JsonArray(new JsonObject { ["lang"] = "de", ["desc"] = "Eine hinreichend lange Beschreibung." })),
        ("Description bad lang", r => r["Description"] = new JsonArray(new JsonObject { ["lang"] = "en", ["desc"] = "A sufficiently long description." }, new JsonObject { ["lang"] = "EN-gb", ["desc"] = "A sufficiently long description." })),
        ("Description en-gb", r => r["Description"] = new JsonArray(new JsonObject { ["lang"] = "en", ["desc"] = "A sufficiently long description." }, new JsonObject { ["lang"] = "en-gb", ["desc"] = "A sufficiently long description." })),
        ("Description item without desc", r => r["Description"] = new JsonArray(new JsonObject { ["lang"] = "en" })),
        ("Description 20 code points", r => r["Description"] = new JsonArray(new JsonObject { ["lang"] = "en", ["desc"] = "😀😀😀😀😀😀😀😀😀😀" + "0123456789" })),
        ("ValidFrom no zone", r => r["ValidFrom"] = "2021-07-01T00:00:00"),
        ("ValidFrom offset", r => r["ValidFrom"] = "2021-07-01T00:00:00+02:00"),
        ("ValidTo milliseconds", r => r["ValidTo"] = "2030-06-01T00:00:00.000Z"),
        ("AffectedFields empty", r => r["AffectedFields"] = new JsonArray()),
        ("AffectedFields number", r => r["AffectedFields"] = new JsonArray(1)),
        ("Logic empty", r => r["Logic"] = new JsonObject()),
        ("Logic array", r => r["Logic"] = new JsonArray()),
        ("Logic missing", r => r.Remove("Logic")),
        ("extra property", r => r["Extra"] = true),
    ];

    [Fact]
    public void Both_validators_agree_on_every_published_rule_and_every_broken_variant()
    {
        var rules = PublishedRules();
        Assert.True(rules.Count >= 100);
        var disagreements = new List<string>();
        var invalid = 0;
        foreach (var rule in rules)
        {
            if (RuleSchema.Gateway.IsValid(rule) != ReferenceValid(rule)) disagreements.Add($"{rule["Identifier"]}: as published");
            foreach (var (name, edit) in Edits)
            {
                var variant = (JsonObject)rule.DeepClone();
                edit(variant);
                var reference = ReferenceValid(variant);
                if (!reference) invalid++;
                if (RuleSchema.Gateway.IsValid(variant) != reference) disagreements.Add($"{rule["Identifier"]}: {name} (reference says {(reference ? "valid" : "invalid")})");
            }
        }
        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements.Take(20)));
        Assert.True(invalid > rules.Count * 20, $"only {invalid} variants were invalid"); // the edits do break rules
        foreach (var v in new JsonNode?[] { null, JsonValue.Create(1), new JsonArray(), JsonValue.Create("rule") })
            Assert.Equal(ReferenceValid(v), RuleSchema.Gateway.IsValid(v));
    }

    [Fact]
    public void Every_problem_is_named_with_its_location_and_keyword()
    {
        var rule = PublishedRules()[0];
        rule["Country"] = "de";
        rule.Remove("AffectedFields");
        var problems = RuleSchema.Gateway.Validate(rule);
        Assert.Contains("/Country pattern: \"de\" does not match ^[A-Z]{2}$", problems);
        Assert.Contains("/ required: AffectedFields is missing", problems);
    }

    [Fact]
    public void A_schema_keyword_the_validator_does_not_implement_refuses_to_load()
    {
        var e = Assert.Throws<NotSupportedException>(() => new RuleSchema(JsonNode.Parse("""{"type": "object", "additionalProperties": false}""")!.AsObject()));
        Assert.Contains("additionalProperties", e.Message);
    }
}
