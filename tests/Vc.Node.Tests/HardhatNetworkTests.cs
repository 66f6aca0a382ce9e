using System.Text.Json.Nodes;
using Vc.Did.Ledger;
using Vc.Node.Cli;

namespace Vc.Node.Tests;

/// <summary>
/// The node on a second Ethereum implementation (Hardhat Network, started here): our contracts deployed by
/// `vchealth ledger deploy --rpc URL --key FILE` (idempotent), then the whole demo story with `--rpc URL`.
/// </summary>
public sealed class HardhatNetworkTests : IAsyncLifetime
{
    private const string DevKey = TestEnvironment.DevAccountKey;
    private const string DevAddress = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
    private HardhatProcess? _hardhat;
    private readonly string _dir = Directory.CreateTempSubdirectory("vchealth-hardhat-").FullName;

    public async Task InitializeAsync() => _hardhat = await HardhatProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_hardhat is not null) await _hardhat.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var code = await CliApp.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public async Task Ledger_deploy_puts_both_registries_on_the_chain_once_and_the_demo_story_runs_on_it()
    {
        var rpc = _hardhat!.RpcUrl.ToString();
        var keyFile = Path.Combine(_dir, "deployer.key");
        await File.WriteAllTextAsync(keyFile, DevKey);

        var first = await RunAsync("ledger", "deploy", "--rpc", rpc, "--key", keyFile, "--data", Path.Combine(_dir, "a"));
        Assert.True(first.Code == ExitCodes.Ok, first.Out + first.Err);
        var deployed = JsonNode.Parse(first.Out)!;
        Assert.Equal(31337, (long)deployed["chainId"]!);
        Assert.Equal(DevAddress, (string)deployed["anchor"]!);
        Assert.True((bool)deployed["ethereumDIDRegistry"]!["deployedNow"]!);
        Assert.True((bool)deployed["trustRegistry"]!["deployedNow"]!);

        // Idempotent, and found from the chain alone (another data directory holds no record of the first call).
        var again = await RunAsync("ledger", "deploy", "--rpc", rpc, "--key", keyFile, "--data", Path.Combine(_dir, "b"));
        Assert.True(again.Code == ExitCodes.Ok, again.Out + again.Err);
        var found = JsonNode.Parse(again.Out)!;
        foreach (var name in new[] { "ethereumDIDRegistry", "trustRegistry" })
        {
            Assert.False((bool)found[name]!["deployedNow"]!);
            Assert.Equal((string)deployed[name]!["address"]!, (string)found[name]!["address"]!);
            Assert.Equal((long)deployed[name]!["block"]!, (long)found[name]!["block"]!);
        }

        // Another anchor is another registry; the DID registry is shared.
        var other = await RunAsync("ledger", "deploy", "--rpc", rpc, "--key", keyFile, "--anchor", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "--data", Path.Combine(_dir, "c"));
        var otherJson = JsonNode.Parse(other.Out)!;
        Assert.False((bool)otherJson["ethereumDIDRegistry"]!["deployedNow"]!);
        Assert.True((bool)otherJson["trustRegistry"]!["deployedNow"]!);
        Assert.NotEqual((string)deployed["trustRegistry"]!["address"]!, (string)otherJson["trustRegistry"]!["address"]!);

        // The demo on the deployed DID registry (its trust registry has the demo's own WHO key as anchor).
        var demo = await RunAsync("demo", "--rpc", rpc, "--registry", (string)deployed["ethereumDIDRegistry"]!["address"]!,
            "--data", Path.Combine(_dir, "a"), "--out", Path.Combine(_dir, "out"));
        Assert.True(demo.Code == ExitCodes.Ok, demo.Out + demo.Err);
        Assert.Matches(@"demo: all \d+ steps behaved as expected", demo.Out);
    }

    [Fact]
    public async Task Ledger_deploy_refuses_a_missing_rpc_and_an_unreadable_key_with_typed_errors()
    {
        var noRpc = await RunAsync("ledger", "deploy", "--key", Path.Combine(_dir, "none.key"), "--data", _dir);
        Assert.Equal(ExitCodes.Usage, noRpc.Code);
        var noKey = await RunAsync("ledger", "deploy", "--rpc", _hardhat!.RpcUrl.ToString(), "--key", Path.Combine(_dir, "none.key"), "--data", _dir);
        Assert.Equal(ExitCodes.Failed, noKey.Code);
        Assert.Contains("\"error\"", noKey.Err);
    }
}
