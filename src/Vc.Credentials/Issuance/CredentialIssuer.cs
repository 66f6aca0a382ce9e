using System.Text.Json.Nodes;
using Vc.Credentials.DataIntegrity;
using Vc.Credentials.Json;
using Vc.Credentials.Keys;
using Vc.Credentials.Model;
using Vc.Credentials.Verification;
using Vc.Did.Key;
using Vc.Did.Keys;

namespace Vc.Credentials.Issuance;

/// <summary>Who issues and how: the issuer DID, a method under its assertionMethod, the key and the cryptosuite.</summary>
public sealed record IssuerProfile(string Issuer, string VerificationMethod, ISigningKey Key, string Cryptosuite = DataIntegrityProofs.DefaultCryptosuite)
{
    /// <summary>An issuer whose DID is the did:key of <paramref name="key"/>.</summary>
    public static IssuerProfile ForDidKey(ISigningKey key, string? cryptosuite = null) =>
        new(DidKeyResolver.CreateDid(key.PublicKey), DidKeyResolver.VerificationMethodId(key.PublicKey), key,
            cryptosuite ?? (key.KeyType == KeyType.Ed25519 ? DataIntegrityProofs.DefaultCryptosuite : "ecdsa-rdfc-2019"));

    /// <summary>ecdsa-sd-2023: what every derived credential must disclose. Null: the ICVP profile for ICVP credentials
    /// (<see cref="Icvp.IcvpSelectiveDisclosure"/>), else <see cref="CredentialIssuer.DefaultMandatoryPointers"/>.</summary>
    public IReadOnlyList<string>? MandatoryPointers { get; init; }
}

/// <summary>Signs credentials for one issuer (the node's issue endpoint and CLI call <see cref="IssueAsync"/>).</summary>
public sealed class CredentialIssuer(DataIntegrityProofs proofs, IssuerProfile issuer)
{
    /// <summary>The issuer profile.</summary>
    public IssuerProfile Profile => issuer;

    /// <summary>
    /// Signs an unsigned credential: sets issuer when absent (refuses a different one), checks the VC Data
    /// Model 2.0 rules, then adds an assertionMethod proof. Returns a new object.
    /// </summary>
    /// <exception cref="CredentialException">MalformedValue (data model), UnknownContext/UndefinedTerm (JSON-LD), ProofGenerationError.</exception>
    public async Task<JsonObject> IssueAsync(JsonObject credential, DateTimeOffset? created = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var vc = (JsonObject)credential.DeepClone();
        if (vc["proof"] is not null) throw new CredentialException(ProblemCode.MalformedValue, "The credential to issue already has a proof.");
        if (vc["issuer"] is null) vc["issuer"] = issuer.Issuer;
        else if (DataModel.IssuerId(vc) != issuer.Issuer)
            throw new CredentialException(ProblemCode.MalformedValue, $"The credential names issuer {DataModel.IssuerId(vc)}, but this issuer is {issuer.Issuer}.");
        var violations = DataModel.ValidateCredential(vc);
        if (violations.Count > 0) throw new CredentialException(ProblemCode.MalformedValue, string.Join(" ", violations));
        var suite = proofs.FindSuite(issuer.Cryptosuite);
        if (suite is not null && !suite.Name.Contains("-rdfc-", StringComparison.Ordinal))
        {
            // JCS suites never expand the document: check it as JSON-LD so unknown terms are refused at issuance too.
            try { proofs.Canonicalizer.CanonicalizeJsonLd(vc, System.Security.Cryptography.HashAlgorithmName.SHA256); }
            catch (CanonicalizationException e) { throw new CredentialException(e.Code, e.Message, e); }
        }
        IReadOnlyList<string>? mandatory = null;
        if (suite is DataIntegrity.SelectiveDisclosure.EcdsaSd2023)
            mandatory = issuer.MandatoryPointers ?? (Icvp.IcvpSelectiveDisclosure.IsIcvp(vc) ? Icvp.IcvpSelectiveDisclosure.MandatoryPointers(vc) : DefaultMandatoryPointers(vc));
        else if (issuer.MandatoryPointers is { Count: > 0 })
            throw new CredentialException(ProblemCode.ProofGenerationError, "Mandatory pointers apply to ecdsa-sd-2023 only.");
        return await proofs.AddProofAsync(vc, issuer.Key, new ProofOptions(issuer.VerificationMethod) { Created = created, MandatoryPointers = mandatory },
            issuer.Cryptosuite, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>ecdsa-sd-2023 mandatory pointers of a credential without a profile: the issuer and, when present, the
    /// validity dates and the status entries, so that a holder cannot hide who issued it, its expiry or its revocation.</summary>
    public static IReadOnlyList<string> DefaultMandatoryPointers(JsonObject credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return new[] { "/issuer", "/validFrom", "/validUntil", "/credentialStatus" }
            .Where(p => DataIntegrity.SelectiveDisclosure.JsonPointer.Resolves(credential, p)).ToArray();
    }

    /// <summary>Signs a credential given as JSON text and returns JSON text (CLI convenience).</summary>
    public async Task<string> IssueJsonAsync(string credentialJson, CancellationToken cancellationToken = default)
    {
        var signed = await IssueAsync(JsonInput.ParseObject(credentialJson), cancellationToken: cancellationToken).ConfigureAwait(false);
        return signed.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }
}
