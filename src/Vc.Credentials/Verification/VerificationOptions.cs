using System.Text.Json.Nodes;

namespace Vc.Credentials.Verification;

/// <summary>Verifier options. Unknown VC-API options are simply not mapped onto this record.</summary>
public sealed record VerificationOptions
{
    /// <summary>The time to check validity against; the verifier's clock when null.</summary>
    public DateTimeOffset? Now { get; init; }

    /// <summary>Check credentialStatus entries (fetching status list credentials).</summary>
    public bool CheckStatus { get; init; } = true;

    /// <summary>
    /// Check that the issuer (credentials) or the holder (presentations) controls the verification method of at least
    /// one proof (the "controller" check; DI 1.0 §5.? "Relationship to Verifiable Credentials" leaves this association
    /// to validation). A DID issuer / holder must; for one that is not a DID (e.g. an https URL) the association cannot
    /// be established offline and is reported, failing only under <see cref="StrictIssuerBinding"/>. Off: not checked.
    /// </summary>
    public bool RequireControllerMatch { get; init; } = true;

    /// <summary>An issuer / holder that is not a DID fails the controller check instead of being reported as not
    /// established (VC-API option <c>strictIssuerBinding: true</c>).</summary>
    public bool StrictIssuerBinding { get; init; }

    /// <summary>Presentations: an embedded credential without a proof (or in an envelope this verifier cannot open)
    /// fails the presentation instead of being reported as unsecured (VC-API option <c>requireSecuredCredentials</c>).</summary>
    public bool RequireSecuredCredentials { get; init; }

    /// <summary>Presentations: the challenge the verifier issued (the proof must carry it).</summary>
    public string? Challenge { get; init; }

    /// <summary>Presentations: the verifier's domain (the proof must carry it).</summary>
    public string? Domain { get; init; }

    /// <summary>Presentations: every credentialSubject id must equal the holder. Not a VC DM 2.0 rule (a holder may
    /// present credentials about others), so only on request (VC-API option <c>holderBinding: true</c>).</summary>
    public bool RequireHolderBinding { get; init; }

    /// <summary>
    /// The VC-API verify "options" object: challenge, domain (strings), holderBinding, strictIssuerBinding,
    /// requireSecuredCredentials (booleans). Other entries (e.g. checks) are accepted and ignored, as the VC-API asks.
    /// </summary>
    /// <exception cref="CredentialException">MalformedValue when a known option has the wrong type.</exception>
    public static VerificationOptions FromVcApi(JsonObject? options) => new()
    {
        Challenge = Text(options, "challenge"),
        Domain = Text(options, "domain"),
        RequireHolderBinding = Flag(options, "holderBinding"),
        StrictIssuerBinding = Flag(options, "strictIssuerBinding"),
        RequireSecuredCredentials = Flag(options, "requireSecuredCredentials"),
    };

    private static string? Text(JsonObject? o, string name) => o?[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => throw new CredentialException(ProblemCode.MalformedValue, $"options.{name} must be a string."),
    };

    private static bool Flag(JsonObject? o, string name) => o?[name] switch
    {
        null => false,
        JsonValue v when v.TryGetValue(out bool b) => b,
        _ => throw new CredentialException(ProblemCode.MalformedValue, $"options.{name} must be true or false."),
    };

    /// <summary>
    /// How old the verifier accepts the ledger state a proof's key rests on to be when the ledger cannot be asked
    /// (its last sync). Null (the default): unknown current ledger state is never "verified". When set, an answer
    /// resting on such state names the block and time it rests on.
    /// </summary>
    public TimeSpan? MaxStaleness { get; init; }
}
