using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Vc.Interop.Hcert;
using Vc.Interop.Pki;
using Vc.Interop.TrustLists;
using Vc.Agent.Storage;
using Vc.Trust;
using Vc.Trust.Bridge;

namespace Vc.Agent;

/// <summary>
/// The node's trust layer: the on-chain trust registry of its chain (once `trust init` deployed one), the
/// certificates behind registered DSCs (a folder in the data directory), and the PKI lists it was given.
/// Trust is reported apart from the signature check: a credential can verify and still be untrusted.
/// </summary>
/// <param name="fixedService">A trust service given up front (an offline verifier pack's): the ledger is never asked.</param>
public sealed class NodeTrust(AgentLedger ledger, string certificatesDirectory, IReadOnlyList<TrustEntry> pkiEntries, TimeProvider time,
    TrustService? fixedService = null)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private TrustService? _service = fixedService;

    public ITrustCertificateSource Certificates { get; } = new FolderCertificateSource(certificatesDirectory);

    /// <summary>The trust service, or null while this chain has no trust registry.</summary>
    public async Task<TrustService?> ServiceAsync(CancellationToken ct = default)
    {
        if (_service is not null) return _service;
        // Hot path (every verify asks): no lock and no RPC while no registry is recorded for the ledger.
        if (!TrustRegistryRecord.AnyRecorded(ledger.Settings)) return null;
        var open = await ledger.LedgerAsync(ct);
        if (!File.Exists(TrustRegistryRecord.PathFor(ledger.Settings, open.Connection.ChainId))) return null;
        var dids = await ledger.DidsAsync(ct);
        await _gate.WaitAsync(ct);
        try
        {
            if (_service is not null) return _service;
            if (await TrustRegistryRecord.ReadAsync(ledger.Settings, open.Connection) is not { } record) return null;
            var reader = new TrustRegistryReader(open.Connection, record.Address, record.DeploymentBlock);
            var gateway = pkiEntries.Where(e => e.Source == TrustSource.EuGateway).ToArray();
            var gdhcn = pkiEntries.Where(e => e.Source == TrustSource.GdhcnDid).ToArray();
            return _service = new TrustService(reader, Certificates, dids.Resolver,
                gateway.Length > 0 ? new TrustStore(gateway) : null, gdhcn.Length > 0 ? new TrustStore(gdhcn) : null);
        }
        finally { _gate.Release(); }
    }

    /// <summary>The trust domain a credential type belongs to (null: no domain, no trust question).</summary>
    public static TrustDomains? DomainOf(JsonObject credential)
    {
        var types = credential["type"] is JsonArray a ? a.Select(t => t?.ToString()).ToArray() : [credential["type"]?.ToString()];
        return types.Contains("ICVPCredential") ? TrustDomains.Icvp
            : types.Contains("EUDCCVaccinationCredential") ? TrustDomains.Dcc
            : null;
    }

    /// <summary>The trust half of verifying a credential: its proof's key, its issuer, at issuance time.</summary>
    public async Task<JsonNode?> CredentialTrustAsync(JsonObject credential, CancellationToken ct)
    {
        if (DomainOf(credential) is not { } domain) return null;
        if (await ServiceAsync(ct) is not { } service) return Unavailable("no trust registry on this chain (vchealth trust init)");
        var proof = credential["proof"] is JsonArray proofs ? proofs.FirstOrDefault() : credential["proof"];
        var method = proof?["verificationMethod"]?.ToString();
        var issuer = Vc.Credentials.Model.DataModel.IssuerId(credential);
        if (method is null || issuer is null) return Unavailable("the credential names no issuer or verification method");
        var at = DateTimeOffset.TryParse(proof?["created"]?.ToString(), out var created) ? created
            : DateTimeOffset.TryParse(credential["validFrom"]?.ToString(), out var from) ? from : time.GetUtcNow();
        return Project(await service.CheckCredentialIssuerAsync(issuer, method, domain, at, ct: ct));
    }

    /// <summary>The trust decision for the DSC that signed a verified HCERT, at its issuance time.</summary>
    public async Task<JsonNode?> HcertTrustAsync(HcertVerificationResult result, CancellationToken ct)
    {
        if (result.Signer is not { } signer) return null;
        if (await ServiceAsync(ct) is not { } service) return Unavailable("no trust registry on this chain (vchealth trust init)");
        var domain = result.PayloadType == HcertPayloadType.Icvp ? TrustDomains.Icvp : TrustDomains.Dcc;
        var at = result.Claims?.IssuedAtTime ?? result.Clock;
        return Project(await service.CheckKeyAsync(TrustSubject.ForDsc(signer.Certificate), domain, null, at, ct));
    }

    /// <summary>Remembers a DSC (and its chain) so exports can carry x5c and the ledger trust store can verify with it.</summary>
    public Task RememberAsync(X509Certificate2 dsc, IReadOnlyList<X509Certificate2> chain) =>
        Certificates.AddAsync(new StoredCertificate(X509CertificateLoader.LoadCertificate(dsc.RawData), chain));

    private static JsonObject Unavailable(string why) => new() { ["trusted"] = false, ["reason"] = "Unavailable", ["detail"] = why };

    private static JsonObject Project(TrustVerdict v) => new()
    {
        ["trusted"] = v.Trusted,
        ["reason"] = v.Reason.ToString(),
        ["source"] = v.Source.ToString(),
        ["subject"] = v.Subject,
        ["issuer"] = v.Issuer,
        ["country"] = v.Country?.Alpha3,
        ["at"] = v.At.ToString("O"),
        ["detail"] = v.Detail,
        ["registryBlock"] = v.RegistryBlock,
        ["registryTransaction"] = v.RegistryTransaction,
    };

    /// <summary>
    /// The node's trust-list signing material, generated once in the data directory (keys 0600): a P-256 key
    /// for GDHCN document proofs and an UPLOAD certificate for gateway items.
    /// </summary>
    public async Task<(ECDsa ProofKey, X509Certificate2 Upload)> ExportKeysAsync(string country)
    {
        var dir = Path.Combine(ledger.Settings.DataDirectory, "trust-list-keys");
        Directory.CreateDirectory(dir);
        var proofPath = Path.Combine(dir, "gdhcn-proof.key.pem");
        if (!File.Exists(proofPath))
        {
            using var fresh = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            await SecretFiles.WriteAsync(proofPath, fresh.ExportPkcs8PrivateKeyPem());
        }
        var proof = ECDsa.Create();
        proof.ImportFromPem(await File.ReadAllTextAsync(proofPath));
        var uploadCert = Path.Combine(dir, $"upload-{country}.pem");
        var uploadKey = Path.Combine(dir, $"upload-{country}.key.pem");
        if (!File.Exists(uploadCert))
        {
            using var pki = CountryPki.Create(country);
            using var upload = pki.IssueUpload();
            await SecretFiles.WriteAsync(uploadKey, upload.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
            await File.WriteAllTextAsync(uploadCert, upload.ExportCertificatePem());
        }
        return (proof, X509Certificate2.CreateFromPemFile(uploadCert, uploadKey));
    }
}
