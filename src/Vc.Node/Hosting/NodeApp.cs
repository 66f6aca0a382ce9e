using System.Security.Cryptography.X509Certificates;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Vc.Node.Api;
using Vc.Agent;
using Vc.Agent.Storage;

namespace Vc.Node.Hosting;

/// <summary>Options of a running node.</summary>
public sealed record NodeOptions
{
    public required LedgerSettings Ledger { get; init; }
    /// <summary>Listen URLs; loopback only unless the operator says otherwise. Port 0 = pick a free one.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:8480";
    /// <summary>PEM certificate (with its key in <see cref="TlsKeyPath"/>) or PFX for https URLs.</summary>
    public string? TlsCertificatePath { get; init; }
    public string? TlsKeyPath { get; init; }
    /// <summary>Requests per second per client address on public (unauthenticated) endpoints.</summary>
    public int PublicRequestsPerSecond { get; init; } = 5000;
    /// <summary>Public base URL used in minted URLs (status lists); default: the listening address.</summary>
    public string? PublicUrl { get; init; }
    /// <summary>HCERT trust inputs: DSC certificates, EU gateway lists (with <see cref="GatewayTrustAnchorPath"/>), GDHCN DID documents.</summary>
    public IReadOnlyList<string> TrustFiles { get; init; } = [];
    public string? GatewayTrustAnchorPath { get; init; }
    /// <summary>did:web only from the trust files' did:web documents (see <see cref="AgentOptions.DidWebOffline"/>).</summary>
    public bool DidWebOffline { get; init; }
    /// <summary>Largest accepted request body (QR images included).</summary>
    public long MaxRequestBodyBytes { get; init; } = 2 * 1024 * 1024;
    public TimeProvider Time { get; init; } = TimeProvider.System;
    /// <summary>A <c>postgres://</c> URL of a database shared by several nodes; null: SQLite in the data directory.</summary>
    public string? Database { get; init; }
    /// <summary>What fetches named by input may reach (status lists, did:web).</summary>
    public Vc.Did.Net.OutboundPolicy Outbound { get; init; } = Vc.Did.Net.OutboundPolicy.FromEnvironment();

    /// <summary>
    /// A verifier node with no ledger: every verification answers from this offline pack (checked for age before each
    /// answer), writes that need the ledger are refused (503 pack.offline).
    /// </summary>
    public VerifierPack? Pack { get; init; }
    /// <summary>Business rules the node applies when a verification names only a country (<c>--rules</c>).</summary>
    public Vc.Rules.DccRuleSet? Rules { get; init; }

    /// <summary>The application configuration this node shares with the CLI.</summary>
    public AgentOptions Agent => new()
    {
        Ledger = Ledger, PublicUrl = PublicUrl, TrustFiles = TrustFiles, GatewayTrustAnchorPath = GatewayTrustAnchorPath, Time = Time,
        Database = Database,
        DidWebOffline = DidWebOffline,
        Outbound = Outbound,
        Pack = Pack,
    };
}

/// <summary>Builds the ASP.NET Core node: services, limits, endpoints, and its ledger.</summary>
public static class NodeApp
{
    public const string PublicPolicy = "public";

    /// <param name="ledger">The node's ledger; null only for a verifier node serving an offline pack (<see cref="NodeOptions.Pack"/>).</param>
    public static async Task<WebApplication> BuildAsync(NodeOptions options, NodeLedger? ledger)
    {
        if (ledger is null && options.Pack is null) throw new ArgumentException("a node without a ledger serves an offline pack", nameof(ledger));
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls(options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries));
        // The slim builder leaves HTTPS out; https:// URLs need it (with --tls-cert/--tls-key as the default certificate).
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            k.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            if (options.TlsCertificatePath is { } cert)
                k.ConfigureHttpsDefaults(h => h.ServerCertificate = LoadCertificate(cert, options.TlsKeyPath));
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o => o.IncludeScopes = false);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        var agent = await VcAgent.OpenAsync(options.Agent, ledger);
        builder.Services.AddSingleton(_ => agent); // factory-registered: the container disposes it
        if (ledger is not null) builder.Services.AddSingleton(ledger);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(options.Time);
        builder.Services.AddSingleton(agent.Store);
        builder.Services.AddSingleton(agent.ApiKeys);
        builder.Services.AddSingleton(agent.Issuers);
        builder.Services.AddSingleton(agent.Urls);
        builder.Services.AddSingleton(agent.IssuerService);
        builder.Services.AddSingleton(agent.Trust);
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi(Vc.Node.Api.OpenApiContract.Configure);
        builder.Services.AddRateLimiter(r =>
        {
            r.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            r.AddPolicy(PublicPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.PublicRequestsPerSecond, Window = TimeSpan.FromSeconds(1), QueueLimit = 0 }));
        });

        var app = builder.Build();
        // Unexpected failures answer 500 with a neutral problem: no stack traces, no key material.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // The middleware's own Error log with a stack trace is kept for real failures only: a client's bad
            // request is logged once below, at Information and without a stack (no log flood for anyone).
            SuppressDiagnosticsCallback = c => Classify(c.Exception).Status != 500,
            ExceptionHandler = async http =>
            {
                var error = http.Features.Get<IExceptionHandlerFeature>()?.Error;
                var (status, type, detail) = Classify(error);
                var log = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Vc.Node");
                if (status == 500) log.LogError("{Path} failed: {Type}: {Message}", http.Request.Path, error?.GetType().Name, error?.Message);
                else if (status == 503) log.LogWarning("{Path} answered 503 {Type}: {Message}", http.Request.Path, type, detail);
                else log.LogInformation("{Path} answered {Status} {Type}", http.Request.Path, status, type);
                http.Response.StatusCode = status;
                await http.Response.WriteAsJsonAsync(Problems.Body(status, type, status switch
                {
                    500 => "Internal error",
                    404 => "Not found",
                    409 => "Conflict",
                    503 => "Service unavailable",
                    _ => "Bad request",
                }, detail), options: null, contentType: Api.OpenApiContract.ProblemType);
            },
        });
        app.UseStatusCodePages(async s =>
        {
            var http = s.HttpContext;
            if (http.Response.HasStarted || http.Response.ContentLength > 0) return;
            await http.Response.WriteAsJsonAsync(Problems.Body(http.Response.StatusCode, "http-" + http.Response.StatusCode,
                ((System.Net.HttpStatusCode)http.Response.StatusCode).ToString(), $"{http.Request.Method} {http.Request.Path}"),
                options: null, contentType: Api.OpenApiContract.ProblemType);
        });
        app.UseRateLimiter();
        WebPage.Use(app);
        app.MapOpenApi("/openapi/v1.json");
        if (options.Pack is { } pack) HealthEndpoints.MapOffline(app, pack);
        else HealthEndpoints.Map(app);
        VcApiEndpoints.Map(app);
        DidEndpoints.Map(app);
        InteropEndpoints.Map(app);
        InteropEndpoints.MapTrustList(app);
        InteropEndpoints.MapTrustCheck(app);
        RevocationEndpoints.Map(app);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            if (ListeningAddresses(app).FirstOrDefault() is { } address) app.Services.GetRequiredService<NodeUrls>().OnStarted(address);
        });
        return app;
    }

    private static X509Certificate2 LoadCertificate(string path, string? keyPath) =>
        keyPath is not null ? X509Certificate2.CreateFromPemFile(path, keyPath) : VcAgent.LoadCertificate(path);

    /// <summary>What an exception raised in a handler answers: the caller's mistakes are 4xx, the rest a neutral 500.</summary>
    private static (int Status, string Type, string Detail) Classify(Exception? error) => error switch
    {
        BadHttpRequestException b => (b.StatusCode, "bad-request", b.Message),
        IssuerServiceException { Kind: "not-found" } i => (404, "not-found", i.Message),
        IssuerServiceException { Kind: "conflict" } i => (409, "conflict", i.Message),
        IssuerServiceException { Kind: "ledger-unavailable" } i => (503, "ledger-unavailable", i.Message),
        IssuerServiceException { Kind: "key-store" } i => (503, "key-store", i.Message),
        IssuerServiceException { Kind: "unauthorized" } i => (401, "unauthorized", i.Message),
        IssuerServiceException i => (400, i.Kind, i.Message),
        StoreException { Unavailable: true } s => (503, "store-unavailable", s.Message),
        StoreException s => (400, "store", s.Message),
        System.Data.Common.DbException => (503, "store-unavailable", "the database failed to answer; see the node log"),
        Vc.Credentials.Verification.CredentialException c => (400, "invalid", c.Message),
        // The ledger could not be asked (down, paused, answering garbage): not the caller's fault, and not ours to hide.
        Vc.Did.Ledger.LedgerException l => (503, "ledger-unavailable", l.Message),
        // A pack-serving node: its pack too old (or dated ahead) for any answer, or a write that needs the ledger.
        AgentException a when a.Type.StartsWith("pack.", StringComparison.Ordinal) => (503, a.Type, a.Message),
        // Unexpected failures answer 500 with a neutral problem: no stack traces, no key material.
        _ => (500, "internal-error", "the node failed to process the request; see the node log"),
    };

    /// <summary>The addresses the started server actually listens on (resolves port 0).</summary>
    public static IReadOnlyList<string> ListeningAddresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];
}
