using System.CommandLine;

namespace Vc.Node.Cli;

/// <summary>
/// `vchealth completion bash`: a bash completion script. It asks the tool itself through System.CommandLine's
/// `[suggest:POSITION]` directive, so completions always follow the declared commands, options and values.
/// </summary>
public static class CompletionCommand
{
    public static Command Declare(CliContext context)
    {
        var bash = new Command("bash", "print the bash completion script (eval \"$(vchealth completion bash)\", or save it to bash-completion's folder)");
        bash.SetAction(_ =>
        {
            context.Out.Write(BashScript);
            return ExitCodes.Ok;
        });
        return new Command("completion") { bash };
    }

    // The directive takes the command line without the program word and the cursor position within it.
    private const string BashScript = """
        # vchealth bash completion: eval "$(vchealth completion bash)"
        _vchealth_complete() {
          local line="${COMP_LINE:0:COMP_POINT}"
          local program="${COMP_WORDS[0]}"
          local rest="${line#"$program"}"
          rest="${rest# }"
          local IFS=$'\n'
          COMPREPLY=($(compgen -W "$("$program" "[suggest:${#rest}]" "$rest" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}"))
        }
        complete -o default -F _vchealth_complete vchealth ./vchealth

        """;
}
