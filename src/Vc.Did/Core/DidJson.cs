using System.Globalization;
using System.Text;
using System.Text.Json;
using Vc.Did.Keys;
using Vc.JsonLd;

namespace Vc.Did.Core;

/// <summary>
/// Writes DID documents and resolution results exactly as the reference resolver's JSON.stringify(x, null, 2)
/// does: member order of the reference, 2-space indentation, ECMA-262 string escaping and number formatting.
/// </summary>
public static class DidJson
{
    public static string Serialize(DidResolutionResult result)
    {
        var w = new Writer();
        w.BeginObject();
        w.Name("didDocumentMetadata"); WriteMetadata(w, result.DidDocumentMetadata);
        w.Name("didResolutionMetadata"); WriteMetadata(w, result.DidResolutionMetadata);
        w.Name("didDocument");
        if (result.DidDocument is null) w.Raw("null"); else WriteDocument(w, result.DidDocument);
        w.EndObject();
        return w.ToString();
    }

    public static string Serialize(DidDocument document)
    {
        var w = new Writer();
        WriteDocument(w, document);
        return w.ToString();
    }

    /// <summary>
    /// Reads a DID document from its JSON representation (DID Core §6.2 application/did+json, §6.3 did+ld+json):
    /// relative DID URLs (#key-1) become absolute; a method embedded in a relationship joins
    /// <see cref="DidDocument.VerificationMethod"/> and the relationship refers to it by id. Members this model does
    /// not hold (alsoKnownAs, controller, extensions) are not kept.
    /// </summary>
    /// <exception cref="FormatException">The JSON is not a DID document (no DID id, malformed method or relationship).</exception>
    public static DidDocument ParseDocument(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object || Str(json, "id") is not { } id || !id.StartsWith("did:", StringComparison.Ordinal))
            throw new FormatException("The DID document has no DID 'id'.");
        var methods = new List<VerificationMethod>();
        foreach (var m in Items(json, "verificationMethod"))
            methods.Add(ParseMethod(m, id));
        List<string> Relationship(string name)
        {
            var references = new List<string>();
            foreach (var item in Items(json, name))
            {
                if (item.ValueKind == JsonValueKind.String) references.Add(Absolute(item.GetString()!, id));
                else if (item.ValueKind == JsonValueKind.Object)
                {
                    var embedded = ParseMethod(item, id);
                    methods.Add(embedded);
                    references.Add(embedded.Id);
                }
                else throw new FormatException($"{name} entries must be strings or objects.");
            }
            return references;
        }
        var services = new List<Service>();
        foreach (var s in Items(json, "service"))
        {
            if (s.ValueKind != JsonValueKind.Object || Str(s, "id") is not { } sid || Str(s, "type") is not { } type
                || !s.TryGetProperty("serviceEndpoint", out var endpoint))
                throw new FormatException("A service needs an id, a type and a serviceEndpoint.");
            services.Add(new Service(Absolute(sid, id), type, endpoint.Clone()));
        }
        return new DidDocument(id)
        {
            Context = json.TryGetProperty("@context", out var context)
                ? context.ValueKind == JsonValueKind.Array ? [.. context.EnumerateArray().Select(c => c.Clone())] : [context.Clone()]
                : null,
            Authentication = Relationship("authentication"),
            AssertionMethod = Relationship("assertionMethod"),
            KeyAgreement = Relationship("keyAgreement"),
            CapabilityInvocation = Relationship("capabilityInvocation"),
            CapabilityDelegation = Relationship("capabilityDelegation"),
            VerificationMethod = methods,
            Service = services,
        };
    }

    private static VerificationMethod ParseMethod(JsonElement m, string documentId)
    {
        if (m.ValueKind != JsonValueKind.Object) throw new FormatException("verificationMethod entries must be objects.");
        var id = Absolute(Str(m, "id") ?? throw new FormatException("A verification method has no id."), documentId);
        var type = Str(m, "type") ?? throw new FormatException($"Verification method {id} has no type.");
        var controller = Str(m, "controller") ?? throw new FormatException($"Verification method {id} has no controller.");
        PublicJwk? jwk = null;
        if (m.TryGetProperty("publicKeyJwk", out var j))
        {
            if (j.ValueKind != JsonValueKind.Object || Str(j, "kty") is not { } kty)
                throw new FormatException($"Verification method {id} has a malformed publicKeyJwk.");
            // A JWK without a curve point (RSA: n, e) is a key this model does not hold: the method stays, without key.
            if (Str(j, "x") is { } x) jwk = new PublicJwk(kty, Str(j, "crv") ?? "", x, Str(j, "y"));
        }
        return new VerificationMethod(id, type, Absolute(controller, documentId))
        {
            BlockchainAccountId = Str(m, "blockchainAccountId"),
            PublicKeyMultibase = Str(m, "publicKeyMultibase"),
            PublicKeyJwk = jwk,
            PublicKeyHex = Str(m, "publicKeyHex"),
            PublicKeyBase58 = Str(m, "publicKeyBase58"),
            PublicKeyBase64 = Str(m, "publicKeyBase64"),
            PublicKeyPem = Str(m, "publicKeyPem"),
        };
    }

    private static string Absolute(string reference, string documentId) =>
        reference.StartsWith('#') ? documentId + reference : reference;

    // DID Core allows a single entry where a set is expected (e.g. a relationship holding one reference).
    private static IEnumerable<JsonElement> Items(JsonElement o, string name) =>
        !o.TryGetProperty(name, out var v) ? [] : v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : [v];

    private static string? Str(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static void WriteMetadata(Writer w, DidDocumentMetadata m)
    {
        w.BeginObject();
        if (m.Deactivated) { w.Name("deactivated"); w.Raw("true"); }
        w.OptionalString("versionId", m.VersionId);
        w.OptionalString("updated", m.Updated);
        w.OptionalString("nextVersionId", m.NextVersionId);
        w.OptionalString("nextUpdate", m.NextUpdate);
        w.EndObject();
    }

    private static void WriteMetadata(Writer w, DidResolutionMetadata m)
    {
        w.BeginObject();
        w.OptionalString("error", m.Error);
        w.OptionalString("message", m.Message);
        w.OptionalString("contentType", m.ContentType);
        if (m.IndexFreshness is { } f)
        {
            w.Name("indexFreshness");
            w.BeginObject();
            w.Name("stale"); w.Raw(f.Stale ? "true" : "false");
            w.Name("indexedToBlock"); w.Raw(f.IndexedToBlock.ToString(CultureInfo.InvariantCulture));
            w.OptionalString("indexedBlockTime", f.IndexedBlockTime);
            w.OptionalString("lastSyncedAt", f.LastSyncedAt);
            if (f.SecondsSinceLastSync is { } s) { w.Name("secondsSinceLastSync"); w.Raw(s.ToString(CultureInfo.InvariantCulture)); }
            w.OptionalString("reason", f.Reason);
            w.EndObject();
        }
        w.EndObject();
    }

    private static void WriteDocument(Writer w, DidDocument d)
    {
        w.BeginObject();
        w.Name("id"); w.String(d.Id);
        w.Name("verificationMethod");
        w.BeginArray();
        foreach (var vm in d.VerificationMethod) { w.Item(); WriteVerificationMethod(w, vm); }
        w.EndArray();
        w.Name("authentication"); w.StringArray(d.Authentication);
        w.Name("assertionMethod"); w.StringArray(d.AssertionMethod);
        if (d.Service.Count > 0)
        {
            w.Name("service");
            w.BeginArray();
            foreach (var s in d.Service)
            {
                w.Item();
                w.BeginObject();
                w.Name("id"); w.String(s.Id);
                w.Name("type"); w.String(s.Type);
                w.Name("serviceEndpoint"); w.Element(s.ServiceEndpoint, 0);
                w.EndObject();
            }
            w.EndArray();
        }
        if (d.KeyAgreement.Count > 0) { w.Name("keyAgreement"); w.StringArray(d.KeyAgreement); }
        if (d.CapabilityInvocation.Count > 0) { w.Name("capabilityInvocation"); w.StringArray(d.CapabilityInvocation); }
        if (d.CapabilityDelegation.Count > 0) { w.Name("capabilityDelegation"); w.StringArray(d.CapabilityDelegation); }
        if (d.Context is { } context)
        {
            w.Name("@context");
            w.BeginArray();
            foreach (var c in context) { w.Item(); w.Element(c, 0); }
            w.EndArray();
        }
        w.EndObject();
    }

    private static void WriteVerificationMethod(Writer w, VerificationMethod vm)
    {
        w.BeginObject();
        w.Name("id"); w.String(vm.Id);
        w.Name("type"); w.String(vm.Type);
        w.Name("controller"); w.String(vm.Controller);
        w.OptionalString("blockchainAccountId", vm.BlockchainAccountId);
        if (vm.PublicKeyJwk is { } jwk)
        {
            w.Name("publicKeyJwk");
            w.BeginObject();
            w.Name("kty"); w.String(jwk.Kty);
            w.Name("crv"); w.String(jwk.Crv);
            w.Name("x"); w.String(jwk.X);
            w.OptionalString("y", jwk.Y);
            w.EndObject();
        }
        w.OptionalString("publicKeyMultibase", vm.PublicKeyMultibase);
        w.OptionalString("publicKeyHex", vm.PublicKeyHex);
        w.OptionalString("publicKeyBase58", vm.PublicKeyBase58);
        w.OptionalString("publicKeyBase64", vm.PublicKeyBase64);
        w.OptionalString("publicKeyPem", vm.PublicKeyPem);
        w.OptionalString("value", vm.Value);
        w.EndObject();
    }

    /// <summary>ECMA-262 Number::toString (Vc.JsonLd's, shared with JCS); JSON.stringify prints non-finite numbers as null.</summary>
    public static string FormatNumber(double d) => double.IsFinite(d) ? EcmaScriptNumber.Format(d) : "null";

    /// <summary>A tiny indenting writer with JSON.stringify's layout.</summary>
    private sealed class Writer
    {
        private readonly StringBuilder _sb = new();
        private readonly Stack<bool> _hasItems = new();
        

        public override string ToString() => _sb.ToString();

        private void Indent() { _sb.Append('\n'); _sb.Append(' ', _hasItems.Count * 2); }

        private void BeforeMember()
        {
            if (_hasItems.Count == 0) return;
            if (_hasItems.Peek()) _sb.Append(',');
            _hasItems.Pop(); _hasItems.Push(true);
            Indent();
        }

        public void BeginObject() { Open('{'); }
        public void BeginArray() { Open('['); }
        private void Open(char c) { _sb.Append(c); _hasItems.Push(false); }
        public void EndObject() => Close('}');
        public void EndArray() => Close(']');
        private void Close(char c)
        {
            var had = _hasItems.Pop();
            if (had) Indent();
            _sb.Append(c);
        }

        public void Name(string name) { BeforeMember(); Quote(name); _sb.Append(": "); }
        public void Item() { BeforeMember(); }
        public void Raw(string text) { _sb.Append(text); }
        public void String(string value) { Quote(value); }
        public void OptionalString(string name, string? value) { if (value is not null) { Name(name); String(value); } }
        public void StringArray(IReadOnlyList<string> values)
        {
            BeginArray();
            foreach (var v in values) { Item(); String(v); }
            EndArray();
        }

        public void Element(JsonElement e, int depth)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.String: String(e.GetString()!); break;
                case JsonValueKind.Number: Raw(FormatNumber(e.GetDouble())); break;
                case JsonValueKind.True: Raw("true"); break;
                case JsonValueKind.False: Raw("false"); break;
                case JsonValueKind.Null: Raw("null"); break;
                case JsonValueKind.Array:
                    BeginArray();
                    foreach (var item in e.EnumerateArray()) { Item(); Element(item, depth + 1); }
                    EndArray();
                    break;
                case JsonValueKind.Object:
                    // JSON.parse keeps the first position of a repeated key and the last value.
                    var members = new List<(string Name, JsonElement Value)>();
                    var index = new Dictionary<string, int>(StringComparer.Ordinal);
                    foreach (var p in e.EnumerateObject())
                    {
                        if (index.TryGetValue(p.Name, out var i)) members[i] = (p.Name, p.Value);
                        else { index[p.Name] = members.Count; members.Add((p.Name, p.Value)); }
                    }
                    // Integer-like keys come first in ascending order in JS objects (ECMA-262 OrdinaryOwnPropertyKeys).
                    var ordered = members.Where(m => IsArrayIndex(m.Name)).OrderBy(m => uint.Parse(m.Name, CultureInfo.InvariantCulture))
                        .Concat(members.Where(m => !IsArrayIndex(m.Name)));
                    BeginObject();
                    foreach (var (name, value) in ordered) { Name(name); Element(value, depth + 1); }
                    EndObject();
                    break;
                default: Raw("null"); break;
            }
        }

        private static bool IsArrayIndex(string s) =>
            s.Length is > 0 and <= 10 && s.All(char.IsAsciiDigit) && (s == "0" || s[0] != '0')
            && uint.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v < uint.MaxValue;

        /// <summary>ECMA-262 QuoteJSONString: short escapes, \u00XX for other controls, lone surrogates escaped.</summary>
        private void Quote(string s) => Vc.JsonLd.JcsString.TryAppend(_sb, s, escapeLoneSurrogates: true);
    }
}
