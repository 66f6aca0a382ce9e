using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Serialization;
using Vc.Did.Core;
using Vc.Interop.Hcert;
using Vc.Interop.TrustLists;

namespace Vc.Trust.Bridge;

/// <summary>What a trust question is about: a DID verification method, or an HCERT key (kid, with its DSC when known).</summary>
public abstract record TrustSubject
{
    private TrustSubject() { }

    /// <summary>A DID verification method (absolute DID URL, e.g. did:ethr:0x…#delegate-1).</summary>
    public sealed record VerificationMethod(string Id) : TrustSubject;

    /// <summary>An HCERT key: its kid, and the DSC when the caller has it (then the thumbprint is checked too).</summary>
    public sealed record DscKey(byte[] Kid, X509Certificate2? Certificate) : TrustSubject;

    public static TrustSubject ForVerificationMethod(string id) => new VerificationMethod(id);

    public static TrustSubject ForDsc(X509Certificate2 certificate) => new DscKey(SHA256.HashData(certificate.RawData)[..8], certificate);

    public static TrustSubject ForKid(byte[] kid) => new DscKey(kid, null);

    /// <summary>"did:…#fragment" → a verification method; "kid:BASE64" → an HCERT kid (the forms <see cref="ToString"/> writes).</summary>
    public static TrustSubject Parse(string text)
    {
        if (text.StartsWith("did:", StringComparison.Ordinal))
            return text.IndexOf('#') > 4 ? new VerificationMethod(text)
                : throw new TrustBridgeException(TrustBridgeError.InvalidInput, "a verification method is DID#fragment");
        if (text.StartsWith("kid:", StringComparison.Ordinal))
        {
            try
            {
                var kid = Convert.FromBase64String(text[4..]);
                return kid.Length is > 0 and <= 64 ? new DscKey(kid, null)
                    : throw new TrustBridgeException(TrustBridgeError.InvalidInput, "a kid has 1..64 bytes");
            }
            catch (FormatException) { throw new TrustBridgeException(TrustBridgeError.InvalidInput, "the kid is not standard base64"); }
        }
        throw new TrustBridgeException(TrustBridgeError.InvalidInput, "a trust subject is DID#fragment or kid:BASE64");
    }

    public sealed override string ToString() => this switch
    {
        VerificationMethod v => v.Id,
        DscKey k => "kid:" + Convert.ToBase64String(k.Kid),
        _ => GetType().Name,
    };
}

/// <summary>Which trust source answered.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TrustSourceKind>))]
public enum TrustSourceKind { None, Registry, EuGateway, Gdhcn }

/// <summary>Why a key is (not) trusted: the registry's reasons, then the bridge's own.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TrustVerdictReason>))]
public enum TrustVerdictReason
{
    Trusted,
    // TrustRegistryReader.CheckAsync (TrustReason), one to one.
    ParticipantNotOnboarded,
    ParticipantSuspended,
    ParticipantRemoved,
    DomainNotOnboarded,
    IssuerNotRegistered,
    IssuerSuspended,
    IssuerRemoved,
    DomainNotAuthorized,
    NotYetValid,
    Expired,
    ThumbprintMismatch,
    // The bridge.
    /// <summary>The DID did not resolve at the time, or the method is not in its assertionMethod then.</summary>
    KeyNotAuthorized,
    /// <summary>The DSC is outside its validity period at the time.</summary>
    DscExpired,
    /// <summary>The kid is not SHA-256(DSC)[0..8].</summary>
    KidMismatch,
    /// <summary>The PKI list has the key, but not as a document signer (SCA, UP…).</summary>
    NotDocumentSigner,
    /// <summary>The DID document binds no DSC.</summary>
    BindingMissing,
    /// <summary>The DSC binding is malformed.</summary>
    BindingInvalid,
    /// <summary>The subject could not be read (a DID URL without fragment, an empty kid…).</summary>
    InvalidSubject,
    // TrustRegistryReader.CheckListedAsync (issuer lists committed as one root).
    ListProofStale,
    ListProofInvalid,
}

/// <summary>
/// The trust decision for a key, separate from any signature check: trusted or not, which source answered, why,
/// and — for the registry — the issuer entry in force and the block and transaction that put it in force.
/// </summary>
public sealed record TrustVerdict(
    bool Trusted,
    TrustVerdictReason Reason,
    TrustSourceKind Source,
    string Subject,
    string? Issuer,
    CountryCode? Country,
    DateTimeOffset At,
    string Detail,
    IssuerEntry? RegistryEntry = null,
    long? RegistryBlock = null,
    string? RegistryTransaction = null,
    TrustDecision? Decision = null);

/// <summary>An HCERT verification through the ledger: the cryptographic result and the trust decision, reported apart.</summary>
public sealed record HcertTrustReport(HcertVerificationResult Verification, TrustVerdict? Trust)
{
    /// <summary>The signature verified with a DSC the registry (or a configured PKI list) names.</summary>
    public bool SignatureValid => Verification.Passed(HcertStep.Signature);
    /// <summary>Valid HCERT (every verifier step) and trusted signer.</summary>
    public bool Accepted => Verification.IsValid && Trust is { Trusted: true };
}

/// <summary>The check of a DID's DSC binding: the DID's and the DSC's registry verdicts for the same participant.</summary>
public sealed record DscBindingVerdict(bool Trusted, TrustVerdictReason Reason, string Did, string Detail, BoundDsc? Binding,
    TrustVerdict? DidVerdict, TrustVerdict? DscVerdict);

/// <summary>
/// One answer to "is this key — a DID verification method or an HCERT kid — trusted for this credential type (trust
/// domain), for this country, at this time?", fed by the on-chain registry first and then, when configured, the EU
/// gateway and GDHCN trust lists already loaded (their signatures verified by Vc.Interop's loaders).
/// </summary>
public sealed class TrustService(
    TrustRegistryReader registry,
    ITrustCertificateSource certificates,
    IDidResolver? didResolver = null,
    ITrustStore? gatewayList = null,
    ITrustStore? gdhcnList = null)
{
    /// <summary>Most participants one key is looked up in when no country is given.</summary>
    private const int MaxCountries = 16;

    // Schemas and value sets are parsed once per service: building them costs far more than one verification.
    private readonly Lazy<(Vc.Interop.Dcc.DccSchemaValidator, Vc.Interop.Dcc.DccValueSets, Vc.Credentials.Icvp.IcvpCatalogue)> _hcertData =
        new(() => (new Vc.Interop.Dcc.DccSchemaValidator(), new Vc.Interop.Dcc.DccValueSets(), Vc.Credentials.Icvp.IcvpCatalogue.V1));

    public TrustRegistryReader Registry => registry;

    /// <summary>
    /// Checks a key at <paramref name="at"/> (default: the latest block's time). DID methods: the method must be in
    /// the DID's assertionMethod at that time (historical resolution) and the DID registered; HCERT keys: the kid
    /// (with the DSC's thumbprint when the certificate is given) registered, else listed by a configured PKI list.
    /// <paramref name="country"/> null: every participant that ever registered the issuer is asked.
    /// </summary>
    public async Task<TrustVerdict> CheckKeyAsync(TrustSubject subject, TrustDomains domain, CountryCode? country = null,
        DateTimeOffset? at = null, CancellationToken ct = default)
    {
        if (domain == TrustDomains.None) throw new TrustBridgeException(TrustBridgeError.InvalidInput, "ask about at least one trust domain");
        var time = at ?? await registry.LatestBlockTimeAsync(ct);
        return subject switch
        {
            TrustSubject.VerificationMethod vm => await CheckMethodAsync(vm.Id, domain, country, time, ct),
            TrustSubject.DscKey k => await CheckDscAsync(k, domain, country, time, ct),
            _ => throw new TrustBridgeException(TrustBridgeError.InvalidInput, "unknown subject"),
        };
    }

    /// <summary>
    /// The trust half of verifying a VC: <paramref name="verificationMethod"/> (from the proof) must belong to
    /// <paramref name="issuerDid"/> (the credential's issuer), be its assertion key at <paramref name="issuedAt"/>,
    /// and the issuer must be registered for the domain then. The signature is the credential verifier's business.
    /// </summary>
    public Task<TrustVerdict> CheckCredentialIssuerAsync(string issuerDid, string verificationMethod, TrustDomains domain,
        DateTimeOffset issuedAt, CountryCode? country = null, CancellationToken ct = default)
    {
        if (!verificationMethod.StartsWith(issuerDid + "#", StringComparison.Ordinal))
            return Task.FromResult(new TrustVerdict(false, TrustVerdictReason.KeyNotAuthorized, TrustSourceKind.None, verificationMethod, issuerDid,
                country, issuedAt, $"{verificationMethod} is not a method of the issuer {issuerDid}"));
        return CheckKeyAsync(TrustSubject.ForVerificationMethod(verificationMethod), domain, country, issuedAt, ct);
    }

    private async Task<TrustVerdict> CheckMethodAsync(string id, TrustDomains domain, CountryCode? country, DateTimeOffset at, CancellationToken ct)
    {
        var hash = id.IndexOf('#');
        if (hash <= 0 || !id.StartsWith("did:", StringComparison.Ordinal))
            return new TrustVerdict(false, TrustVerdictReason.InvalidSubject, TrustSourceKind.None, id, null, country, at, "a verification method id is DID#fragment");
        var did = id[..hash];
        IssuerRef issuer;
        try { issuer = IssuerRef.Did(did); }
        catch (TrustRegistryException e) { return new TrustVerdict(false, TrustVerdictReason.InvalidSubject, TrustSourceKind.None, id, did, country, at, e.Message); }
        if (didResolver is null)
            throw new TrustBridgeException(TrustBridgeError.InvalidInput, "checking a DID verification method needs a DID resolver");
        var authorization = await didResolver.WasAuthorizedAsync(did, id, VerificationRelationship.AssertionMethod, at, ct);
        if (!authorization.Authorized)
            return new TrustVerdict(false, TrustVerdictReason.KeyNotAuthorized, TrustSourceKind.None, id, did, country, at, authorization.Reason);
        return await RegistryVerdictAsync(id, issuer, domain, country, at, null, ct);
    }

    /// <param name="signedAt">
    /// For certificates valid for life (ICVP, IHR Annex 7): the signing time (iat). The DSC must have been valid then
    /// and the registry entry in force (active, for the domain) at <paramref name="at"/>; its validity period is judged
    /// at the signing time, so a DSC that expired after signing still vouches for what it signed.
    /// </param>
    private async Task<TrustVerdict> CheckDscAsync(TrustSubject.DscKey key, TrustDomains domain, CountryCode? country, DateTimeOffset at, CancellationToken ct,
        DateTimeOffset? signedAt = null)
    {
        var subject = key.ToString();
        IssuerRef issuer;
        try { issuer = IssuerRef.Kid(key.Kid); }
        catch (TrustRegistryException e) { return new TrustVerdict(false, TrustVerdictReason.InvalidSubject, TrustSourceKind.None, subject, null, country, at, e.Message); }
        Bytes32? thumbprint = null;
        if (key.Certificate is { } cert)
        {
            var sha = SHA256.HashData(cert.RawData);
            if (!sha.AsSpan(0, 8).SequenceEqual(key.Kid))
                return new TrustVerdict(false, TrustVerdictReason.KidMismatch, TrustSourceKind.None, subject, issuer.ToString(), country, at, "the kid is not SHA-256(DSC)[0..8]");
            thumbprint = Bytes32.FromBytes(sha);
            var validityTime = signedAt ?? at;
            if (validityTime < new DateTimeOffset(cert.NotBefore.ToUniversalTime()) || validityTime > new DateTimeOffset(cert.NotAfter.ToUniversalTime()))
                return new TrustVerdict(false, TrustVerdictReason.DscExpired, TrustSourceKind.None, subject, issuer.ToString(), country, at,
                    $"the DSC is valid {cert.NotBefore.ToUniversalTime():O}..{cert.NotAfter.ToUniversalTime():O}");
        }
        var verdict = await RegistryVerdictAsync(subject, issuer, domain, country, at, thumbprint, ct);
        // The registry checks validity after status and domain: "Expired" means the entry is otherwise in force now.
        if (!verdict.Trusted && signedAt is { } signed && verdict.Reason == TrustVerdictReason.Expired && verdict.RegistryEntry is { } entry
            && signed >= entry.ValidFrom && (entry.ValidUntil is null || signed <= entry.ValidUntil))
            return verdict with
            {
                Trusted = true, Reason = TrustVerdictReason.Trusted, Source = TrustSourceKind.Registry,
                Detail = $"registered by {verdict.Country} (block {verdict.RegistryBlock}); the DSC's period ended after it signed at {signed:O}",
            };
        // A registry that knows the key decides (a suspension or removal is not undone by a PKI list); only keys the
        // ledger has never heard of fall through to the PKI lists, in the order configured (gateway, then GDHCN).
        if (verdict.Trusted || verdict.Reason is not (TrustVerdictReason.IssuerNotRegistered or TrustVerdictReason.ParticipantNotOnboarded))
            return verdict;
        foreach (var (store, source) in new[] { (gatewayList, TrustSourceKind.EuGateway), (gdhcnList, TrustSourceKind.Gdhcn) })
        {
            if (store is null) continue;
            var matches = store.FindByKid(key.Kid).Where(e => thumbprint is null || Bytes32.Parse(e.Thumbprint) == thumbprint).ToList();
            if (matches.Count == 0) continue;
            var fit = matches.FirstOrDefault(e => e.IsDocumentSigner && DomainOf(e, source) is { } d && (d & domain) == domain
                && (country is null || CountryMatches(e.Country, country.Value)) && at >= e.NotBefore && at <= e.NotAfter);
            if (fit is not null)
                return new TrustVerdict(true, TrustVerdictReason.Trusted, source, subject, issuer.ToString(), country, at,
                    $"listed by the {source} trust list ({fit.Country}, {fit.Domain ?? "DCC"})");
            var first = matches[0];
            var reason = !first.IsDocumentSigner ? TrustVerdictReason.NotDocumentSigner
                : at < first.NotBefore || at > first.NotAfter ? TrustVerdictReason.DscExpired
                : TrustVerdictReason.DomainNotAuthorized;
            return verdict with { Reason = verdict.Reason == TrustVerdictReason.IssuerNotRegistered ? reason : verdict.Reason,
                Detail = verdict.Detail + $"; the {source} list has the kid but: {reason}" };
        }
        return verdict;
    }

    private static TrustDomains? DomainOf(TrustEntry e, TrustSourceKind source)
    {
        if (source == TrustSourceKind.EuGateway || e.Domain is null) return TrustDomains.Dcc;
        try { return TrustDomainCodes.Parse(e.Domain); }
        catch (TrustRegistryException) { return null; }
    }

    // A PKI list names countries alpha-2 (gateway, certificates) or alpha-3 (GDHCN); only the exact alpha-3 code matches.
    private static bool CountryMatches(string? listed, CountryCode country) => string.Equals(listed, country.Alpha3, StringComparison.OrdinalIgnoreCase);

    /// <summary>Asks the registry for the issuer in <paramref name="country"/>, or in every participant that registered it.</summary>
    private async Task<TrustVerdict> RegistryVerdictAsync(string subject, IssuerRef issuer, TrustDomains domain, CountryCode? country,
        DateTimeOffset at, Bytes32? thumbprint, CancellationToken ct)
    {
        IReadOnlyList<CountryCode> countries = country is { } c ? [c]
            : (await registry.FindRegistrationsAsync(issuer, ct)).Select(r => r.Entry.Country).Distinct().Take(MaxCountries).ToArray();
        if (countries.Count == 0)
            return new TrustVerdict(false, TrustVerdictReason.IssuerNotRegistered, TrustSourceKind.None, subject, issuer.ToString(), null, at,
                "no participant of the registry has registered this issuer");
        TrustVerdict? best = null;
        foreach (var participant in countries)
        {
            var decision = await registry.CheckAsync(new TrustQuery(participant, issuer, domain, at, thumbprint), ct);
            var verdict = new TrustVerdict(decision.Trusted, Enum.Parse<TrustVerdictReason>(decision.Reason.ToString()),
                decision.Trusted ? TrustSourceKind.Registry : TrustSourceKind.None, subject, issuer.ToString(), participant, at,
                decision.Trusted ? $"registered by {participant} (block {decision.EntryBlock})" : $"registry: {decision.Reason} in {participant}",
                decision.Entry, decision.EntryBlock, decision.EntryTransaction, decision);
            if (verdict.Trusted) return verdict;
            best ??= verdict;
        }
        return best!;
    }

    /// <summary>
    /// Checks a DID's DSC binding at <paramref name="at"/>: the DID document (as it was then) binds a DSC, the DID is
    /// registered for the domain, and the DSC's kid + thumbprint are registered for the same participant. Trusted
    /// when some binding passes; otherwise the first failure.
    /// </summary>
    public async Task<DscBindingVerdict> CheckDscBindingAsync(string did, TrustDomains domain, CountryCode? country = null,
        DateTimeOffset? at = null, CancellationToken ct = default)
    {
        if (didResolver is null) throw new TrustBridgeException(TrustBridgeError.InvalidInput, "checking a DSC binding needs a DID resolver");
        var time = at ?? await registry.LatestBlockTimeAsync(ct);
        var resolution = await didResolver.ResolveAsync(did, new DidResolutionOptions { VersionTime = time }, ct);
        if (resolution.DidDocument is not { } document || resolution.DidDocumentMetadata.Deactivated)
            return new DscBindingVerdict(false, TrustVerdictReason.KeyNotAuthorized, did,
                $"{did} did not resolve at {time:O}: {resolution.DidResolutionMetadata.Error ?? "deactivated"}", null, null, null);
        IReadOnlyList<BoundDsc> bindings;
        try { bindings = DscBinding.Read(document); }
        catch (TrustBridgeException e) { return new DscBindingVerdict(false, TrustVerdictReason.BindingInvalid, did, e.Message, null, null, null); }
        if (bindings.Count == 0)
            return new DscBindingVerdict(false, TrustVerdictReason.BindingMissing, did, $"{did} has no {DscBinding.ServiceType} service at {time:O}", null, null, null);

        var didVerdict = await RegistryVerdictAsync(did, IssuerRef.Did(did), domain, country, time, null, ct);
        if (!didVerdict.Trusted)
            return new DscBindingVerdict(false, didVerdict.Reason, did, "the DID: " + didVerdict.Detail, bindings[0], didVerdict, null);
        DscBindingVerdict? first = null;
        foreach (var binding in bindings)
        {
            // The same participant that registers the DID must register its DSC.
            var dscVerdict = await CheckDscAsync(new TrustSubject.DscKey(SHA256.HashData(binding.Dsc.RawData)[..8], binding.Dsc), domain, didVerdict.Country, time, ct);
            var trusted = dscVerdict.Trusted && dscVerdict.Source == TrustSourceKind.Registry;
            var result = new DscBindingVerdict(trusted, trusted ? TrustVerdictReason.Trusted : dscVerdict.Reason, did,
                trusted ? $"{did} and its DSC {binding.Kid} are registered by {didVerdict.Country}" : "the bound DSC: " + dscVerdict.Detail,
                binding, didVerdict, dscVerdict);
            if (trusted) return result;
            first ??= result;
        }
        return first!;
    }

    /// <summary>
    /// Verifies an HCERT through the ledger: the signature with the DSCs the registry lists (certificates from the
    /// local store, each checked against its registry thumbprint; then the configured PKI lists), all of Vc.Interop's
    /// verifier steps at <paramref name="at"/>, and then — separately — the trust decision for the signer at the same
    /// time, in the domain of the payload (DCC for an EU DCC, ICVP for an ICVP). <paramref name="store"/>: a
    /// <see cref="LedgerTrustStore"/> loaded once for many verifications (default: loaded now).
    /// </summary>
    public async Task<HcertTrustReport> VerifyHcertAsync(string hc1, DateTimeOffset? at = null, LedgerTrustStore? store = null,
        HcertVerifierOptions? options = null, CancellationToken ct = default)
    {
        var clock = at ?? await registry.LatestBlockTimeAsync(ct);
        store ??= await LedgerTrustStore.LoadAsync(registry, certificates, ct: ct);
        ITrustStore candidates = store;
        if (gatewayList is not null || gdhcnList is not null)
            candidates = new TrustStore(store.Entries.Concat(gatewayList?.Entries ?? []).Concat(gdhcnList?.Entries ?? []));
        var (schemas, valueSets, icvpCatalogue) = _hcertData.Value;
        var verification = new HcertVerifier(candidates, null, options, schemas, valueSets, icvpCatalogue).Verify(hc1, clock);
        if (verification.Signer is not { } signer)
            return new HcertTrustReport(verification, null);
        var domain = verification.PayloadType switch
        {
            HcertPayloadType.Icvp => TrustDomains.Icvp,
            HcertPayloadType.EuDcc => TrustDomains.Dcc,
            _ => TrustDomains.Ddcc,
        };
        // An ICVP is valid for life (IHR Annex 7): its DSC must have been valid when it signed, not at the clock.
        var signedAt = domain == TrustDomains.Icvp ? verification.Claims?.IssuedAtTime : null;
        var trust = await CheckDscAsync(new TrustSubject.DscKey(signer.Kid, signer.Certificate), domain, null, clock, ct, signedAt);
        return new HcertTrustReport(verification, trust);
    }
}

/// <summary>
/// An <see cref="ITrustStore"/> over the registry: every DSC entry ever registered (removed ones included) at a
/// block, with its certificate from the local store — kept only when SHA-256(DER) is the registry's thumbprint and
/// the kid is SHA-256(DER)[0..8]. Immutable; load again to see later blocks. Trust decisions (suspensions, validity,
/// domains) are the registry's, made by <see cref="TrustService"/>; this store only supplies candidate keys.
/// </summary>
public sealed class LedgerTrustStore : ITrustStore
{
    private readonly TrustStore _store;

    private LedgerTrustStore(TrustStore store, long asOfBlock, IReadOnlyList<ExportSkip> missing)
    {
        _store = store;
        AsOfBlock = asOfBlock;
        Missing = missing;
    }

    public long AsOfBlock { get; }
    /// <summary>Registry entries without a usable certificate in the local store.</summary>
    public IReadOnlyList<ExportSkip> Missing { get; }

    public IReadOnlyCollection<TrustEntry> Entries => _store.Entries;

    public IReadOnlyList<TrustEntry> FindByKid(ReadOnlySpan<byte> kid) => _store.FindByKid(kid);

    public static async Task<LedgerTrustStore> LoadAsync(TrustRegistryReader registry, ITrustCertificateSource certificates,
        CountryCode? country = null, long? asOfBlock = null, CancellationToken ct = default)
    {
        var block = asOfBlock ?? await registry.LatestBlockNumberAsync(ct);
        var entries = new List<TrustEntry>();
        var missing = new List<ExportSkip>();
        // Removed entries stay candidates: the verifier then reports "signature valid, issuer removed", not "unknown kid".
        foreach (var issuer in await registry.ListIssuersAsync(country, block, ct, includeRemoved: true))
        {
            var e = issuer.Entry;
            if (e.Issuer.Kind != IssuerKind.Dsc || e.Thumbprint is not { } thumbprint) continue;
            StoredCertificate? stored;
            try { stored = await certificates.FindAsync(thumbprint, ct); }
            catch (TrustBridgeException x) { missing.Add(new ExportSkip(e.Country, e.Issuer.ToString(), x.Error, x.Message)); continue; }
            if (stored is null || stored.Thumbprint != thumbprint || Convert.ToBase64String(stored.Kid) != e.Issuer.Value)
            {
                missing.Add(new ExportSkip(e.Country, e.Issuer.ToString(), stored is null ? TrustBridgeError.CertificateNotInStore : TrustBridgeError.CertificateStoreMismatch,
                    $"no certificate for thumbprint {thumbprint}"));
                continue;
            }
            var codes = TrustDomainCodes.ToCodes(e.Domains);
            entries.Add(new TrustEntry(stored.Dsc, TrustSource.Certificate, e.Country.Alpha3, codes.Count == 1 ? codes[0] : null, ["DSC"]));
        }
        return new LedgerTrustStore(new TrustStore(entries), block, missing);
    }
}
