using System.Reflection;
using System.Text.Json;

namespace Vc.Did.Ledger;

/// <summary>A compiled contract: ABI and creation bytecode, as produced by tools/ledger/compile.mjs.</summary>
public sealed record ContractArtifact(string Name, string Abi, string Bytecode, string DeployedBytecode, string Compiler)
{
    /// <summary>Well-known contract names shipped with the library.</summary>
    public const string DidRegistry = "EthereumDIDRegistry";

    /// <summary>Loads an artifact embedded in this assembly (contracts/build/NAME.json at build time).</summary>
    public static ContractArtifact Load(string name)
    {
        var resource = $"Vc.Did.Contracts.{name}.json";
        using var stream = typeof(ContractArtifact).Assembly.GetManifestResourceStream(resource)
            ?? throw new LedgerException(LedgerError.ArtifactMissing, $"contract artifact '{name}' is not embedded ({resource})");
        return Parse(stream);
    }

    /// <summary>Names of every embedded contract artifact.</summary>
    public static IReadOnlyList<string> EmbeddedNames() =>
        typeof(ContractArtifact).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Vc.Did.Contracts.", StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Select(n => n["Vc.Did.Contracts.".Length..^".json".Length])
            .Order(StringComparer.Ordinal)
            .ToArray();

    /// <summary>Raw bytes of an embedded artifact, for the reproducibility check.</summary>
    public static byte[] EmbeddedBytes(string name)
    {
        using var stream = typeof(ContractArtifact).Assembly.GetManifestResourceStream($"Vc.Did.Contracts.{name}.json")
            ?? throw new LedgerException(LedgerError.ArtifactMissing, $"contract artifact '{name}' is not embedded");
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        return ms.ToArray();
    }

    public static ContractArtifact Parse(Stream json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        return new ContractArtifact(
            root.GetProperty("contractName").GetString()!,
            root.GetProperty("abi").GetRawText(),
            root.GetProperty("bytecode").GetString()!,
            root.GetProperty("deployedBytecode").GetString()!,
            root.GetProperty("compiler").GetString()!);
    }
}
