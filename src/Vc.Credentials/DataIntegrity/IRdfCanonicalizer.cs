using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Vc.Credentials.Verification;

namespace Vc.Credentials.DataIntegrity;

/// <summary>
/// The JSON-LD → RDF → RDFC-1.0 step of the *-rdfc-* cryptosuites: expansion in safe mode with the bundled
/// (offline) contexts only, deserialization to RDF with a null base, canonicalization with RDFC-1.0 using
/// <paramref name="hash"/> as its hash function. Implemented over Vc.JsonLd by <see cref="JsonLdRdfCanonicalizer"/>.
/// </summary>
public interface IRdfCanonicalizer
{
    /// <summary>The contexts this canonicalizer serves offline (also the resources whose relatedResource digests a
    /// verifier can check), or null when unknown.</summary>
    Vc.JsonLd.DocumentLoader? DocumentLoader => null;

    /// <summary>The canonical N-Quads of the document.</summary>
    /// <exception cref="CanonicalizationException">UnknownContext, UndefinedTerm or ProofTransformationError.</exception>
    string CanonicalizeJsonLd(JsonObject document, HashAlgorithmName hash);

    /// <summary>The same for a document given as UTF-8 JSON (lets verifiers skip building a JsonObject copy).</summary>
    string CanonicalizeJsonLd(ReadOnlyMemory<byte> utf8Json, HashAlgorithmName hash) =>
        CanonicalizeJsonLd(Json.JsonInput.ParseObject(utf8Json.Span), hash);

    /// <summary>The canonical N-Quads of a secured document's unsecured document, i.e. without its top-level
    /// "proof" (VC Data Integrity §4.4 step 2), read straight from the parsed secured document.</summary>
    string CanonicalizeUnsecured(System.Text.Json.JsonElement securedDocument, HashAlgorithmName hash)
    {
        var unsecured = System.Text.Json.Nodes.JsonObject.Create(securedDocument)!;
        var copy = new JsonObject();
        foreach (var (name, value) in unsecured)
            if (name != "proof") copy[name] = value?.DeepClone();
        return CanonicalizeJsonLd(copy, hash);
    }

    /// <summary>hash(canonical N-Quads) of a document given as UTF-8 JSON: what the rdfc suites sign (verifiers need
    /// only this, not the canonical text).</summary>
    byte[] HashCanonicalJsonLd(ReadOnlyMemory<byte> utf8Json, HashAlgorithmName hash) =>
        Cryptosuite.Hash(hash, CanonicalizeJsonLd(utf8Json, hash));

    /// <summary>hash(canonical N-Quads) of a proof's proof configuration (eddsa-rdfc-2022 §3.2.5): the proof without
    /// "proofValue", with <paramref name="documentContext"/> (the secured document's @context) as its @context.</summary>
    byte[] HashCanonicalProofConfig(System.Text.Json.JsonElement proof, System.Text.Json.JsonElement documentContext, HashAlgorithmName hash)
    {
        var config = new JsonObject();
        foreach (var property in proof.EnumerateObject())
            if (property.Name is not ("proofValue" or "@context")) config[property.Name] = JsonNode.Parse(property.Value.GetRawText());
        config["@context"] = JsonNode.Parse(documentContext.GetRawText());
        return Cryptosuite.Hash(hash, CanonicalizeJsonLd(config, hash));
    }

    /// <summary>hash(canonical N-Quads) of a secured document's unsecured document (see <see cref="CanonicalizeUnsecured"/>).</summary>
    byte[] HashCanonicalUnsecured(System.Text.Json.JsonElement securedDocument, HashAlgorithmName hash) =>
        Cryptosuite.Hash(hash, CanonicalizeUnsecured(securedDocument, hash));

    /// <summary>The document's RDF dataset (JSON-LD 1.1 API toRdf; blank node labels are arbitrary): what the
    /// selective-disclosure suites skolemize, select and relabel. By default the canonical N-Quads re-read, a dataset
    /// equal to toRdf's up to blank node labels.</summary>
    /// <exception cref="CanonicalizationException">UnknownContext, UndefinedTerm or ProofTransformationError.</exception>
    IReadOnlyList<Vc.JsonLd.RdfQuad> ToRdf(System.Text.Json.JsonElement document) =>
        Vc.JsonLd.NQuads.Parse(CanonicalizeJsonLd(JsonObject.Create(document)!, HashAlgorithmName.SHA256));

    /// <summary>RDFC-1.0 over a dataset with SHA-256, keeping the issued identifiers map (input label → c14nN) that
    /// the selective-disclosure label replacement needs.</summary>
    /// <exception cref="CanonicalizationException">ProofTransformationError (e.g. the work bound was exceeded).</exception>
    Vc.JsonLd.RdfcResult CanonicalizeDataset(IReadOnlyList<Vc.JsonLd.RdfQuad> dataset)
    {
        try { return Vc.JsonLd.Rdfc10.Canonicalize(dataset); }
        catch (Vc.JsonLd.RdfcException e) { throw new CanonicalizationException(ProblemCode.ProofTransformationError, $"RDFC-1.0 {e.Code}: {e.Message}", e); }
    }
}

/// <summary>The document could not be transformed (JSON-LD expansion, toRdf or canonicalization failed).</summary>
public sealed class CanonicalizationException(ProblemCode code, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>UnknownContext, UndefinedTerm or ProofTransformationError.</summary>
    public ProblemCode Code { get; } = code;
}
