using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.Agent.Storage;
using Vc.Did.Core;
using Vc.Did.Web;
using Vc.Credentials.Verification;
using Vc.Interop.Hcert;
using Vc.Interop.TrustLists;

namespace Vc.Agent;

/// <summary>
/// One configuration of the application: the data directory and ledger (<see cref="LedgerSettings"/>), the
/// public URL minted into status list URLs, the HCERT trust inputs, and the clock. The HTTP node and every CLI
/// command build their agent from it, so both faces answer alike.
/// </summary>
public sealed record AgentOptions
{
    public required LedgerSettings Ledger { get; init; }
    /// <summary>Public base URL used in minted URLs (status lists); default: the node's listening address, or <see cref="VcAgent.DefaultPublicUrl"/>.</summary>
    public string? PublicUrl { get; init; }
    /// <summary>HCERT trust inputs: DSC certificates, EU gateway lists (with <see cref="GatewayTrustAnchorPath"/>), GDHCN DID documents.</summary>
    public IReadOnlyList<string> TrustFiles { get; init; } = [];
    public string? GatewayTrustAnchorPath { get; init; }
    /// <summary>Where the certificates behind registered DSCs are kept (default: trust-certificates in the data directory).</summary>
    public string? TrustCertificatesDirectory { get; init; }
    /// <summary>did:web is resolved only from the did:web documents among <see cref="TrustFiles"/> (e.g. GDHCN trust
    /// list documents), never fetched.</summary>
    public bool DidWebOffline { get; init; }
    public TimeProvider Time { get; init; } = TimeProvider.System;
    /// <summary>A <c>postgres://</c> URL of a database shared by several nodes; null: SQLite in the data directory.</summary>
    public string? Database { get; init; }
    /// <summary>The most status allocations one commit takes (group commit); 1 commits each on its own (for comparison benchmarks).</summary>
    public int CommitBatch { get; init; } = Environment.GetEnvironmentVariable("VCHEALTH_COMMIT_BATCH") is { } b && int.TryParse(b, out var n) && n >= 1
        ? n : StatusListStore.MaxBatch;
    /// <summary>What fetches named by input (status lists, did:web) may reach; default https to public addresses only.</summary>
    public Vc.Did.Net.OutboundPolicy Outbound { get; init; } = Vc.Did.Net.OutboundPolicy.FromEnvironment();
    /// <summary>
    /// An offline verifier pack (<see cref="VerifierPack"/>): when set, did:ethr, the trust registry, DSCs, trust
    /// lists and status lists come from it alone — the agent never touches the ledger or the network.
    /// </summary>
    public VerifierPack? Pack { get; init; }

    public string DataDirectory => Ledger.DataDirectory;
}

/// <summary>A credential's (or presentation's) verification: the cryptographic result and, beside it, the trust decision.</summary>
public sealed record CredentialVerdict(VerificationResult Result, JsonObject? Trust)
{
    public bool Verified => Result.Verified;

    /// <summary>The answer at a glance (<see cref="VerdictSummary"/>): status, reason, issuer, timeline, ICVP content.</summary>
    public JsonObject? Summary { get; init; }

    /// <summary>The offline verifier pack the answer came from (its block, time and hash), when one was used.</summary>
    public JsonObject? Pack { get; init; }

    /// <summary>The answer both faces print: the VC-API verification result with "trust" beside it, never folded into "verified".</summary>
    public JsonNode ToJson()
    {
        var json = Result.ToJsonNode();
        if (Trust is not null) json["trust"] = Trust;
        if (Summary is not null) json["summary"] = Summary.DeepClone();
        if (Pack is not null) json["pack"] = Pack.DeepClone();
        return json;
    }
}

/// <summary>An HCERT verification: the typed outcome of every step, the trust lists it used, and the ledger's trust decision for its DSC.</summary>
public sealed record HcertVerdict(HcertVerificationResult Result, IReadOnlyList<TrustListLoadResult> TrustLists, JsonObject? LedgerTrust)
{
    /// <summary>The offline verifier pack the answer came from (its block, time and hash), when one was used.</summary>
    public JsonObject? Pack { get; init; }

    /// <summary>The report both faces print: every step's outcome, the signer, the payload, and "ledgerTrust" beside them.</summary>
    public JsonObject ToJson()
    {
        var json = new Vc.Interop.DccVerifyReport(Result, TrustLists, null, null).ToJson();
        if (LedgerTrust is not null) json["ledgerTrust"] = LedgerTrust;
        json["summary"] = VerdictSummary.OfHcert(Result, LedgerTrust);
        if (Pack is not null) json["pack"] = Pack.DeepClone();
        return json;
    }
}

/// <summary>A DSC attached to an issuer (and, for a ledger issuer, bound in its DID document).</summary>
public sealed record DscAttachment(string Issuer, string Kid, string Subject, DateTimeOffset NotAfter, string? DidBindingTransaction)
{
    public JsonObject ToJson() => new()
    {
        ["didBindingTransaction"] = DidBindingTransaction,
        ["issuer"] = Issuer,
        ["kid"] = Kid,
        ["subject"] = Subject,
        ["notAfter"] = NotAfter.ToString("O"),
    };
}

/// <summary>
/// The application layer: issuers and their keys at rest, status allocation, ledger provisioning, trust decisions,
/// DSC binding, the bridge workflows, and verification reported as cryptographic result + trust decision.
/// Built by <see cref="OpenAsync"/> — the one factory behind the HTTP node and the CLI.
/// </summary>
public sealed class VcAgent : IAsyncDisposable
{
    /// <summary>The default public URL when none is configured and no server is listening (CLI use).</summary>
    public const string DefaultPublicUrl = "http://127.0.0.1:8480";

    public required AgentOptions Options { get; init; }
    public required NodeStore Store { get; init; }
    public required ApiKeys ApiKeys { get; init; }
    public required IssuerStore Issuers { get; init; }
    public required StatusListStore StatusLists { get; init; }
    public required NodeUrls Urls { get; init; }
    public required AgentLedger Ledger { get; init; }
    public required CredentialServices Credentials { get; init; }
    public required IssuerService IssuerService { get; init; }
    /// <summary>Where issuer keys live (sealed here, or in PKCS#11 tokens whose modules stay loaded while the agent lives).</summary>
    public required Vc.Agent.Keys.IssuerKeyStores KeyStores { get; init; }
    public required BridgeService Bridge { get; init; }
    public required NodeTrust Trust { get; init; }
    /// <summary>EU DCC validation rules imported from gateway rule lists into the trust store.</summary>
    public required StoredRules Rules { get; init; }
    /// <summary>The configured HCERT trust lists as loaded (entries, rejected entries, proof).</summary>
    public required IReadOnlyList<TrustListLoadResult> TrustLists { get; init; }
    public TimeProvider Time => Options.Time;

    /// <summary>The EU DCC value sets business rules read (external.valueSets), loaded on first use.</summary>
    private readonly Lazy<Vc.Interop.Dcc.DccValueSets> _valueSets = new(() => new Vc.Interop.Dcc.DccValueSets());

    /// <summary>
    /// Opens the agent of <paramref name="options"/>. A node passes the ledger it started (and stops it itself);
    /// without one, the ledger is opened on first need (the embedded daemon is reused or started detached).
    /// </summary>
    public static async Task<VcAgent> OpenAsync(AgentOptions options, NodeLedger? ledger = null, CancellationToken ct = default)
    {
        var dataDirectory = options.DataDirectory;
        DataDirectory.Ensure(dataDirectory);
        var time = options.Time;
        var store = await NodeStore.OpenAsync(dataDirectory, time, options.Database);
        var protector = KeyProtector.FromConfiguration(dataDirectory);
        var urls = new NodeUrls(options.PublicUrl);
        var issuers = new IssuerStore(store, protector);
        var statusLists = new StatusListStore(store, options.CommitBatch);
        var pack = options.Pack;
        var agentLedger = new AgentLedger(options.Ledger, ledger, time)
        {
            OfflineReason = pack is null ? null : $"verifying with the offline pack of block {pack.Block}",
        };
        var trustLists = pack?.TrustLists() ?? await LoadTrustAsync(options);
        IReadOnlyList<TrustEntry> pki = [.. trustLists.SelectMany(l => l.Entries), .. pack?.DscEntries() ?? []];
        IssuerService? issuerService = null;
        IDidResolver resolver;
        Vc.Credentials.StatusList.IStatusListCredentialFetcher fetcher;
        Vc.Trust.Bridge.TrustService? packTrust = null;
        if (pack is not null)
        {
            // Offline: did:key, and did:ethr replayed from the pack's logs; no did:web (it needs the network).
            var (network, history) = pack.DidRegistry();
            resolver = CompositeDidResolver.Create(new Vc.Did.Ethr.EthrDidResolver(network, history, time));
            fetcher = pack.StatusLists();
            var gateway = pki.Where(e => e.Source == TrustSource.EuGateway).ToArray();
            var gdhcn = pki.Where(e => e.Source == TrustSource.GdhcnDid).ToArray();
            packTrust = new Vc.Trust.Bridge.TrustService(pack.TrustRegistry(), await pack.CertificatesAsync(), resolver,
                gateway.Length > 0 ? new TrustStore(gateway) : null, gdhcn.Length > 0 ? new TrustStore(gdhcn) : null);
        }
        else
        {
            fetcher = new NodeStatusListFetcher(urls, () => issuerService!, new Vc.Did.Net.OutboundFetcher(options.Outbound, time));
            // did:key, did:ethr on this node's ledger, and did:web (bounded HTTPS fetches through the same outbound guard,
            // cached; offline: the trust files' documents).
            var didWeb = await DidWebResolverAsync(options.Outbound, time, options.DidWebOffline, options.TrustFiles);
            resolver = CompositeDidResolver.Create(agentLedger, didWeb);
        }
        var credentials = new CredentialServices(resolver, fetcher, time);
        var keyStores = new Vc.Agent.Keys.IssuerKeyStores();
        var apiKeys = new ApiKeys(store);
        issuerService = new IssuerService(issuers, keyStores, statusLists, apiKeys, credentials, urls, agentLedger, time);
        return new VcAgent
        {
            Options = options, Store = store, ApiKeys = apiKeys, Issuers = issuers, StatusLists = statusLists,
            Urls = urls, Ledger = agentLedger, Credentials = credentials, IssuerService = issuerService, KeyStores = keyStores,
            Bridge = new BridgeService(issuers, issuerService, credentials, pki, time, new HcertRevocations(store, urls, time)),
            Trust = new NodeTrust(agentLedger, options.TrustCertificatesDirectory ?? Path.Combine(dataDirectory, "trust-certificates"), pki, time, packTrust),
            TrustLists = trustLists,
            Rules = new StoredRules(store, time),
        };
    }

    // Image decoding is the node's most memory-hungry work (tens of MB a picture): at most one per core at a time.
    private readonly SemaphoreSlim _qrDecoding = new(Math.Max(1, Environment.ProcessorCount));

    // Pixels decoded since the heap was last handed back, and decodings under way (the last one out hands it back).
    private long _decodedPixels;
    private int _decoding;

    /// <summary>After this many decoded pixels (≈ 3.5 bytes each, on the large-object heap) the memory goes back to the OS.</summary>
    private const long ReturnMemoryAfterPixels = 16_000_000;

    /// <summary>The HC1 string of a QR code image (PNG/JPEG), decoded under the agent's concurrency limit.</summary>
    public async Task<string> DecodeQrAsync(byte[] image, CancellationToken ct = default)
    {
        await _qrDecoding.WaitAsync(ct);
        Interlocked.Increment(ref _decoding);
        try
        {
            if (Vc.Interop.Qr.HcertQr.PixelsOf(image) is { } pixels and <= Vc.Interop.Qr.HcertQr.MaxImagePixels) Interlocked.Add(ref _decodedPixels, pixels);
            return Vc.Interop.Qr.HcertQr.Decode(image); // refuses oversized images from the header itself
        }
        finally
        {
            // A burst of photos leaves tens of MB a picture of dead pixel buffers that an idle server would keep
            // resident; once the burst is over (no decoding left) and it was large, they are collected and returned.
            if (Interlocked.Decrement(ref _decoding) == 0 && Interlocked.Read(ref _decodedPixels) >= ReturnMemoryAfterPixels)
            {
                Interlocked.Exchange(ref _decodedPixels, 0);
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            }
            _qrDecoding.Release();
        }
    }


    /// <summary>Verifies a credential; when it verifies and belongs to a trust domain, the trust decision at its issuance.</summary>
    public async Task<CredentialVerdict> VerifyCredentialAsync(JsonElement credential, VerificationOptions options, CancellationToken ct = default)
    {
        Options.Pack?.EnsureFresh(Time);
        var result = await Credentials.Verifier.VerifyAsync(credential, options, ct);
        var document = JsonObject.Create(credential)!;
        // The trust decision is asked once the proofs held (a credential only not yet valid still shows who issued it).
        var trust = VerdictSummary.StatusOf(result) is VerdictSummary.Valid or VerdictSummary.NotYetValid
            ? await Trust.CredentialTrustAsync(document, ct) as JsonObject : null;
        return new CredentialVerdict(result, trust) { Summary = VerdictSummary.OfCredential(result, trust, document), Pack = Options.Pack?.Describe() };
    }

    /// <summary>
    /// The holder's ecdsa-sd-2023 step: the credential reduced to its mandatory statements and those
    /// <paramref name="selectivePointers"/> name, with a derived proof (verifiable by anyone; no key of this node is used).
    /// </summary>
    /// <exception cref="Vc.Credentials.Verification.CredentialException">No base proof, a pointer that names nothing, a document that does not transform.</exception>
    public JsonObject DeriveCredential(JsonObject credential, IReadOnlyList<string> selectivePointers) =>
        Credentials.Proofs.DeriveProof(credential, selectivePointers);

    /// <summary>Verifies a presentation and its credentials (holder proof, challenge, domain).</summary>
    public async Task<CredentialVerdict> VerifyPresentationAsync(JsonElement presentation, VerificationOptions options, CancellationToken ct = default)
    {
        Options.Pack?.EnsureFresh(Time);
        var result = await Credentials.PresentationVerifier.VerifyAsync(presentation, options, ct);
        return new(result, null) { Summary = VerdictSummary.OfCredential(result, null, JsonObject.Create(presentation)!), Pack = Options.Pack?.Describe() };
    }

    /// <summary>Verifies an HCERT against the PKI trust inputs; when valid, the ledger's trust decision for its DSC.</summary>
    public Task<HcertVerdict> VerifyHcertAsync(string hc1, DateTimeOffset? at, CancellationToken ct = default) =>
        VerifyHcertAsync(hc1, at, null, ct);

    /// <summary>As above, and with <paramref name="rules"/> the arrival country's acceptance and the issuing country's
    /// invalidation rules applied after the cryptographic checks (a failed rule makes the verdict not valid).</summary>
    public async Task<HcertVerdict> VerifyHcertAsync(string hc1, DateTimeOffset? at, Vc.Interop.Hcert.HcertRules? rules, CancellationToken ct = default)
    {
        Options.Pack?.EnsureFresh(Time);
        var result = await Bridge.VerifyHcertAsync(hc1, at);
        if (rules is not null) result = Vc.Interop.Hcert.HcertBusinessRules.Apply(result, rules, _valueSets.Value);
        var trust = result.IsValid ? await Trust.HcertTrustAsync(result, ct) as JsonObject : null;
        return new HcertVerdict(result, TrustLists, trust) { Pack = Options.Pack?.Describe() };
    }

    /// <summary>The rules of the trust store (imported gateway rule lists) for an arrival country and region.</summary>
    public async Task<Vc.Interop.Hcert.HcertRules> StoredRulesAsync(string country, string? region = null) =>
        new(await Rules.AllAsync(), country.ToUpperInvariant(), region);

    /// <summary>
    /// The trust registry's answer for a key (a DID URL of a verification method, or a DSC kid) in a domain, at a time
    /// (default: the latest block's time): registry entry and block, or the PKI list that names it.
    /// </summary>
    public async Task<Vc.Trust.Bridge.TrustVerdict> CheckTrustAsync(Vc.Trust.Bridge.TrustSubject subject, Vc.Trust.TrustDomains domain,
        Vc.Trust.CountryCode? country = null, DateTimeOffset? at = null, CancellationToken ct = default)
    {
        var service = await Trust.ServiceAsync(ct)
            ?? throw new AgentException("trust.NotInitialized", "no trust registry on this chain yet: run `vchealth trust init --anchor ADDRESS` first");
        return await service.CheckKeyAsync(subject, domain, country, at, ct);
    }

    /// <summary>
    /// Attaches a DSC (with its private key) that a CSCA issued to an issuer: stored encrypted, remembered with its
    /// chain for trust-list exports, and — for a ledger issuer — bound in its DID document, so one identity signs
    /// both VCs and HCERTs.
    /// </summary>
    public async Task<DscAttachment> AttachDscAsync(string issuerId, X509Certificate2 dsc, IReadOnlyList<X509Certificate2> chain, CancellationToken ct = default)
    {
        var issuer = await IssuerService.GetAsync(issuerId);
        await Bridge.AttachDscAsync(issuerId, dsc);
        await Trust.RememberAsync(dsc, chain);
        string? bindingTransaction = null;
        if (issuer.Method == "ethr")
        {
            var controller = await Issuers.ControllerKeyAsync(issuerId);
            try
            {
                var dids = await Ledger.DidsAsync(ct);
                bindingTransaction = (await dids.BindDscAsync(issuer.Did, controller, dsc, chain.FirstOrDefault(), ct)).TransactionHash;
            }
            finally { Array.Clear(controller); }
        }
        return new DscAttachment(issuerId, Convert.ToBase64String(TrustEntry.KidOf(dsc)), dsc.Subject, dsc.NotAfter.ToUniversalTime(), bindingTransaction);
    }

    /// <summary>HCERT → VC: the bridge issuer's credential with the HC1 as evidence, and the source HCERT's report.</summary>
    public async Task<JsonObject> HcertToCredentialAsync(string hc1, IReadOnlySet<string> acceptOmitted, CancellationToken ct = default)
    {
        var (credential, hcert) = await Bridge.HcertToVcAsync(hc1, acceptOmitted, ct);
        return new JsonObject { ["verifiableCredential"] = credential, ["hcert"] = new HcertVerdict(hcert, TrustLists, null).ToJson() };
    }

    /// <summary>Loads the configured HCERT trust files; a file that fails to load stops the agent (never a silent gap).</summary>
    /// <summary>The trust files that are did:web DID documents (a JSON object whose id is a did:web DID, readable by the DID
    /// Core model), as held documents. A GDHCN list that is not (method references among its methods) serves HCERT only.</summary>
    /// <summary>
    /// The did:web resolver of these options (the one way this node reads did:web: through the outbound guard, cached;
    /// offline, the trust files' did:web documents): verification and the trust bridge's GDHCN import both use it.
    /// </summary>
    public static async Task<DidWebResolver> DidWebResolverAsync(Vc.Did.Net.OutboundPolicy outbound, TimeProvider time,
        bool offline = false, IReadOnlyList<string>? trustFiles = null) =>
        new(Vc.Did.Net.OutboundHandler.Create(outbound),
            new DidWebOptions { Offline = offline, HeldDocuments = await DidWebDocumentsAsync(trustFiles ?? []) }, time);

    private static async Task<IReadOnlyList<ReadOnlyMemory<byte>>> DidWebDocumentsAsync(IReadOnlyList<string> files)
    {
        var held = new List<ReadOnlyMemory<byte>>();
        foreach (var file in files)
        {
            var info = new FileInfo(file);
            if (!info.Exists || info.Length > 16 << 20) continue;
            var bytes = await File.ReadAllBytesAsync(file);
            try
            {
                using var json = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
                if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("id", out var id)
                    && id.ValueKind == JsonValueKind.String && id.GetString()!.StartsWith("did:web:", StringComparison.Ordinal))
                    held.Add(bytes); // a DID Core document or not (GDHCN's v1 list): the bridge reads either, resolution only the first
            }
            catch (JsonException) { } // a certificate or another kind of trust file: not a DID document
        }
        return held;
    }

    public static async Task<IReadOnlyList<TrustListLoadResult>> LoadTrustAsync(AgentOptions options)
    {
        var fileOptions = new TrustFileOptions
        {
            GatewayTrustAnchor = options.GatewayTrustAnchorPath is { } a ? LoadCertificate(a) : null,
        };
        var lists = new List<TrustListLoadResult>();
        foreach (var file in options.TrustFiles)
        {
            try { lists.Add(await TrustFiles.LoadFileAsync(file, fileOptions)); }
            catch (TrustListException e) { throw new AgentException("trustlist." + e.Failure, $"trust file {file}: {e.Message}", e); }
        }
        return lists;
    }

    /// <summary>
    /// A DSC's issuer chain given as PEM: every certificate block must parse (an unreadable block is refused, never
    /// silently dropped).
    /// </summary>
    public static IReadOnlyList<X509Certificate2> ParseChain(string pem)
    {
        var blocks = 0;
        for (var at = pem.IndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal); at >= 0;
             at = pem.IndexOf("-----BEGIN CERTIFICATE-----", at + 1, StringComparison.Ordinal)) blocks++;
        var collection = new X509Certificate2Collection();
        try { collection.ImportFromPem(pem); }
        catch (System.Security.Cryptography.CryptographicException e) { throw new AgentException("invalid-dsc", "chain: " + e.Message, e); }
        if (collection.Count == 0 || collection.Count != blocks)
            throw new AgentException("invalid-dsc", $"chain: {blocks} certificate block(s), {collection.Count} readable");
        return [.. collection];
    }

    /// <summary>A certificate file: PEM (by its content), DER, or PKCS#12.</summary>
    public static X509Certificate2 LoadCertificate(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.AsSpan().StartsWith("-----"u8)) return X509Certificate2.CreateFromPem(System.Text.Encoding.ASCII.GetString(bytes));
        return X509Certificate2.GetCertContentType(bytes) == X509ContentType.Pkcs12
            ? X509CertificateLoader.LoadPkcs12(bytes, password: null)
            : X509CertificateLoader.LoadCertificate(bytes);
    }

    public async ValueTask DisposeAsync()
    {
        await StatusLists.DisposeAsync(); // pending allocations are committed (or failed) before the store closes
        await Store.DisposeAsync();
        await Ledger.DisposeAsync();
        KeyStores.Dispose();
    }
}
