using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Vc.Node.Api;

namespace Vc.Node.Hosting;

/// <summary>Options of a running node.</summary>
public sealed record NodeOptions
{
    public required LedgerSettings Ledger { get; init; }
    /// <summary>Listen URLs; loopback only unless the operator says otherwise. Port 0 = pick a free one.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:8480";
}

/// <summary>Builds the ASP.NET Core node: services, endpoints, and its ledger.</summary>
public static class NodeApp
{
    public static async Task<WebApplication> BuildAsync(NodeOptions options, NodeLedger ledger)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls(options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries));
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o => o.IncludeScopes = false);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(ledger);
        builder.Services.AddSingleton(options);
        var app = builder.Build();
        HealthEndpoints.Map(app);
        await Task.CompletedTask;
        return app;
    }

    /// <summary>The addresses the started server actually listens on (resolves port 0).</summary>
    public static IReadOnlyList<string> ListeningAddresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];
}
