using System.Diagnostics;
using Vc.Did.Ledger;
using Vc.TestSupport;

namespace Vc.Did.Tests.Ledger;

public sealed class ContractBuildTests
{
    [Fact]
    public async Task Embedded_artifacts_are_exactly_what_the_sources_compile_to()
    {
        var outDir = Directory.CreateTempSubdirectory("vchealth-solc-").FullName;
        try
        {
            var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add(Path.Combine(TestPaths.RepoRoot, "tools", "ledger", "compile.mjs"));
            psi.ArgumentList.Add("--out");
            psi.ArgumentList.Add(outDir);
            using var solc = Process.Start(psi)!;
            var stderr = solc.StandardError.ReadToEndAsync();
            await solc.StandardOutput.ReadToEndAsync();
            await solc.WaitForExitAsync();
            Assert.True(solc.ExitCode == 0, await stderr);

            var compiled = Directory.GetFiles(outDir, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(compiled, ContractArtifact.EmbeddedNames());
            foreach (var name in compiled)
                Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(outDir, name + ".json")), ContractArtifact.EmbeddedBytes(name));
        }
        finally { Directory.Delete(outDir, recursive: true); }
    }

    [Fact]
    public void Artifacts_name_the_pinned_compiler()
    {
        foreach (var name in ContractArtifact.EmbeddedNames())
            Assert.StartsWith("0.8.30+", ContractArtifact.Load(name).Compiler);
    }
}
