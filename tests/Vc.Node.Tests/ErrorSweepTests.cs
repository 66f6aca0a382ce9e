using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Vc.Agent.Storage;

namespace Vc.Node.Tests;

/// <summary>
/// Every endpoint of the OpenAPI document (so a new endpoint is swept without editing this test) gets malformed
/// bodies, wrong types, huge numbers, garbage certificates and garbage path and query values (issue #15, finding 5):
/// each answer is a 4xx the document declares for that operation, in the declared content type (problem details for
/// errors), never a 500.
/// </summary>
public sealed class ErrorSweepTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private const string GarbageCertificate = "-----BEGIN CERTIFICATE-----\nMIIBAAAAAAAA\n-----END CERTIFICATE-----";

    /// <summary>Values of the wrong type or out of every range, for any property of any body.</summary>
    private static readonly string[] WrongValues =
    [
        "1e400", "-1e400", "123456789012345678901234567890", "-9223372036854775809", "1.5", "-1", "true", "null", "[]", "{}",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        "\"\"", "\"\\u0000\"", "\"" + new string('x', 100_000) + "\"", "\"not base64 !!\"", System.Text.Json.JsonSerializer.Serialize(GarbageCertificate),
        "\"did:ethr:0xzz\"", "\"https://169.254.169.254/latest\"", "{\"@context\":1}",
    ];

    /// <summary>Bodies that are not the JSON object any endpoint reads.</summary>
    private static readonly string[] MalformedBodies =
    [
        "", "not json", "{", "{\"a\":}", "[]", "null", "123", "\"text\"", "{\"a\":1,\"a\":2}", "\uFEFF{}",
        new string('[', 5000) + new string(']', 5000),
    ];

    [Fact]
    public async Task Every_endpoint_answers_garbage_with_a_declared_4xx_never_a_500()
    {
        var keys = node.Services.GetRequiredService<ApiKeys>();
        var all = (await keys.CreateAsync(ApiScope.All, "sweep")).Secret;
        using var client = node.With(all);
        using (var create = await client.PostAsync("/issuers", new StringContent("""{"id":"sweep","method":"ethr"}""", Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.Created, create.StatusCode);

        var document = JsonNode.Parse(await node.Anonymous.GetStringAsync("/openapi/v1.json"))!.AsObject();
        var failures = new List<string>();
        var sent = 0;
        foreach (var (template, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                if (method is not ("get" or "post")) continue;
                foreach (var path in Paths(template))
                {
                    var requests = new List<(string What, string Url, string? Body)>();
                    if (method == "get")
                    {
                        requests.Add(("path", path, null));
                        foreach (var q in new[] { "format=%00", "subject=" + new string('a', 5000), "domain=", "subject=did:key:z&domain=ICVP", "subject=kid:!!!&domain=X", "format=gateway&x=1e400" })
                            requests.Add(("query " + q[..Math.Min(q.Length, 20)], path + "?" + q, null));
                    }
                    else
                    {
                        foreach (var body in MalformedBodies) requests.Add(("body " + Preview(body), path, body));
                        foreach (var property in Properties(document, operation!))
                            foreach (var value in WrongValues)
                                requests.Add(($"{property}={Preview(value)}", path, $"{{\"{property}\":{value}}}"));
                    }
                    foreach (var (what, url, body) in requests)
                    {
                        using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url);
                        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                        using var response = await client.SendAsync(request);
                        sent++;
                        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                        var type = response.Content.Headers.ContentType?.MediaType ?? "";
                        var text = await response.Content.ReadAsStringAsync();
                        var where = $"{method.ToUpperInvariant()} {url[..Math.Min(url.Length, 80)]} [{what}]";
                        if (response.StatusCode == HttpStatusCode.BadRequest && type == "" && text == "" && url.Contains("%00", StringComparison.Ordinal))
                            continue; // Kestrel refuses a NUL in the request target before any middleware runs (an empty 400)
                        var declared = operation!["responses"]?[status]?["content"]?.AsObject().Select(c => c.Key.Split(';')[0]).ToHashSet();
                        if ((int)response.StatusCode >= 500 && (response.StatusCode != HttpStatusCode.ServiceUnavailable || declared?.Contains(type) != true))
                            failures.Add($"{where}: {status} {text[..Math.Min(text.Length, 300)]}");
                        else if ((int)response.StatusCode >= 400)
                        {
                            // Declared for the operation, or the node-wide problem details every JSON endpoint answers bad requests with.
                            if (type != "application/problem+json" && declared?.Contains(type) != true)
                                failures.Add($"{where}: {status} {type} is not declared for this operation");
                            else if (type.EndsWith("json", StringComparison.Ordinal) && !IsJson(text))
                                failures.Add($"{where}: {status} body is not JSON");
                            else if (type == "application/problem+json" && JsonNode.Parse(text)?["type"] is null)
                                failures.Add($"{where}: problem without a type");
                        }
                    }
                }
            }
        }
        Assert.True(sent > 500, $"only {sent} requests");
        // One line per kind of failure (endpoint, status, reason), the first example of each.
        var kinds = failures.GroupBy(f => System.Text.RegularExpressions.Regex.Replace(f, "\\[.*?\\]", "")).Select(g => $"{g.Count()}× {g.First()}");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} answers:\n" + string.Join('\n', kinds.Take(60)));
    }

    [Fact]
    public async Task Every_json_endpoint_refuses_a_body_that_is_not_utf8_with_a_400_problem()
    {
        var keys = node.Services.GetRequiredService<ApiKeys>();
        using var client = node.With((await keys.CreateAsync(ApiScope.All, "utf8")).Secret);
        using (var create = await client.PostAsync("/issuers", new StringContent("""{"id":"utf8","method":"key"}""", Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        // Well-formed JSON around strings holding a byte that is no UTF-8 (FF) and a truncated sequence (C3 then '"'):
        // System.Text.Json parses both and throws only when such a string is read (RFC 8259 §8.1, I-JSON).
        byte[] body = [.. "{\"id\":\"urn:"u8, 0xFF, .. "\",\"credential\":{\"id\":\"urn:"u8, 0xC3, .. "\"},\"verifiableCredential\":{\"id\":\"urn:"u8, 0xFF, .. "\"}}"u8];

        var document = JsonNode.Parse(await node.Anonymous.GetStringAsync("/openapi/v1.json"))!.AsObject();
        var failures = new List<string>();
        var sent = 0;
        foreach (var (template, item) in document["paths"]!.AsObject())
        {
            if (item!["post"] is not { } operation || operation["requestBody"]?["content"]?["application/json"] is null) continue;
            var path = System.Text.RegularExpressions.Regex.Replace(template, "\\{[^}]+\\}", "utf8");
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync(path, content);
            sent++;
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.BadRequest || response.Content.Headers.ContentType?.MediaType != "application/problem+json"
                || !text.Contains("not UTF-8", StringComparison.Ordinal))
                failures.Add($"POST {path}: {(int)response.StatusCode} {text[..Math.Min(text.Length, 300)]}");
        }
        Assert.True(sent >= 10, $"only {sent} JSON endpoints");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>The template with each path parameter set to an existing value and to garbage.</summary>
    private static IEnumerable<string> Paths(string template)
    {
        if (!template.Contains('{')) { yield return template; yield break; }
        foreach (var value in new[] { "sweep", "did:ethr:0xzz", "%00", "..%2F..%2Fetc", new string('z', 3000), "did:web:169.254.169.254" })
            yield return System.Text.RegularExpressions.Regex.Replace(template, "\\{[^}]+\\}", value);
    }

    /// <summary>The top-level properties of an operation's JSON request body (from its schema, references followed).</summary>
    private static IEnumerable<string> Properties(JsonObject document, JsonNode operation)
    {
        var schema = operation["requestBody"]?["content"]?["application/json"]?["schema"];
        for (var hops = 0; schema?["$ref"] is JsonValue r && hops < 5; hops++)
            schema = document["components"]!["schemas"]![((string)r!).Split('/')[^1]];
        return schema?["properties"]?.AsObject().Select(p => p.Key).ToArray() ?? [];
    }

    private static bool IsJson(string text)
    {
        try { JsonNode.Parse(text); return true; }
        catch (System.Text.Json.JsonException) { return false; }
    }

    private static string Preview(string s) => s.Length <= 16 ? s : s[..16] + "…";
}
