using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.Credentials.Json;
using Vc.Credentials.Keys;
using Vc.Credentials.Verification;
using Vc.Did.Encoding;
using Vc.Did.Keys;

namespace Vc.Credentials.DataIntegrity;

/// <summary>Adds and checks Data Integrity proofs (VC Data Integrity 1.0 §4) with the registered cryptosuites.</summary>
public sealed class DataIntegrityProofs
{
    /// <summary>The default cryptosuite for new proofs.</summary>
    public const string DefaultCryptosuite = "eddsa-rdfc-2022";

    private readonly Dictionary<string, Cryptosuite> _suites;

    /// <summary>The JSON-LD canonicalizer the rdfc suites use (also used to validate JCS-secured documents as JSON-LD).</summary>
    public IRdfCanonicalizer Canonicalizer { get; }
    private readonly TimeProvider _time;

    /// <summary>Registers eddsa-rdfc-2022, eddsa-jcs-2022, ecdsa-rdfc-2019, ecdsa-jcs-2019 and ecdsa-sd-2023.</summary>
    public DataIntegrityProofs(IRdfCanonicalizer canonicalizer, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(canonicalizer);
        _time = time ?? TimeProvider.System;
        Canonicalizer = canonicalizer;
        Cryptosuite[] suites = [Cryptosuite.EddsaRdfc2022(canonicalizer), Cryptosuite.EddsaJcs2022, Cryptosuite.EcdsaRdfc2019(canonicalizer), Cryptosuite.EcdsaJcs2019,
            new SelectiveDisclosure.EcdsaSd2023(canonicalizer)];
        _suites = suites.ToDictionary(s => s.Name, StringComparer.Ordinal);
    }

    /// <summary>The current time of this engine's clock (proof creation times).</summary>
    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>The registered cryptosuite names.</summary>
    public IReadOnlyCollection<string> Cryptosuites => _suites.Keys;

    /// <summary>The cryptosuite with this name, or null.</summary>
    public Cryptosuite? FindSuite(string? name) => name is not null && _suites.TryGetValue(name, out var s) ? s : null;

    /// <summary>
    /// DI §4.2 Add Proof: returns a copy of <paramref name="document"/> with a new proof (appended to an
    /// existing proof set when the document already has proofs).
    /// </summary>
    /// <exception cref="CredentialException">UnsupportedCryptosuite, ProofGenerationError, or a transformation failure.</exception>
    public async ValueTask<JsonObject> AddProofAsync(JsonObject document, ISigningKey key, ProofOptions options, string cryptosuite = DefaultCryptosuite, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(options);
        var suite = FindSuite(cryptosuite) ?? throw new CredentialException(ProblemCode.UnsupportedCryptosuite, $"Unknown cryptosuite '{cryptosuite}'.");
        if (!suite.Supports(key.KeyType)) throw new CredentialException(ProblemCode.UnsupportedCryptosuite, $"{cryptosuite} does not sign with {key.KeyType} keys.");
        if (!JsonInput.IsUrl(options.VerificationMethod)) throw new CredentialException(ProblemCode.ProofGenerationError, "The verification method must be an absolute URL.");

        var output = (JsonObject)document.DeepClone();
        var existing = JsonInput.Items(output["proof"]).OfType<JsonObject>().ToList();
        output.Remove("proof");
        var unsecured = (JsonObject)output.DeepClone();
        if (options.PreviousProof is { Count: > 0 } previous)
        {
            // DI §4.3 Add Proof Set/Chain step 4: the chained proofs are part of what is signed.
            var chained = new JsonArray();
            foreach (var id in previous)
                chained.Add(existing.FirstOrDefault(p => p.GetString("id") == id)?.DeepClone()
                            ?? throw new CredentialException(ProblemCode.ProofGenerationError, $"previousProof '{id}' is not in the proof set."));
            unsecured["proof"] = chained.Count == 1 ? chained[0]!.DeepClone() : chained;
        }

        // DI §2.1 / eddsa-rdfc-2022 §3.2.5 proof configuration.
        var config = new JsonObject { ["type"] = "DataIntegrityProof", ["cryptosuite"] = suite.Name };
        if (options.Id is not null) config["id"] = options.Id;
        config["created"] = JsonInput.FormatDateTime(options.Created ?? _time.GetUtcNow());
        if (options.Expires is { } expires) config["expires"] = JsonInput.FormatDateTime(expires);
        config["verificationMethod"] = options.VerificationMethod;
        config["proofPurpose"] = options.ProofPurpose;
        if (options.Challenge is not null) config["challenge"] = options.Challenge;
        if (options.Domain is not null) config["domain"] = options.Domain;
        if (options.Nonce is not null) config["nonce"] = options.Nonce;
        if (options.PreviousProof is { Count: > 0 } pp)
            config["previousProof"] = pp.Count == 1 ? pp[0] : new JsonArray(pp.Select(p => (JsonNode?)p).ToArray());
        if (unsecured["@context"] is { } context) config["@context"] = context.DeepClone();

        string proofValue;
        try
        {
            if (suite is SelectiveDisclosure.EcdsaSd2023 sd)
                // ecdsa-sd-2023 §3.4.1: a base proof over the issuer's mandatory pointers.
                proofValue = await sd.CreateBaseProofValueAsync(unsecured, config, key, options.MandatoryPointers ?? [], cancellationToken).ConfigureAwait(false);
            else
            {
                HashDataResult hashData;
                try { hashData = suite.CreateHashData(unsecured, config, key.KeyType); }
                catch (CanonicalizationException e) { throw new CredentialException(e.Code, e.Message, e); }
                proofValue = Multibase.EncodeBase58Btc(await key.SignAsync(hashData.HashData, cancellationToken).ConfigureAwait(false));
            }
        }
        catch (Exception e) when (e is not (OperationCanceledException or CredentialException))
        {
            throw new CredentialException(ProblemCode.ProofGenerationError, "The signing key failed: " + e.GetType().Name, e);
        }

        var proof = (JsonObject)config.DeepClone();
        if (!suite.ProofCarriesContext) proof.Remove("@context");
        proof["proofValue"] = proofValue;
        if (existing.Count == 0) output["proof"] = proof;
        else
        {
            var set = new JsonArray();
            foreach (var p in existing) set.Add(p.DeepClone());
            set.Add(proof);
            output["proof"] = set;
        }
        return output;
    }

    /// <summary>
    /// DI §4.4 Verify Proof with the suite's transformation: whether the proof's signature verifies with
    /// <paramref name="key"/> over <paramref name="securedDocument"/>. Checks nothing about who the key belongs to.
    /// </summary>
    /// <exception cref="CredentialException">MalformedProof, UnsupportedCryptosuite, UnknownContext, UndefinedTerm, ProofTransformationError.</exception>
    public bool VerifySignature(JsonObject securedDocument, JsonObject proof, VerificationKey key)
    {
        ArgumentNullException.ThrowIfNull(securedDocument);
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(key);
        var suite = Suite(proof.GetString("cryptosuite"), key);

        JsonArray? chained = null;
        var previous = JsonInput.Strings(proof["previousProof"]);
        // DI 1.0 §2.1 previousProof: a string or an unordered list of strings.
        if (proof.ContainsKey("previousProof") && previous.Count != JsonInput.Items(proof["previousProof"]).Count())
            throw new CredentialException(ProblemCode.MalformedProof, "previousProof must be a string or a list of strings.");
        if (previous.Count > 0)
        {
            // DI §4.5 Verify Proof Sets and Chains: a chained proof covers the proofs it names.
            chained = new JsonArray();
            foreach (var id in previous)
            {
                var match = JsonInput.Items(securedDocument["proof"]).OfType<JsonObject>().FirstOrDefault(p => p.GetString("id") == id)
                            ?? throw new CredentialException(ProblemCode.ProofVerificationError, $"previousProof '{id}' is not in the proof set.");
                chained.Add(match.DeepClone());
            }
        }

        if (suite is SelectiveDisclosure.EcdsaSd2023 sd)
        {
            // ecdsa-sd-2023 §3.4.7: a derived proof over the disclosed document; its proof configuration is the proof
            // without proofValue, with the document's @context (a base proof is refused: it is not for verifiers).
            var sdDocument = new JsonObject();
            foreach (var (name, value) in securedDocument)
                if (name != "proof") sdDocument[name] = value?.DeepClone();
            var sdConfig = new JsonObject();
            foreach (var (name, value) in proof)
                if (name is not ("proofValue" or "@context")) sdConfig[name] = value?.DeepClone();
            if (securedDocument["@context"] is { } sdContext) sdConfig["@context"] = sdContext.DeepClone();
            return sd.VerifyDerived(sdDocument, sdConfig, proof.GetString("proofValue"), key);
        }

        var signature = DecodeProofValue(proof.GetString("proofValue"));
        if (suite is Cryptosuite.RdfcSuite rdfc)
        {
            // DI §4.4 steps 1–2 and eddsa-rdfc-2022 §3.2.2: the unsecured document (proofs removed, chained ones
            // kept) and the proof options (proofValue removed, the document's @context), written straight to JSON
            // for the canonicalizer, without building copies.
            byte[] data;
            var config = Write(w =>
            {
                foreach (var (name, value) in proof)
                    if (name is not ("proofValue" or "@context")) WriteProperty(w, name, value);
                if (securedDocument["@context"] is { } context) WriteProperty(w, "@context", context);
            });
            var document = Write(w =>
            {
                foreach (var (name, value) in securedDocument)
                    if (name != "proof") WriteProperty(w, name, value);
                if (chained is not null) WriteProperty(w, "proof", chained.Count == 1 ? chained[0] : chained);
            });
            try { data = rdfc.CreateHashData(document, config, key.KeyType); }
            catch (CanonicalizationException e) { throw new CredentialException(e.Code, e.Message, e); }
            return key.Verify(data, signature);
        }

        var unsecured = new JsonObject();
        foreach (var (name, value) in securedDocument)
            if (name != "proof") unsecured[name] = value?.DeepClone();
        if (chained is not null) unsecured["proof"] = chained.Count == 1 ? chained[0]!.DeepClone() : chained;

        var options = new JsonObject();
        foreach (var (name, value) in proof)
            if (name != "proofValue") options[name] = value?.DeepClone();
        if (options["@context"] is { } proofContext)
        {
            // eddsa-jcs-2022 §3.3.2 step 2: the document's @context must start with the proof's @context.
            var docContexts = JsonInput.Items(securedDocument["@context"]).ToArray();
            var proofContexts = JsonInput.Items(proofContext).ToArray();
            if (proofContexts.Length > docContexts.Length || !proofContexts.Zip(docContexts).All(p => JsonNode.DeepEquals(p.First, p.Second)))
                return false;
            unsecured["@context"] = proofContext.DeepClone();
        }

        HashDataResult hashData;
        try { hashData = suite.CreateHashData(unsecured, options, key.KeyType); }
        catch (CanonicalizationException e) { throw new CredentialException(e.Code, e.Message, e); }
        return key.Verify(hashData.HashData, signature);
    }

    /// <summary>
    /// ecdsa-sd-2023 §3.4.6 Add Derived Proof (the holder's step): the document reduced to its base proof's mandatory
    /// statements and those <paramref name="selectivePointers"/> name, with a derived proof in place of the base proof.
    /// </summary>
    /// <exception cref="CredentialException">MalformedProof (no ecdsa-sd-2023 base proof), ProofGenerationError (a
    /// pointer names nothing), transformation errors.</exception>
    public JsonObject DeriveProof(JsonObject securedDocument, IReadOnlyList<string> selectivePointers)
    {
        ArgumentNullException.ThrowIfNull(securedDocument);
        ArgumentNullException.ThrowIfNull(selectivePointers);
        var sd = (SelectiveDisclosure.EcdsaSd2023)_suites[SelectiveDisclosure.EcdsaSd2023.SuiteName];
        var bases = JsonInput.Items(securedDocument["proof"]).OfType<JsonObject>()
            .Where(p => p.GetString("cryptosuite") == sd.Name && SelectiveDisclosure.EcdsaSdProofValue.IsBase(p.GetString("proofValue"))).ToList();
        if (bases.Count != 1)
            throw new CredentialException(ProblemCode.MalformedProof, bases.Count == 0
                ? "The document has no ecdsa-sd-2023 base proof to derive from."
                : "The document has several ecdsa-sd-2023 base proofs.");
        var unsecured = new JsonObject();
        foreach (var (name, value) in securedDocument)
            if (name != "proof") unsecured[name] = value?.DeepClone();
        return sd.Derive(unsecured, bases[0], selectivePointers);
    }

    /// <summary>The same check read in place from a parsed document (the verifiers' path): the rdfc suites
    /// canonicalize the document without its proof, and the proof as its configuration, straight from the elements
    /// (DI §4.4 steps 1–2, eddsa-rdfc-2022 §3.2.2); chained and JCS proofs are checked on node views of them.</summary>
    internal bool VerifySignature(JsonElement securedDocument, JsonElement proof, VerificationKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (Suite(proof.GetString("cryptosuite"u8), key) is not Cryptosuite.RdfcSuite rdfc || proof.Get("previousProof"u8).Exists()
            || !securedDocument.TryGetProperty("@context"u8, out var context))
            return VerifySignature(JsonObject.Create(securedDocument)!, JsonObject.Create(proof)!, key);
        var signature = DecodeProofValue(proof.GetString("proofValue"u8));
        byte[] data;
        try { data = rdfc.CreateHashData(securedDocument, proof, context, key.KeyType); }
        catch (CanonicalizationException e) { throw new CredentialException(e.Code, e.Message, e); }
        return key.Verify(data, signature);
    }

    // DI §4.4 step 3: a registered suite that verifies with this kind of key.
    private Cryptosuite Suite(string? name, VerificationKey key)
    {
        var suite = FindSuite(name) ?? throw new CredentialException(ProblemCode.UnsupportedCryptosuite, $"Unknown cryptosuite '{name}'.");
        if (!suite.Supports(key.KeyType))
            throw new CredentialException(ProblemCode.UnsupportedCryptosuite, $"{suite.Name} does not verify with {key.KeyType} keys.");
        return suite;
    }

    private static byte[] DecodeProofValue(string? proofValue)
    {
        if (proofValue is null) throw new CredentialException(ProblemCode.MalformedProof, "The proof has no proofValue.");
        try { return Multibase.DecodeBase58Btc(proofValue); }
        catch (FormatException e) { throw new CredentialException(ProblemCode.MalformedProof, "proofValue is not base58btc multibase.", e); }
    }

    private static ReadOnlyMemory<byte> Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenMemory;
    }

    private static void WriteProperty(Utf8JsonWriter writer, string name, JsonNode? value)
    {
        writer.WritePropertyName(name);
        if (value is null) writer.WriteNullValue();
        else value.WriteTo(writer);
    }
}
