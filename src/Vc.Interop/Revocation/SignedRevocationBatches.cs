using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.Interop.TrustLists;

namespace Vc.Interop.Revocation;

/// <summary>
/// The gateway's revocation batch downloads (<c>GET /revocation-list/{batchId}</c>, application/cms-text): each a
/// <see cref="GatewaySignedMessage"/> whose content is one batch <c>{country, expires, kid, hashType, entries}</c>,
/// signed by an UPLOAD certificate of the batch's own country (a country uploads and deletes only its own batches).
/// A file holds one download (the base64 text) or a JSON array of them. All or nothing.
/// </summary>
public static class SignedRevocationBatches
{
    /// <summary>Whether the file looks like signed downloads (base64 text or an array of strings) rather than plain JSON batches.</summary>
    public static bool LooksSigned(ReadOnlySpan<byte> content)
    {
        var text = Encoding.UTF8.GetString(content).TrimStart();
        return text.Length > 0 && text[0] != '{' && (text[0] != '[' || text.TrimStart('[', ' ', '\r', '\n', '\t').StartsWith('"'));
    }

    /// <summary>The verified batches as one JSON array (what <see cref="DccRevocationList.Parse"/> reads) and the signers' countries.</summary>
    /// <exception cref="DccRevocationException">Not signed downloads, a signature or signer that does not hold, or a
    /// batch of another country than its signer's (the item is named).</exception>
    public static (byte[] Batches, IReadOnlyList<string> Countries) Open(ReadOnlySpan<byte> content, GatewayUploadCertificates uploads)
    {
        if (content.Length > DccRevocationList.MaxFileBytes) throw new DccRevocationException($"revocation file larger than {DccRevocationList.MaxFileBytes} bytes");
        var text = Encoding.UTF8.GetString(content).Trim();
        List<string> messages;
        if (text.StartsWith('['))
        {
            try
            {
                messages = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 4 }) is JsonArray a
                    && a.All(x => x is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                    ? a.Select(x => x!.GetValue<string>()).ToList()
                    : throw new DccRevocationException("signed downloads are base64 text or a JSON array of base64 strings");
            }
            catch (JsonException e) { throw new DccRevocationException("the file is not JSON: " + e.Message, e); }
        }
        else messages = [text];
        var batches = new JsonArray();
        var countries = new List<string>();
        for (var i = 0; i < messages.Count; i++)
        {
            GatewaySignedContent signed;
            try { signed = GatewaySignedMessage.Open(messages[i], uploads); }
            catch (TrustListException e) { throw new DccRevocationException($"download {i}: {e.Message}", e); }
            JsonNode? batch;
            try { batch = JsonNode.Parse(signed.Content, documentOptions: new JsonDocumentOptions { MaxDepth = 8 }); }
            catch (JsonException e) { throw new DccRevocationException($"download {i}: the signed content is not JSON: {e.Message}", e); }
            if (batch is not JsonObject o) throw new DccRevocationException($"download {i}: the signed content is not a batch object");
            var country = o["country"] is JsonValue c && c.GetValueKind() == JsonValueKind.String ? c.GetValue<string>() : null;
            if (!string.Equals(country, signed.Country, StringComparison.OrdinalIgnoreCase))
                throw new DccRevocationException($"download {i}: a batch of {country ?? "no country"} signed by an UPLOAD certificate of {signed.Country}");
            batches.Add(o);
            countries.Add(signed.Country);
        }
        var json = Encoding.UTF8.GetBytes(batches.ToJsonString());
        DccRevocationList.Parse(json); // the whole content must be valid batches before anything is accepted
        return (json, countries);
    }
}
