using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vc.Node.Api;

/// <summary>
/// Reads a JSON request body with clear 4xx answers: 415 for a wrong content type, 413 over the size
/// limit, 400 for malformed or over-deep JSON. Endpoints get a JsonObject or a ready problem result.
/// </summary>
public static class JsonBody
{
    public const int MaxDepth = 64;

    /// <summary>The body parsed strictly (no duplicate member names) and kept as a document, for endpoints that hand
    /// parts of it to the libraries without building objects (dispose it).</summary>
    public static Task<(JsonDocument? Body, IResult? Problem)> ReadDocumentAsync(HttpRequest request) =>
        ReadAsync<JsonDocument>(request, async (body, ct) =>
        {
            var document = await JsonDocument.ParseAsync(body, new JsonDocumentOptions { MaxDepth = MaxDepth, AllowDuplicateProperties = false }, ct);
            var problem = document.RootElement.ValueKind != JsonValueKind.Object
                ? NotAnObject()
                : Vc.JsonLd.IJson.Violation(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(document.RootElement)) is { } notIJson
                    ? NotIJson(notIJson)
                    : null;
            if (problem is null) return (document, null);
            document.Dispose();
            return (null, problem);
        });

    public static Task<(JsonObject? Body, IResult? Problem)> ReadObjectAsync(HttpRequest request) =>
        ReadAsync<JsonObject>(request, async (body, ct) =>
        {
            using var buffer = new MemoryStream();
            await body.CopyToAsync(buffer, ct);
            var utf8 = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
            if (Vc.JsonLd.IJson.Violation(utf8) is { } notIJson) return (null, NotIJson(notIJson));
            var strict = new JsonDocumentOptions { MaxDepth = MaxDepth, AllowDuplicateProperties = false };
            // A JsonObject finds duplicate member names only when first read (and throws there): check them up front.
            using (JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), strict)) { }
            return JsonNode.Parse(utf8, documentOptions: strict) is JsonObject o ? (o, null) : (null, NotAnObject());
        });

    // The answers every JSON endpoint shares: 415 for another content type, 400 for malformed JSON, 413 over the cap.
    private static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpRequest request,
        Func<Stream, CancellationToken, Task<(T?, IResult?)>> parse) where T : class
    {
        if (!request.HasJsonContentType())
            return (null, Problems.Result(415, "unsupported-media-type", "Unsupported media type",
                $"expected application/json, got '{request.ContentType ?? "none"}'"));
        try
        {
            return await parse(request.Body, request.HttpContext.RequestAborted);
        }
        catch (JsonException e)
        {
            return (null, Problems.BadRequest("malformed-json", "the body is not valid JSON: " + e.Message));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.Result(413, "payload-too-large", "Payload too large", e.Message));
        }
    }

    private static IResult NotAnObject() => Problems.BadRequest("malformed-json", "the body must be a JSON object");

    // I-JSON (RFC 7493 §2.1): invalid UTF-8 inside a string and an escaped lone surrogate parse, then throw wherever
    // the string is first read.
    private static IResult NotIJson(string why) => Problems.BadRequest("malformed-json", "the body is not I-JSON: " + why);
}
