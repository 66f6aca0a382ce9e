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
        for (var i = 0; i < 100 && AnvilProcess.IsAlive(pid); i++) await Task.Delay(50);
        Assert.False(AnvilProcess.IsAlive(pid));
    }

    [Fact]
    public async Task Anvil_dies_with_a_killed_parent_process()
    {
        // A guard started the same way; its owner "dies": SIGKILL to the shell, and the pipe end the owner
        // held is closed, as the kernel does for a killed process.
        var anvil = AnvilProcess.LocateBinary();
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardInput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec 3<&0; \"$0\" --port 0 </dev/null >/dev/null & p=$!; echo $p; (cat <&3 >/dev/null; kill -TERM $p) & wait $p");
        psi.ArgumentList.Add(anvil);
        using var parent = Process.Start(psi)!;
        var pid = int.Parse((await parent.StandardOutput.ReadLineAsync())!);
        Assert.True(AnvilProcess.IsAlive(pid));
        parent.Kill(entireProcessTree: false);
        parent.StandardInput.Close();
        for (var i = 0; i < 100 && AnvilProcess.IsAlive(pid); i++) await Task.Delay(50);
        Assert.False(AnvilProcess.IsAlive(pid));
    }
}
