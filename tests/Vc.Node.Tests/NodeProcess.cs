using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Vc.Node.Tests;

/// <summary>
/// `vchealth node` as a separate process (the built CLI), on a free loopback port: what an operator runs, so it can
/// be killed without warning (SIGKILL) and several can share one database.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _log = new();

    public string BaseUrl { get; }
    public HttpClient Http { get; }

    private NodeProcess(Process process, string baseUrl, string? apiKey)
    {
        _process = process;
        BaseUrl = baseUrl;
        Http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(2) };
        if (apiKey is not null) Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
    }

    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>Starts a node with <paramref name="args"/> (data, db, rpc, public URL…) and waits until /ready answers.</summary>
    public static async Task<NodeProcess> StartAsync(string? apiKey, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "vchealth.dll"), "node", "--urls", url, "--rate-limit", "1000000", .. args])
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        var process = Process.Start(psi)!;
        var node = new NodeProcess(process, url, apiKey);
        var started = NodeStart.Watch(process, line => { lock (node._log) node._log.AppendLine(line); });
        // The node's own announcement (or its exit) is the event; then it must answer /ready.
        if (await started)
        {
            using var probe = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
            if ((await probe.GetAsync("/ready")).StatusCode == HttpStatusCode.OK) return node;
        }
        await node.DisposeAsync();
        throw new InvalidOperationException($"node on {url} did not become ready: {node.Log}");
    }

    /// <summary>A `vchealth` command as its own process (its own environment): exit code, stdout, stderr.</summary>
    public static async Task<(int Code, string Out, string Err)> CliAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "vchealth.dll"), .. args])
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await output, await error);
    }

    /// <summary>SIGKILL: the node gets no chance to finish anything.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await KillAsync();
        _process.Dispose();
    }
}

/// <summary>Start-up of a `vchealth node` process: it announces "vchealth node listening on …" once it serves.</summary>
public static class NodeStart
{
    /// <summary>Reads both streams (each line to <paramref name="log"/>); true once the node announced it listens, false if it exited first.</summary>
    public static Task<bool> Watch(Process process, Action<string?> log)
    {
        var listening = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => log(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            log(e.Data);
            if (e.Data is null) listening.TrySetResult(false); // the stream ended: the process is gone
            else if (e.Data.StartsWith("vchealth node listening on ", StringComparison.Ordinal)) listening.TrySetResult(true);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return listening.Task;
    }
}
