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
    public static async Task<(JsonDocument? Body, IResult? Problem)> ReadDocumentAsync(HttpRequest request)
    {
        if (!request.HasJsonContentType())
            return (null, UnsupportedMediaType(request));
        try
        {
            var document = await JsonDocument.ParseAsync(request.Body,
                new JsonDocumentOptions { MaxDepth = MaxDepth, AllowDuplicateProperties = false }, request.HttpContext.RequestAborted);
            var problem = document.RootElement.ValueKind != JsonValueKind.Object
                ? Problems.BadRequest("malformed-json", "the body must be a JSON object")
                : Vc.JsonLd.IJson.HasLoneSurrogateEscape(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(document.RootElement))
                    ? LoneSurrogate()
                    : null;
            if (problem is null) return (document, null);
            document.Dispose();
            return (null, problem);
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

    // I-JSON (RFC 7493 §2.1): an escaped lone surrogate parses, then throws wherever the string is first read.
    private static IResult LoneSurrogate() =>
        Problems.BadRequest("malformed-json", "the body is not I-JSON: a string holds a lone UTF-16 surrogate");

    private static IResult UnsupportedMediaType(HttpRequest request) =>
        Problems.Result(415, "unsupported-media-type", "Unsupported media type", $"expected application/json, got '{request.ContentType ?? "none"}'");

    public static async Task<(JsonObject? Body, IResult? Problem)> ReadObjectAsync(HttpRequest request)
    {
        if (!request.HasJsonContentType())
            return (null, UnsupportedMediaType(request));
        try
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
            if (Vc.JsonLd.IJson.HasLoneSurrogateEscape(body.GetBuffer().AsSpan(0, (int)body.Length)))
                return (null, LoneSurrogate());
            var node = JsonNode.Parse(body.GetBuffer().AsSpan(0, (int)body.Length), documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth });
            return node is JsonObject o
                ? (o, null)
                : (null, Problems.BadRequest("malformed-json", "the body must be a JSON object"));
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
}
