using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vc.Interop.TrustLists;

/// <summary>Checks the proof of a trust-list DID document. Pluggable, because WHO's signing key and its exact
/// signing input are configuration, not code.</summary>
public interface IDidProofVerifier
{
    /// <summary>True if <paramref name="proof"/> is a valid proof over <paramref name="document"/> (proof included).</summary>
    bool Verify(JsonElement document, JsonElement proof, out string reason);
}

/// <summary>JsonWebSignature2020 with a detached, unencoded-payload JWS (RFC 7515 App. F, RFC 7797 b64=false), the
/// shape GDHCN publishes: signing input = ASCII(BASE64URL(header)) ‖ '.' ‖ JCS(document without proof). The key is
/// the configured anchor (WHO's, or our own for the documents we export). ES256 signatures are accepted as r‖s or
/// DER (the GDHCN quirk).</summary>
public sealed class JwsDetachedProofVerifier(AsymmetricAlgorithm anchorKey) : IDidProofVerifier
{
    public bool Verify(JsonElement document, JsonElement proof, out string reason)
    {
        reason = "";
        if (proof.ValueKind != JsonValueKind.Object || !proof.TryGetProperty("jws", out var jwsElement) || jwsElement.ValueKind != JsonValueKind.String)
        {
            reason = "proof has no jws";
            return false;
        }
        var parts = jwsElement.GetString()!.Split('.');
        if (parts.Length != 3 || parts[1].Length != 0)
        {
            reason = "jws is not a detached JWS (header..signature)";
            return false;
        }
        byte[] signature;
        JsonElement header;
        try
        {
            signature = Base64Url(parts[2]);
            header = JsonDocument.Parse(Base64Url(parts[0])).RootElement;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            reason = "jws is not base64url/JSON";
            return false;
        }
        var b64 = !header.TryGetProperty("b64", out var b) || b.ValueKind != JsonValueKind.False;
        var payload = DidDocumentSigner.SigningPayload(document);
        var input = Encoding.ASCII.GetBytes(parts[0] + ".").Concat(b64 ? Encoding.ASCII.GetBytes(Convert.ToBase64String(payload).TrimEnd('=').Replace('+', '-').Replace('/', '_')) : payload).ToArray();
        try
        {
            var ok = anchorKey switch
            {
                ECDsa ec => ec.VerifyData(input, signature, HashAlgorithmName.SHA256,
                    signature.Length == 2 * ((ec.KeySize + 7) / 8) ? DSASignatureFormat.IeeeP1363FixedFieldConcatenation : DSASignatureFormat.Rfc3279DerSequence),
                RSA rsa => rsa.VerifyData(input, signature, HashAlgorithmName.SHA256,
                    header.TryGetProperty("alg", out var alg) && alg.GetString() is "RS256" ? RSASignaturePadding.Pkcs1 : RSASignaturePadding.Pss),
                _ => false,
            };
            reason = ok ? "" : "signature does not verify with the anchor key";
            return ok;
        }
        catch (CryptographicException e)
        {
            reason = "malformed signature: " + e.Message;
            return false;
        }
    }

    internal static byte[] Base64Url(string s)
    {
        var t = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(t.PadRight(t.Length + (4 - t.Length % 4) % 4, '='));
    }
}

/// <summary>Adds a JsonWebSignature2020 proof (detached ES256 JWS, b64=false, over JCS of the document without its
/// proof) to DID documents we publish.</summary>
public static class DidDocumentSigner
{
    public static byte[] SigningPayload(JsonElement document)
    {
        var copy = JsonNode.Parse(document.GetRawText())!.AsObject();
        copy.Remove("proof");
        return Vc.Credentials.Jcs.JsonCanonicalizer.Canonicalize(copy); // RFC 8785, one implementation for the project
    }

    public static JsonObject AddProof(JsonObject document, ECDsa key, string verificationMethod, DateTimeOffset created)
    {
        var header = Encoding.UTF8.GetBytes("""{"b64":false,"crit":["b64"],"alg":"ES256"}""");
        var h = B64Url(header);
        var payload = SigningPayload(JsonSerializer.SerializeToElement(document));
        var signature = key.SignData(Encoding.ASCII.GetBytes(h + ".").Concat(payload).ToArray(), HashAlgorithmName.SHA256);
        document["proof"] = new JsonObject
        {
            ["type"] = "JsonWebSignature2020",
            ["created"] = created.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["proofPurpose"] = "assertionMethod",
            ["verificationMethod"] = verificationMethod,
            ["jws"] = h + ".." + B64Url(signature),
        };
        return document;
    }

    internal static string B64Url(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
