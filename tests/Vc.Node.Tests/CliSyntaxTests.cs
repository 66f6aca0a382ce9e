using System.CommandLine;
using System.Text.Json.Nodes;
using Vc.Node.Cli;
using Vc.TestSupport;

namespace Vc.Node.Tests;

/// <summary>The command line's syntax: help on every command, typos, missing arguments, the JSON error shape, completion.</summary>
public sealed class CliSyntaxTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vchealth-clisyntax-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var code = await CliApp.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    /// <summary>Every command and subcommand of the declared tree, as its path of words (the root is the empty path).</summary>
    public static TheoryData<string, string> Commands()
    {
        var data = new TheoryData<string, string>();
        void Walk(Command command, string path)
        {
            foreach (var flag in new[] { "--help", "-h" }) data.Add(path, flag);
            foreach (var sub in command.Subcommands) Walk(sub, (path + " " + sub.Name).Trim());
        }
        Walk(CliTree.Build(new CliContext(TextWriter.Null, TextWriter.Null)), "");
        return data;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Help_on_every_command_exits_0_with_usage_naming_its_arguments_and_options(string path, string flag)
    {
        var words = path.Length == 0 ? [] : path.Split(' ');
        var (code, output, err) = await Run([.. words, flag]);
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Equal("", err);
        Assert.Contains("Usage:", output);
        Assert.Contains(("vchealth " + path).Trim(), output);

        Command command = CliTree.Build(new CliContext(TextWriter.Null, TextWriter.Null));
        foreach (var word in words) command = command.Subcommands.Single(c => c.Name == word);
        foreach (var argument in command.Arguments) Assert.Contains($"<{argument.Name}>", output);
        foreach (var option in command.Options.Where(o => !o.Hidden)) Assert.Contains(option.Name, output);
        foreach (var common in new[] { "--data", "--rpc", "--registry" }) Assert.Contains(common, output); // recursive: on every command
        foreach (var sub in command.Subcommands) Assert.Contains(sub.Name, output);
    }

    [Fact]
    public void The_tree_declares_every_command_of_the_readme()
    {
        var root = CliTree.Build(new CliContext(TextWriter.Null, TextWriter.Null));
        string[] readme =
        [
            "demo", "node", "status", "ledger start", "ledger stop", "ledger status", "ledger deploy", "did create", "did add-key", "did rotate-key", "did revoke-key",
            "did add-delegate", "did add-service", "did change-owner", "did deactivate", "did resolve", "issuer create", "issuer list",
            "vc issue", "vc verify", "vc status", "vp create", "vp verify", "key generate", "canon", "dcc verify", "dcc sign", "dcc qr",
            "trust init", "trust onboard", "trust add-issuer", "trust suspend", "trust reinstate", "trust remove", "trust check", "trust audit",
            "trust snapshot", "trust import-gateway", "trust import-gdhcn", "trust export-gdhcn", "trust export-gateway", "pki dev-country",
            "apikey create", "apikey revoke", "completion bash",
        ];
        foreach (var path in readme)
        {
            Command command = root;
            foreach (var word in path.Split(' ')) command = command.Subcommands.SingleOrDefault(c => c.Name == word) ?? throw new Xunit.Sdk.XunitException($"no command '{path}'");
            Assert.False(string.IsNullOrWhiteSpace(command.Description), path);
            Assert.All(command.Options, o => Assert.False(string.IsNullOrWhiteSpace(o.Description), $"{path} {o.Name}"));
        }
    }

    [Fact]
    public async Task Help_word_is_a_synonym_of_the_help_option()
    {
        var viaWord = await Run("help", "dcc", "verify");
        var viaOption = await Run("dcc", "verify", "--help");
        Assert.Equal(ExitCodes.Ok, viaWord.Code);
        Assert.Equal(viaOption.Out, viaWord.Out);
        Assert.Contains("--gateway-anchor", viaWord.Out);
    }

    [Fact]
    public async Task Bare_call_prints_the_usage_and_is_a_usage_error()
    {
        var (code, output, _) = await Run();
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("Usage:", output);
        Assert.Contains("trust", output);
    }

    [Theory]
    [InlineData("unknown option '--isuer'", "did you mean --issuer?", "vc", "issue", "c.json", "--isuer", "moh")]
    [InlineData("unknown option '--isuer'", "did you mean --issuer?", "vc", "issue", "--isuer", "moh", "c.json")]
    [InlineData("unknown option '--chalenge'", "did you mean --challenge?", "vp", "verify", "vp.json", "--chalenge", "c")]
    [InlineData("unknown option '--dta'", "did you mean --data?", "canon", "x.json", "--dta", "/tmp")]
    [InlineData("unknown option '--gateway-ancor'", "did you mean --gateway-anchor?", "dcc", "verify", "HC1:X", "--gateway-ancor", "ta.pem")]
    [InlineData("unknown command 'verfy'", "did you mean verify?", "vc", "verfy", "x.json")]
    [InlineData("unknown command 'chek'", "did you mean check?", "trust", "chek", "KEN")]
    [InlineData("unknown command 'isuer'", "did you mean issuer?", "isuer", "list")]
    public async Task A_typo_is_a_usage_error_with_a_suggestion(string unknown, string suggestion, params string[] args)
    {
        var (code, output, err) = await Run(args);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", output);
        var message = AssertJsonError(err, "usage");
        Assert.Contains(unknown, message);
        Assert.Contains(suggestion, message);
    }

    [Fact]
    public async Task An_unknown_word_without_a_close_name_points_to_help()
    {
        var (code, _, err) = await Run("frobnicate");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("unknown command 'frobnicate' (try: vchealth --help)", AssertJsonError(err, "usage"));
    }

    [Theory]
    [InlineData("FILE", "vc", "verify")]
    [InlineData("INPUT", "dcc", "verify")]
    [InlineData("CC", "pki", "dev-country", "--out", "dir")]
    [InlineData("--out", "dcc", "qr", "HC1:X")]
    [InlineData("--holder-key", "vp", "create", "vc.json", "--challenge", "c")]
    [InlineData("--scopes", "apikey", "create")]
    [InlineData("--domain", "trust", "check", "KEN", "did:example:1")]
    [InlineData("Required command", "trust")]
    public async Task A_missing_argument_or_required_option_is_a_usage_error(string named, params string[] args)
    {
        var (code, output, err) = await Run(args);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", output);
        Assert.Contains(named, AssertJsonError(err, "usage"));
    }

    [Theory]
    [InlineData("--at", "vc", "verify", "x.json", "--at", "next tuesday")]
    [InlineData("--rate-limit", "node", "--rate-limit", "0")]
    [InlineData("--validity", "did", "add-key", "did:ethr:0x1", "--key-file", "k", "--public-key", "z6Mk", "--validity", "-5")]
    [InlineData("--rpc", "ledger", "status", "--rpc", "ftp://x")]
    [InlineData("--data", "canon", "x.json", "--data", "/a", "--data", "/b")]
    [InlineData("--issuer", "vc", "issue", "x.json", "--key", "k", "--issuer", "moh")]
    [InlineData("--thumbprint", "trust", "check", "kid:AAAA", "--domain", "ICVP", "--thumbprint", "00")]
    public async Task A_value_the_option_cannot_take_is_a_usage_error_naming_it(string option, params string[] args)
    {
        var (code, _, err) = await Run(args);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(option, AssertJsonError(err, "usage"));
    }

    [Fact]
    public async Task Words_after_double_dash_are_arguments_even_when_they_look_like_options()
    {
        // Not a usage error: "--odd.json" is the file, which does not exist (exit 3, input).
        var (code, _, err) = await Run("canon", "--", "--odd.json");
        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("--odd.json", AssertJsonError(err, "input"));
    }

    [Fact]
    public async Task Options_take_inline_values_and_may_repeat_where_declared()
    {
        var icvp = TestPaths.TestData("who/icvp");
        var (code, output, err) = await Run("dcc", "verify", Path.Combine(icvp, "icvp-yf-HC1.txt"),
            "--trust=" + Path.Combine(icvp, "test-DSC.pem"), "--trust", Path.Combine(icvp, "test-trustlist-ICVP-XXA-DSC.did.json"), "--at=2025-10-20");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Equal(2, JsonNode.Parse(output)!["trust"]!.AsArray().Count);
    }

    [Fact]
    public async Task Common_options_may_come_before_the_command()
    {
        var file = Path.Combine(_dir, "q.nq");
        await File.WriteAllTextAsync(file, "_:x <http://ex/p> \"v\" .\n");
        var (code, output, err) = await Run("--data", _dir, "canon", file, "--nquads");
        Assert.True(code == ExitCodes.Ok, err);
        Assert.Equal("_:c14n0 <http://ex/p> \"v\" .\n", output);
    }

    [Fact]
    public async Task Dcc_verify_exit_codes_0_valid_1_not_valid_3_unusable_and_the_report_on_stdout()
    {
        var icvp = TestPaths.TestData("who/icvp");
        var hc1 = Path.Combine(icvp, "icvp-yf-HC1.txt");
        var dsc = Path.Combine(icvp, "test-DSC.pem");

        var valid = await Run("dcc", "verify", hc1, "--trust", dsc, "--at", "2025-10-20T09:00:00Z");
        Assert.Equal(ExitCodes.Ok, valid.Code);
        var report = JsonNode.Parse(valid.Out)!;
        Assert.True((bool)report["valid"]!);
        Assert.Equal("Jane Doe", (string)report["payload"]!["name"]!);
        Assert.Contains("\"kid\": \"nPiQu/prpjY=\"", valid.Out); // printed as is: '+' and '/' without \u escapes, indented

        var expired = await Run("dcc", "verify", hc1, "--trust", dsc, "--at", "2028-01-01");
        Assert.Equal(ExitCodes.Negative, expired.Code);
        Assert.Equal("Expired", (string)JsonNode.Parse(expired.Out)!["outcome"]!);

        var badClock = await Run("dcc", "verify", "HC1:XYZ", "--at", "yesterday");
        Assert.Equal(ExitCodes.Failed, badClock.Code);
        Assert.Equal("Input", (string)JsonNode.Parse(badClock.Out)!["outcome"]!);

        var badTrust = await Run("dcc", "verify", hc1, "--trust", Path.Combine(icvp, "hcert-payloads.json"));
        Assert.Equal(ExitCodes.Failed, badTrust.Code);
        Assert.False((bool)JsonNode.Parse(badTrust.Out)!["valid"]!);
    }

    [Fact]
    public async Task Dcc_sign_failures_are_typed_hcert_failures()
    {
        var payload = Path.Combine(_dir, "p.json");
        await File.WriteAllTextAsync(payload, "{}");
        var badType = await Run("dcc", "sign", payload, "--cert", "c.pem", "--key", "k.pem", "--type", "pdf");
        Assert.Equal(ExitCodes.Failed, badType.Code);
        Assert.Contains("--type 'pdf'", AssertJsonError(badType.Err, "hcert.Encode"));
        var badTime = await Run("dcc", "sign", payload, "--cert", "c.pem", "--key", "k.pem", "--iat", "soon");
        Assert.Equal(ExitCodes.Failed, badTime.Code);
        Assert.Contains("--iat 'soon'", AssertJsonError(badTime.Err, "hcert.Encode"));
    }

    [Fact]
    public async Task Completion_bash_prints_a_script_that_asks_the_suggest_directive()
    {
        var (code, script, _) = await Run("completion", "bash");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("complete -o default -F _vchealth_complete vchealth", script);
        Assert.Contains("[suggest:", script);

        var commands = await Run("[suggest:6]", "vc ver");
        Assert.Equal(ExitCodes.Ok, commands.Code);
        Assert.Equal(["verify"], Lines(commands.Out));
        var options = await Run("[suggest:17]", "dcc verify x --tr");
        Assert.Equal(["--trust"], Lines(options.Out));
        var values = await Run("[suggest:13]", "canon --hash ");
        Assert.Equal(["sha256", "sha384"], Lines(values.Out));
    }

    [Theory]
    [InlineData("--isuer", new[] { "--issuer", "--status", "--key" }, new[] { "--issuer" })]
    [InlineData("--iss", new[] { "--issuer", "--status" }, new[] { "--issuer" })]
    [InlineData("--out", new[] { "--at", "--trust" }, new string[0])]
    [InlineData("verfy", new[] { "verify", "status", "issue" }, new[] { "verify" })]
    public void Typo_suggestions_come_from_the_declared_names(string typed, string[] names, string[] expected) =>
        Assert.Equal(expected, Typos.Suggest(typed, names));

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>One JSON object on one line of stderr: {"error":{"type","message"}} and nothing else; returns the message.</summary>
    private static string AssertJsonError(string stderr, string type)
    {
        var lines = Lines(stderr);
        Assert.Single(lines);
        var root = JsonNode.Parse(lines[0])!.AsObject();
        Assert.Equal(["error"], root.Select(p => p.Key));
        var error = root["error"]!.AsObject();
        Assert.Equal(["type", "message"], error.Select(p => p.Key));
        Assert.Equal(type, (string)error["type"]!);
        return (string)error["message"]!;
    }
}
