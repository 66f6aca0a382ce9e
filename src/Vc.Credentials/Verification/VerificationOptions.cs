namespace Vc.Credentials.Verification;

/// <summary>Verifier options. Unknown VC-API options are simply not mapped onto this record.</summary>
public sealed record VerificationOptions
{
    /// <summary>The time to check validity against; the verifier's clock when null.</summary>
    public DateTimeOffset? Now { get; init; }

    /// <summary>Check credentialStatus entries (fetching status list credentials).</summary>
    public bool CheckStatus { get; init; } = true;

    /// <summary>
    /// Require the verification method's controller to be the issuer (credentials) or the holder
    /// (presentations). Off only for test vectors whose issuer is not the key's controller.
    /// </summary>
    public bool RequireControllerMatch { get; init; } = true;

    /// <summary>Presentations: the challenge the verifier issued (the proof must carry it).</summary>
    public string? Challenge { get; init; }

    /// <summary>Presentations: the verifier's domain (the proof must carry it).</summary>
    public string? Domain { get; init; }

    /// <summary>Presentations: every credentialSubject id must equal the holder.</summary>
    public bool RequireHolderBinding { get; init; } = true;

    /// <summary>
    /// How old the verifier accepts the ledger state a proof's key rests on to be when the ledger cannot be asked
    /// (its last sync). Null (the default): unknown current ledger state is never "verified". When set, an answer
    /// resting on such state names the block and time it rests on.
    /// </summary>
    public TimeSpan? MaxStaleness { get; init; }
}
