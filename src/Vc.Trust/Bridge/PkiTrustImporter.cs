using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;
using Nethereum.Signer;
using Vc.Interop.TrustLists;

namespace Vc.Trust.Bridge;

/// <summary>What happened to one key of an imported trust list.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ImportOutcome>))]
public enum ImportOutcome { Imported, AlreadyRegistered, Rejected }

/// <summary>One key of an import: its kid (standard base64), thumbprint, outcome, and the write or the typed reason.</summary>
public sealed record ImportedKey(
    string Kid,
    Bytes32? Thumbprint,
    string Item,
    TrustDomains Domains,
    ImportOutcome Outcome,
    [property: JsonConverter(typeof(JsonStringEnumConverter<TrustBridgeError>))] TrustBridgeError? Error = null,
    string? Reason = null,
    long? Block = null,
    string? Transaction = null);

/// <summary>The result of importing one trust list into one participant's registry entries.</summary>
public sealed record ImportReport(
    CountryCode Participant,
    string Source,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ProofStatus>))] ProofStatus Proof,
    DateTimeOffset CheckedAt,
    IReadOnlyList<ImportedKey> Keys)
{
    public int Imported => Keys.Count(k => k.Outcome == ImportOutcome.Imported);
    public int AlreadyRegistered => Keys.Count(k => k.Outcome == ImportOutcome.AlreadyRegistered);
    public int Rejected => Keys.Count(k => k.Outcome == ImportOutcome.Rejected);
}

/// <summary>Options of an import.</summary>
public sealed record PkiImportOptions
{
    /// <summary>Time at which DSC validity is judged (expired DSCs are not imported); null = the latest block's time.</summary>
    public DateTimeOffset? At { get; init; }
    /// <summary>How the admin's writes reach the chain.</summary>
    public WriteMode Mode { get; init; } = WriteMode.Direct;
}

/// <summary>Options of a GDHCN import: how the document proof is checked.</summary>
public sealed record GdhcnImportOptions
{
    /// <summary>Checks the document's proof (e.g. <see cref="JwsDetachedProofVerifier"/> with WHO's key).</summary>
    public IDidProofVerifier? ProofVerifier { get; init; }
    /// <summary>
    /// Import even though no proof was checked. Off by default: keys enter the registry only from lists whose
    /// signatures verify. WHO's DEV signing key is not available offline, so DEV tests set this explicitly.
    /// </summary>
    public bool AllowUnverifiedProof { get; init; }
}

/// <summary>
/// PKI → ledger: registers a PKI country's DSCs — from an EU gateway trust list or a GDHCN did:web trust list, only
/// entries whose signatures and chains verify (Vc.Interop's loaders) — as kid issuers of one registry participant,
/// with kid, SHA-256 thumbprint and the DSC's validity period, and keeps their certificates in the local store.
/// Idempotent: a key already registered with the same thumbprint is reported, not written again.
/// </summary>
public sealed class PkiTrustImporter(TrustRegistryClient client, TrustRegistryReader reader, ITrustCertificateSource certificates)
{
    /// <summary>
    /// Imports the DSCs of <paramref name="gatewayCountry"/> (the list's alpha-2 code, e.g. "DE") from a dgc-gateway
    /// trust list whose CMS signatures verify with <paramref name="trustAnchor"/>, as issuers of
    /// <paramref name="participant"/> (domain DCC), written by the participant's <paramref name="admin"/>.
    /// </summary>
    public async Task<ImportReport> ImportGatewayAsync(ReadOnlyMemory<byte> json, X509Certificate2 trustAnchor, string gatewayCountry,
        CountryCode participant, EthECKey admin, PkiImportOptions? options = null, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(gatewayCountry))
            throw new TrustBridgeException(TrustBridgeError.InvalidInput, "the gateway country (alpha-2 as the list writes it) is required");
        TrustListLoadResult loaded;
        try { loaded = EuGatewayTrustList.Load(json.Span, trustAnchor); }
        catch (TrustListException e) { throw new TrustBridgeException(Map(e.Failure), "gateway trust list: " + e.Message, e); }
        var cscas = GatewayCscas(json, gatewayCountry);
        var candidates = loaded.Entries
            .Where(e => string.Equals(e.Country, gatewayCountry, StringComparison.OrdinalIgnoreCase))
            .Select(e => new Candidate(e, $"DSC {e.Country} kid={Convert.ToBase64String(e.Kid)}", TrustDomains.Dcc,
                cscas.Where(ca => Vc.Interop.Pki.CertificateChain.IsIssuedBy(e.Certificate, ca)).Take(1).ToArray()))
            .ToList();
        // Items of this country the loader refused (forged signature, wrong anchor, broken chain…), with their reason.
        var refused = loaded.Rejected.Where(r => r.Item.Split(' ') is { Length: > 1 } p && string.Equals(p[1], gatewayCountry, StringComparison.OrdinalIgnoreCase));
        return await ImportAsync(candidates, refused, participant, admin, "eu-gateway", ProofStatus.Verified, options, ct);
    }

    /// <summary>
    /// Imports the DSCs of a GDHCN did:web trust list (v1 or v2) whose proof verifies (see
    /// <see cref="GdhcnImportOptions"/>), restricted to <paramref name="sourceParticipant"/> (default: the participant's
    /// own code), as issuers of <paramref name="participant"/> in each key's GDHCN domain (DCC when the list names none).
    /// </summary>
    public async Task<ImportReport> ImportGdhcnAsync(ReadOnlyMemory<byte> json, GdhcnImportOptions gdhcn, CountryCode participant, EthECKey admin,
        string? sourceParticipant = null, PkiImportOptions? options = null, CancellationToken ct = default)
    {
        TrustListLoadResult loaded;
        try { loaded = GdhcnDidTrustList.Load(json.Span, new GdhcnLoadOptions { ProofVerifier = gdhcn.ProofVerifier }); }
        catch (TrustListException e) { throw new TrustBridgeException(Map(e.Failure), "GDHCN trust list: " + e.Message, e); }
        if (loaded.Proof != ProofStatus.Verified && !gdhcn.AllowUnverifiedProof)
            throw new TrustBridgeException(TrustBridgeError.ProofNotVerified,
                $"{loaded.Id}: proof {loaded.Proof}; configure the anchor key, or allow unverified imports explicitly");
        var source = sourceParticipant ?? participant.Alpha3;
        var chains = GdhcnChains(json);
        var candidates = new List<Candidate>();
        foreach (var e in loaded.Entries.Where(e => string.Equals(e.Country, source, StringComparison.OrdinalIgnoreCase)))
        {
            var label = $"{e.Domain ?? "-"}/{e.Country}/{string.Join(',', e.KeyUsages)} kid={Convert.ToBase64String(e.Kid)}";
            TrustDomains domain;
            try { domain = e.Domain is null ? TrustDomains.Dcc : TrustDomainCodes.Parse(e.Domain); }
            catch (TrustRegistryException) { domain = TrustDomains.None; }
            candidates.Add(new Candidate(e, label, domain, chains.TryGetValue(e.Thumbprint, out var chain) ? chain : []));
        }
        // Refused keys of this participant: v1 ids end in ":<alpha-3 lower-case>#kid", v2 ids name it in the DID (…:DCC:XXA:DSC#kid).
        var refused = loaded.Rejected.Where(r => r.Item.Split('#')[0].Split(':').Skip(1).Any(p => string.Equals(p, source, StringComparison.OrdinalIgnoreCase)));
        return await ImportAsync(candidates, refused, participant, admin, loaded.Id ?? "gdhcn", loaded.Proof, options, ct);
    }

    /// <summary>
    /// Imports a GDHCN trust list where GDHCN publishes it: as the did:web document of <paramref name="did"/> (e.g.
    /// did:web:tng-cdn-dev.who.int:trustlist), read through <paramref name="didWeb"/> — https only, bounded, cached,
    /// or offline from the documents the trust store holds — then checked and imported as the bytes overload does.
    /// </summary>
    public async Task<ImportReport> ImportGdhcnAsync(string did, Vc.Did.Web.DidWebResolver didWeb, GdhcnImportOptions gdhcn, CountryCode participant,
        EthECKey admin, string? sourceParticipant = null, PkiImportOptions? options = null, CancellationToken ct = default)
    {
        var read = await didWeb.ReadAsync(did, ct);
        if (read.Failure is not null)
        {
            var failure = read.Failure.DidResolutionMetadata;
            throw new TrustBridgeException(TrustBridgeError.DidNotResolved, $"{did}: {failure.Error}: {failure.Message}");
        }
        return await ImportGdhcnAsync(read.Json, gdhcn, participant, admin, sourceParticipant, options, ct);
    }

    /// <summary>
    /// Registers the DSC that <paramref name="did"/> binds in its DID document (<see cref="DscBinding"/>) as a kid
    /// issuer of <paramref name="participant"/> for <paramref name="domains"/>, so the DID's binding checks out. The
    /// binding's chain must be well formed; the DID itself is registered separately (an AddIssuer with the DID).
    /// </summary>
    public async Task<ImportReport> ImportDidBindingAsync(Vc.Did.Core.IDidResolver resolver, string did, TrustDomains domains,
        CountryCode participant, EthECKey admin, PkiImportOptions? options = null, CancellationToken ct = default)
    {
        var resolution = await resolver.ResolveAsync(did, null, ct);
        if (resolution.DidDocument is not { } document || resolution.DidDocumentMetadata.Deactivated)
            throw new TrustBridgeException(TrustBridgeError.DidNotResolved, $"{did}: {resolution.DidResolutionMetadata.Error ?? "deactivated"}");
        var bindings = DscBinding.Read(document);
        if (bindings.Count == 0)
            throw new TrustBridgeException(TrustBridgeError.BindingMissing, $"{did} has no {DscBinding.ServiceType} service");
        var codes = TrustDomainCodes.ToCodes(domains);
        var candidates = bindings.Select(b => new Candidate(
            new TrustEntry(b.Dsc, TrustSource.Certificate, participant.Alpha3, codes.Count == 1 ? codes[0] : null, ["DSC"]),
            $"{b.ServiceId} kid={b.Kid}", domains, b.Chain)).ToList();
        return await ImportAsync(candidates, [], participant, admin, did, ProofStatus.NotPresent, options, ct);
    }

    private sealed record Candidate(TrustEntry Entry, string Label, TrustDomains Domains, IReadOnlyList<X509Certificate2> Chain);

    private async Task<ImportReport> ImportAsync(IReadOnlyList<Candidate> candidates, IEnumerable<TrustListRejection> refused,
        CountryCode participant, EthECKey admin, string source, ProofStatus proof, PkiImportOptions? options, CancellationToken ct)
    {
        options ??= new PkiImportOptions();
        // Authorization first: a stranger's import must fail before anything is written or stored.
        var p = await reader.GetParticipantOnChainAsync(participant, ct)
            ?? throw new TrustBridgeException(TrustBridgeError.NotAuthorized, $"participant {participant} is not onboarded");
        if (p.Status != EntryStatus.Active)
            throw new TrustBridgeException(TrustBridgeError.NotAuthorized, $"participant {participant} is {p.Status}");
        if (!string.Equals(p.Admin, admin.GetPublicAddress(), StringComparison.OrdinalIgnoreCase))
            throw new TrustBridgeException(TrustBridgeError.NotAuthorized, $"the signing key is not the admin of {participant}");
        var at = options.At ?? await reader.LatestBlockTimeAsync(ct);

        var keys = refused.Select(r => new ImportedKey(KidFromLabel(r.Item), null, r.Item, TrustDomains.None, ImportOutcome.Rejected, Map(r.Failure), r.Reason)).ToList();
        var seen = new HashSet<Bytes32>();
        foreach (var c in candidates)
        {
            var e = c.Entry;
            var kid = Convert.ToBase64String(e.Kid);
            var thumbprint = Bytes32.Parse(e.Thumbprint);
            ImportedKey Reject(TrustBridgeError error, string reason) => new(kid, thumbprint, c.Label, c.Domains, ImportOutcome.Rejected, error, reason);
            if (!seen.Add(thumbprint)) continue; // the same certificate listed twice
            if (!e.IsDocumentSigner) { keys.Add(Reject(TrustBridgeError.NotDocumentSigner, $"key usage {string.Join(',', e.KeyUsages)} is not DSC")); continue; }
            if (c.Domains == TrustDomains.None) { keys.Add(Reject(TrustBridgeError.DomainNotAllowed, $"GDHCN domain '{e.Domain}' has no registry domain")); continue; }
            if ((c.Domains & p.Domains) != c.Domains)
            {
                keys.Add(Reject(TrustBridgeError.DomainNotAllowed, $"{participant} is onboarded for {string.Join(',', TrustDomainCodes.ToCodes(p.Domains))}, not {string.Join(',', TrustDomainCodes.ToCodes(c.Domains))}"));
                continue;
            }
            if (at > e.NotAfter) { keys.Add(Reject(TrustBridgeError.DscExpired, $"the DSC expired at {e.NotAfter:O} (checked at {at:O})")); continue; }

            var issuer = IssuerRef.Kid(e.Kid);
            var existing = await reader.GetIssuerOnChainAsync(participant, issuer, ct);
            if (existing is { Status: not EntryStatus.Removed })
            {
                if (existing.Thumbprint == thumbprint)
                {
                    await certificates.AddAsync(new StoredCertificate(e.Certificate, c.Chain), ct);
                    keys.Add(new ImportedKey(kid, thumbprint, c.Label, existing.Domains, ImportOutcome.AlreadyRegistered));
                }
                else
                    keys.Add(Reject(TrustBridgeError.KidCollision, $"{participant} already registers kid {kid} for certificate {existing.Thumbprint}"));
                continue;
            }
            // The certificate is stored before the write: a failure in between leaves an unused cache entry, never
            // a registry entry without its certificate.
            await certificates.AddAsync(new StoredCertificate(e.Certificate, c.Chain), ct);
            try
            {
                var write = await client.ExecuteAsync(new AddIssuer(new IssuerRegistration(participant, issuer, c.Domains,
                    e.NotBefore, e.NotAfter, thumbprint)), admin, options.Mode, ct);
                keys.Add(new ImportedKey(kid, thumbprint, c.Label, c.Domains, ImportOutcome.Imported, Block: write.BlockNumber, Transaction: write.TransactionHash));
            }
            catch (TrustRegistryException x)
            {
                keys.Add(Reject(x.Error is TrustRegistryError.NotParticipantAdmin or TrustRegistryError.ParticipantNotActive
                    ? TrustBridgeError.NotAuthorized : TrustBridgeError.RegistryRejected, x.Message));
            }
        }
        return new ImportReport(participant, source, proof, at, keys);
    }

    internal static TrustBridgeError Map(TrustListFailure failure) => failure switch
    {
        TrustListFailure.Proof => TrustBridgeError.ProofInvalid,
        TrustListFailure.Signature => TrustBridgeError.SignatureInvalid,
        TrustListFailure.Chain => TrustBridgeError.ChainInvalid,
        TrustListFailure.Thumbprint or TrustListFailure.Kid => TrustBridgeError.KidMismatch,
        TrustListFailure.Certificate => TrustBridgeError.CertificateInvalid,
        _ => TrustBridgeError.MalformedTrustList,
    };

    private static string KidFromLabel(string label)
    {
        var i = label.IndexOf("kid=", StringComparison.Ordinal);
        if (i >= 0) return label[(i + 4)..];
        i = label.IndexOf('#');
        return i >= 0 ? Uri.UnescapeDataString(label[(i + 1)..]) : "";
    }

    /// <summary>The x5c chains of a GDHCN document keyed by the hex thumbprint of x5c[0] (the loader has checked them).</summary>
    private static Dictionary<string, IReadOnlyList<X509Certificate2>> GdhcnChains(ReadOnlyMemory<byte> json)
    {
        var chains = new Dictionary<string, IReadOnlyList<X509Certificate2>>(StringComparer.OrdinalIgnoreCase);
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        if (!doc.RootElement.TryGetProperty("verificationMethod", out var methods) || methods.ValueKind != JsonValueKind.Array) return chains;
        foreach (var m in methods.EnumerateArray())
        {
            if (m.ValueKind != JsonValueKind.Object || !m.TryGetProperty("publicKeyJwk", out var jwk) || jwk.ValueKind != JsonValueKind.Object
                || !jwk.TryGetProperty("x5c", out var x5c) || x5c.ValueKind != JsonValueKind.Array || x5c.GetArrayLength() is 0 or > 8)
                continue;
            try
            {
                var ders = x5c.EnumerateArray().Select(c => Convert.FromBase64String(c.GetString() ?? "")).ToArray();
                chains[Convert.ToHexStringLower(SHA256.HashData(ders[0]))] = ders.Skip(1).Select(d => X509CertificateLoader.LoadCertificate(d)).ToArray();
            }
            catch (Exception e) when (e is FormatException or CryptographicException or InvalidOperationException)
            {
                // The loader has already rejected this key with its reason.
            }
        }
        return chains;
    }

    /// <summary>The CSCA certificates of one country in a gateway list (their signatures were checked by the loader).</summary>
    private static List<X509Certificate2> GatewayCscas(ReadOnlyMemory<byte> json, string country)
    {
        var list = new List<X509Certificate2>();
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
        foreach (var item in doc.RootElement.EnumerateArray())
        {
            string? S(string n) => item.ValueKind == JsonValueKind.Object && item.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            if (S("certificateType") != "CSCA" || !string.Equals(S("country"), country, StringComparison.OrdinalIgnoreCase)) continue;
            try { list.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(S("rawData") ?? ""))); }
            catch (Exception e) when (e is FormatException or CryptographicException) { /* refused by the loader */ }
        }
        return list;
    }
}
