using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.Credentials.DataIntegrity;
using Vc.Credentials.Json;
using Vc.Credentials.Model;
using Vc.Credentials.StatusList;
using Vc.Did.Core;

namespace Vc.Credentials.Verification;

/// <summary>
/// Verifies credentials: data model, every proof (signature, then key authorization as a separate check),
/// validity period, and Bitstring Status List entries. Each check is reported; failures carry typed problems.
/// </summary>
public sealed class CredentialVerifier
{
    private const int MaxCachedLists = 256;

    /// <summary>Most credentialStatus entries checked on one credential (each may fetch a list).</summary>
    public const int MaxStatusEntries = 8;
    private readonly ProofChecker _proofs;
    private readonly IStatusListCredentialFetcher? _statusFetcher;
    private readonly TimeProvider _time;
    // Status lists that verified, by URL + SHA-256 of the fetched JSON, so unchanged lists are not re-verified.
    private readonly ConcurrentDictionary<string, (string Issuer, Bitstring Bits, string[] Purposes)> _verifiedLists = new(StringComparer.Ordinal);

    /// <summary>A verifier over the given proof engine, DID resolver and (optional) status list fetcher.</summary>
    public CredentialVerifier(DataIntegrityProofs proofs, IDidResolver resolver, IStatusListCredentialFetcher? statusFetcher = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(proofs);
        ArgumentNullException.ThrowIfNull(resolver);
        _proofs = new ProofChecker(proofs, resolver);
        _statusFetcher = statusFetcher;
        _time = time ?? TimeProvider.System;
    }

    internal ProofChecker Proofs => _proofs;

    /// <summary>Verifies a credential given as JSON text (bounded parsing).</summary>
    public Task<VerificationResult> VerifyAsync(string credentialJson, VerificationOptions? options = null, CancellationToken cancellationToken = default) =>
        VerifierInput.FromText(credentialJson, vc => VerifyOwnedAsync(vc, options ?? new VerificationOptions(), 0, cancellationToken));

    /// <summary>Verifies a credential read in place from a parsed document (which must outlive the call): no copy of
    /// it is built and the rdfc suites canonicalize the element itself.</summary>
    public Task<VerificationResult> VerifyAsync(JsonElement credential, VerificationOptions? options = null, CancellationToken cancellationToken = default) =>
        VerifierInput.FromElement(credential, "credential", vc => VerifyOwnedAsync(vc, options ?? new VerificationOptions(), 0, cancellationToken));

    /// <summary>Verifies a credential (the object is not modified).</summary>
    public Task<VerificationResult> VerifyAsync(JsonObject credential, VerificationOptions? options = null, CancellationToken cancellationToken = default) =>
        VerifierInput.FromNode(credential, vc => VerifyOwnedAsync(vc, options ?? new VerificationOptions(), 0, cancellationToken));

    internal async Task<VerificationResult> VerifyOwnedAsync(JsonElement vc, VerificationOptions options, int depth, CancellationToken cancellationToken)
    {
        var now = options.Now ?? _time.GetUtcNow();
        var checks = new List<CheckResult>();

        // VC DM 2.0 §4 data model rules.
        var violations = DataModel.ValidateCredential(vc);
        var version = DataModel.Version(vc);
        checks.Add(violations.Count == 0
            ? new CheckResult("dataModel", true, "VC Data Model " + version)
            : ProofChecker.Fail("dataModel", ProblemCode.MalformedValue, string.Join(" ", violations)));

        // VC DM 2.0 §5.3: digests of related resources this verifier holds (its bundled contexts) must match them.
        if (vc.Get("relatedResource"u8).Exists() && violations.Count == 0)
        {
            var mismatches = RelatedResources.CheckDigests(vc, _proofs.Proofs.Canonicalizer.DocumentLoader);
            checks.Add(mismatches.Count == 0
                ? new CheckResult("relatedResource", true, "digests of held resources match; others were checked for form only")
                : ProofChecker.Fail("relatedResource", ProblemCode.MalformedValue, string.Join(" ", mismatches)));
        }

        // Proofs: assertionMethod of the issuer.
        var issuer = DataModel.IssuerId(vc);
        await _proofs.CheckAsync(vc, ProofPurposes.AssertionMethod, VerificationRelationship.AssertionMethod, issuer,
            options, now, presentation: false, checks, cancellationToken).ConfigureAwait(false);

        // VC DM 2.0 §4.9 validity period (VC 1.1 §4.6–4.7: issuanceDate / expirationDate).
        checks.Add(CheckValidity(vc, version, now));

        // Bitstring Status List §3.2 validate algorithm, for each entry — only for a credential whose data model and
        // proofs verified: an unverified document must not make this verifier fetch the URLs it names (SSRF).
        if (options.CheckStatus && checks.TrueForAll(c => c.Valid))
        {
            var entries = JsonInput.Items(vc.Get("credentialStatus"u8)).Where(e => e.ValueKind == JsonValueKind.Object).ToArray();
            if (entries.Length > MaxStatusEntries)
                checks.Add(ProofChecker.Fail("status", ProblemCode.StatusVerificationError, $"{entries.Length} status entries; at most {MaxStatusEntries} are checked."));
            else
                foreach (var e in entries)
                    checks.Add(await CheckStatusAsync(e, issuer, options, depth, cancellationToken).ConfigureAwait(false));
        }

        return VerificationResult.FromChecks(checks);
    }

    private static CheckResult CheckValidity(JsonElement vc, string version, DateTimeOffset now)
    {
        var v1 = version == "1.1";
        var fromText = vc.GetString(v1 ? "issuanceDate"u8 : "validFrom"u8);
        var untilText = vc.GetString(v1 ? "expirationDate"u8 : "validUntil"u8);
        if ((v1 ? JsonInput.TryParseDateTime(fromText, out var from) : JsonInput.TryParseDateTimeStamp(fromText, out from)) && now < from)
            return ProofChecker.Fail("validity", ProblemCode.NotYetValid, $"The credential is valid from {fromText}.");
        if ((v1 ? JsonInput.TryParseDateTime(untilText, out var until) : JsonInput.TryParseDateTimeStamp(untilText, out until)) && now > until)
            return ProofChecker.Fail("validity", ProblemCode.Expired, $"The credential expired at {untilText}.");
        return new CheckResult("validity", true, $"valid at {JsonInput.FormatDateTime(now)}");
    }

    private async Task<CheckResult> CheckStatusAsync(JsonElement entry, string? issuer, VerificationOptions options, int depth, CancellationToken cancellationToken)
    {
        const string check = "status";
        var types = JsonInput.Strings(entry.Get("type"u8));
        if (!types.Contains("BitstringStatusListEntry"))
            return ProofChecker.Fail(check, ProblemCode.StatusVerificationError, $"Unsupported credentialStatus type '{string.Join(",", types)}'.");
        var purpose = entry.GetString("statusPurpose"u8);
        var url = entry.GetString("statusListCredential"u8);
        var indexText = entry.GetString("statusListIndex"u8);
        if (purpose is null || !JsonInput.IsUrl(url) || !int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            return ProofChecker.Fail(check, ProblemCode.StatusVerificationError, "The status entry needs statusPurpose, a statusListCredential URL and a decimal statusListIndex.");
        if (entry.Get("statusSize"u8) is { ValueKind: not JsonValueKind.Undefined } size
            && !(size.IsString(out var sizeText) ? sizeText == "1" : size.ValueKind == JsonValueKind.Number && size.TryGetInt32(out var n) && n == 1))
            return ProofChecker.Fail(check, ProblemCode.StatusVerificationError, "Only statusSize 1 is supported (no status messages).");
        if (_statusFetcher is null)
            return ProofChecker.Fail(check, ProblemCode.StatusRetrievalError, "No status list fetcher is configured.");
        if (depth > 0)
            return ProofChecker.Fail(check, ProblemCode.StatusVerificationError, "A status list credential may not itself depend on a status list.");

        byte[] listJson;
        try { listJson = JsonSerializer.SerializeToUtf8Bytes(await _statusFetcher.FetchAsync(url!, cancellationToken).ConfigureAwait(false)); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ProofChecker.Fail(check, ProblemCode.StatusRetrievalError, $"Fetching {url} failed: {e.Message}");
        }

        // Keyed by a hash of the whole fetched document: any change (new bits, new proof, tampering) misses the cache.
        var cacheKey = url + " " + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(listJson));
        if (!_verifiedLists.TryGetValue(cacheKey, out var verified))
        {
            using var document = JsonDocument.Parse(listJson);
            var list = document.RootElement;
            var listResult = await VerifyOwnedAsync(list, options with { CheckStatus = false }, depth + 1, cancellationToken).ConfigureAwait(false);
            if (!listResult.Verified)
                return ProofChecker.Fail(check, ProblemCode.StatusVerificationError,
                    "The status list credential does not verify: " + string.Join("; ", listResult.ProblemDetails.Select(p => p.Detail)));
            var subject = list.Get("credentialSubject"u8);
            if (!JsonInput.Strings(list.Get("type"u8)).Contains("BitstringStatusListCredential") || subject.ValueKind != JsonValueKind.Object
                || !JsonInput.Strings(subject.Get("type"u8)).Contains("BitstringStatusList"))
                return ProofChecker.Fail(check, ProblemCode.StatusVerificationError, "The status list credential is not a BitstringStatusListCredential.");
            Bitstring bits;
            try { bits = Bitstring.Decode(subject.GetString("encodedList"u8) ?? ""); }
            catch (CredentialException e) { return ProofChecker.Fail(check, e.Code, e.Detail); }
            verified = (DataModel.IssuerId(list) ?? "", bits, JsonInput.Strings(subject.Get("statusPurpose"u8)).ToArray());
            if (_verifiedLists.Count >= MaxCachedLists) _verifiedLists.Clear();
            _verifiedLists[cacheKey] = verified;
        }

        if (!verified.Purposes.Contains(purpose))
            return ProofChecker.Fail(check, ProblemCode.StatusVerificationError, $"The status list serves '{string.Join(",", verified.Purposes)}', not '{purpose}'.");
        // The list must come from the credential's own issuer, or anyone could revoke anyone's credentials.
        if (verified.Issuer != issuer)
            return ProofChecker.Fail(check, ProblemCode.StatusVerificationError, "The status list credential has a different issuer than the credential.");
        if (index >= verified.Bits.Length)
            return ProofChecker.Fail(check, ProblemCode.StatusListLengthError, $"statusListIndex {index} is outside the list of {verified.Bits.Length} entries.");
        if (!verified.Bits[index]) return new CheckResult(check, true, $"{purpose} bit {index} of {url} is clear");
        return purpose switch
        {
            StatusPurposes.Revocation => ProofChecker.Fail(check, ProblemCode.Revoked, $"Revoked: bit {index} of {url} is set."),
            StatusPurposes.Suspension => ProofChecker.Fail(check, ProblemCode.Suspended, $"Suspended: bit {index} of {url} is set."),
            _ => new CheckResult(check, true, $"{purpose} bit {index} of {url} is set (informational purpose)"),
        };
    }
}
