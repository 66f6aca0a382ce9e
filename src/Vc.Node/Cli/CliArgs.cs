namespace Vc.Node.Cli;

/// <summary>A usage error: wrong or missing arguments (exit code 2).</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// Parsed command-line arguments: positionals in order, and <c>--name value</c> / <c>--flag</c> options
/// (an option may repeat). Options not declared as flags take the next argument as their value.
/// </summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Positionals { get; }

    public CliArgs(IEnumerable<string> args, params string[] flagNames)
    {
        var flags = new HashSet<string>(flagNames, StringComparer.Ordinal);
        var positionals = new List<string>();
        using var e = args.GetEnumerator();
        var onlyPositionals = false;
        while (e.MoveNext())
        {
            var a = e.Current;
            if (onlyPositionals || !a.StartsWith("--", StringComparison.Ordinal) || a == "-") { positionals.Add(a); continue; }
            if (a == "--") { onlyPositionals = true; continue; }
            var name = a[2..];
            string? inline = null;
            if (name.IndexOf('=') is var eq and > 0) { inline = name[(eq + 1)..]; name = name[..eq]; }
            if (flags.Contains(name) && inline is null) { _flags.Add(name); continue; }
            if (inline is null && !e.MoveNext()) throw new UsageException($"option --{name} needs a value");
            var value = inline ?? e.Current;
            if (!_options.TryGetValue(name, out var list)) _options[name] = list = [];
            list.Add(value);
        }
        Positionals = positionals;
    }

    public bool Flag(string name) { _read.Add(name); return _flags.Contains(name); }

    public string? Option(string name)
    {
        _read.Add(name);
        if (!_options.TryGetValue(name, out var values)) return null;
        if (values.Count > 1) throw new UsageException($"option --{name} given more than once");
        return values[0];
    }

    public string Required(string name) => Option(name) ?? throw new UsageException($"option --{name} is required");

    public IReadOnlyList<string> All(string name) { _read.Add(name); return _options.TryGetValue(name, out var v) ? v : []; }

    public string Positional(int index, string what) =>
        index < Positionals.Count ? Positionals[index] : throw new UsageException($"missing argument: {what}");

    /// <summary>Options every command accepts (so scripts can pass them uniformly).</summary>
    private static readonly string[] Global = ["data"];

    /// <summary>Rejects options the command did not read: a typo must not be silently ignored.</summary>
    public void EnsureAllUsed()
    {
        var unknown = _options.Keys.Concat(_flags).Where(k => !_read.Contains(k) && !Global.Contains(k)).ToArray();
        if (unknown.Length > 0) throw new UsageException("unknown option(s): " + string.Join(", ", unknown.Select(u => "--" + u)));
    }
}
