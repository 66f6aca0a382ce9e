using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vc.Agent;

/// <summary>How application answers are written as JSON, the same for the CLI's stdout and the node's bodies.</summary>
public static class AgentJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static JsonNode ToNode<T>(T value) => JsonSerializer.SerializeToNode(value, Options)!;
}

/// <summary>A request the application refuses with a reason the caller can act on (no registry, unknown issuer...).</summary>
public sealed class AgentException(string type, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>A short dotted type, e.g. trust.NotInitialized.</summary>
    public string Type { get; } = type;
}
