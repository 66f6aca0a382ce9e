namespace Vc.Interop.Hcert;

/// <summary>
/// The single typed outcome of an HCERT operation. Values follow the EU verifier's step order
/// (hcert spec 1.0.x §3, dgca-verifier); <see cref="None"/> means the certificate is valid.
/// </summary>
public enum HcertFailure
{
    None = 0,
    /// <summary>Input empty, too large, or not text/image as expected.</summary>
    Input,
    /// <summary>Context identifier missing or not "HC1:" (HC2:…HCZ: are future, incompatible versions).</summary>
    Unprefix,
    /// <summary>Not valid Base45 (RFC 9285 §4.2).</summary>
    Base45,
    /// <summary>Not valid zlib (RFC 1950) or inflated output above the cap.</summary>
    Inflate,
    /// <summary>Not a well-formed COSE_Sign1 structure (RFC 9052 §4.2).</summary>
    Cose,
    /// <summary>The protected header's crit (label 2) names a header parameter this verifier does not understand, or
    /// crit is malformed or unprotected (RFC 9052 §3.1).</summary>
    CriticalHeader,
    /// <summary>COSE algorithm missing or not ES256/PS256.</summary>
    UnsupportedAlgorithm,
    /// <summary>No kid in either header.</summary>
    KidMissing,
    /// <summary>CWT claims malformed (RFC 8392 §3) or the hcert claim -260 missing/of the wrong type.</summary>
    Cwt,
    /// <summary>No DSC with this kid in the trust store.</summary>
    KidUnknown,
    /// <summary>Signature does not verify with any DSC holding the kid.</summary>
    Signature,
    /// <summary>The DSC's extended key usage does not allow the certificate type (hcert §5.1.1).</summary>
    KeyUsage,
    /// <summary>The signing time (iat) or the expiry lie outside the DSC's validity period.</summary>
    DscValidity,
    /// <summary>The clock is after exp.</summary>
    Expired,
    /// <summary>The clock is before iat (or nbf).</summary>
    NotYetValid,
    /// <summary>The payload does not match the JSON schema of its version.</summary>
    Schema,
    /// <summary>A coded value is not in its value set.</summary>
    ValueSet,
    /// <summary>An entry-level rule fails (date in the future, positive test, recovery window…).</summary>
    EntryCheck,
    /// <summary>The image holds no readable QR code.</summary>
    QrDecode,
    /// <summary>A payload could not be built or signed (signer side).</summary>
    Encode,
    /// <summary>The certificate is on a revocation list of its DSC (EU DCC revocation; CERTIFICATE_REVOKED).</summary>
    Revoked,
    /// <summary>A business rule (CertLogic) of the arrival or issuing country does not pass, or could not be evaluated.</summary>
    BusinessRule,
}

/// <summary>A typed HCERT error: which step failed, and why. Never carries key material.</summary>
public sealed class HcertException : Exception
{
    public HcertException(HcertFailure failure, string message, Exception? inner = null)
        : base($"{failure}: {message}", inner)
    {
        Failure = failure;
        Reason = message;
    }

    public HcertFailure Failure { get; }

    /// <summary>The reason without the step prefix.</summary>
    public string Reason { get; }
}
