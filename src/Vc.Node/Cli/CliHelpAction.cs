using System.CommandLine;
using System.CommandLine.Invocation;

namespace Vc.Node.Cli;

/// <summary>
/// `--help` / `-h` on any command: description, usage, arguments, options (the command's own, then those inherited
/// from its ancestors) and subcommands. Written here rather than by System.CommandLine's HelpBuilder, whose LINQ over
/// value tuples is not precompiled (ReadyToRun) and was JIT-compiled on every `--help` call (~75 methods).
/// </summary>
internal sealed class CliHelpAction : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var path = new List<Command>();
        for (var r = parseResult.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult) path.Insert(0, r.Command);
        Write(output, path);
        return ExitCodes.Ok;
    }

    internal static void Write(TextWriter w, IReadOnlyList<Command> path)
    {
        var command = path[^1];
        if (!string.IsNullOrWhiteSpace(command.Description))
        {
            w.WriteLine("Description:");
            foreach (var line in command.Description.Split('\n')) w.WriteLine("  " + line.TrimEnd());
            w.WriteLine();
        }

        var usage = new System.Text.StringBuilder("  vchealth");
        foreach (var c in path.Skip(1)) usage.Append(' ').Append(c.Name);
        foreach (var a in command.Arguments) usage.Append(' ').Append(ArgumentLabel(a));
        if (command.Subcommands.Count > 0) usage.Append(" [command]");
        usage.Append(" [options]");
        w.WriteLine("Usage:");
        w.WriteLine(usage.ToString());

        var arguments = new List<(string, string)>();
        foreach (var a in command.Arguments) arguments.Add(("<" + a.Name + ">", a.Description ?? ""));
        Section(w, "Arguments:", arguments);

        var options = new List<(string, string)>();
        foreach (var o in command.Options) if (!o.Hidden) options.Add(OptionRow(o));
        for (var i = path.Count - 2; i >= 0; i--)
            foreach (var o in path[i].Options)
                if (o.Recursive && !o.Hidden) options.Add(OptionRow(o));
        Section(w, "Options:", options);

        var commands = new List<(string, string)>();
        foreach (var c in command.Subcommands)
        {
            if (c.Hidden) continue;
            var label = c.Name;
            foreach (var a in c.Arguments) label += " " + ArgumentLabel(a);
            commands.Add((label, c.Description ?? ""));
        }
        Section(w, "Commands:", commands);
        w.WriteLine();
    }

    private static string ArgumentLabel(Argument a) => a.Arity.MaximumNumberOfValues switch
    {
        > 1 => $"[<{a.Name}>...]",
        _ when a.Arity.MinimumNumberOfValues == 0 => $"[<{a.Name}>]",
        _ => $"<{a.Name}>",
    };

    private static (string, string) OptionRow(Option o)
    {
        // The Windows-style aliases (/?, /h) are accepted but not shown.
        var names = new List<string>(o.Aliases.Where(a => !a.StartsWith('/'))) { o.Name };
        names.Sort((a, b) => a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b));
        var label = string.Join(", ", names);
        // A flag takes no value; the others show theirs (the declared help name, else the option's own name).
        if (o.ValueType != typeof(bool) && o.Arity.MaximumNumberOfValues > 0) label += $" <{o.HelpName ?? o.Name.TrimStart('-')}>";
        return (label, (o.Description ?? "") + (o.Required ? " (required)" : ""));
    }

    private static void Section(TextWriter w, string title, List<(string Left, string Right)> rows)
    {
        if (rows.Count == 0) return;
        var width = 0;
        foreach (var (left, _) in rows) width = Math.Max(width, left.Length);
        w.WriteLine();
        w.WriteLine(title);
        foreach (var (left, right) in rows) w.WriteLine(("  " + left.PadRight(width) + "  " + right).TrimEnd());
    }
}
