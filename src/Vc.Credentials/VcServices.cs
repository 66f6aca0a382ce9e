using System.Text.Json.Nodes;
using Vc.Credentials.DataIntegrity;
using Vc.Credentials.Issuance;
using Vc.Credentials.Json;
using Vc.Credentials.Presentations;
using Vc.Credentials.StatusList;
using Vc.Credentials.Verification;
using Vc.Did.Core;
using Vc.Did.Key;

namespace Vc.Credentials;

/// <summary>
/// The library wired for a node or CLI: one canonicalizer (shared context cache), the four cryptosuites,
/// did:key resolution plus any resolver the host adds (e.g. did:ethr), and an optional status list fetcher.
/// Thread-safe; create one per process.
/// </summary>
public sealed class VcServices
{
    /// <summary>Wires the services.</summary>
    /// <param name="resolver">The resolver of a further DID method (e.g. did:ethr) beside did:key; null for did:key only.</param>
    /// <param name="statusFetcher">Retrieves status list credentials; null fails status checks with StatusRetrievalError.</param>
    /// <param name="time">Clock for validity checks and proof creation.</param>
    /// <param name="canonicalizer">The JSON-LD canonicalizer; defaults to Vc.JsonLd with the bundled contexts.</param>
    public VcServices(IDidMethodResolver? resolver = null, IStatusListCredentialFetcher? statusFetcher = null,
        TimeProvider? time = null, IRdfCanonicalizer? canonicalizer = null)
    {
        Canonicalizer = canonicalizer ?? new JsonLdRdfCanonicalizer();
        Proofs = new DataIntegrityProofs(Canonicalizer, time);
        Resolver = new CompositeDidResolver(resolver is null ? [DidKeyResolver.Shared] : [DidKeyResolver.Shared, resolver]);
        Credentials = new CredentialVerifier(Proofs, Resolver, statusFetcher, time);
        Presentations = new PresentationVerifier(Credentials, time);
        PresentationSigner = new PresentationSigner(Proofs);
    }

    /// <summary>The canonicalizer (its context cache is shared by every operation).</summary>
    public IRdfCanonicalizer Canonicalizer { get; }
    /// <summary>Proof creation and signature checks.</summary>
    public DataIntegrityProofs Proofs { get; }
    /// <summary>The DID resolver used for verification methods.</summary>
    public IDidResolver Resolver { get; }
    /// <summary>Credential verification.</summary>
    public CredentialVerifier Credentials { get; }
    /// <summary>Presentation verification.</summary>
    public PresentationVerifier Presentations { get; }
    /// <summary>Presentation creation.</summary>
    public PresentationSigner PresentationSigner { get; }

    /// <summary>An issuer for a profile (DID, verification method, key, cryptosuite).</summary>
    public CredentialIssuer Issuer(IssuerProfile profile) => new(Proofs, profile);

    /// <summary><c>vchealth vc issue</c> / POST /credentials/issue: unsigned credential → signed credential.</summary>
    /// <exception cref="CredentialException">Typed failure (data model, JSON-LD, signing).</exception>
    public Task<JsonObject> IssueAsync(IssuerProfile issuer, JsonObject credential, CancellationToken cancellationToken = default) =>
        Issuer(issuer).IssueAsync(credential, cancellationToken: cancellationToken);

    /// <summary><c>vchealth vc verify</c> / POST /credentials/verify: never throws for bad input; see the result.</summary>
    public Task<VerificationResult> VerifyCredentialAsync(string credentialJson, VerificationOptions? options = null, CancellationToken cancellationToken = default) =>
        Credentials.VerifyAsync(credentialJson, options, cancellationToken);

    /// <summary><c>vchealth vp create</c>: the holder signs a presentation of the credentials for a verifier's challenge/domain.</summary>
    public Task<JsonObject> CreatePresentationAsync(HolderProfile holder, IEnumerable<JsonObject> credentials, string challenge, string? domain = null, CancellationToken cancellationToken = default) =>
        PresentationSigner.CreateAsync(holder, credentials, challenge, domain, cancellationToken: cancellationToken);

    /// <summary><c>vchealth vp verify</c> / POST /presentations/verify.</summary>
    public Task<VerificationResult> VerifyPresentationAsync(string presentationJson, VerificationOptions options, CancellationToken cancellationToken = default) =>
        Presentations.VerifyAsync(presentationJson, options, cancellationToken);

    /// <summary>Maps VC-API "options" onto <see cref="VerificationOptions"/> (see <see cref="VerificationOptions.FromVcApi"/>).</summary>
    public static VerificationOptions OptionsFromVcApi(JsonObject? options) => VerificationOptions.FromVcApi(options);
}
