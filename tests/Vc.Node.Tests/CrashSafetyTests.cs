using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Vc.Node.Cli;

namespace Vc.Node.Tests;

/// <summary>A node killed (SIGKILL) in the middle of issuing loses no logged issuance and never reuses a status index.</summary>
public sealed class CrashSafetyTests
{
    private const string Credential = """
        {"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],
         "type":["VerifiableCredential","ExampleAlumniCredential"],"validFrom":"2025-01-01T00:00:00Z",
         "credentialSubject":{"id":"did:example:holder","alumniOf":"Example University"}}
        """;

    [Fact]
    public async Task Killing_the_issuer_mid_issuance_keeps_the_log_and_the_status_indexes_consistent()
    {
        var dir = Directory.CreateTempSubdirectory("vchealth-crash-").FullName;
        try
        {
            var data = Path.Combine(dir, "data");
            var vcFile = Path.Combine(dir, "vc.json");
            await File.WriteAllTextAsync(vcFile, Credential);
            var (o, e) = (new StringWriter(), new StringWriter());
            Assert.Equal(ExitCodes.Ok, await CliApp.RunAsync(["issuer", "create", "crash", "--data", data], o, e));

            // A separate process issues in a loop (as fast as it can) and is killed without warning.
            var cli = Path.Combine(AppContext.BaseDirectory, "vchealth.dll");
            var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add("-c");
            // One line per answered issuance: the test kills the loop once it has seen progress, not after a fixed time.
            psi.ArgumentList.Add("while true; do dotnet \"$0\" vc issue \"$1\" --issuer crash --status revocation --data \"$2\" >/dev/null 2>&1 && echo issued || echo failed; done");
            psi.ArgumentList.Add(cli);
            psi.ArgumentList.Add(vcFile);
            psi.ArgumentList.Add(data);
            using (var loop = Process.Start(psi)!)
            {
                // Several issuances answered, then killed while the next one is somewhere in flight.
                // Bounded by attempts: a loop whose every call fails stops too (and the asserts below say so).
                for (int answered = 0, attempts = 0; answered < 5 && attempts < 50; attempts++)
                    if (await loop.StandardOutput.ReadLineAsync() is not { } line) break;
                    else if (line == "issued") answered++;
                loop.Kill(entireProcessTree: true); // SIGKILL, wherever each child is
                await loop.WaitForExitAsync();
            }

            var (logged, distinct, allocated, integrity) = await InspectAsync(data);
            Assert.Equal("ok", integrity);
            Assert.True(logged > 0, "the loop issued nothing before it was killed");
            Assert.Equal(logged, distinct);
            Assert.Equal(logged, allocated);

            // The node keeps issuing afterwards, with indexes never seen before.
            Assert.Equal(ExitCodes.Ok, await CliApp.RunAsync(["vc", "issue", vcFile, "--issuer", "crash", "--status", "revocation", "--data", data], o, e));
            var after = await InspectAsync(data);
            Assert.Equal(logged + 1, after.Distinct);
            Assert.Equal(after.Logged, after.Allocated);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private static async Task<(long Logged, long Distinct, long Allocated, string Integrity)> InspectAsync(string data)
    {
        await using var c = new SqliteConnection($"Data Source={Path.Combine(data, "node.db")};Pooling=false");
        await c.OpenAsync();
        async Task<object?> Scalar(string sql) { await using var cmd = c.CreateCommand(); cmd.CommandText = sql; return await cmd.ExecuteScalarAsync(); }
        var logged = (long)(await Scalar("SELECT COUNT(*) FROM issuance_log WHERE status_list_id = 'crash-revocation-1'"))!;
        var distinct = (long)(await Scalar("SELECT COUNT(DISTINCT status_index) FROM issuance_log WHERE status_list_id = 'crash-revocation-1'"))!;
        var allocated = (long)(await Scalar("SELECT next_index FROM status_lists WHERE id = 'crash-revocation-1'"))!;
        var integrity = (string)(await Scalar("PRAGMA integrity_check"))!;
        return (logged, distinct, allocated, integrity);
    }
}
