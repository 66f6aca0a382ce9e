using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Vc.Credentials.Verification;
using Vc.Interop.Bridge;
using Vc.Interop.Hcert;
using Vc.Interop.Qr;
using Vc.Interop.TrustLists;
using Vc.Agent.Storage;

namespace Vc.Agent;

/// <summary>The HC1 string and QR code of a bridged credential, and what was knowingly left out.</summary>
public sealed record BridgedQr(string Hc1, byte[] QrPng, string IssuerId, string DscThumbprint, IReadOnlyList<string> Omitted)
{
    /// <summary>The answer both faces give (the QR code as base64 PNG).</summary>
    public JsonObject ToJson() => new()
    {
        ["hc1"] = Hc1,
        ["qrPng"] = Convert.ToBase64String(QrPng),
        ["issuer"] = IssuerId,
        ["dscThumbprint"] = DscThumbprint,
        ["omitted"] = new JsonArray(Omitted.Select(o => (JsonNode)o).ToArray()),
    };
}

/// <summary>
/// The node's PKI side: issuers' DSCs, the HCERT trust store (trust files + this node's DSCs), HCERT
/// verification, and the VC ⇄ HCERT bridge with a bridge issuer that signs HCERT-derived credentials.
/// </summary>
public sealed class BridgeService(IssuerStore issuers, IssuerService issuerService, CredentialServices credentials, IReadOnlyList<TrustEntry> configuredTrust, TimeProvider time,
    HcertRevocations revocations)
{
    /// <summary>EU DCC revocation: imported lists and the revocations of the HCERTs this node bridged.</summary>
    public HcertRevocations Revocations => revocations;

    /// <summary>The issuer instance that signs credentials made from HCERTs (created on first use, did:key).</summary>
    public const string BridgeIssuerId = "bridge";

    private readonly HcertBridge _bridge = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile HcertVerifier? _verifier;

    /// <summary>Issues nothing itself: attaches a DSC (with private key) that a CSCA issued to this issuer.</summary>
    public async Task AttachDscAsync(string issuerId, X509Certificate2 dscWithKey)
    {
        await issuerService.GetAsync(issuerId);
        using var key = dscWithKey.GetECDsaPrivateKey() ?? throw new IssuerServiceException("invalid", "the DSC must come with its P-256 private key");
        var pkcs8 = key.ExportPkcs8PrivateKey();
        try { await issuers.AttachDscAsync(issuerId, dscWithKey.RawData, pkcs8); }
        finally { CryptographicOperations.ZeroMemory(pkcs8); }
        _verifier = null; // the trust store changed
    }

    /// <summary>The trust entries this node verifies HCERTs against.</summary>
    public async Task<IReadOnlyList<TrustEntry>> TrustEntriesAsync()
    {
        var own = (await issuers.DscCertificatesAsync())
            .Select(d => new TrustEntry(X509CertificateLoader.LoadCertificate(d.Certificate), TrustSource.Certificate));
        return [.. configuredTrust, .. own];
    }

    public async Task<HcertVerificationResult> VerifyHcertAsync(string hc1, DateTimeOffset? at = null)
    {
        var verifier = _verifier;
        if (verifier is null)
        {
            await _gate.WaitAsync();
            try { verifier = _verifier ??= new HcertVerifier(new TrustStore(await TrustEntriesAsync()), time); }
            finally { _gate.Release(); }
        }
        return verifier.Verify(hc1, at, await revocations.CurrentAsync());
    }

    /// <summary>
    /// VC → HCERT: the credential must verify; its issuer must be an issuer of this node holding a DSC,
    /// which signs the HCERT (the same issuer identity signs both).
    /// </summary>
    public async Task<BridgedQr> VcToHcertAsync(JsonObject credential, IReadOnlySet<string> acceptOmitted, CancellationToken ct = default)
    {
        var verification = await credentials.Verifier.VerifyAsync(credential, new VerificationOptions(), ct);
        if (!verification.Verified)
            throw new IssuerServiceException("invalid", "the credential does not verify: " + string.Join("; ", verification.ProblemDetails.Select(p => p.Title + ": " + p.Detail)));
        var did = Vc.Credentials.Model.DataModel.IssuerId(credential) ?? "";
        var issuer = await issuers.FindByDidAsync(did)
            ?? throw new IssuerServiceException("not-found", $"{did} is not an issuer of this node: only the issuer's own DSC may sign its HCERT");
        var der = await issuers.DscCertificateAsync(issuer.Id)
            ?? throw new IssuerServiceException("invalid", $"issuer '{issuer.Id}' has no DSC: attach one first");
        using var signer = await SignerAsync(issuer.Id, der);
        var bridged = _bridge.ToHcert(credential, signer.Signer, time.GetUtcNow(), acceptOmitted);
        // Bridge consistency: the HCERT follows its credential's status (revoked or suspended → revoked HCERT).
        await revocations.RecordBridgedAsync(issuer.Id, bridged.Hc1, credential);
        return new BridgedQr(bridged.Hc1, HcertQr.RenderPng(bridged.Hc1), issuer.Id,
            Convert.ToHexStringLower(SHA256.HashData(der)), bridged.Omitted);
    }

    /// <summary>HCERT → VC: a verified HCERT becomes a credential of the bridge issuer with the HC1 as evidence.</summary>
    public async Task<(JsonObject Credential, HcertVerificationResult Hcert)> HcertToVcAsync(string hc1, IReadOnlySet<string> acceptOmitted, CancellationToken ct = default)
    {
        var verified = await VerifyHcertAsync(hc1);
        if (await issuers.FindAsync(BridgeIssuerId) is null)
        {
            try { await issuerService.CreateAsync(new CreateIssuerRequest(BridgeIssuerId, "key"), ct); }
            catch (IssuerServiceException e) when (e.Kind == "conflict") { }
        }
        var bridgeIssuer = await issuerService.GetAsync(BridgeIssuerId);
        var unsigned = _bridge.ToCredential(verified, hc1, bridgeIssuer.Did, acceptOmitted);
        return (await issuerService.IssueAsync(BridgeIssuerId, unsigned, [], ct), verified);
    }

    private async Task<DisposableSigner> SignerAsync(string issuerId, byte[] der)
    {
        var pkcs8 = await issuers.DscKeyAsync(issuerId);
        try
        {
            var key = ECDsa.Create();
            key.ImportPkcs8PrivateKey(pkcs8, out _);
            var certificate = X509CertificateLoader.LoadCertificate(der);
            return new DisposableSigner(new HcertSigner(certificate, key), key, certificate);
        }
        finally { CryptographicOperations.ZeroMemory(pkcs8); }
    }

    private sealed record DisposableSigner(HcertSigner Signer, ECDsa Key, X509Certificate2 Certificate) : IDisposable
    {
        public void Dispose()
        {
            Key.Dispose();
            Certificate.Dispose();
        }
    }
}
