namespace Vc.Credentials.Verification;

/// <summary>Every way verification (or issuance) can fail, each with its own problem type URL.</summary>
public enum ProblemCode
{
    /// <summary>The input is not JSON, too large or too deep (VC DM 2.0 PARSING_ERROR).</summary>
    ParsingError,
    /// <summary>A data model rule is violated (VC DM 2.0 MALFORMED_VALUE_ERROR).</summary>
    MalformedValue,
    /// <summary>An @context URL is not in the bundled (offline) set.</summary>
    UnknownContext,
    /// <summary>A term is not defined by the active contexts (JSON-LD safe mode).</summary>
    UndefinedTerm,
    /// <summary>Other JSON-LD / canonicalization failure (DI PROOF_TRANSFORMATION_ERROR).</summary>
    ProofTransformationError,
    /// <summary>The proof object is malformed (DI MALFORMED_PROOF_ERROR).</summary>
    MalformedProof,
    /// <summary>The proof's cryptosuite is not supported, or does not fit the key.</summary>
    UnsupportedCryptosuite,
    /// <summary>The signature does not verify: the document or proof was modified (DI PROOF_VERIFICATION_ERROR).</summary>
    ProofVerificationError,
    /// <summary>proofPurpose differs from the expected one (DI MISMATCHED_PROOF_PURPOSE_ERROR).</summary>
    MismatchedProofPurpose,
    /// <summary>The verification method could not be resolved to a usable key.</summary>
    VerificationMethodResolutionError,
    /// <summary>The method is not listed under the required relationship in its controller's DID document.</summary>
    VerificationMethodNotAuthorized,
    /// <summary>The method's controller is not the credential's issuer (or the presentation's holder).</summary>
    ControllerMismatch,
    /// <summary>The proof's challenge differs from the verifier's (DI INVALID_CHALLENGE_ERROR).</summary>
    InvalidChallenge,
    /// <summary>The proof's domain differs from the verifier's (DI INVALID_DOMAIN_ERROR).</summary>
    InvalidDomain,
    /// <summary>The proof's created/expires are malformed or the proof has expired (DI INVALID_PROOF_DATETIME).</summary>
    InvalidProofDatetime,
    /// <summary>validUntil is in the past.</summary>
    Expired,
    /// <summary>validFrom is in the future.</summary>
    NotYetValid,
    /// <summary>The revocation bit is set.</summary>
    Revoked,
    /// <summary>The suspension bit is set.</summary>
    Suspended,
    /// <summary>The status list credential could not be fetched (Bitstring STATUS_RETRIEVAL_ERROR).</summary>
    StatusRetrievalError,
    /// <summary>The status list credential is invalid or does not match the entry (Bitstring STATUS_VERIFICATION_ERROR).</summary>
    StatusVerificationError,
    /// <summary>The index is outside the list, or the list is too short (Bitstring STATUS_LIST_LENGTH_ERROR).</summary>
    StatusListLengthError,
    /// <summary>A credential's subject is not the presentation's holder.</summary>
    HolderBindingError,
    /// <summary>A credential embedded in a presentation failed verification.</summary>
    EmbeddedCredentialInvalid,
    /// <summary>Signing failed.</summary>
    ProofGenerationError,
}

/// <summary>Problem type URLs and titles.</summary>
public static class ProblemTypes
{
    private const string VcDm = "https://www.w3.org/TR/vc-data-model#";
    private const string Security = "https://w3id.org/security#";
    private const string StatusList = "https://www.w3.org/ns/credentials/status-list#";
    /// <summary>Project namespace for failures that no W3C specification names.</summary>
    public const string Project = "https://w3id.org/vchealth/problems#";

    /// <summary>The type URL of a problem code.</summary>
    public static string TypeOf(ProblemCode code) => code switch
    {
        ProblemCode.ParsingError => VcDm + "PARSING_ERROR",
        ProblemCode.MalformedValue => VcDm + "MALFORMED_VALUE_ERROR",
        ProblemCode.ProofTransformationError => Security + "PROOF_TRANSFORMATION_ERROR",
        ProblemCode.MalformedProof => Security + "MALFORMED_PROOF_ERROR",
        ProblemCode.ProofVerificationError => Security + "PROOF_VERIFICATION_ERROR",
        ProblemCode.MismatchedProofPurpose => Security + "MISMATCHED_PROOF_PURPOSE_ERROR",
        ProblemCode.InvalidChallenge => Security + "INVALID_CHALLENGE_ERROR",
        ProblemCode.InvalidDomain => Security + "INVALID_DOMAIN_ERROR",
        ProblemCode.InvalidProofDatetime => Security + "INVALID_PROOF_DATETIME",
        ProblemCode.ProofGenerationError => Security + "PROOF_GENERATION_ERROR",
        ProblemCode.StatusRetrievalError => StatusList + "STATUS_RETRIEVAL_ERROR",
        ProblemCode.StatusVerificationError => StatusList + "STATUS_VERIFICATION_ERROR",
        ProblemCode.StatusListLengthError => StatusList + "STATUS_LIST_LENGTH_ERROR",
        ProblemCode.UnknownContext => Project + "UNKNOWN_CONTEXT",
        ProblemCode.UndefinedTerm => Project + "UNDEFINED_TERM",
        ProblemCode.UnsupportedCryptosuite => Project + "UNSUPPORTED_CRYPTOSUITE",
        ProblemCode.VerificationMethodResolutionError => Project + "VERIFICATION_METHOD_RESOLUTION_ERROR",
        ProblemCode.VerificationMethodNotAuthorized => Project + "VERIFICATION_METHOD_NOT_AUTHORIZED",
        ProblemCode.ControllerMismatch => Project + "CONTROLLER_MISMATCH",
        ProblemCode.Expired => Project + "CREDENTIAL_EXPIRED",
        ProblemCode.NotYetValid => Project + "CREDENTIAL_NOT_YET_VALID",
        ProblemCode.Revoked => Project + "CREDENTIAL_REVOKED",
        ProblemCode.Suspended => Project + "CREDENTIAL_SUSPENDED",
        ProblemCode.HolderBindingError => Project + "HOLDER_BINDING_ERROR",
        ProblemCode.EmbeddedCredentialInvalid => Project + "EMBEDDED_CREDENTIAL_INVALID",
        _ => Project + code.ToString(),
    };

    /// <summary>A short human title for a problem code.</summary>
    public static string TitleOf(ProblemCode code) => code switch
    {
        ProblemCode.ParsingError => "Parsing error",
        ProblemCode.MalformedValue => "Malformed value",
        ProblemCode.UnknownContext => "Unknown JSON-LD context",
        ProblemCode.UndefinedTerm => "Undefined JSON-LD term",
        ProblemCode.ProofTransformationError => "Proof transformation error",
        ProblemCode.MalformedProof => "Malformed proof",
        ProblemCode.UnsupportedCryptosuite => "Unsupported cryptosuite",
        ProblemCode.ProofVerificationError => "Proof verification error",
        ProblemCode.MismatchedProofPurpose => "Mismatched proof purpose",
        ProblemCode.VerificationMethodResolutionError => "Verification method resolution error",
        ProblemCode.VerificationMethodNotAuthorized => "Verification method not authorized",
        ProblemCode.ControllerMismatch => "Verification method controller mismatch",
        ProblemCode.InvalidChallenge => "Invalid challenge",
        ProblemCode.InvalidDomain => "Invalid domain",
        ProblemCode.InvalidProofDatetime => "Invalid proof datetime",
        ProblemCode.Expired => "Credential expired",
        ProblemCode.NotYetValid => "Credential not yet valid",
        ProblemCode.Revoked => "Credential revoked",
        ProblemCode.Suspended => "Credential suspended",
        ProblemCode.StatusRetrievalError => "Status retrieval error",
        ProblemCode.StatusVerificationError => "Status verification error",
        ProblemCode.StatusListLengthError => "Status list length error",
        ProblemCode.HolderBindingError => "Holder binding error",
        ProblemCode.EmbeddedCredentialInvalid => "Embedded credential invalid",
        ProblemCode.ProofGenerationError => "Proof generation error",
        _ => code.ToString(),
    };
}
