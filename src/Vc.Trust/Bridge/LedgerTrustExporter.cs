using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Serialization;
using Vc.Interop.TrustLists;

namespace Vc.Trust.Bridge;

/// <summary>A registry entry left out of an export, and why.</summary>
public sealed record ExportSkip(
    CountryCode Country,
    string Issuer,
    [property: JsonConverter(typeof(JsonStringEnumConverter<TrustBridgeError>))] TrustBridgeError Error,
    string Reason);

/// <summary>An exported trust list: the document, the registry block it reflects, what went in and what was left out.</summary>
public sealed record TrustListExport(string Document, long AsOfBlock, DateTimeOffset At, IReadOnlyList<string> Kids, IReadOnlyList<ExportSkip> Skipped);

/// <summary>
/// Ledger → PKI: publishes the registry's DSC issuers as trust lists that unmodified PKI verifiers read — a GDHCN v2
/// did:web trust-list DID document (JsonWebKey2020 with x5c, JsonWebSignature2020 proof) or an EU gateway-format
/// list (CMS-signed DSC items). An entry goes out when it and its participant are active, it lists the domain, it is
/// valid at the time, and the local store holds a certificate whose SHA-256 is the registry's thumbprint.
/// </summary>
public sealed class LedgerTrustExporter(TrustRegistryReader reader, ITrustCertificateSource certificates)
{
    /// <summary>The GDHCN v2 DID of a trust list: did:web:HOST:v2:trustlist:DOMAIN:PARTICIPANT:DSC ("-" = all participants).</summary>
    public static string GdhcnDid(string host, TrustDomains domain, CountryCode? participant) =>
        $"did:web:{host}:v2:trustlist:{SingleCode(domain)}:{participant?.Alpha3 ?? "-"}:DSC";

    /// <summary>
    /// Exports the DSCs trusted for <paramref name="domain"/> (one domain) of <paramref name="participant"/> (null: all)
    /// as a GDHCN v2 document with id <paramref name="did"/>, signed with <paramref name="proofKey"/> (ES256, detached
    /// JWS over the JCS of the document without its proof — what <see cref="JwsDetachedProofVerifier"/> checks).
    /// </summary>
    public async Task<TrustListExport> ExportGdhcnAsync(string did, TrustDomains domain, CountryCode? participant, ECDsa proofKey,
        string proofVerificationMethod, DateTimeOffset? at = null, long? asOfBlock = null, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(did) || !did.StartsWith("did:web:", StringComparison.Ordinal))
            throw new TrustBridgeException(TrustBridgeError.InvalidInput, "a GDHCN trust list is a did:web document");
        var code = SingleCode(domain);
        var (selected, skipped, block, time) = await SelectAsync(domain, participant, at, asOfBlock, ct);
        var keys = selected.Select(s => new GdhcnExportKey(s.Certificate.Dsc, s.Certificate.Issuer, s.Issuer.Entry.Country.Alpha3, code)).ToList();
        var document = GdhcnDidTrustList.Export(did, keys, proofKey, proofVerificationMethod, time);
        return new TrustListExport(document, block, time, selected.Select(s => s.Issuer.Entry.Issuer.Value).ToArray(), skipped);
    }

    /// <summary>
    /// Exports the DSCs of a participant's committed issuer list (<see cref="IssuerList"/>) trusted for
    /// <paramref name="domain"/>, as <see cref="ExportGdhcnAsync(string, TrustDomains, CountryCode?, ECDsa, string, DateTimeOffset?, long?, CancellationToken)"/>
    /// does for on-chain entries. The list must be the participant's current one on chain (one read), else nothing is exported.
    /// </summary>
    public async Task<TrustListExport> ExportGdhcnListAsync(string did, TrustDomains domain, IssuerList list, ECDsa proofKey,
        string proofVerificationMethod, DateTimeOffset? at = null, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(did) || !did.StartsWith("did:web:", StringComparison.Ordinal))
            throw new TrustBridgeException(TrustBridgeError.InvalidInput, "a GDHCN trust list is a did:web document");
        var code = SingleCode(domain);
        var state = await reader.GetIssuerListStateAsync(list.Country, ct);
        if (state.Participant is null || state.Root != list.Root)
            throw new TrustBridgeException(TrustBridgeError.NotAuthorized,
                $"the issuer list {list.Root} is not the current list of {list.Country} on chain ({state.Root?.ToString() ?? "none"})");
        var time = at ?? state.ChainTime;
        var candidates = list.Entries.Select(e => new RegisteredIssuer(e.ToEntry(list.Country), state.Participant, state.Block, ""));
        var (selected, skipped) = await FilterAsync(candidates, domain, time, ct);
        var keys = selected.Select(s => new GdhcnExportKey(s.Certificate.Dsc, s.Certificate.Issuer, s.Issuer.Entry.Country.Alpha3, code)).ToList();
        var document = GdhcnDidTrustList.Export(did, keys, proofKey, proofVerificationMethod, time);
        return new TrustListExport(document, state.Block, time, selected.Select(s => s.Issuer.Entry.Issuer.Value).ToArray(), skipped);
    }

    /// <summary>
    /// Exports one participant's DCC DSCs as EU gateway DSC items for <paramref name="gatewayCountry"/> (alpha-2),
    /// each CMS-signed by <paramref name="upload"/> (our UPLOAD certificate, with its private key).
    /// </summary>
    public async Task<TrustListExport> ExportGatewayAsync(CountryCode participant, string gatewayCountry, X509Certificate2 upload,
        DateTimeOffset? at = null, long? asOfBlock = null, CancellationToken ct = default)
    {
        if (!upload.HasPrivateKey)
            throw new TrustBridgeException(TrustBridgeError.InvalidInput, "the UPLOAD certificate must carry its private key to sign the items");
        if (gatewayCountry is not { Length: 2 } || !gatewayCountry.All(char.IsAsciiLetterUpper))
            throw new TrustBridgeException(TrustBridgeError.InvalidInput, "the gateway country is ISO 3166-1 alpha-2 (two upper-case letters)");
        var (selected, skipped, block, time) = await SelectAsync(TrustDomains.Dcc, participant, at, asOfBlock, ct);
        var document = EuGatewayTrustList.ExportDscs(selected.Select(s => s.Certificate.Dsc), gatewayCountry, upload, time);
        return new TrustListExport(document, block, time, selected.Select(s => s.Issuer.Entry.Issuer.Value).ToArray(), skipped);
    }

    private sealed record Selected(RegisteredIssuer Issuer, StoredCertificate Certificate);

    private async Task<(List<Selected>, List<ExportSkip>, long Block, DateTimeOffset At)> SelectAsync(
        TrustDomains domain, CountryCode? participant, DateTimeOffset? at, long? asOfBlock, CancellationToken ct)
    {
        var block = asOfBlock ?? await reader.LatestBlockNumberAsync(ct);
        var time = at ?? await reader.LatestBlockTimeAsync(ct);
        var (selected, skipped) = await FilterAsync(await reader.ListIssuersAsync(participant, block, ct), domain, time, ct);
        return (selected, skipped, block, time);
    }

    /// <summary>The entries that go out, and why the others do not.</summary>
    private async Task<(List<Selected>, List<ExportSkip>)> FilterAsync(
        IEnumerable<RegisteredIssuer> candidates, TrustDomains domain, DateTimeOffset time, CancellationToken ct)
    {
        var selected = new List<Selected>();
        var skipped = new List<ExportSkip>();
        foreach (var issuer in candidates)
        {
            var e = issuer.Entry;
            if (e.Issuer.Kind != IssuerKind.Dsc || (e.Domains & domain) != domain) continue;
            ExportSkip Skip(TrustBridgeError error, string reason) => new(e.Country, e.Issuer.ToString(), error, reason);
            if (e.Status != EntryStatus.Active || issuer.Participant.Status != EntryStatus.Active)
            {
                skipped.Add(Skip(TrustBridgeError.NotAuthorized, $"issuer {e.Status}, participant {issuer.Participant.Status}"));
                continue;
            }
            if (time < e.ValidFrom || e.ValidUntil is { } until && time > until)
            {
                skipped.Add(Skip(TrustBridgeError.DscExpired, $"valid {e.ValidFrom:O}..{e.ValidUntil:O}, export time {time:O}"));
                continue;
            }
            StoredCertificate? stored;
            try { stored = await certificates.FindAsync(e.Thumbprint!.Value, ct); }
            catch (TrustBridgeException x) { skipped.Add(Skip(x.Error, x.Message)); continue; }
            if (stored is null) { skipped.Add(Skip(TrustBridgeError.CertificateNotInStore, $"no certificate with thumbprint {e.Thumbprint}")); continue; }
            // The store is a cache: its certificate must be the one the registry names, byte for byte.
            if (stored.Thumbprint != e.Thumbprint) { skipped.Add(Skip(TrustBridgeError.CertificateStoreMismatch, "stored certificate does not hash to the thumbprint")); continue; }
            if (Convert.ToBase64String(stored.Kid) != e.Issuer.Value) { skipped.Add(Skip(TrustBridgeError.KidMismatch, "the registered kid is not SHA-256(certificate)[0..8]")); continue; }
            selected.Add(new Selected(issuer, stored));
        }
        return (selected, skipped);
    }

    private static string SingleCode(TrustDomains domain)
    {
        var codes = TrustDomainCodes.ToCodes(domain);
        return codes.Count == 1 && !codes[0].StartsWith("0x", StringComparison.Ordinal)
            ? codes[0]
            : throw new TrustBridgeException(TrustBridgeError.InvalidInput, "a trust list is exported for exactly one trust domain");
    }
}
