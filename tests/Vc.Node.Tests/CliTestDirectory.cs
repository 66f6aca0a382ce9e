using Vc.Node.Cli;

namespace Vc.Node.Tests;

/// <summary>
/// What the CLI test classes share: a temporary directory holding the data directory and input files, commands run
/// on it in-process (JSON out, JSON errors, exit code) on the class's clock, and the ledger daemon stopped at the end.
/// </summary>
public abstract class CliTestDirectory(string prefix) : IAsyncLifetime
{
    protected string Dir { get; } = Directory.CreateTempSubdirectory(prefix).FullName;
    protected string Data => Path.Combine(Dir, "data");

    /// <summary>The clock every <see cref="Run"/> gives the commands.</summary>
    protected virtual TimeProvider Clock => TimeProvider.System;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Run("ledger", "stop");
        Directory.Delete(Dir, recursive: true);
    }

    protected Task<(int Code, string Out, string Err)> Run(params string[] args) => RunAt(Clock, args);

    protected async Task<(int Code, string Out, string Err)> RunAt(TimeProvider clock, params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var code = await CliApp.RunAsync([.. args, "--data", Data], o, e, clock);
        return (code, o.ToString(), e.ToString());
    }

    /// <summary>Writes an input file into the directory; its path.</summary>
    protected string File(string name, string content)
    {
        var path = Path.Combine(Dir, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }
}
