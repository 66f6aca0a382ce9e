using System.Collections.Concurrent;
using System.Text.Json;
using Json.Schema;

namespace Vc.Interop.Dcc;

/// <summary>The outcome of validating an EU DCC payload against the schema release its <c>ver</c> names.</summary>
public sealed record DccSchemaResult(bool IsValid, string? SchemaVersion, IReadOnlyList<string> Errors);

/// <summary>Validates EU DCC payloads (hcert claim -260/1) with JSON Schema draft 2020-12 (eu-dcc-schema releases
/// 1.0.0–1.3.3, embedded), choosing the release by the payload's <c>ver</c>.</summary>
public sealed class DccSchemaValidator
{
    private readonly SortedDictionary<Version, string> _releases = new();
    private readonly ConcurrentDictionary<Version, JsonSchema> _built = new();

    public DccSchemaValidator()
    {
        foreach (var (folder, file) in EmbeddedData.List())
            if (folder == "dcc-schema" && Version.TryParse(Path.GetFileNameWithoutExtension(file), out var v))
                _releases[v] = file;
    }

    public IReadOnlyCollection<Version> Releases => _releases.Keys;

    /// <summary>The release for a <c>ver</c>: the exact one, else the newest release not newer than it within the
    /// same major version (a newer patch/minor the library does not ship yet is checked with the closest rules).</summary>
    public Version? ReleaseFor(string? ver)
    {
        if (ver is null || !Version.TryParse(ver, out var wanted) || wanted.Build < 0)
            return null;
        Version? best = null;
        foreach (var v in _releases.Keys)
            if (v.Major == wanted.Major && v <= wanted)
                best = v;
        return best;
    }

    public DccSchemaResult Validate(JsonElement dcc)
    {
        if (dcc.ValueKind != JsonValueKind.Object)
            return new(false, null, ["payload is not a JSON object"]);
        var ver = dcc.TryGetProperty("ver", out var verElement) && verElement.ValueKind == JsonValueKind.String ? verElement.GetString() : null;
        var release = ReleaseFor(ver);
        if (release is null)
            return new(false, null, [ver is null ? "ver is missing" : $"no schema release for ver '{ver}'"]);
        var schema = _built.GetOrAdd(release, Build);
        // The flag format stops at the first error and builds no result tree; details are collected only on failure.
        EvaluationResults result;
        try
        {
            result = schema.Evaluate(dcc, FlagOptions);
            if (!result.IsValid)
                result = schema.Evaluate(dcc, ListOptions);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or OverflowException or JsonException)
        {
            return new(false, release.ToString(3), ["the payload cannot be evaluated against the schema: " + e.Message]);
        }
        var errors = new List<string>();
        if (!result.IsValid)
            foreach (var detail in result.Details ?? [])
                if (detail.Errors is { } errs)
                    foreach (var (keyword, message) in errs)
                        errors.Add($"{detail.InstanceLocation} {keyword}: {message}");
        if (!result.IsValid && errors.Count == 0)
            errors.Add("schema validation failed");
        // Schema note: the schema lets one of v/t/r occur, but a DCC carries exactly one entry of one type.
        var groups = new[] { "v", "t", "r" }.Where(k => dcc.TryGetProperty(k, out _)).ToList();
        if (groups.Count != 1)
            errors.Add($"exactly one of v/t/r must be present, found {groups.Count}");
        else if (dcc.GetProperty(groups[0]) is { ValueKind: JsonValueKind.Array } entries && entries.GetArrayLength() != 1)
            errors.Add($"{groups[0]} must hold exactly one entry, found {entries.GetArrayLength()}");
        return new(errors.Count == 0, release.ToString(3), errors);
    }

    private readonly EvaluationOptions FlagOptions = new() { OutputFormat = OutputFormat.Flag };
    private readonly EvaluationOptions ListOptions = new() { OutputFormat = OutputFormat.List };

    private JsonSchema Build(Version release)
    {
        var text = System.Text.Encoding.UTF8.GetString(EmbeddedData.Read("dcc-schema", _releases[release]));
        // Every release uses the same $id, so each gets its own registry.
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        return JsonSchema.FromText(text, options);
    }
}
