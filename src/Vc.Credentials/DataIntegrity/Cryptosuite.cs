using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Vc.Credentials.Jcs;
using Vc.Credentials.Keys;
using Vc.Did.Keys;
using Vc.Credentials.Verification;

namespace Vc.Credentials.DataIntegrity;

/// <summary>The intermediate results of a cryptosuite's transformation and hashing steps.</summary>
/// <param name="CanonicalProofConfig">Canonical proof configuration (N-Quads or JCS).</param>
/// <param name="CanonicalDocument">Canonical unsecured document.</param>
/// <param name="HashData">hash(proof config) ‖ hash(document): the bytes that are signed.</param>
public sealed record HashDataResult(string CanonicalProofConfig, string CanonicalDocument, byte[] HashData);

/// <summary>A Data Integrity cryptosuite (transformation, hashing, proof configuration, serialization).</summary>
public abstract class Cryptosuite
{
    /// <summary>The cryptosuite identifier (the proof's "cryptosuite" value).</summary>
    public abstract string Name { get; }

    /// <summary>Whether the suite signs with keys of this type.</summary>
    public abstract bool Supports(KeyType keyType);

    /// <summary>True when the proof keeps its @context in the secured document (the JCS suites).</summary>
    public abstract bool ProofCarriesContext { get; }

    /// <summary>
    /// Transformation + hashing (e.g. eddsa-rdfc-2022 §3.2.3–3.2.5, eddsa-jcs-2022 §3.3.3–3.3.5): the proof
    /// configuration must already hold the @context the suite prescribes.
    /// </summary>
    public abstract HashDataResult CreateHashData(JsonObject unsecuredDocument, JsonObject proofConfig, KeyType keyType);

    /// <summary>eddsa-rdfc-2022.</summary>
    public static Cryptosuite EddsaRdfc2022(IRdfCanonicalizer canonicalizer) => new RdfcSuite("eddsa-rdfc-2022", canonicalizer, KeyType.Ed25519);
    /// <summary>eddsa-jcs-2022.</summary>
    public static Cryptosuite EddsaJcs2022 { get; } = new JcsSuite("eddsa-jcs-2022", KeyType.Ed25519);
    /// <summary>ecdsa-rdfc-2019 (P-256 with SHA-256, P-384 with SHA-384).</summary>
    public static Cryptosuite EcdsaRdfc2019(IRdfCanonicalizer canonicalizer) => new RdfcSuite("ecdsa-rdfc-2019", canonicalizer, KeyType.P256, KeyType.P384);
    /// <summary>ecdsa-jcs-2019.</summary>
    public static Cryptosuite EcdsaJcs2019 { get; } = new JcsSuite("ecdsa-jcs-2019", KeyType.P256, KeyType.P384);

    internal static byte[] Concat(byte[] a, byte[] b)
    {
        var r = new byte[a.Length + b.Length];
        a.CopyTo(r, 0);
        b.CopyTo(r, a.Length);
        return r;
    }

    internal static byte[] Hash(HashAlgorithmName hash, ReadOnlySpan<byte> utf8) =>
        hash == HashAlgorithmName.SHA384 ? SHA384.HashData(utf8) : SHA256.HashData(utf8);

    internal static byte[] Hash(HashAlgorithmName hash, string text)
    {
        // UTF-8 into a pooled buffer: the canonical form is hashed, never kept as bytes.
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(System.Text.Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var bytes = buffer.AsSpan(0, System.Text.Encoding.UTF8.GetBytes(text, buffer));
            return hash == HashAlgorithmName.SHA384 ? SHA384.HashData(bytes) : SHA256.HashData(bytes);
        }
        finally { System.Buffers.ArrayPool<byte>.Shared.Return(buffer); }
    }

    internal sealed class RdfcSuite(string name, IRdfCanonicalizer canonicalizer, params KeyType[] keyTypes) : Cryptosuite
    {
        /// <summary>The same transformation over documents already serialized as UTF-8 JSON.</summary>
        public byte[] CreateHashData(ReadOnlyMemory<byte> unsecuredDocument, ReadOnlyMemory<byte> proofConfig, KeyType keyType)
        {
            var hash = VerificationKey.Hash(keyType);
            return Concat(canonicalizer.HashCanonicalJsonLd(proofConfig, hash), canonicalizer.HashCanonicalJsonLd(unsecuredDocument, hash));
        }

        /// <summary>The same, reading the proof configuration and the unsecured document straight from the parsed
        /// secured document, its <paramref name="proof"/> and its <paramref name="context"/>.</summary>
        public byte[] CreateHashData(System.Text.Json.JsonElement securedDocument, System.Text.Json.JsonElement proof,
            System.Text.Json.JsonElement context, KeyType keyType)
        {
            var hash = VerificationKey.Hash(keyType);
            return Concat(canonicalizer.HashCanonicalProofConfig(proof, context, hash),
                canonicalizer.HashCanonicalUnsecured(securedDocument, hash));
        }

        public override string Name => name;
        public override bool ProofCarriesContext => false;
        public override bool Supports(KeyType keyType) => keyTypes.Contains(keyType);

        public override HashDataResult CreateHashData(JsonObject unsecuredDocument, JsonObject proofConfig, KeyType keyType)
        {
            // ecdsa-rdfc-2019 §3.3: P-384 uses SHA-384 both inside RDFC-1.0 and for the two hashes.
            var hash = VerificationKey.Hash(keyType);
            var canonicalConfig = canonicalizer.CanonicalizeJsonLd(proofConfig, hash);
            var canonicalDocument = canonicalizer.CanonicalizeJsonLd(unsecuredDocument, hash);
            // eddsa-rdfc-2022 §3.2.4: hashData = hash(proofConfig) ‖ hash(document).
            return new HashDataResult(canonicalConfig, canonicalDocument, Concat(Hash(hash, canonicalConfig), Hash(hash, canonicalDocument)));
        }
    }

    private sealed class JcsSuite(string name, params KeyType[] keyTypes) : Cryptosuite
    {
        public override string Name => name;
        public override bool ProofCarriesContext => true;
        public override bool Supports(KeyType keyType) => keyTypes.Contains(keyType);

        public override HashDataResult CreateHashData(JsonObject unsecuredDocument, JsonObject proofConfig, KeyType keyType)
        {
            var hash = VerificationKey.Hash(keyType);
            string canonicalConfig, canonicalDocument;
            try
            {
                // eddsa-jcs-2022 §3.3.3 / §3.3.5: JCS (RFC 8785) of the document and of the proof configuration.
                canonicalConfig = JsonCanonicalizer.CanonicalizeToString(proofConfig);
                canonicalDocument = JsonCanonicalizer.CanonicalizeToString(unsecuredDocument);
            }
            catch (JcsException e) { throw new CanonicalizationException(ProblemCode.ProofTransformationError, "JCS failed: " + e.Message, e); }
            return new HashDataResult(canonicalConfig, canonicalDocument, Concat(Hash(hash, canonicalConfig), Hash(hash, canonicalDocument)));
        }
    }
}
