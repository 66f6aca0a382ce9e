using System.Security.Cryptography;
using System.Text.Json;
using Vc.Credentials.Json;
using Vc.Did.Encoding;
using Vc.JsonLd;

namespace Vc.Credentials.Model;

/// <summary>
/// VC DM 2.0 §5.3 Integrity of Related Resources: the form of <c>relatedResource</c> entries, and their digests
/// checked against the resources this node holds (its bundled contexts). Nothing is fetched: a resource the node
/// does not hold has only its form checked.
/// </summary>
public static class RelatedResources
{
    /// <summary>Most relatedResource entries read on one credential (each may hash a context).</summary>
    public const int MaxEntries = 64;

    // Earlier W3C-published versions of bundled contexts (sha256 hex of their bytes), still named by credentials
    // issued against them: the VC DM 2.0 CR2 text (2024) published 24a18c90…43b9 for credentials/v2 before the
    // 2025 context fix. A digest naming that version identifies a published state of the resource, not a tampered one.
    private static readonly Dictionary<string, (string Sha256, string Sha384)[]> PublishedEarlier = new(StringComparer.Ordinal)
    {
        ["https://www.w3.org/ns/credentials/v2"] =
        [(
            "24a18c90e9856d526111f29376e302d970b2bd10182e33959995b0207d7043b9",
            "35239c36999d2155312091af194a1edb61634d6ad789a5e5b19f2aebdd762dd9d1dcaada40eda7ef921c6b8c0ae107a0"
        )],
    };

    /// <summary>§5.3 form rules: one or more objects, each with an id URL unique in the list and at least a
    /// digestSRI or digestMultibase whose syntax is valid. Violations are appended to <paramref name="errors"/>.</summary>
    public static void CheckForm(JsonElement credential, List<string> errors)
    {
        var value = credential.Get("relatedResource"u8);
        if (!value.Exists()) return;
        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0)
        {
            errors.Add("§5.3: relatedResource must hold one or more objects.");
            return;
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var count = 0;
        foreach (var entry in JsonInput.Items(value))
        {
            if (++count > MaxEntries) { errors.Add($"§5.3: more than {MaxEntries} relatedResource entries."); return; }
            if (entry.ValueKind != JsonValueKind.Object) { errors.Add("§5.3: each relatedResource must be an object."); continue; }
            var id = entry.GetString("id"u8);
            if (!JsonInput.IsUrl(id)) errors.Add("§5.3: each relatedResource needs an 'id' URL (§4.4).");
            else if (!ids.Add(id!)) errors.Add($"§5.3: relatedResource id {id} is not unique.");
            var sri = entry.Get("digestSRI"u8);
            var multibase = entry.Get("digestMultibase"u8);
            if (!sri.Exists() && !multibase.Exists()) errors.Add("§5.3: each relatedResource needs a digestSRI or a digestMultibase.");
            if (sri.Exists() && (!sri.IsString(out var s) || ParseSri(s).Count == 0))
                errors.Add("§5.3: digestSRI must be a Subresource Integrity hash expression (sha256-, sha384- or sha512- base64).");
            if (multibase.Exists() && (!multibase.IsString(out var m) || ParseMultibase(m) is null))
                errors.Add("§5.3: digestMultibase must be a multibase (base64url 'u' or base58btc 'z') SHA-256 digest.");
            var mediaType = entry.Get("mediaType"u8);
            if (mediaType.Exists() && (!mediaType.IsString(out var mt) || !mt.Contains('/')))
                errors.Add("§5.3: mediaType must be a media type string.");
        }
    }

    /// <summary>
    /// §5.3: for each entry naming a resource <paramref name="loader"/> holds, every digest must match it ("if the
    /// digest … does not match the digest computed for the retrieved resource, … MUST produce an error"). Returns the
    /// mismatches; entries for resources not held are skipped (their form is <see cref="CheckForm"/>'s).
    /// </summary>
    public static IReadOnlyList<string> CheckDigests(JsonElement credential, DocumentLoader? loader)
    {
        var errors = new List<string>();
        if (loader is null) return errors;
        foreach (var entry in JsonInput.Items(credential.Get("relatedResource"u8)).Take(MaxEntries))
        {
            if (entry.ValueKind != JsonValueKind.Object || entry.GetString("id"u8) is not { } id || !loader.Contains(id)) continue;
            var content = loader.Load(id).Content.Span;
            var versions = new List<(byte[] Sha256, byte[] Sha384, byte[]? Sha512)> { (SHA256.HashData(content), SHA384.HashData(content), SHA512.HashData(content)) };
            if (PublishedEarlier.TryGetValue(id, out var earlier))
                versions.AddRange(earlier.Select(e => (Convert.FromHexString(e.Sha256), Convert.FromHexString(e.Sha384), (byte[]?)null)));
            // Malformed digests are CheckForm's to report: only well-formed ones are compared here.
            if (entry.GetString("digestSRI"u8) is { } sri && ParseSri(sri) is { Count: > 0 } hashes)
            {
                // SRI §3.3.5: the strongest algorithm given decides; any of its values may match.
                var strongest = hashes.Max(h => Strength(h.Algorithm));
                var match = hashes.Where(h => Strength(h.Algorithm) == strongest)
                    .Any(h => versions.Any(v => Of(v, h.Algorithm) is { } d && CryptographicOperations.FixedTimeEquals(d, h.Digest)));
                if (!match) errors.Add($"§5.3: digestSRI of relatedResource {id} does not match the resource.");
            }
            if (entry.GetString("digestMultibase"u8) is { } mb && ParseMultibase(mb) is { } digest
                && !versions.Any(v => CryptographicOperations.FixedTimeEquals(v.Sha256, digest)))
                errors.Add($"§5.3: digestMultibase of relatedResource {id} does not match the resource.");
        }
        return errors;
    }

    private static int Strength(string algorithm) => algorithm switch { "sha256" => 1, "sha384" => 2, "sha512" => 3, _ => 0 };

    private static byte[]? Of((byte[] Sha256, byte[] Sha384, byte[]? Sha512) v, string algorithm) => algorithm switch
    {
        "sha256" => v.Sha256,
        "sha384" => v.Sha384,
        "sha512" => v.Sha512,
        _ => null,
    };

    // SRI §3.5 integrity metadata: space-separated "alg-base64[?options]"; base64url accepted too (seen in the wild).
    private static List<(string Algorithm, byte[] Digest)> ParseSri(string value)
    {
        var result = new List<(string, byte[])>();
        if (value.Length > 4096) return result;
        foreach (var token in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var dash = token.IndexOf('-');
            if (dash < 0) return [];
            var algorithm = token[..dash];
            var b64 = token[(dash + 1)..];
            var q = b64.IndexOf('?');
            if (q >= 0) b64 = b64[..q];
            var expected = algorithm switch { "sha256" => 32, "sha384" => 48, "sha512" => 64, _ => 0 };
            if (expected == 0) return [];
            byte[] digest;
            try { digest = Convert.FromBase64String(b64.Replace('-', '+').Replace('_', '/').PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=')); }
            catch (FormatException) { return []; }
            if (digest.Length != expected) return [];
            result.Add((algorithm, digest));
        }
        return result;
    }

    // DI 1.0 §2.6: a multibase SHA-256 digest; a multihash-wrapped one (0x12 0x20 ‖ digest) is read too.
    private static byte[]? ParseMultibase(string value)
    {
        byte[] bytes;
        try { bytes = Multibase.Decode(value, maxLength: 256); }
        catch (FormatException) { return null; }
        if (bytes.Length == 32) return bytes;
        if (bytes.Length == 34 && bytes[0] == 0x12 && bytes[1] == 0x20) return bytes[2..];
        return null;
    }
}
