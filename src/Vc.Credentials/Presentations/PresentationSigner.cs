using System.Text.Json.Nodes;
using Vc.Credentials.DataIntegrity;
using Vc.Credentials.Keys;
using Vc.Credentials.Model;
using Vc.Credentials.Verification;
using Vc.Did.Key;
using Vc.Did.Keys;

namespace Vc.Credentials.Presentations;

/// <summary>Who signs a presentation and how.</summary>
/// <param name="Holder">The holder's DID.</param>
/// <param name="VerificationMethod">A method listed under the holder's authentication relationship.</param>
/// <param name="Key">The holder's signing key.</param>
/// <param name="Cryptosuite">The cryptosuite (eddsa-rdfc-2022 by default).</param>
public sealed record HolderProfile(string Holder, string VerificationMethod, ISigningKey Key, string Cryptosuite = DataIntegrityProofs.DefaultCryptosuite)
{
    /// <summary>A holder whose DID is the did:key of <paramref name="key"/>.</summary>
    public static HolderProfile ForDidKey(ISigningKey key, string? cryptosuite = null) =>
        new(DidKeyResolver.CreateDid(key.PublicKey), DidKeyResolver.VerificationMethodId(key.PublicKey), key,
            cryptosuite ?? (key.KeyType == KeyType.Ed25519 ? DataIntegrityProofs.DefaultCryptosuite : "ecdsa-rdfc-2019"));
}

/// <summary>Creates presentations signed by the holder with the verifier's challenge and domain.</summary>
public sealed class PresentationSigner(DataIntegrityProofs proofs)
{
    /// <summary>
    /// Builds a VerifiablePresentation holding <paramref name="credentials"/> and signs it (proofPurpose
    /// authentication, with challenge and domain).
    /// </summary>
    /// <exception cref="CredentialException">Signing failed, or an input violates the data model.</exception>
    public async Task<JsonObject> CreateAsync(HolderProfile holder, IEnumerable<JsonObject> credentials, string challenge, string? domain = null,
        DateTimeOffset? created = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(holder);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentException.ThrowIfNullOrEmpty(challenge);
        var list = new JsonArray();
        foreach (var c in credentials) list.Add(c.DeepClone());
        var vp = new JsonObject
        {
            ["@context"] = new JsonArray(DataModel.CredentialsV2Context),
            ["type"] = new JsonArray("VerifiablePresentation"),
            ["holder"] = holder.Holder,
            ["verifiableCredential"] = list,
        };
        var violations = DataModel.ValidatePresentation(vp);
        if (violations.Count > 0) throw new CredentialException(ProblemCode.MalformedValue, string.Join(" ", violations));
        var options = new ProofOptions(holder.VerificationMethod, ProofPurposes.Authentication) { Challenge = challenge, Domain = domain, Created = created };
        return await proofs.AddProofAsync(vp, holder.Key, options, holder.Cryptosuite, cancellationToken).ConfigureAwait(false);
    }
}
