using System.Text.Json;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Util;
using Vc.Did.Contracts;
using Vc.TestSupport;
using Vc.Trust.Contracts;

namespace Vc.Trust.Tests;

/// <summary>
/// The contract bindings are generated at build time from contracts/build/*.json: every function, event and error
/// of each ABI has a binding whose selector / topic is keccak256 of the canonical signature read from the JSON here,
/// and the deployment message carries the artifact's bytecode.
/// </summary>
public sealed class GeneratedBindingTests
{
    private sealed record Bindings(IReadOnlyDictionary<string, Type> Functions, IReadOnlyDictionary<string, Type> Events,
        IReadOnlyList<(string Name, string[] Types)> Errors, string Bytecode);

    private static Bindings For(string contract) => contract switch
    {
        "EthereumDIDRegistry" => new(EthereumDIDRegistryContract.Functions, EthereumDIDRegistryContract.Events,
            EthereumDIDRegistryContract.Errors, EthereumDIDRegistryContract.Bytecode),
        "TrustRegistry" => new(TrustRegistryContract.Functions, TrustRegistryContract.Events, TrustRegistryContract.Errors, TrustRegistryContract.Bytecode),
        _ => throw new ArgumentException(contract),
    };

    [Theory]
    [InlineData("EthereumDIDRegistry")]
    [InlineData("TrustRegistry")]
    public void Every_function_event_and_error_of_the_ABI_has_a_binding_with_the_selector_of_its_signature(string contract)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "contracts", "build", contract + ".json")));
        var bindings = For(contract);
        var seen = new Dictionary<string, int> { ["function"] = 0, ["event"] = 0, ["error"] = 0 };
        foreach (var item in json.RootElement.GetProperty("abi").EnumerateArray())
        {
            var kind = item.GetProperty("type").GetString()!;
            if (!seen.ContainsKey(kind)) continue;
            seen[kind]++;
            var name = item.GetProperty("name").GetString()!;
            var signature = $"{name}({string.Join(',', item.GetProperty("inputs").EnumerateArray().Select(Canonical))})";
            var hash = Convert.ToHexStringLower(Sha3Keccack.Current.CalculateHash(System.Text.Encoding.ASCII.GetBytes(signature)));
            switch (kind)
            {
                case "function":
                    Assert.Equal(hash[..8], Hex(ABITypedRegistry.GetFunctionABI(bindings.Functions[name]).Sha3Signature));
                    Assert.Equal(item.GetProperty("outputs").GetArrayLength() > 0, ABITypedRegistry.GetFunctionABI(bindings.Functions[name]).OutputParameters is { Length: > 0 });
                    break;
                case "event":
                    Assert.Equal(hash, Hex(ABITypedRegistry.GetEvent(bindings.Events[name]).Sha3Signature));
                    break;
                case "error":
                    var (errorName, types) = Assert.Single(bindings.Errors, e => e.Name == name);
                    Assert.Equal(signature, $"{errorName}({string.Join(',', types)})");
                    break;
            }
        }
        Assert.Equal(seen["function"], bindings.Functions.Count);
        Assert.Equal(seen["event"], bindings.Events.Count);
        Assert.Equal(seen["error"], bindings.Errors.Count);
        Assert.True(seen["function"] > 0 && seen["event"] > 0);
        Assert.Equal(json.RootElement.GetProperty("bytecode").GetString(), bindings.Bytecode);
    }

    [Fact]
    public void The_generated_deployment_message_is_the_bytecode_followed_by_the_encoded_constructor_arguments()
    {
        var anchor = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
        var data = new TrustRegistryDeployment { TrustAnchor = anchor }.GetDeploymentData().ToHex(true);
        Assert.Equal(TrustRegistryContract.Bytecode + "000000000000000000000000" + anchor[2..], data);
    }

    /// <summary>Solidity ABI §"Function Selector": tuples are spelt out as (t1,t2,…), arrays keep their suffix.</summary>
    private static string Canonical(JsonElement parameter)
    {
        var type = parameter.GetProperty("type").GetString()!;
        return type.StartsWith("tuple", StringComparison.Ordinal)
            ? $"({string.Join(',', parameter.GetProperty("components").EnumerateArray().Select(Canonical))}){type["tuple".Length..]}"
            : type;
    }

    private static string Hex(string s) => (s.StartsWith("0x", StringComparison.Ordinal) ? s[2..] : s).ToLowerInvariant();
}
