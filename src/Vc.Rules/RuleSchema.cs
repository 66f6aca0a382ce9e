using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Vc.Rules;

/// <summary>
/// The gateway's validation-rule JSON Schema (Resources/validation-rule.schema.json, draft 2020-12), evaluated by a
/// validator of exactly the keywords that schema uses: type, required, properties, enum, pattern, minLength, minItems,
/// minProperties, items, contains (format, title, description are annotations). A general JSON Schema library builds
/// its evaluation plan on first use in every process (~0.1 s, most of a `vchealth rules test` call); this one is
/// built in well under a millisecond. The schema file stays the one source: a keyword outside that set makes loading
/// fail, and a test checks that both validators agree on every published rule and on broken variants of them.
/// </summary>
internal sealed class RuleSchema
{
    private static readonly HashSet<string> Annotations = ["$schema", "$id", "title", "description", "format"];

    private readonly string? _type;
    private readonly string[] _required;
    private readonly (string Name, RuleSchema Schema)[] _properties;
    private readonly JsonNode?[]? _enum;
    private readonly Regex? _pattern;
    private readonly int? _minLength, _minItems, _minProperties;
    private readonly RuleSchema? _items, _contains;

    public static RuleSchema Gateway { get; } = Load();

    private static RuleSchema Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Vc.Rules.validation-rule.schema.json")!;
        return new RuleSchema((JsonObject)JsonNode.Parse(stream)!);
    }

    public RuleSchema(JsonObject schema)
    {
        foreach (var (keyword, value) in schema)
        {
            switch (keyword)
            {
                case "type": _type = value!.GetValue<string>(); break;
                case "required": _required = value!.AsArray().Select(n => n!.GetValue<string>()).ToArray(); break;
                case "properties": _properties = value!.AsObject().Select(p => (p.Key, new RuleSchema(p.Value!.AsObject()))).ToArray(); break;
                case "enum": _enum = value!.AsArray().ToArray(); break;
                // JSON Schema 2020-12 §6.3.3: an ECMA-262 regular expression, unanchored.
                case "pattern": _pattern = new Regex(value!.GetValue<string>(), RegexOptions.ECMAScript); break;
                case "minLength": _minLength = value!.GetValue<int>(); break;
                case "minItems": _minItems = value!.GetValue<int>(); break;
                case "minProperties": _minProperties = value!.GetValue<int>(); break;
                case "items": _items = new RuleSchema(value!.AsObject()); break;
                case "contains": _contains = new RuleSchema(value!.AsObject()); break;
                default:
                    if (!Annotations.Contains(keyword)) throw new NotSupportedException($"rule schema keyword '{keyword}' is not supported");
                    break;
            }
        }
        _required ??= [];
        _properties ??= [];
    }

    /// <summary>Every violation as "location keyword: why", empty when the instance is valid.</summary>
    public List<string> Validate(JsonNode? instance)
    {
        var problems = new List<string>();
        Validate(instance, "", problems);
        return problems;
    }

    public bool IsValid(JsonNode? instance) => Validate(instance).Count == 0;

    private void Validate(JsonNode? instance, string location, List<string> problems)
    {
        var kind = instance?.GetValueKind() ?? JsonValueKind.Null;
        if (_type is not null && !HasType(instance, kind, _type))
        {
            problems.Add($"{At(location)} type: {Kind(kind)} is not {_type}");
            return;
        }
        if (_enum is not null && !_enum.Any(e => JsonNode.DeepEquals(e, instance)))
            problems.Add($"{At(location)} enum: {instance?.ToJsonString() ?? "null"} is not one of {string.Join(", ", _enum.Select(e => e?.ToJsonString()))}");
        if (kind == JsonValueKind.String)
        {
            var s = instance!.GetValue<string>();
            if (_pattern is not null && !_pattern.IsMatch(s))
                problems.Add($"{At(location)} pattern: \"{s}\" does not match {_pattern}");
            // §6.3.2: the length is the number of characters (Unicode code points).
            if (_minLength is { } min && s.EnumerateRunes().Count() < min)
                problems.Add($"{At(location)} minLength: shorter than {min}");
        }
        if (instance is JsonArray array)
        {
            if (_minItems is { } min && array.Count < min) problems.Add($"{At(location)} minItems: fewer than {min} items");
            if (_items is not null)
                for (var i = 0; i < array.Count; i++) _items.Validate(array[i], $"{location}/{i}", problems);
            if (_contains is not null && !array.Any(_contains.IsValid))
                problems.Add($"{At(location)} contains: no item matches");
        }
        if (instance is JsonObject obj)
        {
            if (_minProperties is { } min && obj.Count < min) problems.Add($"{At(location)} minProperties: fewer than {min} properties");
            foreach (var name in _required)
                if (!obj.ContainsKey(name)) problems.Add($"{At(location)} required: {name} is missing");
            foreach (var (name, schema) in _properties)
                if (obj.TryGetPropertyValue(name, out var value)) schema.Validate(value, $"{location}/{Escape(name)}", problems);
        }
    }

    private static string At(string location) => location.Length == 0 ? "/" : location;

    private static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static string Kind(JsonValueKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>§6.1.1: "integer" matches any number with a zero fractional part.</summary>
    private static bool HasType(JsonNode? instance, JsonValueKind kind, string type) => type switch
    {
        "object" => kind == JsonValueKind.Object,
        "array" => kind == JsonValueKind.Array,
        "string" => kind == JsonValueKind.String,
        "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
        "null" => kind == JsonValueKind.Null,
        "number" => kind == JsonValueKind.Number,
        "integer" => kind == JsonValueKind.Number && CertLogicValues.IsIntNode(instance),
        _ => throw new NotSupportedException($"rule schema type '{type}' is not supported"),
    };
}
