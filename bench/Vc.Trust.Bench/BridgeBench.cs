using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Nethereum.Signer;
using Vc.Did.Ledger;
using Vc.Interop.Hcert;
using Vc.Interop.TrustLists;
using Vc.Trust;
using Vc.Trust.Bridge;

/// <summary>
/// The PKI ⇄ ledger bridge: importing WHO's GDHCN DEV list into the registry (time and gas per key), exporting it
/// back, and HCERT verification through the ledger beside the same verifier over an in-memory trust store.
/// </summary>
internal static class BridgeBench
{
    private static readonly JsonElement Dcc = JsonDocument.Parse("""
        {"ver":"1.3.0","nam":{"fn":"Musterfrau","fnt":"MUSTERFRAU","gn":"Erika","gnt":"ERIKA"},"dob":"1964-08-12",
         "v":[{"tg":"840539006","vp":"1119349007","mp":"EU/1/20/1528","ma":"ORG-100030215","dn":2,"sd":2,"dt":"2021-05-29",
               "co":"DE","is":"Robert Koch-Institut","ci":"URN:UVCI:01DE/IZ12345A/5CWLU12RNOB9RXSEOP6FG8#W"}]}
        """).RootElement.Clone();

    public static async Task RunAsync(LedgerConnection connection, TrustRegistryClient client, TrustRegistryReader reader, EthECKey anchor, Func<Task<EthECKey>> funded)
    {
        var shared = SharedFolder();
        var participant = CountryCode.Parse("QNZ");
        var admin = await funded();
        await client.ExecuteAsync(new OnboardParticipant(participant, admin.GetPublicAddress(), TrustDomains.Dcc), anchor);
        var certificates = new InMemoryCertificateSource();
        var importer = new PkiTrustImporter(client, reader, certificates);
        var v1 = await File.ReadAllBytesAsync(Path.Combine(shared, "testdata/who/gdhcn-trustlist-dev/trustlist/did.json"));

        var sw = Stopwatch.StartNew();
        var report = await importer.ImportGdhcnAsync(v1, new GdhcnImportOptions { AllowUnverifiedProof = true }, participant, admin, "NZL");
        var importMs = sw.Elapsed.TotalMilliseconds;
        long gas = 0;
        foreach (var k in report.Keys.Where(k => k.Transaction is not null))
            gas += (long)(await connection.Web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(k.Transaction)).GasUsed.Value;
        sw.Restart();
        var again = await importer.ImportGdhcnAsync(v1, new GdhcnImportOptions { AllowUnverifiedProof = true }, participant, admin, "NZL");
        var reimportMs = sw.Elapsed.TotalMilliseconds;

        using var proofKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var exporter = new LedgerTrustExporter(reader, certificates);
        var did = LedgerTrustExporter.GdhcnDid("trust.example", TrustDomains.Dcc, participant);
        var exportMs = await Time(() => exporter.ExportGdhcnAsync(did, TrustDomains.Dcc, participant, proofKey, did + "#anchor"), 5);
        var loadMs = await Time(() => LedgerTrustStore.LoadAsync(reader, certificates, participant), 5);

        Console.WriteLine();
        Console.WriteLine($"PKI → ledger → PKI, WHO GDHCN DEV v1 list, NZL ({report.Imported} DSCs imported, {again.AlreadyRegistered} found on re-import):");
        Console.WriteLine();
        Console.WriteLine($"| {"step",-56} | {"value",12} |");
        Console.WriteLine($"|{new string('-', 58)}|{new string('-', 14)}|");
        Console.WriteLine($"| {"import: ms per DSC (verify list, store cert, addIssuer)",-56} | {importMs / Math.Max(1, report.Imported),12:F1} |");
        Console.WriteLine($"| {"import: gas per DSC (addIssuer, direct)",-56} | {gas / Math.Max(1, report.Imported),12} |");
        Console.WriteLine($"| {"re-import of the same list: ms per DSC (reads only)",-56} | {reimportMs / Math.Max(1, again.AlreadyRegistered),12:F1} |");
        Console.WriteLine($"| {"export GDHCN v2 did:web with proof: ms (32 keys)",-56} | {exportMs,12:F1} |");
        Console.WriteLine($"| {"LedgerTrustStore.LoadAsync: ms (32 keys)",-56} | {loadMs,12:F1} |");

        // HCERT verification through the ledger.
        var ca = CreateCa();
        var dsc = Issue(ca);
        var gatewayAnchor = CreateCa();
        var now = DateTimeOffset.UtcNow;
        var list = JsonSerializer.SerializeToUtf8Bytes(new[]
        {
            EuGatewayTrustList.CreateItem(X509CertificateLoader.LoadCertificate(ca.RawData), "DE", "CSCA", gatewayAnchor, now),
            EuGatewayTrustList.CreateItem(X509CertificateLoader.LoadCertificate(ca.RawData), "DE", "UPLOAD", gatewayAnchor, now),
            EuGatewayTrustList.CreateItem(X509CertificateLoader.LoadCertificate(dsc.RawData), "DE", "DSC", ca, now),
        });
        await importer.ImportGatewayAsync(list, gatewayAnchor, "DE", participant, admin);
        var chainNow = await reader.LatestBlockTimeAsync();
        var hc1 = new HcertSigner(dsc).SignEuDcc(Dcc, "DE", chainNow.AddMinutes(-1), chainNow.AddDays(30));
        var ledgerStore = await LedgerTrustStore.LoadAsync(reader, certificates);
        var memoryStore = TrustStore.FromCertificates(X509CertificateLoader.LoadCertificate(dsc.RawData));
        // Alternating rounds, best of three each: JIT tiering and the shared machine's load hit the first rounds.
        double viaLedger = 0, viaMemory = 0;
        for (var round = 0; round < 3; round++)
        {
            viaLedger = Math.Max(viaLedger, Rate(new HcertVerifier(ledgerStore), hc1, chainNow));
            viaMemory = Math.Max(viaMemory, Rate(new HcertVerifier(memoryStore), hc1, chainNow));
        }
        var service = new TrustService(reader, certificates);
        var fullMs = await Time(() => service.VerifyHcertAsync(hc1, chainNow, ledgerStore), 20);
        var checkMs = await Time(() => service.CheckKeyAsync(TrustSubject.ForDsc(dsc), TrustDomains.Dcc, participant, chainNow), 20);
        var anyCountryMs = await Time(() => service.CheckKeyAsync(TrustSubject.ForDsc(dsc), TrustDomains.Dcc, null, chainNow), 20);
        var registryMs = await Time(() => reader.CheckAsync(new TrustQuery(participant, IssuerRef.Kid(SHA256.HashData(dsc.RawData)[..8]), TrustDomains.Dcc, chainNow)), 20);

        Console.WriteLine();
        Console.WriteLine("HCERT (EU DCC, ES256) verification through the ledger, one thread:");
        Console.WriteLine();
        Console.WriteLine($"| {"verification",-56} | {"value",12} |");
        Console.WriteLine($"|{new string('-', 58)}|{new string('-', 14)}|");
        Console.WriteLine($"| {"HcertVerifier over LedgerTrustStore: verifications/s",-56} | {viaLedger,12:F0} |");
        Console.WriteLine($"| {"baseline: HcertVerifier over an in-memory TrustStore",-56} | {viaMemory,12:F0} |");
        Console.WriteLine($"| {"VerifyHcertAsync (signature + registry verdict): ms",-56} | {fullMs,12:F2} |");
        Console.WriteLine($"| {"CheckKeyAsync (DSC, country given): ms",-56} | {checkMs,12:F2} |");
        Console.WriteLine($"| {"CheckKeyAsync (DSC, any country: registrations scan): ms",-56} | {anyCountryMs,12:F2} |");
        Console.WriteLine($"| {"baseline: TrustRegistryReader.CheckAsync alone: ms",-56} | {registryMs,12:F2} |");
    }

    private static double Rate(HcertVerifier verifier, string hc1, DateTimeOffset at)
    {
        for (var i = 0; i < 200; i++)
            if (!verifier.Verify(hc1, at).IsValid) throw new InvalidOperationException("the benchmark HCERT does not verify");
        var n = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(1)) { verifier.Verify(hc1, at); n++; }
        return n / sw.Elapsed.TotalSeconds;
    }

    private static async Task<double> Time<T>(Func<Task<T>> run, int count)
    {
        await run();
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < count; i++) await run();
        return sw.Elapsed.TotalMilliseconds / count;
    }

    private static X509Certificate2 CreateCa()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("C=DE, CN=Bench CA", key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        return req.CreateSelfSigned(DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddYears(3));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("C=DE, CN=Bench DSC", key, HashAlgorithmName.SHA256);
        using var caKey = ca.GetECDsaPrivateKey()!;
        var cert = req.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddYears(2), RandomNumberGenerator.GetBytes(8));
        return cert.CopyWithPrivateKey(key);
    }

    /// <summary>../shared beside the repository root (VCHEALTH_SHARED overrides).</summary>
    private static string SharedFolder()
    {
        if (Environment.GetEnvironmentVariable("VCHEALTH_SHARED") is { Length: > 0 } s) return s;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "VcHealth.sln")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
        throw new DirectoryNotFoundException("VcHealth.sln not found");
    }
}
