using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Vc.Did.Encoding;
using Vc.Did.Ethr;
using Vc.Did.Ledger;

// did:ethr benchmark, one run: resolution of DIDs with 1, 10 and 100 changes (RPC round trips and time) for our
// indexed resolver, our non-indexed resolver and the npm reference resolver; then gas per registry operation of
// our registry next to the reference bytecode (npm ethr-did-registry 1.3.0) on the same chain.
var repo = FindRepoRoot();
if (args.Length > 0 && args[0] == "scale")
{
    await Scale.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000,
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10_000,
        args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1_000,
        args.Length > 4 ? args[4] : "hardhat");
    return;
}
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
await using var host = await LedgerHost.StartAsync();
var conn = host.Connection;
var registry = conn.Contracts[ContractArtifact.DidRegistry];
var network = new EthrNetwork("anvil", conn.ChainId, conn.RpcUrl, registry);
var writer = new EthrDidWriter(conn.Web3, conn.RelayerAddress, registry, conn.ChainId);
using var http = new LedgerRpc(conn.RpcUrl);

Console.WriteLine($"did:ethr resolution on Anvil {conn.RpcUrl} (mean of {runs} resolutions after one warm-up)");
Console.WriteLine($"{"changes",8} | {"index cold sync RT",18} | {"indexed RT",10} {"indexed ms",10} | {"walker RT",9} {"walker ms",9} | {"npm 11.1.3 RT",13} {"npm ms",8} | {"RT ratio npm/indexed",20}");
foreach (var changes in new[] { 1, 10, 100 })
{
    var id = EthrIdentity.Create();
    for (var i = 0; i < changes; i++)
        await writer.AddServiceAsync(id, id.Address, "S" + i, "https://s" + i + ".example", TimeSpan.FromDays(1));
    var did = id.Did("anvil");

    using var indexRpc = new LedgerRpc(conn.RpcUrl);
    await using var index = await EthrEventIndex.OpenAsync(":memory:", indexRpc.Client, network);
    await index.SyncAsync(); // cold: the whole chain so far, once
    var coldRt = indexRpc.RoundTrips;
    var (iRt, iMs) = await Measure(new EthrDidResolver(network, index), indexRpc, did, runs);
    using var walkRpc = new LedgerRpc(conn.RpcUrl);
    var (wRt, wMs) = await Measure(new EthrDidResolver(network, new RpcHistoryWalker(walkRpc.Client, network)), walkRpc, did, runs);
    var npm = await Node(repo, new Dictionary<string, object> { ["op"] = "bench", ["rpc"] = conn.RpcUrl.ToString(), ["registry"] = registry, ["chainId"] = conn.ChainId, ["did"] = did, ["runs"] = runs + 1 });
    var npmRt = npm.GetProperty("rpcCalls").GetInt32();
    var npmMs = npm.GetProperty("ms").EnumerateArray().Skip(1).Average(e => e.GetDouble());
    Console.WriteLine($"{changes,8} | {coldRt,18} | {iRt,10:0.#} {iMs,10:0.00} | {wRt,9:0.#} {wMs,9:0.00} | {npmRt,13} {npmMs,8:0.00} | {npmRt / iRt,19:0.#}x");
}

// ---- gas ----
var reference = ReferenceArtifact(repo);
var (refAddress, _) = await conn.DeployAsync(reference);
var ours = ContractArtifact.Load(ContractArtifact.DidRegistry);
var oursDeploy = await DeployGas(conn, ours);
var refDeploy = await DeployGas(conn, reference);
var refGasFile = JsonDocument.Parse(File.ReadAllText(Path.Combine(repo, "..", "shared", "testdata", "did-ethr", "reference-gas.json"))).RootElement;
var oursGas = await GasRun(conn, http, new EthrDidWriter(conn.Web3, conn.RelayerAddress, registry, conn.ChainId), typed: true);
var refGas = (await GasRun(conn, http, new EthrDidWriter(conn.Web3, conn.RelayerAddress, refAddress, conn.ChainId), typed: false)).ToDictionary(x => x.Op, x => x.Gas);
Console.WriteLine();
Console.WriteLine("gas per operation (incl. 21,000 intrinsic), same chain, same calls");
Console.WriteLine($"{"operation",-50} | {"ours",9} | {"reference",9} | {"Δ",8}");
Console.WriteLine($"{"deploy",-50} | {oursDeploy,9:N0} | {refDeploy,9:N0} | {oursDeploy - refDeploy,8:+#,0;-#,0;0}");
foreach (var (op, gas) in oursGas)
{
    var r = refGas.TryGetValue(op, out var g) ? g : (long?)null;
    Console.WriteLine($"{op,-50} | {gas,9:N0} | {(r is null ? "n/a" : r.Value.ToString("N0")),9} | {(r is null ? "" : (gas - r.Value).ToString("+#,0;-#,0;0")),8}");
}
Console.WriteLine($"(shared/testdata/did-ethr/reference-gas.json: deploy {refGasFile[0].GetProperty("gasUsed").GetInt64():N0}, " +
    $"changeOwnerSigned {refGasFile.EnumerateArray().First(e => e.GetProperty("op").GetString()!.StartsWith("changeOwnerSigned")).GetProperty("gasUsed").GetInt64():N0})");

static async Task<(double RoundTrips, double Ms)> Measure(EthrDidResolver resolver, LedgerRpc rpc, string did, int runs)
{
    var warm = await resolver.ResolveAsync(did);
    if (!warm.IsSuccess) throw new InvalidOperationException(warm.ToJson());
    rpc.ResetRoundTrips();
    var sw = Stopwatch.StartNew();
    for (var i = 0; i < runs; i++) await resolver.ResolveAsync(did);
    return ((double)rpc.RoundTrips / runs, sw.Elapsed.TotalMilliseconds / runs);
}

static async Task<long> DeployGas(LedgerConnection conn, ContractArtifact artifact)
{
    var receipt = await conn.Web3.Eth.DeployContract.SendRequestAndWaitForReceiptAsync(artifact.Abi, artifact.Bytecode, conn.RelayerAddress,
        new Nethereum.Hex.HexTypes.HexBigInteger(8_000_000), null);
    return (long)receipt.GasUsed.Value;
}

static async Task<List<(string Op, long Gas)>> GasRun(LedgerConnection conn, LedgerRpc http, EthrDidWriter w, bool typed)
{
    var list = new List<(string, long)>();
    async Task<EthrIdentity> Funded()
    {
        var id = EthrIdentity.Create();
        await http.Client.CallAsync<object?>(new Nethereum.JsonRpc.Client.RpcRequest(1, "anvil_setBalance", id.Address, "0xde0b6b3a7640000"));
        return id;
    }
    var ed = new byte[32]; ed[0] = 1;
    var ed2 = new byte[32]; ed2[0] = 2;
    var hour = TimeSpan.FromHours(1);
    var a = await Funded();
    list.Add(("setAttribute Ed25519 32B [first change]", (await w.SetAttributeAsync(a, a.Address, "did/pub/Ed25519/veriKey/base58", ed, hour, WriteMode.Direct)).GasUsed));
    list.Add(("setAttribute Ed25519 32B [later]", (await w.SetAttributeAsync(a, a.Address, "did/pub/Ed25519/veriKey/base58", ed2, hour, WriteMode.Direct)).GasUsed));
    list.Add(("revokeAttribute [later]", (await w.RevokeAttributeAsync(a, a.Address, "did/pub/Ed25519/veriKey/base58", ed2, WriteMode.Direct)).GasUsed));
    var b = await Funded();
    var d = EthrIdentity.Create().Address;
    list.Add(("addDelegate veriKey [first change]", (await w.AddDelegateAsync(b, b.Address, "veriKey", d, hour, WriteMode.Direct)).GasUsed));
    list.Add(("addDelegate sigAuth [later, new slot]", (await w.AddDelegateAsync(b, b.Address, "sigAuth", d, hour, WriteMode.Direct)).GasUsed));
    list.Add(("revokeDelegate veriKey [later]", (await w.RevokeDelegateAsync(b, b.Address, "veriKey", d, WriteMode.Direct)).GasUsed));
    var c = await Funded();
    var c2 = await Funded();
    list.Add(("changeOwner [first change]", (await w.ChangeOwnerAsync(c, c.Address, c2.Address, WriteMode.Direct)).GasUsed));
    list.Add(("changeOwner [later]", (await w.ChangeOwnerAsync(c2, c.Address, c.Address, WriteMode.Direct)).GasUsed));
    list.Add(("deactivate: changeOwner 0x0 [later]", (await w.DeactivateAsync(c, c.Address, WriteMode.Direct)).GasUsed));
    var e = EthrIdentity.Create();
    list.Add(("setAttributeSigned svc JSON [first, relayed]", (await w.AddServiceAsync(e, e.Address, "IssuerService", """{"uri":"https://issuer.example/vc","accept":["didcomm/v2"]}""", hour, WriteMode.SignedErc1056)).GasUsed));
    list.Add(("changeOwnerSigned [later, relayed]", (await w.ChangeOwnerAsync(e, e.Address, EthrIdentity.Create().Address, WriteMode.SignedErc1056)).GasUsed));
    if (typed)
    {
        var t = EthrIdentity.Create();
        list.Add(("+ setAttributeSigned chain-bound svc JSON [first]", (await w.AddServiceAsync(t, t.Address, "IssuerService", """{"uri":"https://issuer.example/vc","accept":["didcomm/v2"]}""", hour, WriteMode.SignedTyped)).GasUsed));
        list.Add(("+ changeOwnerSigned chain-bound [later]", (await w.ChangeOwnerAsync(t, t.Address, EthrIdentity.Create().Address, WriteMode.SignedTyped)).GasUsed));
    }
    return list;
}

static async Task<JsonElement> Node(string repo, Dictionary<string, object> request)
{
    var psi = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
    psi.ArgumentList.Add(Path.Combine(repo, "tests", "js", "did", "crosscheck.mjs"));
    using var p = Process.Start(psi)!;
    await p.StandardInput.WriteAsync(JsonSerializer.Serialize(request));
    p.StandardInput.Close();
    var output = await p.StandardOutput.ReadToEndAsync();
    var err = await p.StandardError.ReadToEndAsync();
    await p.WaitForExitAsync();
    if (p.ExitCode != 0) throw new InvalidOperationException("node failed: " + err);
    return JsonDocument.Parse(output).RootElement.Clone();
}

static ContractArtifact ReferenceArtifact(string repo)
{
    var path = Path.Combine(repo, "tools", "js", "node_modules", "ethr-did-registry", "artifacts", "contracts", "EthereumDIDRegistry.sol", "EthereumDIDRegistry.json");
    using var doc = JsonDocument.Parse(File.ReadAllText(path));
    var r = doc.RootElement;
    return new ContractArtifact("Reference", r.GetProperty("abi").GetRawText(), r.GetProperty("bytecode").GetString()!, r.GetProperty("deployedBytecode").GetString()!, "npm");
}

static string FindRepoRoot()
{
    foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "VcHealth.sln"))) return dir.FullName;
    throw new DirectoryNotFoundException("VcHealth.sln not found");
}
