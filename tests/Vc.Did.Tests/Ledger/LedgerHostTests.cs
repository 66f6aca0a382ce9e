using System.Diagnostics;
using Vc.Did.Ledger;

namespace Vc.Did.Tests.Ledger;

[Collection(LedgerCollection.Name)]
public sealed class LedgerHostTests(LedgerFixture ledger)
{
    [Fact]
    public async Task Shared_chain_answers_and_has_every_contract_deployed()
    {
        Assert.Equal(31337, ledger.Connection.ChainId);
        Assert.True(ledger.Connection.RpcUrl.IsLoopback);
        foreach (var name in LedgerHost.AutoDeployed)
            Assert.True(await ledger.Connection.HasCodeAsync(ledger.Connection.Contracts[name]), name);
    }

    [Fact]
    public async Task Persistent_ledger_keeps_contracts_and_height_across_a_restart()
    {
        var dir = Directory.CreateTempSubdirectory("vchealth-ledger-").FullName;
        try
        {
            IReadOnlyDictionary<string, string> before;
            long heightBefore;
            await using (var first = await LedgerHost.StartAsync(dir))
            {
                before = first.Connection.Contracts.Addresses;
                heightBefore = await first.Connection.BlockNumberAsync();
                Assert.True(heightBefore > 0);
            }
            await using var second = await LedgerHost.StartAsync(dir);
            Assert.Equal(before, second.Connection.Contracts.Addresses);
            Assert.True(await second.Connection.BlockNumberAsync() >= heightBefore);
            foreach (var address in before.Values)
                Assert.True(await second.Connection.HasCodeAsync(address));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public async Task Stopping_the_host_stops_the_anvil_process()
    {
        var host = await LedgerHost.StartAsync();
        var pid = host.Anvil.ProcessId;
        Assert.True(AnvilProcess.IsAlive(pid));
        await host.DisposeAsync();
        // Waits for the observable end, generously (600 looks): a loaded CI machine can be slow to reap the process.
        Assert.True(await AnvilProcess.WaitForExitAsync(pid, TimeProvider.System, attempts: 600));
    }

    [Fact]
    public async Task Anvil_dies_with_a_killed_parent_process()
    {
        // The product's guard; its owner "dies" as soon as the node's pid is known: SIGKILL to the shell, and the
        // pipe end the owner held is closed, as the kernel does for a killed process.
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardInput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(AnvilProcess.GuardScript);
        psi.ArgumentList.Add(AnvilProcess.LocateBinary());
        foreach (var a in new[] { "--host", "127.0.0.1", "--port", "0" }) psi.ArgumentList.Add(a);
        using var parent = Process.Start(psi)!;
        var pid = 0;
        try
        {
            string? line;
            while ((line = await parent.StandardOutput.ReadLineAsync()) is not null && !line.StartsWith("pid=", StringComparison.Ordinal)) { }
            pid = int.Parse(line![4..]);
            Assert.True(AnvilProcess.IsAlive(pid));
            parent.Kill(entireProcessTree: false);
            parent.StandardInput.Close();
            // Anvil stops within milliseconds; the bound on looks only absorbs a loaded machine.
            Assert.True(await AnvilProcess.WaitForExitAsync(pid, TimeProvider.System, attempts: 600), $"anvil {pid} outlived its killed parent");
        }
        finally
        {
            // Whatever failed, leave no node behind: the shell with its children, the guard (EOF), the node itself.
            if (!parent.HasExited) parent.Kill(entireProcessTree: true);
            parent.StandardInput.Close();
            if (pid > 0 && AnvilProcess.IsAlive(pid)) Process.Start("kill", ["-KILL", pid.ToString()])?.WaitForExit(5000);
        }
    }
}

/// <summary>Confirmation depth: a write counts as done only once enough blocks follow it (production chains).</summary>
public sealed class ConfirmationDepthTests
{
    [Theory]
    [InlineData("anvil")]
    [InlineData("hardhat")]
    public async Task A_write_with_two_confirmations_completes_only_after_two_more_blocks(string chain)
    {
        await using IAsyncDisposable node = chain == "anvil" ? await AnvilProcess.StartAsync(new AnvilOptions()) : await HardhatProcess.StartAsync();
        var rpc = node is AnvilProcess a ? a.RpcUrl : ((HardhatProcess)node).RpcUrl;
        var connection = await LedgerHost.ConnectDevAsync(rpc, null);
        var deep = connection.WithReceipts(connection.Receipts with { Confirmations = 2, PollInterval = TimeSpan.FromMilliseconds(10) });
        var head = await connection.BlockNumberAsync();

        var deploy = deep.DeployAsync(ContractArtifact.Load(ContractArtifact.DidRegistry));
        // The transaction is mined at once (automine), then nothing else happens until we mine.
        for (var i = 0; i < 20_000 && !deploy.IsCompleted && await connection.BlockNumberAsync() == head; i++) await Task.Yield();
        Assert.Equal(head + 1, await connection.BlockNumberAsync());
        Assert.False(deploy.IsCompleted);
        using var rpcClient = new LedgerRpc(rpc);
        await rpcClient.Client.CallAsync<object>(new Nethereum.JsonRpc.Client.RpcRequest(1, "evm_mine"));
        Assert.False(deploy.IsCompleted); // head = block + 1: one confirmation short
        await rpcClient.Client.CallAsync<object>(new Nethereum.JsonRpc.Client.RpcRequest(1, "evm_mine"));
        var (address, block) = await deploy;
        Assert.Equal(head + 1, block);
        Assert.True(await connection.HasCodeAsync(address));
    }
}
