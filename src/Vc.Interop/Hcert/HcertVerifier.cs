using System.Security.Cryptography;
using System.Text.Json;
using Vc.Credentials.Icvp;
using Vc.Interop.Dcc;
using Vc.Interop.Icvp;
using Vc.Interop.TrustLists;

namespace Vc.Interop.Hcert;

/// <summary>The verifier's steps, in the order they run.</summary>
public enum HcertStep
{
    Unprefix, Base45, Inflate, Cose, Kid, Cwt, KidLookup, Signature, KeyUsage, DscValidity, ValidityTimes,
    Schema, ValueSets, EntryChecks, Revocation,
    /// <summary>The arrival country's acceptance and the issuer country's invalidation rules (CertLogic), when asked for.</summary>
    BusinessRules,
}

public sealed record HcertStepResult(HcertStep Step, HcertFailure Failure, string? Detail)
{
    public bool Passed => Failure == HcertFailure.None;
}

/// <summary>What kind of payload the hcert claim carried.</summary>
public enum HcertPayloadType { Unknown, EuDcc, Icvp, Other }

/// <summary>The verifier's answer: one typed outcome (the first failing step), every step run, and what was decoded.</summary>
public sealed record HcertVerificationResult
{
    public required HcertFailure Outcome { get; init; }
    public string? Reason { get; init; }
    public required IReadOnlyList<HcertStepResult> Steps { get; init; }
    public DateTimeOffset Clock { get; init; }
    public CoseSign1? Cose { get; init; }
    public CwtClaims? Claims { get; init; }
    /// <summary>The DSC whose key verified the signature.</summary>
    public TrustEntry? Signer { get; init; }
    public HcertPayloadType PayloadType { get; init; }
    /// <summary>The EU DCC (-260/1) as JSON.</summary>
    public JsonElement? EuDcc { get; init; }
    public IcvpCertificate? Icvp { get; init; }
    /// <summary>Shapes accepted although the specification wants others (see <see cref="HcertWarning"/>).</summary>
    public IReadOnlyList<HcertWarning> Warnings { get; init; } = [];
    /// <summary>The certificate's revocation hashes (EU DCC revocation), once its signature verified.</summary>
    public Revocation.DccRevocationHashes? RevocationHashes { get; init; }
    /// <summary>Each applied business rule's outcome (null when no rules were asked for).</summary>
    public IReadOnlyList<Vc.Rules.DccRuleOutcome>? Rules { get; init; }

    public bool IsValid => Outcome == HcertFailure.None;

    public bool Passed(HcertStep step) => Steps.Any(s => s.Step == step && s.Passed);

    public HcertStepResult? Step(HcertStep step) => Steps.FirstOrDefault(s => s.Step == step);
}

public sealed record HcertVerifierOptions
{
    public int MaxInputChars { get; init; } = HcertCodec.DefaultMaxInputChars;
    /// <summary>Inflate cap; the EU app uses 5 MB, an HCERT is well under 4 KB.</summary>
    public int MaxInflatedBytes { get; init; } = 64 * 1024;
    public bool ValidateSchema { get; init; } = true;
    public bool CheckValueSets { get; init; } = true;
    public bool CheckEntries { get; init; } = true;
    /// <summary>Also require the DSC's GDHCN trust domain (when the trust list names one) to match the payload:
    /// DCC for an EU DCC, ICVP for an ICVP. Off by default: DEV lists onboard keys in several domains.</summary>
    public bool RequireTrustDomain { get; init; }
    /// <summary>Verify ES256 through libcrypto with a reused context (see <c>NativeP256Verifier</c>); false = .NET ECDsa only.</summary>
    public bool UseNativeOpenSsl { get; init; } = true;
    /// <summary>When an ICVP dose becomes valid: the shipped IHR Annex 7 CertLogic rule unless a stricter one is given.</summary>
    public IcvpValidityRule? IcvpRule { get; init; }
}

/// <summary>Verifies HCERTs the way the EU verifier does, with trust from an <see cref="ITrustStore"/> and time from a
/// <see cref="TimeProvider"/> (or an explicit clock). Structural and cryptographic steps stop at the first failure;
/// once the signature holds, every content check runs and is reported, and the outcome is the first failure.</summary>
public sealed class HcertVerifier
{
    private readonly ITrustStore _trust;
    private readonly TimeProvider _time;
    private readonly HcertVerifierOptions _options;
    private readonly DccSchemaValidator _schemas;
    private readonly DccValueSets _valueSets;
    private readonly IcvpCatalogue _icvpCatalogue;
    private readonly Revocation.IDccRevocationCheck? _revocations;

    public HcertVerifier(ITrustStore trust, TimeProvider? time = null, HcertVerifierOptions? options = null,
        DccSchemaValidator? schemas = null, DccValueSets? valueSets = null, IcvpCatalogue? icvpCatalogue = null,
        Revocation.IDccRevocationCheck? revocations = null)
    {
        _revocations = revocations;
        _trust = trust;
        _time = time ?? TimeProvider.System;
        _options = options ?? new HcertVerifierOptions();
        _schemas = schemas ?? new DccSchemaValidator();
        _valueSets = valueSets ?? new DccValueSets();
        _icvpCatalogue = icvpCatalogue ?? IcvpCatalogue.V1;
    }

    /// <summary>Verifies an "HC1:" string at the given clock (default: the time provider's now), checking the revocation
    /// lists given to the constructor and <paramref name="revocations"/> (this call's, e.g. a node's own revocations).</summary>
    public HcertVerificationResult Verify(string hc1, DateTimeOffset? at = null, Revocation.IDccRevocationCheck? revocations = null)
    {
        var clock = at ?? _time.GetUtcNow();
        var steps = new List<HcertStepResult>(16);
        byte[] cose;
        try
        {
            var base45 = Run(steps, HcertStep.Unprefix, () => HcertCodec.Unprefix(hc1 ?? "", _options.MaxInputChars));
            var compressed = Run(steps, HcertStep.Base45, () => Base45.Decode(base45));
            cose = Run(steps, HcertStep.Inflate, () => Zlib.Inflate(compressed, _options.MaxInflatedBytes));
        }
        catch (HcertException e)
        {
            return Fail(steps, e, clock);
        }
        return VerifyCose(cose, clock, steps, revocations);
    }

    /// <summary>Verifies a COSE_Sign1 HCERT (the layers below Base45/zlib).</summary>
    public HcertVerificationResult VerifyCose(ReadOnlyMemory<byte> cose, DateTimeOffset? at = null, Revocation.IDccRevocationCheck? revocations = null) =>
        VerifyCose(cose, at ?? _time.GetUtcNow(), new List<HcertStepResult>(12), revocations);

    private HcertVerificationResult VerifyCose(ReadOnlyMemory<byte> coseBytes, DateTimeOffset clock, List<HcertStepResult> steps, Revocation.IDccRevocationCheck? revocations)
    {
        CoseSign1 cose;
        CwtClaims claims;
        TrustEntry signer;
        try
        {
            cose = Run(steps, HcertStep.Cose, () => CoseSign1.Decode(coseBytes));
            Run(steps, HcertStep.Kid, () => cose.KidLocation == KidLocation.None
                ? throw new HcertException(HcertFailure.KidMissing, "no kid in the protected or unprotected header")
                : cose.Kid);
            claims = Run(steps, HcertStep.Cwt, () => CwtClaims.Decode(cose.Payload));
        }
        catch (HcertException e)
        {
            return Fail(steps, e, clock);
        }
        try
        {
            var candidates = Run(steps, HcertStep.KidLookup, () =>
            {
                var found = _trust.FindByKid(cose.Kid.Span);
                // Only document signers sign HCERTs: an SCA or UPLOAD key sharing the kid must not verify one.
                if (found.Any(e => !e.IsDocumentSigner))
                    found = found.Where(e => e.IsDocumentSigner).ToList();
                return found.Count == 0
                    ? throw new HcertException(HcertFailure.KidUnknown, $"no DSC with kid {Convert.ToBase64String(cose.Kid.Span)}")
                    : found;
            });
            signer = Run(steps, HcertStep.Signature, () => VerifySignature(cose, candidates, _options.UseNativeOpenSsl));
        }
        catch (HcertException e)
        {
            return Fail(steps, e, clock) with { Cose = cose, Claims = claims };
        }

        // The signature holds: every remaining check runs and is reported.
        var warnings = new List<HcertWarning>();
        var (type, dcc, icvp, payloadError) = ReadPayload(claims, warnings);
        EnvelopeWarnings(cose, claims, signer, warnings);
        Check(steps, HcertStep.KeyUsage, () =>
        {
            CheckKeyUsage(signer, type, dcc);
            if (_options.RequireTrustDomain)
                CheckTrustDomain(signer, type);
        });
        Check(steps, HcertStep.DscValidity, () => CheckDscValidity(claims, signer));
        // EU DCC revocation: the hashes of this certificate against the lists of its DSC (the EU app checks them
        // after the DSC's validity, before the business rules).
        var revocationHashes = Revocation.DccRevocationHashes.Compute(cose, claims, dcc);
        if (_revocations is not null || revocations is not null)
            Check(steps, HcertStep.Revocation, () =>
            {
                if ((_revocations?.Revoked(revocationHashes, clock) ?? revocations?.Revoked(revocationHashes, clock)) is { } why)
                    throw new HcertException(HcertFailure.Revoked, why);
            });
        Check(steps, HcertStep.ValidityTimes, () => CheckTimes(claims, type, clock));
        if (payloadError is not null)
            steps.Add(new HcertStepResult(HcertStep.Schema, payloadError.Failure, payloadError.Reason));
        else if (_options.ValidateSchema)
            Check(steps, HcertStep.Schema, () => CheckSchema(type, dcc, icvp));
        if (_options.CheckValueSets && payloadError is null)
            Check(steps, HcertStep.ValueSets, () =>
            {
                var problems = dcc is { } d ? _valueSets.Check(d, warnings) : icvp is not null ? icvp.CheckCodes(_icvpCatalogue, warnings) : [];
                if (problems.Count > 0) throw new HcertException(HcertFailure.ValueSet, string.Join("; ", problems));
            });
        if (_options.CheckEntries && payloadError is null)
            Check(steps, HcertStep.EntryChecks, () =>
            {
                var problems = dcc is { } d ? DccEntryChecks.Check(d, clock) : icvp is not null ? IcvpEntryChecks(icvp, clock, _options.IcvpRule) : [];
                if (problems.Count > 0) throw new HcertException(HcertFailure.EntryCheck, string.Join("; ", problems));
            });
        var first = steps.FirstOrDefault(s => !s.Passed);
        return new HcertVerificationResult
        {
            Outcome = first?.Failure ?? HcertFailure.None,
            Reason = first?.Detail,
            Steps = steps,
            Clock = clock,
            Cose = cose,
            Claims = claims,
            Signer = signer,
            PayloadType = type,
            EuDcc = dcc,
            Icvp = icvp,
            Warnings = warnings,
            RevocationHashes = revocationHashes,
        };
    }

    /// <summary>Envelope shapes of WHO's GDHCN material that are accepted, each with a warning: an iss that is not an
    /// ISO 3166-1 alpha-2 code (GDHCN participant codes such as XXA), and a DER-encoded ECDSA signature (hcert §3.3.2
    /// wants r‖s). An ICVP without exp is the ICVP's own form (lifelong validity lives in the payload), not a variant.</summary>
    private static void EnvelopeWarnings(CoseSign1 cose, CwtClaims claims, TrustEntry signer, List<HcertWarning> warnings)
    {
        if (claims.Issuer is { } iss && !(iss.Length == 2 && char.IsAsciiLetterUpper(iss[0]) && char.IsAsciiLetterUpper(iss[1])))
            warnings.Add(new HcertWarning("iss", $"iss '{iss}' is not an ISO 3166-1 alpha-2 country code (hcert §2.6.1)"));
        if (signer.PublicKey is ECDsa ec && cose.Signature.Length != 2 * ((ec.KeySize + 7) / 8))
            warnings.Add(new HcertWarning("signature", "the ECDSA signature is DER-encoded, not r‖s (hcert §3.3.2, RFC 9053 §2.1)"));
    }

    /// <summary>Tries every DSC holding the kid (kids can collide, hcert §3.3.1).</summary>
    public static TrustEntry VerifySignature(CoseSign1 cose, IReadOnlyList<TrustEntry> candidates) => VerifySignature(cose, candidates, true);

    internal static TrustEntry VerifySignature(CoseSign1 cose, IReadOnlyList<TrustEntry> candidates, bool native)
    {
        if (cose.Algorithm is not (CoseAlgorithm.ES256 or CoseAlgorithm.PS256 or CoseAlgorithm.ES384 or CoseAlgorithm.ES512))
            throw new HcertException(HcertFailure.UnsupportedAlgorithm, $"algorithm {CoseAlgorithm.Name(cose.Algorithm)} is not ES256/PS256");
        byte[]? toBeSigned = null;
        string? last = null;
        foreach (var entry in candidates)
        {
            if (VerifyWith(cose, ref toBeSigned, entry, native, out last))
                return entry;
        }
        throw new HcertException(HcertFailure.Signature, candidates.Count > 1
            ? $"signature verifies with none of the {candidates.Count} DSCs holding this kid ({last})"
            : $"signature does not verify ({last})");
    }

    /// <summary>Three ways, fastest first: ES256 through libcrypto with a reused context (the measured hot path, see
    /// NativeP256Verifier); .NET's CoseSign1Message.VerifyEmbedded; and a plain verify over the Sig_structure for the
    /// messages only the lenient decoder accepted or with a DER-encoded ECDSA signature (hcert §3.3.2 wants r‖s; a
    /// known issuer bug, tolerated).</summary>
    private static bool VerifyWith(CoseSign1 cose, ref byte[]? toBeSigned, TrustEntry entry, bool native, out string? why)
    {
        why = null;
        var signature = cose.Signature.Span;
        try
        {
            if (native && cose.Algorithm == CoseAlgorithm.ES256 && signature.Length == 64 && entry.NativeP256 is { } fast)
            {
                if (fast.Verify(toBeSigned ??= cose.ToBeSigned(), signature)) return true;
                why = "ECDSA verification failed";
                return false;
            }
            switch (entry.PublicKey)
            {
                case ECDsa ec when cose.Algorithm is CoseAlgorithm.ES256 or CoseAlgorithm.ES384 or CoseAlgorithm.ES512:
                    var rawLength = 2 * ((ec.KeySize + 7) / 8);
                    bool ok;
                    if (cose.Message is { } message && signature.Length == rawLength)
                        ok = message.VerifyEmbedded(ec);
                    else
                        ok = ec.VerifyData(toBeSigned ??= cose.ToBeSigned(), signature, CoseSign1.HashFor(cose.Algorithm.Value),
                            signature.Length == rawLength ? DSASignatureFormat.IeeeP1363FixedFieldConcatenation : DSASignatureFormat.Rfc3279DerSequence);
                    if (ok) return true;
                    why = "ECDSA verification failed";
                    return false;
                case RSA rsa when cose.Algorithm == CoseAlgorithm.PS256:
                    if (cose.Message is { } m ? m.VerifyEmbedded(rsa)
                        : rsa.VerifyData(toBeSigned ??= cose.ToBeSigned(), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss))
                        return true;
                    why = "RSASSA-PSS verification failed";
                    return false;
                default:
                    why = $"{CoseAlgorithm.Name(cose.Algorithm)} does not match the DSC key type";
                    return false;
            }
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or NotSupportedException)
        {
            why = "malformed signature or key: " + e.Message;
            return false;
        }
    }

    /// <summary>hcert §5.1.1: a DSC with DCC EKU OIDs may only sign the types they name.</summary>
    public static void CheckKeyUsage(TrustEntry dsc, HcertPayloadType type, JsonElement? dcc)
    {
        var needed = type switch
        {
            HcertPayloadType.EuDcc when dcc is { } d => EntryType(d),
            HcertPayloadType.Icvp => DccKeyUsage.Vaccination,
            _ => DccKeyUsage.None,
        };
        if (needed != DccKeyUsage.None && (dsc.DccKeyUsage & needed) == 0)
            throw new HcertException(HcertFailure.KeyUsage, $"the DSC's extended key usage does not allow {needed} certificates");
    }

    /// <summary>GDHCN trust domains: a DSC onboarded for one domain does not sign another domain's payloads.</summary>
    public static void CheckTrustDomain(TrustEntry dsc, HcertPayloadType type)
    {
        var expected = type switch { HcertPayloadType.EuDcc => "DCC", HcertPayloadType.Icvp => "ICVP", _ => null };
        if (expected is not null && dsc.Domain is { } domain && !string.Equals(domain, expected, StringComparison.OrdinalIgnoreCase))
            throw new HcertException(HcertFailure.KeyUsage, $"the DSC is trusted for domain {domain}, not {expected}");
    }

    /// <summary>The certificate type of an EU DCC: v, t or r (more than one is a schema error reported there).</summary>
    public static DccKeyUsage EntryType(JsonElement dcc)
    {
        var type = DccKeyUsage.None;
        if (dcc.ValueKind != JsonValueKind.Object) return type;
        if (dcc.TryGetProperty("v", out _)) type |= DccKeyUsage.Vaccination;
        if (dcc.TryGetProperty("t", out _)) type |= DccKeyUsage.Test;
        if (dcc.TryGetProperty("r", out _)) type |= DccKeyUsage.Recovery;
        return type;
    }

    /// <summary>dsc.notBefore ≤ iat and exp ≤ dsc.notAfter: the DSC was valid when it signed, and the HCERT does not
    /// outlive it (dgc-testdata expiration semantics).</summary>
    public static void CheckDscValidity(CwtClaims claims, TrustEntry dsc)
    {
        if (claims.IssuedAtTime is { } iat && (iat < dsc.NotBefore || iat > dsc.NotAfter))
            throw new HcertException(HcertFailure.DscValidity, $"issued at {iat:O} outside the DSC validity {dsc.NotBefore:O}..{dsc.NotAfter:O}");
        if (claims.ExpirationTime is { } exp && exp > dsc.NotAfter)
            throw new HcertException(HcertFailure.DscValidity, $"expires {exp:O} after the DSC ({dsc.NotAfter:O})");
    }

    /// <summary>iat ≤ clock ≤ exp (RFC 8392 §3.1.4, §3.1.6), and nbf ≤ clock. An EU DCC must carry iat and exp;
    /// an ICVP may omit exp (lifelong validity lives in the payload).</summary>
    public static void CheckTimes(CwtClaims claims, HcertPayloadType type, DateTimeOffset clock)
    {
        if (type == HcertPayloadType.EuDcc && claims.IssuedAt is null)
            throw new HcertException(HcertFailure.Cwt, "iat (6) is required");
        if (type == HcertPayloadType.EuDcc && claims.Expiration is null)
            throw new HcertException(HcertFailure.Cwt, "exp (4) is required for an EU DCC");
        if (claims.IssuedAtTime is { } iat && clock < iat)
            throw new HcertException(HcertFailure.NotYetValid, $"issued at {iat:O}, after the clock {clock:O}");
        if (claims.NotBeforeTime is { } nbf && clock < nbf)
            throw new HcertException(HcertFailure.NotYetValid, $"not before {nbf:O}");
        if (claims.ExpirationTime is { } exp && clock > exp)
            throw new HcertException(HcertFailure.Expired, $"expired at {exp:O}");
    }

    private void CheckSchema(HcertPayloadType type, JsonElement? dcc, IcvpCertificate? icvp)
    {
        if (dcc is { } d)
        {
            var r = _schemas.Validate(d);
            if (!r.IsValid)
                throw new HcertException(HcertFailure.Schema, $"schema {r.SchemaVersion ?? "?"}: " + string.Join("; ", r.Errors.Take(5)));
        }
        else if (icvp is not null && icvp.CheckModel() is { Count: > 0 } problems)
            throw new HcertException(HcertFailure.Schema, "ICVP model: " + string.Join("; ", problems));
        else if (type == HcertPayloadType.Other)
            throw new HcertException(HcertFailure.Schema, "hcert carries neither an EU DCC (1) nor an ICVP (-6)");
    }

    /// <summary>The dose is valid from vls, else from the first day the ICVP validity rule accepts it (IHR Annex 7:
    /// yellow fever from vaccination + 10 days, for the life of the person), until vle if given.</summary>
    private static List<string> IcvpEntryChecks(IcvpCertificate icvp, DateTimeOffset clock, IcvpValidityRule? rule)
    {
        var problems = new List<string>();
        var latestToday = DateOnly.FromDateTime(clock.UtcDateTime.AddHours(14));
        var earliestToday = DateOnly.FromDateTime(clock.UtcDateTime.AddHours(-12));
        static DateOnly? Parse(string? s) => DateOnly.TryParseExact(s, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d) ? d : null;
        var dt = Parse(icvp.Vaccination.Date);
        if (dt > latestToday) problems.Add($"vaccination date {icvp.Vaccination.Date} is in the future");
        // An ICVP without tg is a yellow-fever certificate (the ICVP's default disease).
        var disease = icvp.Vaccination.Disease?.ToUpperInvariant() ?? IcvpCatalogue.YellowFever; // "1d47" is yellow fever too
        var from = Parse(icvp.Vaccination.ValidFrom) ?? (dt is { } d ? IcvpCatalogue.ValidFrom(disease, d, rule) : null);
        if (from > latestToday) problems.Add($"not valid before {from:yyyy-MM-dd}");
        if (Parse(icvp.Vaccination.ValidUntil) is { } until && earliestToday > until) problems.Add($"validity ended {until:yyyy-MM-dd}");
        return problems;
    }

    private static (HcertPayloadType, JsonElement?, IcvpCertificate?, HcertException?) ReadPayload(CwtClaims claims, List<HcertWarning> warnings)
    {
        try
        {
            if (claims.Hcert.TryGetValue(HcertClaimKey.EuDcc, out var dcc))
                return (HcertPayloadType.EuDcc, CborJson.ToJsonElement(dcc), null, null);
            if (claims.Hcert.TryGetValue(HcertClaimKey.Icvp, out var icvp))
                return (HcertPayloadType.Icvp, null, IcvpCertificate.Decode(icvp, warnings), null);
            return (HcertPayloadType.Other, null, null, null);
        }
        catch (HcertException e)
        {
            var type = claims.Hcert.ContainsKey(HcertClaimKey.EuDcc) ? HcertPayloadType.EuDcc : HcertPayloadType.Icvp;
            return (type, null, null, e);
        }
    }

    private static T Run<T>(List<HcertStepResult> steps, HcertStep step, Func<T> action)
    {
        try
        {
            var value = action();
            steps.Add(new HcertStepResult(step, HcertFailure.None, null));
            return value;
        }
        catch (HcertException e)
        {
            steps.Add(new HcertStepResult(step, e.Failure, e.Reason));
            throw;
        }
    }

    private static void Check(List<HcertStepResult> steps, HcertStep step, Action action)
    {
        try
        {
            action();
            steps.Add(new HcertStepResult(step, HcertFailure.None, null));
        }
        catch (HcertException e)
        {
            steps.Add(new HcertStepResult(step, e.Failure, e.Reason));
        }
    }

    private static HcertVerificationResult Fail(List<HcertStepResult> steps, HcertException e, DateTimeOffset clock) =>
        new() { Outcome = e.Failure, Reason = e.Reason, Steps = steps, Clock = clock };
}
