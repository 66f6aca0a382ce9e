using System.Diagnostics;
using System.Text.Json.Nodes;
using Vc.TestSupport;

namespace Vc.Credentials.Tests;

/// <summary>Runs tests/js/vc/crosscheck.mjs (the Digital Bazaar stack, offline): one JSON request in, one JSON answer out.</summary>
internal static class JsStack
{
    public static string Script => Path.Combine(TestPaths.RepoRoot, "tests", "js", "vc", "crosscheck.mjs");

    public static async Task<JsonObject> RunAsync(JsonObject request, int timeoutSeconds = 120) =>
        (JsonObject)await NodeScript.RunAsync(Script, request.ToJsonString(), TimeSpan.FromSeconds(timeoutSeconds));

    public static JsonObject Ed25519Key(byte seedByte) => new() { ["type"] = "Ed25519", ["seedHex"] = Convert.ToHexString(Enumerable.Repeat(seedByte, 32).ToArray()) };
}
