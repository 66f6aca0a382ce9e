// Gas per TrustRegistry operation on a fresh Anvil chain, direct and relayed (EIP-712 signed, submitted by the
// relayer), beside reference writes on the same chain: a plain ether transfer and ERC-1056 (EthereumDIDRegistry)
// setAttribute/addDelegate, the usual way to publish "this DID is an issuer" on a DID registry without governance.
// Then the PKI ⇄ ledger bridge (BridgeBench.cs). `-- scale`: the registry at world size (RegistryScale.cs). Gas is deterministic for a given state, so one run suffices. Usage: dotnet run -c Release --project bench/Vc.Trust.Bench
using System.Numerics;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Signer;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Vc.Did.Ledger;
using Vc.Trust;

if (args is ["scale", ..])
{
    // The registry at world size (RegistryScale.cs): `-- scale [COUNTRIES] [ISSUERS]`.
    await RegistryScale.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200,
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1_000);
    return;
}

await using var host = await LedgerHost.StartAsync();
var connection = host.Connection;
var anchor = await Funded();
var deployReceipt = await connection.Web3.Eth.DeployContract.SendRequestAndWaitForReceiptAsync(
    ContractArtifact.Load(TrustRegistryClient.ArtifactName).Abi, ContractArtifact.Load(TrustRegistryClient.ArtifactName).Bytecode,
    connection.RelayerAddress, new HexBigInteger(8_000_000), null, anchor.GetPublicAddress());
var client = new TrustRegistryClient(connection, deployReceipt.ContractAddress);
var reader = new TrustRegistryReader(connection, client.Address, (long)deployReceipt.BlockNumber.Value);

var rows = new List<(string Operation, long? Direct, long? Relayed)>();
var kenAdmin = await Funded();
var braAdmin = await Funded();
var ken = CountryCode.Parse("KEN");
var bra = CountryCode.Parse("BRA");
// Warm the relayed signers' nonces (the first signed write of a key pays 0→1 for its nonce slot; measured separately).
var firstRelayed = await client.ExecuteAsync(new OnboardParticipant(CountryCode.Parse("QAA"), braAdmin.GetPublicAddress(), TrustDomains.Icvp), anchor, WriteMode.Relayed);

async Task Measure(string name, Func<TrustOperation> direct, Func<TrustOperation> relayed, EthECKey directActor, EthECKey relayActor)
{
    var d = await client.ExecuteAsync(direct(), directActor);
    var r = await client.ExecuteAsync(relayed(), relayActor, WriteMode.Relayed);
    rows.Add((name, d.GasUsed, r.GasUsed));
}

await Measure("onboardParticipant", () => new OnboardParticipant(ken, kenAdmin.GetPublicAddress(), TrustDomains.Icvp | TrustDomains.Dcc),
    () => new OnboardParticipant(bra, braAdmin.GetPublicAddress(), TrustDomains.Icvp | TrustDomains.Dcc), anchor, anchor);
await Measure("updateParticipant (domains)", () => new UpdateParticipant(ken, kenAdmin.GetPublicAddress(), TrustDomains.Icvp | TrustDomains.Dcc | TrustDomains.Ddcc),
    () => new UpdateParticipant(bra, braAdmin.GetPublicAddress(), TrustDomains.Icvp | TrustDomains.Dcc | TrustDomains.Ddcc), anchor, anchor);
// Warm the admin signer's nonce.
await client.ExecuteAsync(new AddIssuer(new IssuerRegistration(bra, IssuerRef.Did("did:web:warmup.example"), TrustDomains.Icvp)), braAdmin, WriteMode.Relayed);

var kenDid = IssuerRef.Did("did:ethr:0x7e5f4552091a69125d5dfcb7b8c2659029395bdf");
var braDid = IssuerRef.Did("did:ethr:0x2b5ad5c4795c026514f8317c7a215e218dccd6cf");
var kenKid = IssuerRef.Kid(Convert.FromHexString("25d4ab1e0faa9c15"));
var braKid = IssuerRef.Kid(Convert.FromHexString("b8b5b5a0c4b4a65d"));
var thumb = Bytes32.Parse(new string('a', 64));
await Measure("addIssuer (did:ethr, 51 chars)", () => new AddIssuer(new IssuerRegistration(ken, kenDid, TrustDomains.Icvp)),
    () => new AddIssuer(new IssuerRegistration(bra, braDid, TrustDomains.Icvp)), kenAdmin, braAdmin);
await Measure("addIssuer (DSC kid + thumbprint)", () => new AddIssuer(new IssuerRegistration(ken, kenKid, TrustDomains.Dcc, Thumbprint: thumb)),
    () => new AddIssuer(new IssuerRegistration(bra, braKid, TrustDomains.Dcc, Thumbprint: thumb)), kenAdmin, braAdmin);
await Measure("suspend issuer", () => TrustOperation.SuspendIssuer(ken, kenDid), () => TrustOperation.SuspendIssuer(bra, braDid), kenAdmin, braAdmin);
await Measure("reinstate issuer", () => TrustOperation.ReinstateIssuer(ken, kenDid), () => TrustOperation.ReinstateIssuer(bra, braDid), kenAdmin, braAdmin);
await Measure("remove issuer", () => TrustOperation.RemoveIssuer(ken, kenKid), () => TrustOperation.RemoveIssuer(bra, braKid), kenAdmin, braAdmin);
var kenList = await reader.BuildSnapshotAsync(ken);
var braList = await reader.BuildSnapshotAsync(bra);
await Measure("anchorSnapshot (participant list)", () => AnchorSnapshot.Of(kenList), () => AnchorSnapshot.Of(braList), kenAdmin, braAdmin);
await Measure("suspend participant", () => TrustOperation.SuspendParticipant(ken), () => TrustOperation.SuspendParticipant(bra), anchor, anchor);
await Measure("reinstate participant", () => TrustOperation.ReinstateParticipant(ken), () => TrustOperation.ReinstateParticipant(bra), anchor, anchor);
rows.Add(("first relayed write of a signer (onboard, nonce 0→1)", null, firstRelayed.GasUsed));

// Reference writes on the same chain.
var transfer = await Send(anchor, new TransactionInput { From = anchor.GetPublicAddress(), To = braAdmin.GetPublicAddress(), Value = new HexBigInteger(1) });
var didRegistry = connection.Web3.Eth.GetContract(ContractArtifact.Load(ContractArtifact.DidRegistry).Abi, connection.Contracts[ContractArtifact.DidRegistry]);
var identity = await Funded();
var identityWeb3 = new Web3(new Account(identity, connection.ChainId), connection.RpcUrl.ToString());
var identityRegistry = identityWeb3.Eth.GetContract(ContractArtifact.Load(ContractArtifact.DidRegistry).Abi, connection.Contracts[ContractArtifact.DidRegistry]);
var name = new byte[32];
"did/svc/TrustedIssuer"u8.CopyTo(name);
var setAttr = await identityRegistry.GetFunction("setAttribute").SendTransactionAndWaitForReceiptAsync(identity.GetPublicAddress(),
    new HexBigInteger(300_000), null, null, identity.GetPublicAddress(), name, System.Text.Encoding.UTF8.GetBytes(kenDid.Value), new BigInteger(31_536_000));
var delegateType = new byte[32];
"veriKey"u8.CopyTo(delegateType);
var addDelegate = await identityRegistry.GetFunction("addDelegate").SendTransactionAndWaitForReceiptAsync(identity.GetPublicAddress(),
    new HexBigInteger(300_000), null, null, identity.GetPublicAddress(), delegateType, braAdmin.GetPublicAddress(), new BigInteger(31_536_000));
_ = didRegistry;

Console.WriteLine($"TrustRegistry gas on Anvil (chain {connection.ChainId}, solc {ContractArtifact.Load(TrustRegistryClient.ArtifactName).Compiler}, optimizer 200 runs)");
Console.WriteLine();
Console.WriteLine($"| {"operation",-56} | {"direct",8} | {"relayed",8} |");
Console.WriteLine($"|{new string('-', 58)}|{new string('-', 10)}|{new string('-', 10)}|");
Console.WriteLine($"| {"deploy TrustRegistry",-56} | {(long)deployReceipt.GasUsed.Value,8} | {"",8} |");
foreach (var (op, d, r) in rows)
    Console.WriteLine($"| {op,-56} | {(d?.ToString() ?? ""),8} | {(r?.ToString() ?? ""),8} |");
Console.WriteLine($"| {"baseline: ether transfer",-56} | {transfer,8} | {"",8} |");
Console.WriteLine($"| {"baseline: ERC-1056 setAttribute (first, 51-byte value)",-56} | {(long)setAttr.GasUsed.Value,8} | {"",8} |");
Console.WriteLine($"| {"baseline: ERC-1056 addDelegate (first)",-56} | {(long)addDelegate.GasUsed.Value,8} | {"",8} |");

// Reader latency: a participant with 100 issuers (a suspension for every fourth: 125 events, one block each).
var big = CountryCode.Parse("QZZ");
var bigAdmin = await Funded();
await client.ExecuteAsync(new OnboardParticipant(big, bigAdmin.GetPublicAddress(), TrustDomains.Icvp), anchor);
var probe = IssuerRef.Did("did:web:issuer-0.example");
for (var i = 0; i < 100; i++)
{
    var issuer = IssuerRef.Did($"did:web:issuer-{i}.example");
    await client.ExecuteAsync(new AddIssuer(new IssuerRegistration(big, issuer, TrustDomains.Icvp)), bigAdmin);
    if (i % 4 == 3) await client.ExecuteAsync(TrustOperation.SuspendIssuer(big, issuer), bigAdmin);
}
var query = new TrustQuery(big, probe, TrustDomains.Icvp);
var historical = await Time(() => reader.CheckAsync(query));
var view = await Time(() => reader.IsTrustedOnChainNowAsync(big, probe, TrustDomains.Icvp));
var trail = await Time(() => reader.GetAuditTrailAsync(big, probe));
Console.WriteLine();
Console.WriteLine("Reader latency over loopback JSON-RPC (mean of 20 after 3 warm-ups), participant with 100 issuers / 126 events:");
Console.WriteLine();
Console.WriteLine($"| {"read",-56} | {"ms",8} |");
Console.WriteLine($"|{new string('-', 58)}|{new string('-', 10)}|");
Console.WriteLine($"| {"CheckAsync (historical answer rebuilt from events)",-56} | {historical,8:F1} |");
Console.WriteLine($"| {"GetAuditTrailAsync (one issuer)",-56} | {trail,8:F1} |");
Console.WriteLine($"| {"baseline: isTrusted view (current state only)",-56} | {view,8:F1} |");

await BridgeBench.RunAsync(connection, client, reader, anchor, Funded);

static async Task<double> Time<T>(Func<Task<T>> read)
{
    for (var i = 0; i < 3; i++) await read();
    var sw = System.Diagnostics.Stopwatch.StartNew();
    for (var i = 0; i < 20; i++) await read();
    return sw.Elapsed.TotalMilliseconds / 20;
}

async Task<EthECKey> Funded()
{
    var key = EthECKey.GenerateKey();
    await connection.Web3.Client.SendRequestAsync(new RpcRequest(1, "anvil_setBalance", key.GetPublicAddress(), new HexBigInteger(BigInteger.Pow(10, 21)).HexValue));
    return key;
}

async Task<long> Send(EthECKey from, TransactionInput tx)
{
    var web3 = new Web3(new Account(from, connection.ChainId), connection.RpcUrl.ToString());
    tx.Gas = new HexBigInteger(21_000);
    var receipt = await web3.Eth.TransactionManager.SendTransactionAndWaitForReceiptAsync(tx);
    return (long)receipt.GasUsed.Value;
}
