using System.Collections.Frozen;

namespace Vc.Node.Api;

/// <summary>
/// The verifier web page: GET / and GET /web/{file}, served from resources embedded in the node (the page's own files
/// and the pinned browser QR decoder), with no CDN or remote font. A middleware rather than endpoints: the page is not
/// part of the HTTP API (OpenAPI) contract; it only calls the public verify endpoints.
/// </summary>
public static class WebPage
{
    private const string ResourcePrefix = "web/";

    private static readonly FrozenDictionary<string, (byte[] Body, string ContentType)> Assets = Load();

    // Only this origin's scripts, styles and API; camera frames and uploaded images stay in the page (blob:/data:).
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void Use(WebApplication app) => app.Use(async (http, next) =>
    {
        var request = http.Request;
        var path = request.Path.Value ?? "";
        var name = path == "/" ? ResourcePrefix + "index.html" : path.StartsWith("/" + ResourcePrefix, StringComparison.Ordinal) ? path[1..] : null;
        if (name is null || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) || !Assets.TryGetValue(name, out var asset))
        {
            await next(http);
            return;
        }
        var headers = http.Response.Headers;
        headers.ContentType = asset.ContentType;
        headers.CacheControl = "no-cache";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Permissions-Policy"] = "camera=(self), microphone=(), geolocation=()";
        http.Response.ContentLength = asset.Body.Length;
        if (HttpMethods.IsGet(request.Method)) await http.Response.Body.WriteAsync(asset.Body, http.RequestAborted);
    });

    /// <summary>The asset names served (for tests and diagnostics).</summary>
    public static IEnumerable<string> Names => Assets.Keys;

    private static FrozenDictionary<string, (byte[], string)> Load()
    {
        var assembly = typeof(WebPage).Assembly;
        var assets = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            assets[name] = (copy.ToArray(), ContentTypeOf(name));
        }
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        _ => "text/plain; charset=utf-8",
    };
}
