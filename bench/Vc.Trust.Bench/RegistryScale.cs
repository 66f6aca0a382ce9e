using System.Diagnostics;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.Signer;
using Vc.Did.Ledger;
using Vc.Trust;
using Vc.Trust.Bridge;

/// <summary>
/// The trust registry at world size (issue #16 item 4): COUNTRIES participants × ISSUERS issuers each on Anvil, every
/// participant's issuer set committed as one Merkle root (TrustRegistry.setIssuerList, one transaction per country),
/// entries and proofs off-chain. Prints gas and wall time of the write path beside per-issuer on-chain writes (the
/// baseline, measured on the same chain), a GDHCN did:web export of one participant's DCC list, the latency and RPC
/// count of a listed-issuer trust check at 1k, 10k and the full size, and what suspending one issuer costs.
/// `dotnet run -c Release --project bench/Vc.Trust.Bench -- scale [COUNTRIES] [ISSUERS]` (default 200 1000).
/// </summary>
internal static class RegistryScale
{
    private const int DscShare = 9; // of every 10 issuers: 9 DSCs (DCC), 1 DID (ICVP)
    private const int Checks = 50;

    public static async Task RunAsync(int countries, int perCountry)
    {
        var whole = Stopwatch.StartNew();
        await using var host = await LedgerHost.StartAsync();
        var connection = host.Connection;
        var rpc = connection.Rpc;
        var anchor = await FundedAsync(connection);
        var (client, deployBlock) = await TrustRegistryClient.DeployAsync(connection, anchor.GetPublicAddress());
        var reader = new TrustRegistryReader(connection, client.Address, deployBlock);
        var chainNow = await reader.LatestBlockTimeAsync();
        var random = new Random(16);

        // Baseline on the same chain: per-issuer entries, one addIssuer transaction per DSC.
        var baseCountry = CountryCode.Parse("QBL");
        var baseAdmin = await FundedAsync(connection);
        await client.ExecuteAsync(new OnboardParticipant(baseCountry, baseAdmin.GetPublicAddress(), TrustDomains.Dcc | TrustDomains.Icvp), anchor);
        const int baselineWrites = 50;
        long baselineGas = 0;
        var baselineTime = Stopwatch.StartNew();
        for (var i = 0; i < baselineWrites; i++)
        {
            var (kid, thumbprint) = SyntheticDsc($"baseline-{i}");
            baselineGas += (await client.ExecuteAsync(new AddIssuer(new IssuerRegistration(baseCountry, kid, TrustDomains.Dcc, Thumbprint: thumbprint)), baseAdmin)).GasUsed;
        }
        var baselineMsPerIssuer = baselineTime.Elapsed.TotalMilliseconds / baselineWrites;
        var baselineSuspendGas = (await client.ExecuteAsync(TrustOperation.SuspendIssuer(baseCountry, SyntheticDsc("baseline-0").Kid), baseAdmin)).GasUsed;
        var baselineGasPerIssuer = baselineGas / baselineWrites;
        var baselineQuery = new TrustQuery(baseCountry, SyntheticDsc("baseline-7").Kid, TrustDomains.Dcc);

        // The exported participant's DSCs are real certificates under one SCA (the export checks kid = SHA-256(cert)[0..8]);
        // the other participants' DSCs are kid + thumbprint pairs derived from a seed (the registry stores nothing else).
        var certificates = new InMemoryCertificateSource();
        using var scaKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var sca = CreateSca(scaKey, chainNow);

        var lists = new List<IssuerList>();
        var admins = new Dictionary<CountryCode, EthECKey>();
        long commitGas = 0, onboardGas = 0;
        var writePath = new Stopwatch();
        var checkpoints = new[] { 1_000, 10_000, countries * perCountry }.Where(c => c <= countries * perCountry).Distinct().ToArray();
        var rows = new List<(int Issuers, int Countries, double CheckMs, double CheckRpc, double ProveMs, double BaselineMs, double BaselineRpc)>();

        Console.WriteLine($"Trust registry at size on Anvil (chain {connection.ChainId}): {countries} participants × {perCountry:N0} issuers, " +
            $"one Merkle root per participant ({DscShare}0 % DSCs, the rest DIDs)");
        for (var c = 0; c < countries; c++)
        {
            var country = Code(c);
            var issuers = new List<ListedIssuer>(perCountry);
            for (var i = 0; i < perCountry; i++)
            {
                if (i % 10 == DscShare)
                {
                    issuers.Add(new ListedIssuer(IssuerRef.Did($"did:web:issuer-{i}.{country.Alpha3.ToLowerInvariant()}.example"), TrustDomains.Icvp));
                    continue;
                }
                if (c == 0)
                {
                    var stored = IssueDsc(sca, scaKey, $"{country} DSC {i}", chainNow);
                    await certificates.AddAsync(stored);
                    issuers.Add(new ListedIssuer(IssuerRef.Kid(stored.Kid), TrustDomains.Dcc, stored.Dsc.NotBefore, stored.Dsc.NotAfter, stored.Thumbprint));
                }
                else
                {
                    var (kid, thumbprint) = SyntheticDsc($"{country}-{i}");
                    issuers.Add(new ListedIssuer(kid, TrustDomains.Dcc, Thumbprint: thumbprint));
                }
            }

            writePath.Start();
            var admin = await FundedAsync(connection);
            onboardGas += (await client.ExecuteAsync(new OnboardParticipant(country, admin.GetPublicAddress(), TrustDomains.Dcc | TrustDomains.Icvp), anchor)).GasUsed;
            var list = IssuerList.Build(country, issuers);
            commitGas += (await client.ExecuteAsync(list.Commit(), admin)).GasUsed;
            writePath.Stop();
            lists.Add(list);
            admins[country] = admin;

            var size = (c + 1) * perCountry;
            if (!checkpoints.Contains(size)) continue;
            // The node proves (off-chain, from its lists); the verifier checks with one read of the chain.
            var picks = Enumerable.Range(0, Checks).Select(_ => lists[random.Next(lists.Count)]).Select(l => (l, l.Entries[random.Next(l.Count)])).ToArray();
            var prove = Stopwatch.StartNew();
            var proofs = picks.Select(p => p.l.Prove(p.Item2.Issuer)!).ToArray();
            var proveMs = prove.Elapsed.TotalMilliseconds / Checks;
            foreach (var warm in proofs.Take(3)) await reader.CheckListedAsync(warm, warm.Entry.Domains);
            rpc.ResetRoundTrips();
            var check = Stopwatch.StartNew();
            foreach (var proof in proofs)
            {
                var decision = await reader.CheckListedAsync(proof, proof.Entry.Domains, proof.Entry.Thumbprint);
                if (!decision.Trusted) throw new InvalidOperationException($"{proof.Entry.Issuer} of {proof.Country}: {decision.Reason}");
            }
            var checkMs = check.Elapsed.TotalMilliseconds / Checks;
            var checkRpc = (double)rpc.RoundTrips / Checks;
            for (var w = 0; w < 3; w++) await reader.CheckAsync(baselineQuery);
            rpc.ResetRoundTrips();
            var baselineCheck = Stopwatch.StartNew();
            for (var k = 0; k < Checks; k++)
                if (!(await reader.CheckAsync(baselineQuery)).Trusted) throw new InvalidOperationException("baseline issuer not trusted");
            rows.Add((size, c + 1, checkMs, checkRpc, proveMs, baselineCheck.Elapsed.TotalMilliseconds / Checks, (double)rpc.RoundTrips / Checks));
        }
        var totalIssuers = countries * perCountry;

        // Export one domain of one participant as a GDHCN v2 did:web document.
        using var proofKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var exporter = new LedgerTrustExporter(reader, certificates);
        var exported = lists[0];
        var did = LedgerTrustExporter.GdhcnDid("trust.example", TrustDomains.Dcc, exported.Country);
        var export = await exporter.ExportGdhcnListAsync(did, TrustDomains.Dcc, exported, proofKey, did + "#anchor");
        var exportTimer = Stopwatch.StartNew();
        const int exportRuns = 3;
        for (var r = 0; r < exportRuns; r++) export = await exporter.ExportGdhcnListAsync(did, TrustDomains.Dcc, exported, proofKey, did + "#anchor");
        var exportMs = exportTimer.Elapsed.TotalMilliseconds / exportRuns;
        if (export.Kids.Count != perCountry * DscShare / 10 || export.Skipped.Count != 0)
            throw new InvalidOperationException($"export: {export.Kids.Count} keys, {export.Skipped.Count} skipped");

        // Suspending one issuer: the participant's list rebuilt with its status, one new root; its old proofs go stale.
        var target = lists[Math.Min(5, lists.Count - 1)];
        var suspendedIssuer = target.Entries[perCountry / 2];
        var oldProof = target.Prove(suspendedIssuer.Issuer)!;
        var suspendTimer = Stopwatch.StartNew();
        var rebuilt = IssuerList.Build(target.Country, target.Entries.Select(e => e == suspendedIssuer ? e with { Status = EntryStatus.Suspended } : e));
        var rebuildMs = suspendTimer.Elapsed.TotalMilliseconds;
        var suspendWrite = await client.ExecuteAsync(rebuilt.Commit(), admins[target.Country]);
        var suspendMs = suspendTimer.Elapsed.TotalMilliseconds;
        var stale = await reader.CheckListedAsync(oldProof, suspendedIssuer.Domains);
        var suspended = await reader.CheckListedAsync(rebuilt.Prove(suspendedIssuer.Issuer)!, suspendedIssuer.Domains);
        if (stale.Reason != TrustReason.ListProofStale || suspended.Reason != TrustReason.IssuerSuspended)
            throw new InvalidOperationException($"suspension: old proof {stale.Reason}, new proof {suspended.Reason}");

        string Row(string what, string value, string goal) => $"| {what,-66} | {value,16} | {goal,-34} |";
        Console.WriteLine();
        Console.WriteLine(Row("write path", "value", "goal / baseline"));
        Console.WriteLine($"|{new string('-', 68)}|{new string('-', 18)}|{new string('-', 36)}|");
        Console.WriteLine(Row($"issuers committed ({countries} roots)", totalIssuers.ToString("N0"), ""));
        Console.WriteLine(Row("total gas: setIssuerList (one per participant)", commitGas.ToString("N0"), ""));
        Console.WriteLine(Row("gas per issuer: setIssuerList", ((double)commitGas / totalIssuers).ToString("N1"),
            $"≤ 25,000; per-issuer addIssuer {baselineGasPerIssuer:N0}"));
        Console.WriteLine(Row("gas per issuer incl. onboarding the participants", ((double)(commitGas + onboardGas) / totalIssuers).ToString("N1"), "≤ 25,000"));
        Console.WriteLine(Row($"wall time: {countries} × (onboard + build tree + commit root)", $"{writePath.Elapsed.TotalSeconds:N1} s",
            $"≤ 600 s; per-issuer ≈ {baselineMsPerIssuer * totalIssuers / 1000:N0} s"));
        Console.WriteLine(Row($"baseline: per-issuer addIssuer (DSC) × {totalIssuers:N0} issuers, extrapolated", $"{(double)baselineGas / baselineWrites * totalIssuers / 1e9:N2} Ggas",
            $"{baselineMsPerIssuer:N1} ms/issuer here"));
        Console.WriteLine(Row($"export GDHCN v2 did:web, DCC of {exported.Country} ({export.Kids.Count} DSCs, {export.Document.Length / 1024:N0} KB)", $"{exportMs:N0} ms", "≤ 5,000 ms"));
        Console.WriteLine(Row($"suspend one issuer: rebuild {perCountry:N0}-leaf list + new root", $"{suspendMs:N0} ms", $"rebuild {rebuildMs:N0} ms"));
        Console.WriteLine(Row("suspend one issuer: gas of the new root", suspendWrite.GasUsed.ToString("N0"),
            $"per-issuer setIssuerStatus {baselineSuspendGas:N0}"));
        Console.WriteLine();
        Console.WriteLine($"| {"registry size",14} | {"participants",12} | {"listed check ms",15} | {"RPC / check",11} | {"prove ms (node)",15} | {"baseline: per-issuer CheckAsync ms",34} | {"its RPC",7} |");
        Console.WriteLine($"|{new string('-', 16)}|{new string('-', 14)}|{new string('-', 17)}|{new string('-', 13)}|{new string('-', 17)}|{new string('-', 36)}|{new string('-', 9)}|");
        foreach (var r in rows)
            Console.WriteLine($"| {r.Issuers,14:N0} | {r.Countries,12} | {r.CheckMs,15:N2} | {r.CheckRpc,11:N1} | {r.ProveMs,15:N2} | {r.BaselineMs,34:N2} | {r.BaselineRpc,7:N1} |");
        Console.WriteLine();
        Console.WriteLine($"whole run {whole.Elapsed.TotalSeconds:N0} s (including certificate generation and the measurements); " +
            $"checks: mean of {Checks} random listed issuers after 3 warm-ups, all trusted");
    }

    private static CountryCode Code(int i) => CountryCode.Parse($"X{(char)('A' + i / 26 % 26)}{(char)('A' + i % 26)}");

    private static (IssuerRef Kid, Bytes32 Thumbprint) SyntheticDsc(string seed)
    {
        var thumbprint = SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        return (IssuerRef.Kid(thumbprint.AsSpan(0, 8)), Bytes32.FromBytes(thumbprint));
    }

    private static X509Certificate2 CreateSca(ECDsa key, DateTimeOffset now)
    {
        var request = new CertificateRequest("C=XA, CN=Scale Bench SCA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        return request.CreateSelfSigned(now.AddDays(-30), now.AddYears(5));
    }

    private static StoredCertificate IssueDsc(X509Certificate2 sca, ECDsa scaKey, string name, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"C=XA, CN={name}", key, HashAlgorithmName.SHA256);
        var dsc = request.Create(sca.SubjectName, X509SignatureGenerator.CreateForECDsa(scaKey), now.AddDays(-10), now.AddYears(2), RandomNumberGenerator.GetBytes(8));
        return new StoredCertificate(dsc, [sca]);
    }

    private static async Task<EthECKey> FundedAsync(LedgerConnection connection)
    {
        var key = EthECKey.GenerateKey();
        await connection.Web3.Client.SendRequestAsync(new RpcRequest(1, "anvil_setBalance", key.GetPublicAddress(), new HexBigInteger(BigInteger.Pow(10, 21)).HexValue));
        return key;
    }
}
