using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vc.Interop.TrustLists;

public sealed record GdhcnLoadOptions
{
    /// <summary>Checks the document's proof; null = not checked (reported as <see cref="ProofStatus.NotChecked"/>).</summary>
    public IDidProofVerifier? ProofVerifier { get; init; }
    /// <summary>Refuse the whole document if any key is rejected (broken chain, kid mismatch…).</summary>
    public bool RejectDocumentOnBadEntry { get; init; }
    public int MaxDocumentBytes { get; init; } = 32 * 1024 * 1024;
}

/// <summary>One of our DSCs to publish: the DSC, its issuing SCA, and where it belongs in GDHCN.</summary>
public sealed record GdhcnExportKey(X509Certificate2 Dsc, X509Certificate2? Sca, string Participant, string Domain, string KeyUsage = "DSC");

/// <summary>WHO GDHCN trust lists published as did:web DID documents (v1 <c>did:web:…:trustlist</c> with fragments
/// <c>alpha3#kid</c>; v2 <c>did:web:…:v2:trustlist:DOMAIN:PARTICIPANT:USAGE</c>): JsonWebKey2020 methods with x5c
/// [DSC, SCA]. The key is taken from x5c[0]; kid = SHA-256(x5c[0])[0..8]; x5c[1], when present, must have issued x5c[0].</summary>
public static class GdhcnDidTrustList
{
    public static TrustListLoadResult Load(ReadOnlySpan<byte> json, GdhcnLoadOptions? options = null)
    {
        options ??= new GdhcnLoadOptions();
        if (json.Length > options.MaxDocumentBytes)
            throw new TrustListException(TrustListFailure.Malformed, $"document larger than {options.MaxDocumentBytes} bytes");
        if (Vc.JsonLd.IJson.Violation(json) is { } notIJson)
            throw new TrustListException(TrustListFailure.Malformed, "not I-JSON: " + notIJson);
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
            root = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new TrustListException(TrustListFailure.Malformed, "not JSON: " + e.Message, e);
        }
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String
            || !root.TryGetProperty("verificationMethod", out var methods) || methods.ValueKind != JsonValueKind.Array)
            throw new TrustListException(TrustListFailure.Malformed, "not a DID document with id and verificationMethod");
        var id = idElement.GetString()!;

        var proof = ProofStatus.NotPresent;
        if (root.TryGetProperty("proof", out var proofElement))
        {
            if (options.ProofVerifier is null)
                proof = ProofStatus.NotChecked;
            else if (options.ProofVerifier.Verify(root, proofElement, out var reason))
                proof = ProofStatus.Verified;
            else
                throw new TrustListException(TrustListFailure.Proof, $"{id}: {reason}");
        }
        else if (options.ProofVerifier is not null)
            throw new TrustListException(TrustListFailure.Proof, $"{id}: the document has no proof");

        var (docDomain, docParticipant, docUsage) = ParseDid(id);
        var entries = new List<TrustEntry>();
        var rejected = new List<TrustListRejection>();
        var references = new List<string>();
        foreach (var method in methods.EnumerateArray())
        {
            if (method.ValueKind == JsonValueKind.String)
            {
                references.Add(method.GetString()!); // trustlist-ref: a child document or an onboarded issuer DID
                continue;
            }
            var label = method.TryGetProperty("id", out var mid) && mid.ValueKind == JsonValueKind.String ? mid.GetString()! : "(no id)";
            try
            {
                entries.Add(ReadMethod(method, label, docDomain, docParticipant, docUsage));
            }
            catch (TrustListException e)
            {
                rejected.Add(new TrustListRejection(label, e.Failure, e.Message));
            }
        }
        if (options.RejectDocumentOnBadEntry && rejected.Count > 0)
            throw new TrustListException(rejected[0].Failure, $"{id}: {rejected.Count} key(s) rejected, first: {rejected[0].Reason}");
        return new TrustListLoadResult { Entries = entries, Rejected = rejected, References = references, Proof = proof, Id = id };
    }

    private static TrustEntry ReadMethod(JsonElement method, string label, string? domain, string? participant, string? usage)
    {
        if (method.ValueKind != JsonValueKind.Object || !method.TryGetProperty("publicKeyJwk", out var jwk) || jwk.ValueKind != JsonValueKind.Object)
            throw new TrustListException(TrustListFailure.Malformed, "verification method has no publicKeyJwk");
        if (!jwk.TryGetProperty("x5c", out var x5c) || x5c.ValueKind != JsonValueKind.Array || x5c.GetArrayLength() == 0 || x5c.GetArrayLength() > 8)
            throw new TrustListException(TrustListFailure.Certificate, "publicKeyJwk has no x5c");
        var chain = x5c.EnumerateArray().Select((c, i) => X509Util.Parse(X509Util.Base64(c.GetString(), $"x5c[{i}]"), $"x5c[{i}]")).ToList();
        var dsc = chain[0];
        var kid = TrustEntry.KidOf(dsc);
        var kidText = Convert.ToBase64String(kid);
        // The kid is the id fragment (v1: "nld#kid", may hold +/=) and/or publicKeyJwk.kid.
        var fragment = label.Contains('#') ? Uri.UnescapeDataString(label[(label.IndexOf('#') + 1)..]) : null;
        var jwkKid = jwk.TryGetProperty("kid", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
        if (fragment is null && jwkKid is null)
            throw new TrustListException(TrustListFailure.Kid, "no kid in the id fragment or the JWK");
        foreach (var claimed in new[] { fragment, jwkKid })
            if (claimed is not null && claimed != kidText)
                throw new TrustListException(TrustListFailure.Kid, $"kid '{claimed}' is not SHA-256(x5c[0])[0..8] = '{kidText}'");
        CheckJwkMatches(jwk, dsc);
        // x5c = [DSC, SCA, …]: each certificate must be issued by the next one.
        if (Pki.CertificateChain.FirstBrokenLink(chain) is var broken and >= 0)
            throw new TrustListException(TrustListFailure.Chain, $"x5c[{broken}] is not issued by x5c[{broken + 1}]");

        // v2 carries {code: "#DCC"} objects (the schema says strings); v1 names the participant in the controller.
        string? Code(string name) =>
            method.TryGetProperty(name, out var v) ? (v.ValueKind == JsonValueKind.Object && v.TryGetProperty("code", out var c) ? c.GetString() : v.ValueKind == JsonValueKind.String ? v.GetString() : null)?.TrimStart('#') : null;
        var controller = method.TryGetProperty("controller", out var ctl) && ctl.ValueKind == JsonValueKind.String ? ctl.GetString() : null;
        var country = Code("participant") ?? participant ?? controller?.Split(':').LastOrDefault()?.ToUpperInvariant();
        var keyUsage = Code("keyusage") ?? usage ?? "DSC";
        return new TrustEntry(dsc, TrustSource.GdhcnDid, country, Code("domain") ?? domain, [keyUsage]);
    }

    /// <summary>The JWK must describe the same key as x5c[0]; coordinates are compared without leading zero bytes
    /// (GDHCN publishes 33-byte and padded values).</summary>
    private static void CheckJwkMatches(JsonElement jwk, X509Certificate2 dsc)
    {
        static byte[] Strip(byte[] v) => v.SkipWhile(b => b == 0).ToArray();
        byte[]? Get(string name) => jwk.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? JwsDetachedProofVerifier.Base64Url(v.GetString()!) : null;
        try
        {
            if (dsc.GetECDsaPublicKey() is { } ec)
            {
                var p = ec.ExportParameters(false);
                if (Get("x") is { } x && !Strip(x).SequenceEqual(Strip(p.Q.X!)) || Get("y") is { } y && !Strip(y).SequenceEqual(Strip(p.Q.Y!)))
                    throw new TrustListException(TrustListFailure.Kid, "publicKeyJwk x/y do not match x5c[0]");
            }
            else if (dsc.GetRSAPublicKey() is { } rsa)
            {
                var p = rsa.ExportParameters(false);
                if (Get("n") is { } n && !Strip(n).SequenceEqual(Strip(p.Modulus!)) || Get("e") is { } e && !Strip(e).SequenceEqual(Strip(p.Exponent!)))
                    throw new TrustListException(TrustListFailure.Kid, "publicKeyJwk n/e do not match x5c[0]");
            }
            else
                throw new TrustListException(TrustListFailure.Certificate, "x5c[0] holds neither an EC nor an RSA key");
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            throw new TrustListException(TrustListFailure.Certificate, "publicKeyJwk or x5c[0] key unreadable: " + e.Message, e);
        }
    }

    /// <summary>did:web:host[:v2]:trustlist:DOMAIN:PARTICIPANT:USAGE (v2; "-" is a wildcard).</summary>
    private static (string? Domain, string? Participant, string? Usage) ParseDid(string id)
    {
        var parts = id.Split(':');
        var at = Array.IndexOf(parts, "trustlist");
        string? Part(int i) => at >= 0 && at + i < parts.Length && parts[at + i] != "-" ? Uri.UnescapeDataString(parts[at + i]) : null;
        return (Part(1), Part(2), Part(3));
    }

    /// <summary>Exports our DSCs as a GDHCN v2 trust-list DID document (JsonWebKey2020, x5c [DSC, SCA], domain/
    /// participant/keyusage as {code}), with a JsonWebSignature2020 proof when a signing key is given (created at
    /// <paramref name="created"/>, else the time provider's now).</summary>
    public static string Export(string did, IEnumerable<GdhcnExportKey> keys, ECDsa? proofKey = null, string? proofVerificationMethod = null, DateTimeOffset? created = null,
        TimeProvider? time = null)
    {
        var controller = did.Contains(':') ? did[..did.LastIndexOf(':')] : did;
        var methods = new JsonArray();
        foreach (var key in keys)
        {
            var kid = Convert.ToBase64String(TrustEntry.KidOf(key.Dsc));
            var jwk = new JsonObject { ["kid"] = kid };
            if (key.Dsc.GetECDsaPublicKey() is { } ec)
            {
                var p = ec.ExportParameters(false);
                jwk["kty"] = "EC";
                jwk["crv"] = p.Curve.Oid.FriendlyName switch { "nistP384" or "ECDSA_P384" => "P-384", "nistP521" or "ECDSA_P521" => "P-521", _ => "P-256" };
                jwk["x"] = DidDocumentSigner.B64Url(p.Q.X!);
                jwk["y"] = DidDocumentSigner.B64Url(p.Q.Y!);
            }
            else if (key.Dsc.GetRSAPublicKey() is { } rsa)
            {
                var p = rsa.ExportParameters(false);
                jwk["kty"] = "RSA";
                jwk["n"] = DidDocumentSigner.B64Url(p.Modulus!);
                jwk["e"] = DidDocumentSigner.B64Url(p.Exponent!);
            }
            var x5c = new JsonArray(Convert.ToBase64String(key.Dsc.RawData));
            if (key.Sca is not null) x5c.Add(Convert.ToBase64String(key.Sca.RawData));
            jwk["x5c"] = x5c;
            methods.Add(new JsonObject
            {
                ["id"] = did + "#" + kid,
                ["type"] = "JsonWebKey2020",
                ["controller"] = controller,
                ["publicKeyJwk"] = jwk,
                ["domain"] = new JsonObject { ["code"] = "#" + key.Domain },
                ["participant"] = new JsonObject { ["code"] = "#" + key.Participant },
                ["keyusage"] = new JsonObject { ["code"] = "#" + key.KeyUsage },
            });
        }
        var document = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"),
            ["id"] = did,
            ["controller"] = controller,
            ["verificationMethod"] = methods,
        };
        if (proofKey is not null)
            DidDocumentSigner.AddProof(document, proofKey, proofVerificationMethod ?? did + "#proof", created ?? (time ?? TimeProvider.System).GetUtcNow());
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
