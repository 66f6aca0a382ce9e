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
    private const string DataIntegrityContextV2 = "https://w3id.org/security/data-integrity/v2";
    private const string DataIntegrityContextV1 = "https://w3id.org/security/data-integrity/v1";

    /// <summary>The issuer profile.</summary>
    public IssuerProfile Profile => issuer;

    /// <summary>
    /// Signs an unsigned credential: sets issuer when absent (refuses a different one or an explicit null), prepares
    /// it as VC Data Model <paramref name="vcVersion"/> (null: the model its @context names), checks that model's
    /// rules and the digests of related resources this library holds (VC DM 2.0 §5.3), then adds an assertionMethod
    /// proof. Returns a new object.
    /// </summary>
    /// <exception cref="CredentialException">MalformedValue (data model), UnknownContext/UndefinedTerm (JSON-LD), ProofGenerationError.</exception>
    public async Task<JsonObject> IssueAsync(JsonObject credential, DateTimeOffset? created = null, CancellationToken cancellationToken = default, string? vcVersion = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var vc = (JsonObject)credential.DeepClone();
        if (vc.ContainsKey("proof")) throw new CredentialException(ProblemCode.MalformedValue, "The credential to issue already has a proof.");
        // Absent issuer: this issuer. A present one (null included: §4.7 wants a URL) must be this issuer.
        if (!vc.ContainsKey("issuer")) vc["issuer"] = issuer.Issuer;
        else if (DataModel.IssuerId(vc) != issuer.Issuer)
            throw new CredentialException(ProblemCode.MalformedValue, vc["issuer"] is null
                ? "§4.7: issuer must be a URL or an object with an 'id' URL, not null."
                : $"The credential names issuer {DataModel.IssuerId(vc) ?? vc["issuer"]!.ToJsonString()}, but this issuer is {issuer.Issuer}.");
        DataModelVersions.Apply(vc, vcVersion, created ?? proofs.Now);
        // The VC 1.1 context does not define DataIntegrityProof's terms (DI 1.0 §2.4 Contexts and Vocabularies): add the
        // Data Integrity context, as VC 2.0 does by including it in its base context.
        if (DataModel.Version(vc) == "1.1" && vc["@context"] is JsonArray contexts
            && !contexts.Any(c => c.IsString(out var u) && u is DataIntegrityContextV2 or DataIntegrityContextV1))
            contexts.Add(DataIntegrityContextV2);
        using (var document = JsonInput.ToDocument(vc))
        {
            var violations = DataModel.ValidateCredential(document.RootElement).Concat(
                RelatedResources.CheckDigests(document.RootElement, proofs.Canonicalizer.DocumentLoader)).ToArray();
            if (violations.Length > 0) throw new CredentialException(ProblemCode.MalformedValue, string.Join(" ", violations));
        }
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
