using Vc.Agent.Storage;

namespace Vc.Node.Api;

/// <summary>
/// Every write endpoint requires an API key with a scope: <c>Authorization: Bearer vch_…</c> or
/// <c>X-API-Key: vch_…</c>. 401 without a valid key, 403 when the key lacks the scope.
/// </summary>
public static class ApiKeyAuth
{
    /// <param name="confirmedByIssuance">the endpoint issues with the key's id as <c>IssueOptions.AuthorizedBy</c>
    /// (<see cref="AuthorizedBy"/>), which confirms the key unrevoked before the issuance commits: the key may then be
    /// recalled as this process last read it (<see cref="ApiKeys.RecallAsync"/>) instead of read per request.</param>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, ApiScope scope, bool confirmedByIssuance = false) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredScope(scope)).AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var token = Token(http.Request);
            if (token is null)
                return Problems.Unauthorized("an API key is required (Authorization: Bearer <key> or X-API-Key)");
            var keys = http.RequestServices.GetRequiredService<ApiKeys>();
            var key = confirmedByIssuance ? await keys.RecallAsync(token) : await keys.AuthenticateAsync(token);
            if (key is null) return Problems.Unauthorized("the API key is unknown or revoked");
            if (!key.Scopes.HasFlag(scope))
                return Problems.Forbidden($"the API key lacks the '{ApiKeys.ScopeNames(scope)}' scope");
            http.Items[typeof(ApiKeyInfo)] = key;
            return await next(context);
        });

    /// <summary>The id of the API key that authorized this request (after <see cref="RequireScope"/>).</summary>
    public static string AuthorizedBy(HttpContext http) =>
        (http.Items[typeof(ApiKeyInfo)] as ApiKeyInfo ?? throw new InvalidOperationException("no API key was checked for this endpoint")).Id;

    private static string? Token(HttpRequest request)
    {
        var auth = request.Headers.Authorization.ToString();
        if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return auth[7..].Trim();
        return request.Headers.TryGetValue("X-API-Key", out var v) && v.ToString() is { Length: > 0 } s ? s.Trim() : null;
    }
}
