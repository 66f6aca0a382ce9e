using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Vc.Node.Tests;

/// <summary>
/// A real PostgreSQL server for the tests: <c>initdb</c> into a temporary directory, started on a free loopback port,
/// stopped (fast shutdown) and deleted after. initdb and postgres refuse to run as root: under root (as in CI) they
/// run as the unprivileged <c>postgres</c> user (setpriv), which owns the directory. Each test asks for its own database.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vchealth-pg-").FullName;
    private Process? _server;
    private int _port;

    public async Task InitializeAsync()
    {
        var bin = BinDirectory();
        var data = Path.Combine(_dir, "data");
        var sockets = Path.Combine(_dir, "sockets");
        Directory.CreateDirectory(sockets);
        if (Environment.IsPrivilegedProcess) await RunAsync("chown", ["-R", "postgres:postgres", _dir]);
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "vchealth", "-A", "trust", "-E", "UTF8", "--no-sync"], asPostgres: true);
        _port = FreePort();
        var psi = Start(Path.Combine(bin, "postgres"), ["-D", data, "-p", _port.ToString(), "-k", sockets, "-c", "listen_addresses=127.0.0.1",
            "-c", "max_connections=300", "-c", "fsync=on", "-c", "synchronous_commit=on"]);
        psi.RedirectStandardOutput = psi.RedirectStandardError = true;
        _server = Process.Start(psi)!;
        var log = new System.Text.StringBuilder();
        // The server's own log line is the event to wait for (or the end of its output: it exited).
        var ready = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.ErrorDataReceived += (_, e) =>
        {
            lock (log) log.AppendLine(e.Data);
            if (e.Data is null) ready.TrySetResult(false);
            else if (e.Data.Contains("database system is ready to accept connections", StringComparison.Ordinal)) ready.TrySetResult(true);
        };
        _server.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        _server.BeginErrorReadLine();
        _server.BeginOutputReadLine();
        if (!await ready.Task)
            lock (log) throw new InvalidOperationException("postgres did not start: " + log);
        // …and the announced server accepts a connection.
        await using (var c = new NpgsqlConnection(ConnectionString("postgres"))) await c.OpenAsync();
    }

    public int Port => _port;

    /// <summary>A new, empty database; its postgres:// URL (as given to --db).</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "t")
    {
        var name = prefix + "_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        await using var c = new NpgsqlConnection(ConnectionString("postgres"));
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", c);
        await cmd.ExecuteNonQueryAsync();
        return $"postgres://vchealth@127.0.0.1:{_port}/{name}";
    }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={_port};Username=vchealth;Database={database};Pooling=false";

    /// <summary>The server's binaries: initdb on PATH, else the newest /usr/lib/postgresql/N/bin (the Debian layout).</summary>
    public static string BinDirectory()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            if (File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "postgres"))) return dir;
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Where(d => int.TryParse(Path.GetFileName(d), out _)).OrderByDescending(d => int.Parse(Path.GetFileName(d))).ToArray()
            : [];
        return versions.Select(v => Path.Combine(v, "bin")).FirstOrDefault(b => File.Exists(Path.Combine(b, "initdb")))
            ?? throw new InvalidOperationException("PostgreSQL is not installed (no initdb on PATH nor in /usr/lib/postgresql/*/bin): apt-get install postgresql");
    }

    private static ProcessStartInfo Start(string file, IEnumerable<string> args, bool asPostgres = true)
    {
        ProcessStartInfo psi;
        if (asPostgres && Environment.IsPrivilegedProcess)
        {
            // setpriv execs the server itself (no intermediate process), so its pid is the server's.
            psi = new ProcessStartInfo("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", file, .. args]);
        }
        else psi = new ProcessStartInfo(file, args);
        psi.UseShellExecute = false;
        psi.Environment["LC_ALL"] = "C";
        return psi;
    }

    private static async Task RunAsync(string file, IEnumerable<string> args, bool asPostgres = false)
    {
        var psi = asPostgres ? Start(file, args) : new ProcessStartInfo(file, args) { UseShellExecute = false };
        psi.RedirectStandardOutput = psi.RedirectStandardError = true;
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{Path.GetFileName(file)} failed ({p.ExitCode}): {await output}{await error}");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            // SIGINT: PostgreSQL's fast shutdown (disconnects clients, checkpoints, exits).
            using (var kill = Process.Start("kill", ["-INT", _server.Id.ToString()])) await kill.WaitForExitAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try { await _server.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { _server.Kill(entireProcessTree: true); }
        }
        _server?.Dispose();
        NpgsqlConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
