using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Vc.Agent.Storage;

namespace Vc.Node.Api;

/// <summary>The scope an endpoint's API key needs, as endpoint metadata (the OpenAPI document lists it).</summary>
public sealed record RequiredScope(ApiScope Scope);

/// <summary>
/// What the OpenAPI document says beyond the routes: request and response bodies (<see cref="ApiContract"/> records),
/// every status code with its problem-details body, and the Bearer scheme with each write endpoint's scope.
/// </summary>
public static class OpenApiContract
{
    public const string JsonType = "application/json";
    public const string ProblemType = "application/problem+json";
    public const string BearerScheme = "bearer";

    /// <summary>The endpoint reads a JSON body of type <typeparamref name="T"/> (400 malformed, 413 too large, 415 not JSON).</summary>
    public static RouteHandlerBuilder Reads<T>(this RouteHandlerBuilder b, bool optional = false) where T : notnull =>
        b.Accepts<T>(optional, JsonType).Fails(400, 413, 415);

    public static RouteHandlerBuilder Answers<T>(this RouteHandlerBuilder b, int status, string contentType = JsonType, params string[] more) =>
        b.Produces<T>(status, contentType, more);

    /// <summary>Statuses answered with RFC 9457 problem details.</summary>
    public static RouteHandlerBuilder Fails(this RouteHandlerBuilder b, params int[] statuses)
    {
        foreach (var status in statuses) b.Produces<ProblemBody>(status, ProblemType);
        return b;
    }

    /// <summary>Public endpoints: rate-limited per client (429).</summary>
    public static RouteHandlerBuilder Public(this RouteHandlerBuilder b) =>
        b.RequireRateLimiting(Hosting.NodeApp.PublicPolicy).Fails(429);

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "VcHealth node",
                Version = "1",
                Description = "Issue and verify W3C Verifiable Credentials (VC-API shapes) and HCERT / EU DCC certificates, " +
                    "bridge between them, resolve DIDs, and export trust lists. Write endpoints need an API key with a scope.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key (vch_…) from `vchealth apikey create --scopes …`; the requirement lists the scope each endpoint needs " +
                    "(issue, revoke, manage-issuers). Also accepted as the X-API-Key header.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<RequiredScope>().FirstOrDefault() is { } required)
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [ApiKeys.ScopeNames(required.Scope)],
                });
            }
            // Every endpoint can fail unexpectedly; the node answers a neutral problem then (no stack trace, no key material).
            operation.Responses ??= new OpenApiResponses();
            operation.Responses["500"] = new OpenApiResponse
            {
                Description = "Internal error (problem details)",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [ProblemType] = new() { Schema = new OpenApiSchemaReference(nameof(ProblemBody), context.Document) },
                },
            };
            // Any endpoint that needs the ledger answers 503 (problem details) while the ledger cannot be asked.
            operation.Responses.TryAdd("503", new OpenApiResponse
            {
                Description = "The ledger is unavailable (problem details)",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [ProblemType] = new() { Schema = new OpenApiSchemaReference(nameof(ProblemBody), context.Document) },
                },
            });
            foreach (var (code, response) in operation.Responses)
                if (response is OpenApiResponse r && string.IsNullOrEmpty(r.Description))
                    r.Description = code;
            return Task.CompletedTask;
        });
    }
}
