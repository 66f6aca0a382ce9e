namespace Vc.Credentials.DataIntegrity;

/// <summary>Options for a new Data Integrity proof (VC Data Integrity §2.1 proof properties).</summary>
/// <param name="VerificationMethod">The absolute id of the verification method (e.g. did:key:z…#z…).</param>
/// <param name="ProofPurpose">assertionMethod for credentials, authentication for presentations.</param>
public sealed record ProofOptions(string VerificationMethod, string ProofPurpose = ProofPurposes.AssertionMethod)
{
    /// <summary>proof.created; the current time (whole seconds) when null.</summary>
    public DateTimeOffset? Created { get; init; }
    /// <summary>proof.expires.</summary>
    public DateTimeOffset? Expires { get; init; }
    /// <summary>proof.challenge (presentations).</summary>
    public string? Challenge { get; init; }
    /// <summary>proof.domain (presentations).</summary>
    public string? Domain { get; init; }
    /// <summary>proof.nonce.</summary>
    public string? Nonce { get; init; }
    /// <summary>proof.id (needed when a later proof chains to this one).</summary>
    public string? Id { get; init; }
    /// <summary>proof.previousProof: ids of proofs in the set that this proof chains to (DI §4.3).</summary>
    public IReadOnlyList<string>? PreviousProof { get; init; }
    /// <summary>ecdsa-sd-2023: the JSON pointers of what every derived proof must disclose (vc-di-ecdsa §3.4.1).</summary>
    public IReadOnlyList<string>? MandatoryPointers { get; init; }
}

/// <summary>The proof purposes used here (VC Data Integrity §2.2).</summary>
public static class ProofPurposes
{
    /// <summary>assertionMethod.</summary>
    public const string AssertionMethod = "assertionMethod";
    /// <summary>authentication.</summary>
    public const string Authentication = "authentication";
}
