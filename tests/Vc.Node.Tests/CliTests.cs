using System.Text.Json.Nodes;
using Vc.Node.Cli;

namespace Vc.Node.Tests;

public sealed class CliTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var code = await CliApp.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public async Task Unknown_command_is_a_usage_error_with_a_json_message()
    {
        var (code, _, err) = await Run("frobnicate");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("usage", (string?)JsonNode.Parse(err)!["error"]!["type"]);
    }

    [Fact]
    public async Task Unknown_option_is_rejected_not_ignored()
    {
        var (code, _, err) = await Run("status", "--dta", "/tmp/x");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--dta", err);
    }

    [Fact]
    public async Task Rpc_option_must_be_an_http_url()
    {
        var (code, _, err) = await Run("status", "--rpc", "ftp://x");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--rpc", err);
    }

    [Fact]
    public async Task Unreachable_rpc_is_a_typed_ledger_failure()
    {
        var data = Directory.CreateTempSubdirectory("vchealth-cli-").FullName;
        try
        {
            var (code, _, err) = await Run("status", "--data", data, "--rpc", "http://127.0.0.1:9");
            Assert.Equal(ExitCodes.Failed, code);
            Assert.Equal("ledger.Unreachable", (string?)JsonNode.Parse(err)!["error"]!["type"]);
        }
        finally { Directory.Delete(data, true); }
    }

    [Fact]
    public async Task Help_lists_commands_and_succeeds()
    {
        var (code, output, _) = await Run("--help");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("demo", output);
    }
}
