using System.CommandLine;
using System.CommandLine.Parsing;
using Vc.Did.Ledger;

namespace Vc.Node.Cli;

/// <summary>
/// The vchealth command-line tool: a thin layer over the library calls, one group per area. Commands, arguments and
/// typed options are declared with System.CommandLine (each group in its own file); parse errors, typos and
/// failures of the bodies are answered here as one JSON error on stderr with the README's exit codes.
/// </summary>
public static class CliApp
{
    /// <summary>Runs one command line; <paramref name="time"/> is the clock every command reads (default the system clock).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null, TimeProvider? time = null)
    {
        Vc.Agent.Storage.DataDirectory.RestrictNewFiles();
        var context = new CliContext(stdout ?? Console.Out, stderr ?? Console.Error) { Time = time ?? TimeProvider.System };
        // `vchealth` alone prints the usage but is still a usage error (scripts calling it bare get 2);
        // `vchealth help [COMMAND…]` is kept as a synonym of `--help`.
        var usageOnly = args.Length == 0;
        if (usageOnly) args = ["--help"];
        else if (args[0] == "help") args = [.. args[1..], "--help"];

        var root = CliTree.Build(context, args);
        if (Suggest(root, args) is { } completions)
        {
            foreach (var completion in completions) context.Out.WriteLine(completion);
            return ExitCodes.Ok;
        }
        var parse = root.Parse(args);
        if (parse.Action is not { ClearsParseErrors: true } && UsageError(parse, args) is { } usage)
        {
            CliOutput.Error(context.Err, "usage", usage);
            return ExitCodes.Usage;
        }
        try
        {
            // No process-termination handling: `vchealth node` shuts down through the host's own lifetime.
            var code = await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = context.Out, Error = context.Err, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null,
            });
            return usageOnly ? ExitCodes.Usage : code;
        }
        catch (UsageException e)
        {
            CliOutput.Error(context.Err, "usage", e.Message);
            return ExitCodes.Usage;
        }
        catch (LedgerException e)
        {
            CliOutput.Error(context.Err, "ledger." + e.Error, e.Message);
            return ExitCodes.Failed;
        }
        catch (Vc.Agent.AgentException e)
        {
            CliOutput.Error(context.Err, e.Type, e.Message);
            return ExitCodes.Failed;
        }
        catch (CliFailure e)
        {
            CliOutput.Error(context.Err, e.Type, e.Message);
            return ExitCodes.Failed;
        }
        catch (CliInput.InputException e)
        {
            CliOutput.Error(context.Err, "input", e.Message);
            return ExitCodes.Failed;
        }
        catch (Vc.Agent.Storage.StoreException e)
        {
            CliOutput.Error(context.Err, "store", e.Message);
            return ExitCodes.Failed;
        }
        catch (System.Data.Common.DbException e)
        {
            CliOutput.Error(context.Err, "store", e.Message);
            return ExitCodes.Failed;
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            CliOutput.Error(context.Err, "crypto", e.Message);
            return ExitCodes.Failed;
        }
        catch (Vc.Interop.TrustLists.TrustListException e)
        {
            CliOutput.Error(context.Err, "trustlist." + e.Failure, e.Message);
            return ExitCodes.Failed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            CliOutput.Error(context.Err, "io", e.Message);
            return ExitCodes.Failed;
        }
    }

    /// <summary>
    /// `vchealth "[suggest:N]" "COMMAND LINE"` (System.CommandLine's completion directive, as dotnet-suggest and the
    /// `completion bash` script call it): the completions at position N of the line (default: its end), one a line.
    /// </summary>
    internal static IEnumerable<string>? Suggest(Command root, IReadOnlyList<string> args)
    {
        if (args.Count == 0 || !args[0].StartsWith("[suggest", StringComparison.Ordinal) || !args[0].EndsWith(']')) return null;
        var line = string.Join(' ', args.Skip(1));
        var position = args[0].Length > "[suggest]".Length && int.TryParse(args[0]["[suggest:".Length..^1], out var n) ? Math.Clamp(n, 0, line.Length) : line.Length;
        return root.Parse(line).GetCompletions(position).Select(c => c.Label);
    }

    /// <summary>
    /// The usage error of a parse, if any: unknown tokens first (with a suggestion from the declared names), then
    /// System.CommandLine's own errors (missing argument, required option, bad value…).
    /// </summary>
    internal static string? UsageError(ParseResult parse, IReadOnlyList<string> args)
    {
        var command = parse.CommandResult.Command;
        foreach (var token in UnknownTokens(parse, args))
        {
            var optionLike = token.StartsWith("--", StringComparison.Ordinal);
            var known = optionLike ? OptionNames(parse.CommandResult) : command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name);
            var what = optionLike ? "option" : command.Subcommands.Count > 0 ? "command" : "argument";
            var atRoot = parse.CommandResult.Parent is null;
            var where = atRoot ? "" : $" for '{CommandPath(parse.CommandResult)}'";
            var hint = Typos.Suggest(token, known) is { Count: > 0 } s
                ? $" (did you mean {string.Join(" or ", s)}?)"
                : atRoot ? " (try: vchealth --help)" : $" (try: {CommandPath(parse.CommandResult)} --help)";
            return $"unknown {what} '{token}'{where}{hint}";
        }
        return parse.Errors.Count > 0 ? parse.Errors[0].Message : null;
    }

    /// <summary>
    /// Tokens that match nothing declared: the parser's unmatched tokens, and "--name" words that only landed in a
    /// positional argument (System.CommandLine takes an unknown option as an argument value when one is free) —
    /// except after "--", where every word is a positional by request.
    /// </summary>
    private static IEnumerable<string> UnknownTokens(ParseResult parse, IReadOnlyList<string> args)
    {
        var doubleDash = args is string[] a ? Array.IndexOf(a, "--") : -1;
        var verbatim = doubleDash < 0 ? [] : args.Skip(doubleDash + 1).ToHashSet(StringComparer.Ordinal);
        for (SymbolResult? r = parse.CommandResult; r is CommandResult c; r = r.Parent)
            foreach (var argument in c.Children.OfType<ArgumentResult>())
                foreach (var token in argument.Tokens)
                    if (token.Value.StartsWith("--", StringComparison.Ordinal) && token.Value.Length > 2 && !verbatim.Contains(token.Value))
                        yield return token.Value;
        foreach (var token in parse.UnmatchedTokens) yield return token;
    }

    /// <summary>Every option name and alias valid at this command: its own and the recursive ones of its ancestors.</summary>
    private static IEnumerable<string> OptionNames(CommandResult result)
    {
        var own = result.Command.Options;
        var inherited = Ancestors(result).Skip(1).SelectMany(c => c.Options.Where(o => o.Recursive));
        return own.Concat(inherited).Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal));
    }

    private static IEnumerable<Command> Ancestors(CommandResult result)
    {
        for (SymbolResult? r = result; r is CommandResult c; r = r.Parent) yield return c.Command;
    }

    private static string CommandPath(CommandResult result) =>
        string.Join(' ', Ancestors(result).Reverse().Select(c => c.Name));
}

/// <summary>Typo corrections against the declared names: a prefix of one name, else the closest by edit distance.</summary>
internal static class Typos
{
    public static IReadOnlyList<string> Suggest(string typed, IEnumerable<string> names)
    {
        var candidates = names.Distinct(StringComparer.Ordinal).ToArray();
        var prefixed = candidates.Where(n => n.StartsWith(typed, StringComparison.Ordinal)).ToArray();
        if (prefixed.Length is > 0 and <= 3) return prefixed;
        // Within a third of the word (at least one edit): "--isuer" → "--issuer", not "--out" → "--at".
        var limit = Math.Max(1, typed.TrimStart('-').Length / 3);
        var scored = candidates.Select(n => (Name: n, Distance: Distance(typed, n))).Where(s => s.Distance <= limit).ToArray();
        if (scored.Length == 0) return [];
        var best = scored.Min(s => s.Distance);
        return scored.Where(s => s.Distance == best).Select(s => s.Name).Take(3).ToArray();
    }

    /// <summary>Optimal string alignment distance (insertions, deletions, substitutions, adjacent swaps).</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
