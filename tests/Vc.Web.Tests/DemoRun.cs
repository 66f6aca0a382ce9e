using Vc.Node.Cli;

namespace Vc.Web.Tests;

/// <summary>The CLI as the page fixtures use it to set up: a command that must succeed, and the demo run into a directory.</summary>
internal static class DemoRun
{
    /// <summary>Runs a command in-process; its stdout, or an exception naming the command and what it printed.</summary>
    public static async Task<string> OkAsync(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = await CliApp.RunAsync(args, stdout, stderr);
        if (code != ExitCodes.Ok) throw new InvalidOperationException($"{args[0]} {args[1]} failed: " + stdout + stderr);
        return stdout.ToString();
    }

    /// <summary>Runs the demo with its data in DIR/data and its files in DIR/out; both paths.</summary>
    public static async Task<(string Data, string Output)> InAsync(string dir)
    {
        var (data, output) = (Path.Combine(dir, "data"), Path.Combine(dir, "out"));
        await OkAsync("demo", "--data", data, "--out", output);
        return (data, output);
    }
}
