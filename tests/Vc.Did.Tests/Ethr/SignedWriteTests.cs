using System.Numerics;
using System.Text.Json;
using Vc.Did.Encoding;
using Vc.Did.Ethr;
using Vc.Did.Ledger;
using Vc.TestSupport;

namespace Vc.Did.Tests.Ethr;

public sealed class SignedWriteTests
{
    private static Erc1056Operation VectorOperation(string fn, string identity) => fn switch
    {
        "changeOwner" => new ChangeOwner(identity, "0x90F79bf6EB2c4f870365E785982E1f101E93b906"),
        "addDelegate" => new AddDelegate(identity, "veriKey", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", 86400),
        "revokeDelegate" => new RevokeDelegate(identity, "veriKey", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"),
        "setAttribute" => new SetAttribute(identity, "did/pub/Ed25519/veriKey/base58",
            Codec.FromHex("b97c30de767f084ce3080168ee293053ba33b235d7116a3263d29f1450936b71"), 31_536_000),
        "revokeAttribute" => new RevokeAttribute(identity, "did/pub/Ed25519/veriKey/base58",
            Codec.FromHex("b97c30de767f084ce3080168ee293053ba33b235d7116a3263d29f1450936b71")),
        _ => throw new ArgumentException(fn),
    };

    [Fact]
    public void Erc1056_signed_write_vectors_are_reproduced_packed_hash_and_signature()
    {
        var path = Path.Combine(TestPaths.TestData("did-ethr", "VCHEALTH_DID_ETHR_TESTDATA"), "signed-tx-vectors.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        var registry = root.GetProperty("registry").GetString()!;
        var identity = root.GetProperty("identity").GetString()!;
        var nonce = new BigInteger(root.GetProperty("nonce").GetInt32());
        var signer = DevAccounts.Identity(1);
        var vectors = root.GetProperty("vectors").EnumerateArray().ToList();
        Assert.Equal(5, vectors.Count);
        foreach (var v in vectors)
        {
            var op = VectorOperation(v.GetProperty("fn").GetString()!, identity);
            var packed = Erc1056Hashes.Erc1056Packed(registry, nonce, op);
            Assert.Equal(v.GetProperty("packedLen").GetInt32(), packed.Length);
            Assert.Equal(v.GetProperty("packed").GetString(), Codec.ToHex0x(packed));
            var hash = Erc1056Hashes.Erc1056Hash(registry, nonce, op);
            Assert.Equal(v.GetProperty("hash").GetString(), Codec.ToHex0x(hash));
            var (sv, r, s) = signer.SignHash(hash);
            Assert.Equal(v.GetProperty("v").GetInt32(), sv);
            Assert.Equal(v.GetProperty("r").GetString(), Codec.ToHex0x(r));
            Assert.Equal(v.GetProperty("s").GetString(), Codec.ToHex0x(s));
        }
    }

    [Fact]
    public async Task The_chain_bound_digest_is_the_EIP712_digest_ethers_signs_for_the_same_typed_data()
    {
        var owner = DevAccounts.Identity(1);
        var op = new SetAttribute(owner.Address, "did/pub/Ed25519/veriKey/base58", new byte[32], 86400);
        const string registry = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
        var erc1056 = Erc1056Hashes.Erc1056Hash(registry, 7, op);
        var ethers = await NodeCrossCheck.RunAsync(new System.Text.Json.Nodes.JsonObject
        {
            ["op"] = "signTyped", ["key"] = DevAccounts.Keys[1], ["chainId"] = 31337, ["registry"] = registry, ["erc1056Hash"] = Codec.ToHex0x(erc1056),
        });
        var (v, r, s) = owner.SignHash(Erc1056Hashes.TypedHash(31337, registry, 7, op));
        Assert.Equal(ethers.GetProperty("signature").GetString(), Codec.ToHex0x([.. r, .. s, v]));
    }

    [Fact]
    public async Task A_typed_signature_is_bound_to_its_chain_while_an_erc1056_signature_replays_on_another_chain()
    {
        await using var chainA = await AnvilProcess.StartAsync(new AnvilOptions { ChainId = 31337 });
        await using var chainB = await AnvilProcess.StartAsync(new AnvilOptions { ChainId = 1338 });
        var artifact = ContractArtifact.Load(ContractArtifact.DidRegistry);
        var relayA = DevChain.Web3For(chainA.RpcUrl, 0);
        var relayB = new Nethereum.Web3.Web3(new Nethereum.Web3.Accounts.Account(DevAccounts.Keys[0], 1338), chainB.RpcUrl.ToString());
        relayB.TransactionManager.UseLegacyAsDefault = false;
        var (registryA, _) = await DevChain.DeployAsync(relayA, artifact.Abi, artifact.Bytecode);
        var (registryB, _) = await DevChain.DeployAsync(relayB, artifact.Abi, artifact.Bytecode);
        Assert.Equal(registryA, registryB); // same deployer and nonce: the replay setting of the upstream issue

        // The contract's own domain separator is the one we sign against.
        var separator = await relayA.Eth.GetContract(artifact.Abi, registryA).GetFunction("DOMAIN_SEPARATOR").CallAsync<byte[]>();
        Assert.Equal(Erc1056Hashes.DomainSeparator(31337, registryA), separator);

        var issuer = EthrIdentity.Create();
        var op = new SetAttribute(issuer.Address, "did/svc/Replay", "https://a.example"u8.ToArray(), 3600);
        async Task<bool> Submit(Nethereum.Web3.Web3 web3, string function, byte[] hash, byte vOffset = 0)
        {
            var (v, r, s) = issuer.SignHash(hash);
            v += vOffset;
            Assert.Equal("setAttributeSigned", function);
            var call = new Nethereum.RPC.Eth.DTOs.CallInput { From = web3.TransactionManager.Account.Address, To = registryA, Data = Nethereum.Hex.HexConvertors.Extensions.HexByteConvertorExtensions.ToHex(op.SignedCall(v, r, s), true) };
            try { await web3.Eth.Transactions.EstimateGas.SendRequestAsync(call); return true; }
            catch (Nethereum.ABI.FunctionEncoding.SmartContractRevertException) { return false; }
            catch (Nethereum.JsonRpc.Client.RpcResponseException) { return false; }
        }
        var typed = Erc1056Hashes.TypedHash(31337, registryA, 0, op);
        Assert.True(await Submit(relayA, "setAttributeSigned", typed, Erc1056Hashes.ChainBoundVOffset));
        Assert.False(await Submit(relayB, "setAttributeSigned", typed, Erc1056Hashes.ChainBoundVOffset));
        Assert.False(await Submit(relayA, "setAttributeSigned", typed)); // the typed digest is no ERC-1056 signature
        var legacy = Erc1056Hashes.Erc1056Hash(registryA, 0, op);
        Assert.True(await Submit(relayA, "setAttributeSigned", legacy));
        Assert.True(await Submit(relayB, "setAttributeSigned", legacy)); // ERC-1056 layout: replayable, hence the typed form
    }
}
