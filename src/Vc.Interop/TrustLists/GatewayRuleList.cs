using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.Rules;

namespace Vc.Interop.TrustLists;

/// <summary>A validation rule taken from a gateway rule list: the rule, the signed message it came in, and its signer.</summary>
public sealed record GatewayRule(DccRule Rule, string Cms, string SignerCountry, string SignerThumbprint);

/// <summary>
/// The EU DCC gateway's validation rule lists (<c>GET /rules/{country}</c>: <c>{ruleId: [{version, validFrom,
/// validTo, cms}]}</c>; an array of such items or one item is read as well). Only the signed content counts — the
/// item's other fields are unsigned hints: each <c>cms</c> must be a <see cref="GatewaySignedMessage"/> by an UPLOAD
/// certificate of the rule's own Country (the gateway takes a country's rules from that country only), and its content
/// a valid gateway validation rule (the rule schema, CertLogic). All or nothing: one bad item refuses the list.
/// </summary>
public static class GatewayRuleList
{
    /// <summary>Bound on one rule list (all countries' rules are a few MB).</summary>
    public const int MaxListBytes = 64 * 1024 * 1024;

    /// <exception cref="TrustListException">The list, an item's signature, or an item's rule is not acceptable (the item is named).</exception>
    public static IReadOnlyList<GatewayRule> Open(ReadOnlySpan<byte> json, GatewayUploadCertificates uploads)
    {
        if (json.Length > MaxListBytes)
            throw new TrustListException(TrustListFailure.Malformed, $"rule list larger than {MaxListBytes} bytes");
        JsonNode? root;
        try { root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }); }
        catch (JsonException e) { throw new TrustListException(TrustListFailure.Malformed, "the rule list is not JSON: " + e.Message, e); }
        var items = root switch
        {
            JsonObject o when o.ContainsKey("cms") => [("item", o)],
            JsonObject byId => byId.SelectMany(p => p.Value is JsonArray versions
                ? versions.Select((v, i) => ($"{p.Key}[{i}]", v as JsonObject))
                : [(p.Key, null)]).ToList(),
            JsonArray a => a.Select((v, i) => ($"[{i}]", v as JsonObject)).ToList(),
            _ => throw new TrustListException(TrustListFailure.Malformed, "a rule list is {ruleId: [{cms…}]}, an array of {cms} items or one"),
        };
        if (items.Count > DccRuleSet.MaxRules) throw new TrustListException(TrustListFailure.Malformed, $"more than {DccRuleSet.MaxRules} rules");
        var rules = new List<GatewayRule>(items.Count);
        foreach (var (label, item) in items)
        {
            if (item?["cms"] is not JsonValue cmsValue || cmsValue.GetValueKind() != JsonValueKind.String)
                throw new TrustListException(TrustListFailure.Malformed, $"rule item {label}: no cms (base64 CMS signed rule)");
            var cms = cmsValue.GetValue<string>();
            GatewaySignedContent signed;
            try { signed = GatewaySignedMessage.Open(cms, uploads); }
            catch (TrustListException e) { throw new TrustListException(e.Failure, $"rule item {label}: {e.Message}", e); }
            JsonNode? ruleJson;
            try { ruleJson = JsonNode.Parse(signed.Content); }
            catch (JsonException e) { throw new TrustListException(TrustListFailure.Malformed, $"rule item {label}: the signed content is not JSON: {e.Message}", e); }
            DccRule rule;
            try { rule = DccRule.FromJson(ruleJson); }
            catch (DccRuleException e) { throw new TrustListException(TrustListFailure.Malformed, $"rule item {label}: {e.Message}", e); }
            if (!string.Equals(rule.Country, signed.Country, StringComparison.OrdinalIgnoreCase))
                throw new TrustListException(TrustListFailure.Signature,
                    $"rule item {label}: rule {rule.Identifier} of {rule.Country} is signed by an UPLOAD certificate of {signed.Country}");
            rules.Add(new GatewayRule(rule, cms, signed.Country, Convert.ToHexStringLower(SHA256.HashData(signed.Signer.RawData))));
        }
        return rules;
    }
}
