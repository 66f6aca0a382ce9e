using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nethereum.Signer;
using Vc.TestSupport;

namespace Vc.Trust.Tests;

/// <summary>
/// The EIP-712 digests this client signs are the ones an independent implementation (ethers 6
/// TypedDataEncoder, in tools/js) computes for the same typed data, and its signatures recover there.
/// </summary>
public sealed class Eip712InteropTests
{
    private static readonly CountryCode Kenya = CountryCode.Parse("KEN");
    private static readonly TrustRegistryDomain Domain = new(31337, "0x5FbDB2315678afecb367f032d93F642f64180aa3");

    public static TheoryData<string> Operations => new(Cases.Keys);

    private static readonly Dictionary<string, (TrustOperation Op, JsonObject Types, JsonObject Value)> Cases = new()
    {
        ["AddIssuer"] = (
            new AddIssuer(new IssuerRegistration(Kenya, IssuerRef.Kid([1, 2, 3, 4, 5, 6, 7, 8]), TrustDomains.Icvp | TrustDomains.Dcc,
                DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), null, Bytes32.Parse(new string('7', 64)))),
            Types(("country", "bytes3"), ("kind", "uint8"), ("identifier", "bytes"), ("thumbprint", "bytes32"), ("domains", "uint32"),
                ("validFrom", "uint64"), ("validUntil", "uint64")),
            new JsonObject { ["country"] = "0x4b454e", ["kind"] = 2, ["identifier"] = "0x0102030405060708",
                ["thumbprint"] = "0x" + new string('7', 64), ["domains"] = 3, ["validFrom"] = "1700000000", ["validUntil"] = ulong.MaxValue.ToString() }),
        ["OnboardParticipant"] = (
            new OnboardParticipant(Kenya, "0x00000000000000000000000000000000000000AB", TrustDomains.Icvp),
            Types(("country", "bytes3"), ("admin", "address"), ("domains", "uint32")),
            new JsonObject { ["country"] = "0x4b454e", ["admin"] = "0x00000000000000000000000000000000000000AB", ["domains"] = 1 }),
        ["SetIssuerStatus"] = (
            TrustOperation.SuspendIssuer(Kenya, IssuerRef.Did("did:web:moh.go.ke")),
            Types(("country", "bytes3"), ("issuerId", "bytes32"), ("status", "uint8")),
            new JsonObject { ["country"] = "0x4b454e", ["issuerId"] = IssuerRef.Did("did:web:moh.go.ke").Id.ToString(), ["status"] = 2 }),
        ["AnchorSnapshot"] = (
            new AnchorSnapshot(null, Bytes32.Parse(new string('e', 64)), 12, 345),
            Types(("country", "bytes3"), ("root", "bytes32"), ("leafCount", "uint32"), ("asOfBlock", "uint64")),
            new JsonObject { ["country"] = "0x000000", ["root"] = "0x" + new string('e', 64), ["leafCount"] = 12, ["asOfBlock"] = 345 }),
        ["SetIssuerList"] = (
            new SetIssuerList(Kenya, Bytes32.Parse(new string('c', 64)), 1000),
            Types(("country", "bytes3"), ("root", "bytes32"), ("leafCount", "uint32")),
            new JsonObject { ["country"] = "0x4b454e", ["root"] = "0x" + new string('c', 64), ["leafCount"] = 1000 }),
    };

    private static JsonObject Types(params (string Name, string Type)[] fields) => new()
    {
        ["fields"] = new JsonArray([.. fields.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["type"] = f.Type }),
            new JsonObject { ["name"] = "nonce", ["type"] = "uint256" }, new JsonObject { ["name"] = "deadline", ["type"] = "uint256" }]),
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Digest_and_signature_match_an_independent_eip712_implementation(string primaryType)
    {
        var (op, types, value) = Cases[primaryType];
        var key = EthECKey.GenerateKey();
        var deadline = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var signed = SignedTrustWrite.Sign(op, key, Domain, 5, deadline);
        value["nonce"] = 5;
        value["deadline"] = "1800000000";
        var request = new JsonObject
        {
            ["domain"] = new JsonObject { ["name"] = TrustRegistryDomain.Name, ["version"] = TrustRegistryDomain.Version, ["chainId"] = Domain.ChainId, ["verifyingContract"] = Domain.VerifyingContract },
            ["primaryType"] = primaryType,
            ["fields"] = types["fields"]!.DeepClone(),
            ["value"] = value.DeepClone(),
            ["signature"] = signed.SignatureHex,
        };

        var answer = await RunEthersAsync(request.ToJsonString());

        Assert.Equal("0x" + Convert.ToHexStringLower(Domain.Digest(op, 5, 1_800_000_000)), answer.GetProperty("digest").GetString());
        Assert.Equal(key.GetPublicAddress(), answer.GetProperty("signer").GetString(), StringComparer.OrdinalIgnoreCase);
    }

    private static async Task<JsonElement> RunEthersAsync(string input)
    {
        const string script = """
            const { ethers } = require(process.argv[1]);
            let s = ''; process.stdin.on('data', d => s += d); process.stdin.on('end', () => {
              const r = JSON.parse(s);
              const types = { [r.primaryType]: r.fields };
              const digest = ethers.TypedDataEncoder.hash(r.domain, types, r.value);
              const signer = ethers.verifyTypedData(r.domain, types, r.value, r.signature);
              process.stdout.write(JSON.stringify({ digest, signer }));
            });
            """;
        var psi = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-e");
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(Path.Combine(TestPaths.RepoRoot, "tools", "js", "node_modules", "ethers"));
        using var node = Process.Start(psi)!;
        await node.StandardInput.WriteAsync(input);
        node.StandardInput.Close();
        var stdout = await node.StandardOutput.ReadToEndAsync();
        var stderr = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        Assert.True(node.ExitCode == 0, stderr);
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }
}
