using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vc.Node.Cli;

/// <summary>Exit codes of every vchealth command.</summary>
public static class ExitCodes
{
    /// <summary>Success; for verify commands: verified / valid.</summary>
    public const int Ok = 0;
    /// <summary>The command ran and the answer is negative (not verified, invalid, revoked...).</summary>
    public const int Negative = 1;
    /// <summary>Wrong usage: unknown command or option, missing argument.</summary>
    public const int Usage = 2;
    /// <summary>The command could not be carried out (bad input file, ledger unreachable, ...).</summary>
    public const int Failed = 3;
}

/// <summary>A usage error found by a command body (a value it cannot use): exit code 2, like a parse error.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>JSON output conventions: indented, UTF-8 as is, one document per command.</summary>
public static class CliOutput
{
    /// <summary>The application's JSON conventions (indented, UTF-8 as is, camelCase, nulls left out), shared with the node.</summary>
    public static JsonSerializerOptions Json => Vc.Agent.AgentJson.Options;

    private static readonly JsonSerializerOptions Compact = new(Json) { WriteIndented = false };

    public static void Write(TextWriter stdout, JsonNode? node) => stdout.WriteLine(node?.ToJsonString(Json) ?? "null");

    public static void Write<T>(TextWriter stdout, T value) => stdout.WriteLine(JsonSerializer.Serialize(value, Json));

    /// <summary>An error as one JSON object on stderr: which step failed and why.</summary>
    public static void Error(TextWriter stderr, string type, string message) =>
        stderr.WriteLine(new JsonObject { ["error"] = new JsonObject { ["type"] = type, ["message"] = message } }.ToJsonString(Compact));
}
