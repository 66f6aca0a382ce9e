using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Vc.Credentials.Json;
using Vc.Credentials.Keys;
using Vc.Credentials.Verification;
using Vc.Did.Encoding;
using Vc.Did.Keys;

namespace Vc.Credentials.DataIntegrity.SelectiveDisclosure;

/// <summary>The deterministic intermediates of a base proof (vc-di-ecdsa §3.4.2–3.4.4), for checks against the spec vectors.</summary>
/// <param name="CanonicalProofConfig">The canonical proof configuration.</param>
/// <param name="ProofHash">SHA-256 of it.</param>
/// <param name="Grouping">canonicalizeAndGroup's result (HMAC-labelled N-Quads, the mandatory group).</param>
/// <param name="MandatoryHash">SHA-256 of the mandatory N-Quads.</param>
public sealed record EcdsaSdBaseTransform(string CanonicalProofConfig, byte[] ProofHash, SdGrouping Grouping, byte[] MandatoryHash)
{
    /// <summary>The mandatory N-Quads by index.</summary>
    public SortedList<int, string> Mandatory => Grouping.Groups["mandatory"].Matching;
    /// <summary>The non-mandatory N-Quads by index (each signed with the proof-scoped key).</summary>
    public SortedList<int, string> NonMandatory => Grouping.Groups["mandatory"].NonMatching;
}

/// <summary>What a holder discloses (vc-di-ecdsa §3.5.4 createDisclosureData).</summary>
/// <param name="Proof">The derived proof's components.</param>
/// <param name="RevealDocument">The document with only the mandatory and selected parts.</param>
/// <param name="Grouping">canonicalizeAndGroup's result over the mandatory, selective and combined pointers.</param>
public sealed record EcdsaSdDisclosure(EcdsaSdDerivedProof Proof, JsonObject RevealDocument, SdGrouping Grouping);

/// <summary>What a verifier recomputes (vc-di-ecdsa §3.5.9 createVerifyData).</summary>
/// <param name="ProofHash">SHA-256 of the canonical proof configuration.</param>
/// <param name="NQuads">The disclosed document's canonical N-Quads, relabelled with the proof's label map.</param>
/// <param name="Mandatory">The mandatory ones among them.</param>
/// <param name="NonMandatory">The others, each with one signature.</param>
/// <param name="MandatoryHash">SHA-256 of the mandatory N-Quads.</param>
/// <param name="Proof">The parsed derived proof.</param>
public sealed record EcdsaSdVerifyData(byte[] ProofHash, IReadOnlyList<string> NQuads, IReadOnlyList<string> Mandatory,
    IReadOnlyList<string> NonMandatory, byte[] MandatoryHash, EcdsaSdDerivedProof Proof);

/// <summary>
/// The ecdsa-sd-2023 cryptosuite (VC Data Integrity ECDSA Cryptosuites §3.4) with P-256 and SHA-256: an issuer's base
/// proof over mandatory pointers with a proof-scoped key signing each other statement; a holder's derived proof
/// disclosing selected statements; verification of derived proofs (a base proof is not for verifiers).
/// </summary>
public sealed class EcdsaSd2023 : Cryptosuite
{
    /// <summary>The cryptosuite identifier.</summary>
    public const string SuiteName = "ecdsa-sd-2023";
    private const string Mandatory = "mandatory", Selective = "selective", Combined = "combined";
    private readonly IRdfCanonicalizer _canonicalizer;

    /// <summary>The suite over <paramref name="canonicalizer"/>.</summary>
    public EcdsaSd2023(IRdfCanonicalizer canonicalizer) => _canonicalizer = canonicalizer ?? throw new ArgumentNullException(nameof(canonicalizer));

    /// <inheritdoc/>
    public override string Name => SuiteName;
    /// <inheritdoc/>
    public override bool ProofCarriesContext => false;
    /// <inheritdoc/>
    public override bool Supports(KeyType keyType) => keyType == KeyType.P256;

    /// <summary>Not one hash: this suite signs a proof hash and each statement separately (use the base/derive methods).</summary>
    public override HashDataResult CreateHashData(JsonObject unsecuredDocument, JsonObject proofConfig, KeyType keyType) =>
        throw new CredentialException(ProblemCode.ProofGenerationError, "ecdsa-sd-2023 has no single hash data: it signs each statement.");

    /// <summary>Base Proof Transformation, Hashing and Configuration (§3.4.2–3.4.4): the deterministic part of a base
    /// proof, given the HMAC key.</summary>
    public EcdsaSdBaseTransform TransformBase(JsonObject unsecuredDocument, JsonObject proofConfig, IReadOnlyList<string> mandatoryPointers, byte[] hmacKey)
    {
        ArgumentNullException.ThrowIfNull(unsecuredDocument);
        ArgumentNullException.ThrowIfNull(proofConfig);
        ArgumentNullException.ThrowIfNull(mandatoryPointers);
        if (hmacKey is not { Length: 32 }) throw new ArgumentException("The HMAC key has 32 bytes.", nameof(hmacKey));
        return Canonicalizing(() =>
        {
            // §3.4.4: the proof configuration canonicalized with RDFC-1.0; §3.4.3: proofHash = SHA-256 of it.
            var canonicalConfig = _canonicalizer.CanonicalizeJsonLd(proofConfig, HashAlgorithmName.SHA256);
            var proofHash = SHA256.HashData(Encoding.UTF8.GetBytes(canonicalConfig));
            // §3.4.2: HMAC-labelled canonical N-Quads grouped by the mandatory pointers.
            var grouping = SdPrimitives.CanonicalizeAndGroup(_canonicalizer, unsecuredDocument,
                SdPrimitives.CreateHmacIdLabelMapFunction(hmacKey), new Dictionary<string, IReadOnlyList<string>> { [Mandatory] = mandatoryPointers });
            // §3.4.3 step 2: mandatoryHash (hashMandatoryNQuads).
            var mandatoryHash = SdPrimitives.HashMandatoryNQuads(grouping.Groups[Mandatory].Matching.Values);
            return new EcdsaSdBaseTransform(canonicalConfig, proofHash, grouping, mandatoryHash);
        });
    }

    /// <summary>Base Proof Serialization (§3.4.5): signs each non-mandatory statement with a proof-scoped P-256 key
    /// and proofHash ‖ publicKey ‖ mandatoryHash with the issuer's key; returns the base proofValue.</summary>
    public async ValueTask<string> CreateBaseProofValueAsync(JsonObject unsecuredDocument, JsonObject proofConfig, ISigningKey issuerKey,
        IReadOnlyList<string> mandatoryPointers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(issuerKey);
        if (!Supports(issuerKey.KeyType)) throw new CredentialException(ProblemCode.UnsupportedCryptosuite, $"{SuiteName} signs with P-256 keys, not {issuerKey.KeyType}.");
        var hmacKey = RandomNumberGenerator.GetBytes(32);
        try
        {
            var transform = TransformBase(unsecuredDocument, proofConfig, mandatoryPointers, hmacKey);
            // The proof-scoped key lives only for this proof (§3.4.5 step 2); it is never stored.
            using var proofKey = EcdsaSigningKey.Generate(KeyType.P256);
            return await SerializeBaseAsync(transform, mandatoryPointers, hmacKey, proofKey, issuerKey, cancellationToken).ConfigureAwait(false);
        }
        finally { CryptographicOperations.ZeroMemory(hmacKey); }
    }

    /// <summary>§3.4.5 with a given proof-scoped key (tests pin the spec vectors' key).</summary>
    internal static async ValueTask<string> SerializeBaseAsync(EcdsaSdBaseTransform transform, IReadOnlyList<string> mandatoryPointers,
        byte[] hmacKey, ISigningKey proofKey, ISigningKey issuerKey, CancellationToken cancellationToken)
    {
        var signatures = new List<byte[]>(transform.NonMandatory.Count);
        foreach (var nquad in transform.NonMandatory.Values)
            signatures.Add(await proofKey.SignAsync(Encoding.UTF8.GetBytes(nquad), cancellationToken).ConfigureAwait(false));
        var publicKey = PublicKeyBytes(proofKey.PublicKey);
        var baseSignature = await issuerKey.SignAsync(SignData(transform.ProofHash, publicKey, transform.MandatoryHash), cancellationToken).ConfigureAwait(false);
        return EcdsaSdProofValue.SerializeBase(new EcdsaSdBaseProof(baseSignature, publicKey, hmacKey, signatures, mandatoryPointers));
    }

    /// <summary>serializeSignData (§3.5.1): proofHash ‖ publicKey ‖ mandatoryHash.</summary>
    public static byte[] SignData(byte[] proofHash, byte[] publicKey, byte[] mandatoryHash) => [.. proofHash, .. publicKey, .. mandatoryHash];

    /// <summary>The multikey bytes of a P-256 public key (0x8024 + compressed point).</summary>
    public static byte[] PublicKeyBytes(VerificationKey key) => Multibase.DecodeBase58Btc(key.PublicKeyMultibase);

    /// <summary>createDisclosureData (§3.5.4): the reveal document and the derived proof's components for the
    /// mandatory pointers of <paramref name="baseProofValue"/> plus <paramref name="selectivePointers"/>.</summary>
    /// <exception cref="CredentialException">MalformedProof (not a base proof), ProofGenerationError (a pointer names nothing), transformation errors.</exception>
    public EcdsaSdDisclosure CreateDisclosureData(JsonObject unsecuredDocument, string? baseProofValue, IReadOnlyList<string> selectivePointers)
    {
        ArgumentNullException.ThrowIfNull(unsecuredDocument);
        ArgumentNullException.ThrowIfNull(selectivePointers);
        // Steps 1–2: the base proof's components.
        var b = EcdsaSdProofValue.ParseBase(baseProofValue);
        if (b.MandatoryPointers.Count == 0 && selectivePointers.Count == 0)
            throw new CredentialException(ProblemCode.ProofGenerationError, "Nothing is selected for disclosure.");
        return Canonicalizing(() =>
        {
            // Steps 3–5: HMAC-labelled canonical N-Quads grouped by mandatory, selective and combined pointers.
            var combinedPointers = b.MandatoryPointers.Concat(selectivePointers).ToList();
            var grouping = SdPrimitives.CanonicalizeAndGroup(_canonicalizer, unsecuredDocument, SdPrimitives.CreateHmacIdLabelMapFunction(b.HmacKey),
                new Dictionary<string, IReadOnlyList<string>> { [Mandatory] = b.MandatoryPointers, [Selective] = selectivePointers, [Combined] = combinedPointers });
            var mandatory = grouping.Groups[Mandatory];
            var selective = grouping.Groups[Selective];
            var combined = grouping.Groups[Combined];
            // Steps 6–8: mandatory indexes relative to the combined (disclosed) N-Quads.
            var combinedIndexes = combined.Matching.Keys;
            var mandatoryIndexes = new List<int>();
            for (var relative = 0; relative < combinedIndexes.Count; relative++)
                if (mandatory.Matching.ContainsKey(combinedIndexes[relative])) mandatoryIndexes.Add(relative);
            // Steps 9–11: the signatures of the selected non-mandatory N-Quads (signatures are in non-mandatory order).
            var nonMandatoryIndexes = mandatory.NonMatching.Keys;
            if (b.Signatures.Count != nonMandatoryIndexes.Count)
                throw new CredentialException(ProblemCode.ProofGenerationError,
                    $"The base proof has {b.Signatures.Count} statement signatures for {nonMandatoryIndexes.Count} non-mandatory statements: it was not made for this document.");
            var filtered = new List<byte[]>();
            for (var i = 0; i < nonMandatoryIndexes.Count; i++)
                if (selective.Matching.ContainsKey(nonMandatoryIndexes[i])) filtered.Add(b.Signatures[i]);
            // Step 12: the reveal document.
            var reveal = SdPrimitives.SelectJsonLd(unsecuredDocument, combinedPointers)
                         ?? throw new CredentialException(ProblemCode.ProofGenerationError, "Nothing is selected for disclosure.");
            // Steps 13–14: the labels the verifier's RDFC-1.0 will issue, mapped to the HMAC labels.
            var verifierIds = _canonicalizer.CanonicalizeDataset(combined.DeskolemizedQuads).IssuedIdentifiers;
            var labelMap = new Dictionary<string, string>(verifierIds.Count, StringComparer.Ordinal);
            foreach (var (input, verifierLabel) in verifierIds) labelMap[verifierLabel] = grouping.LabelMap[input];
            return new EcdsaSdDisclosure(new EcdsaSdDerivedProof(b.BaseSignature, b.PublicKey, filtered, labelMap, mandatoryIndexes), reveal, grouping);
        });
    }

    /// <summary>Add Derived Proof (§3.4.6): the reveal document with a derived proof in place of the base proof.</summary>
    public JsonObject Derive(JsonObject unsecuredDocument, JsonObject baseProof, IReadOnlyList<string> selectivePointers)
    {
        ArgumentNullException.ThrowIfNull(baseProof);
        var disclosure = CreateDisclosureData(unsecuredDocument, baseProof.GetString("proofValue"), selectivePointers);
        var proof = (JsonObject)baseProof.DeepClone();
        proof.Remove("@context");
        proof["proofValue"] = EcdsaSdProofValue.SerializeDerived(disclosure.Proof);
        var reveal = disclosure.RevealDocument;
        reveal["proof"] = proof;
        return reveal;
    }

    /// <summary>createVerifyData (§3.5.9): what a verifier recomputes from a disclosed document and its derived proof.</summary>
    /// <param name="unsecuredDocument">The disclosed document without its proof.</param>
    /// <param name="proofConfig">The proof without proofValue, with the document's @context.</param>
    /// <param name="proofValue">The derived proofValue.</param>
    public EcdsaSdVerifyData CreateVerifyData(JsonObject unsecuredDocument, JsonObject proofConfig, string? proofValue)
    {
        var proof = EcdsaSdProofValue.ParseDerived(proofValue);
        return Canonicalizing(() =>
        {
            var proofHash = SHA256.HashData(Encoding.UTF8.GetBytes(_canonicalizer.CanonicalizeJsonLd(proofConfig, HashAlgorithmName.SHA256)));
            var nquads = SdPrimitives.LabelReplacementCanonicalizeJsonLd(_canonicalizer, unsecuredDocument, SdPrimitives.CreateLabelMapFunction(proof.LabelMap));
            var mandatoryIndexes = proof.MandatoryIndexes.ToHashSet();
            if (mandatoryIndexes.Any(i => i >= nquads.Count))
                throw new CredentialException(ProblemCode.ProofVerificationError, "A mandatory index of the derived proof is past the disclosed statements.");
            List<string> mandatory = [], nonMandatory = [];
            for (var i = 0; i < nquads.Count; i++) (mandatoryIndexes.Contains(i) ? mandatory : nonMandatory).Add(nquads[i]);
            return new EcdsaSdVerifyData(proofHash, nquads, mandatory, nonMandatory, SdPrimitives.HashMandatoryNQuads(mandatory), proof);
        });
    }

    /// <summary>Verify Derived Proof (§3.4.7): every disclosed statement's signature with the proof-scoped key, and
    /// the base signature with the issuer's <paramref name="key"/>.</summary>
    /// <exception cref="CredentialException">ProofVerificationError for a base proof; MalformedProof; transformation errors.</exception>
    public bool VerifyDerived(JsonObject unsecuredDocument, JsonObject proofConfig, string? proofValue, VerificationKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var data = CreateVerifyData(unsecuredDocument, proofConfig, proofValue);
        var p = data.Proof;
        if (p.Signatures.Count != data.NonMandatory.Count) return false;
        if (!p.PublicKey.AsSpan().StartsWith(Multicodec.P256Public)) return false;
        VerificationKey proofKey;
        try { proofKey = VerificationKey.FromSec1(KeyType.P256, p.PublicKey.AsSpan(2)); }
        catch (KeyFormatException) { return false; }
        for (var i = 0; i < p.Signatures.Count; i++)
            if (!proofKey.Verify(Encoding.UTF8.GetBytes(data.NonMandatory[i]), p.Signatures[i])) return false;
        return key.Verify(SignData(data.ProofHash, p.PublicKey, data.MandatoryHash), p.BaseSignature);
    }

    private static T Canonicalizing<T>(Func<T> body)
    {
        try { return body(); }
        catch (CanonicalizationException e) { throw new CredentialException(e.Code, e.Message, e); }
    }
}
