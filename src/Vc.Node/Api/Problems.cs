namespace Vc.Node.Api;

/// <summary>
/// Problem details (RFC 9457) as the VC-API and its test suites expect them: a type URI, a title and a
/// detail saying which step failed and why.
/// </summary>
public static class Problems
{
    public const string Base = "https://vchealth.example/problems/";

    public static IResult Result(int status, string type, string title, string detail) =>
        Results.Json(Body(status, type, title, detail), statusCode: status, contentType: "application/problem+json");

    public static object Body(int status, string type, string title, string detail) =>
        new { type = type.Contains(':') ? type : Base + type, title, detail, status };

    public static IResult BadRequest(string type, string detail) => Result(400, type, "Bad request", detail);
    public static IResult NotFound(string detail) => Result(404, "not-found", "Not found", detail);
    public static IResult Unauthorized(string detail) => Result(401, "unauthorized", "Unauthorized", detail);
    public static IResult Forbidden(string detail) => Result(403, "forbidden", "Forbidden", detail);
}
