using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Vc.Did.Core;
using Vc.Did.Keys;
using Vc.Did.Encoding;

namespace Vc.Did.Ethr;

/// <summary>The document built from an identity's history, with the version numbers it saw.</summary>
public sealed record EthrDocumentState(DidDocument Document, bool Deactivated, long VersionId, long? NextVersionId);

/// <summary>
/// Builds a did:ethr DID document from the registry history (did:ethr method spec §"Read (Resolve)"), following
/// the current reference resolver's layout: ids, counters, ordering and @context.
/// </summary>
public static partial class EthrDocumentBuilder
{
    public const string RecoveryMethod2020 = "EcdsaSecp256k1RecoveryMethod2020";
    public const string Secp256k1Key2019 = "EcdsaSecp256k1VerificationKey2019";
    public const string Ed25519Key2020 = "Ed25519VerificationKey2020";
    public const string X25519Key2020 = "X25519KeyAgreementKey2020";
    public const string Multikey = "Multikey";
    public const string NullAddress = "0x0000000000000000000000000000000000000000";

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>
    /// Walks <paramref name="history"/> oldest → newest. <paramref name="cutoffBlock"/>: events after this block are
    /// not applied (?versionId / ?versionTime), only noted as the next version. <paramref name="now"/>: unix seconds
    /// against which validTo is checked (inclusive).
    /// </summary>
    public static EthrDocumentState Build(string did, string address, byte[]? controllerKey, IEnumerable<Erc1056Event> history,
        long chainId, long? cutoffBlock, long now)
    {
        var controller = address;
        long versionId = 0;
        long? nextVersionId = null;
        var deactivated = false;
        var delegateCount = 0;
        var serviceCount = 0;
        // Ordered maps keyed by event key: overwrite keeps position, delete + re-add appends.
        var auth = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        var keyAgreement = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        var signing = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        var keys = new OrderedDictionary<string, VerificationMethod>(StringComparer.Ordinal);
        var services = new OrderedDictionary<string, Service>(StringComparer.Ordinal);
        var nowBig = new BigInteger(now);

        foreach (var ev in history)
        {
            if (cutoffBlock is { } cutoff && ev.BlockNumber > cutoff)
            {
                if (nextVersionId is null || ev.BlockNumber < nextVersionId) nextVersionId = ev.BlockNumber;
                continue;
            }
            if (versionId < ev.BlockNumber) versionId = ev.BlockNumber;

            var validTo = ev switch { DidDelegateChanged dd => dd.ValidTo, DidAttributeChanged da => da.ValidTo, _ => BigInteger.Zero };
            var key = EventKey(ev);
            if (!validTo.IsZero && validTo >= nowBig)
            {
                switch (ev)
                {
                    case DidDelegateChanged dd:
                        delegateCount++;
                        // Spec: veriKey → assertionMethod; sigAuth → also authentication. Other types only count.
                        if (dd.DelegateType is "sigAuth" or "veriKey")
                        {
                            var id = $"{did}#delegate-{delegateCount}";
                            if (dd.DelegateType == "sigAuth") auth[key] = id;
                            signing[key] = id;
                            keys[key] = new VerificationMethod(id, RecoveryMethod2020, did) { BlockchainAccountId = $"eip155:{chainId}:{dd.Delegate}" };
                        }
                        break;
                    case DidAttributeChanged da when AttributeName().Match(da.Name) is { Success: true } m:
                        if (m.Groups[1].Value == "pub")
                        {
                            delegateCount++;
                            var vm = PublicKey($"{did}#delegate-{delegateCount}", did, m.Groups[2].Value, m.Groups[6].Success ? m.Groups[6].Value : null, da.Value);
                            keys[key] = vm;
                            var purpose = m.Groups[4].Success ? m.Groups[4].Value : null;
                            if (purpose == "sigAuth") { auth[key] = vm.Id; signing[key] = vm.Id; }
                            else if (purpose == "enc") keyAgreement[key] = vm.Id;
                            else signing[key] = vm.Id;
                        }
                        else
                        {
                            serviceCount++;
                            if (ServiceEndpoint(da.Value) is { } endpoint)
                                services[key] = new Service($"{did}#service-{serviceCount}", m.Groups[2].Value, endpoint);
                        }
                        break;
                }
            }
            else if (ev is DidOwnerChanged oc)
            {
                controller = oc.Owner;
                if (oc.Owner == NullAddress) { deactivated = true; break; }
            }
            else
            {
                // Revoked or expired: the counters still advance, and the entry with the same event key goes.
                if (ev is DidDelegateChanged || ev is DidAttributeChanged { Name: var n } && n.StartsWith("did/pub/", StringComparison.Ordinal))
                    delegateCount++;
                else if (ev is DidAttributeChanged { Name: var s } && s.StartsWith("did/svc/", StringComparison.Ordinal))
                    serviceCount++;
                auth.Remove(key);
                signing.Remove(key);
                keys.Remove(key);
                services.Remove(key);
                // Deliberate fix over the reference (which keeps it): a revoked key must not stay referenced by keyAgreement.
                keyAgreement.Remove(key);
            }
        }

        if (deactivated)
            return new EthrDocumentState(WithContext(new DidDocument(did)), true, versionId, nextVersionId);

        var methods = new List<VerificationMethod>
        {
            new($"{did}#controller", RecoveryMethod2020, did) { BlockchainAccountId = $"eip155:{chainId}:{controller}" },
        };
        var authentication = new List<string> { $"{did}#controller" };
        var assertion = new List<string> { $"{did}#controller" };
        // Public-key DIDs: the key itself, while the identity still owns itself.
        if (controllerKey is not null && controller == address && Codec.Secp256k1Point(controllerKey) is { } p)
        {
            methods.Add(new VerificationMethod($"{did}#controllerKey", Secp256k1Key2019, did)
            { PublicKeyJwk = new PublicJwk("EC", "secp256k1", Codec.Base64Url(p.X), Codec.Base64Url(p.Y)) });
            authentication.Add($"{did}#controllerKey");
            assertion.Add($"{did}#controllerKey");
        }
        methods.AddRange(keys.Values);
        authentication.AddRange(auth.Values);
        assertion.AddRange(signing.Values);
        var document = new DidDocument(did)
        {
            VerificationMethod = methods,
            Authentication = authentication,
            AssertionMethod = assertion,
            Service = services.Values.ToList(),
            KeyAgreement = keyAgreement.Values.ToList(),
        };
        return new EthrDocumentState(WithContext(document), false, versionId, nextVersionId);
    }

    /// <summary>The reference's event key: name-type-delegate or name-name-value (missing parts print as "undefined").</summary>
    private static string EventKey(Erc1056Event ev) => ev switch
    {
        DidDelegateChanged d => $"DIDDelegateChanged-{(d.DelegateType.Length > 0 ? d.DelegateType : "undefined")}-{d.Delegate}",
        DidAttributeChanged a => $"DIDAttributeChanged-{(a.Name.Length > 0 ? a.Name : "undefined")}-{Codec.ToHex0x(a.Value)}",
        _ => "DIDOwnerChanged-undefined-undefined",
    };

    /// <summary>did:ethr spec §"Public Keys": the key algorithm names the verification method type and encoding.</summary>
    private static VerificationMethod PublicKey(string id, string did, string algorithm, string? encoding, byte[] value)
    {
        switch (algorithm)
        {
            case "Secp256k1" when Codec.Secp256k1Point(value) is { } p:
                return new VerificationMethod(id, Secp256k1Key2019, did)
                { PublicKeyJwk = new PublicJwk("EC", "secp256k1", Codec.Base64Url(p.X), Codec.Base64Url(p.Y)) };
            case "Secp256k1":
                // Not a curve point: keep the bytes rather than fail the whole resolution.
                return new VerificationMethod(id, Secp256k1Key2019, did) { PublicKeyHex = Codec.ToHex(value) };
            case "Ed25519":
                return new VerificationMethod(id, Ed25519Key2020, did) { PublicKeyMultibase = Multibase.EncodeBase58Btc([.. Multicodec.Ed25519Public, .. value]) };
            case "X25519":
                return new VerificationMethod(id, X25519Key2020, did) { PublicKeyMultibase = Multibase.EncodeBase58Btc([.. Multicodec.X25519Public, .. value]) };
            case "Multikey":
                // The value already starts with its multicodec prefix.
                return new VerificationMethod(id, Multikey, did) { PublicKeyMultibase = Multibase.EncodeBase58Btc(value) };
        }
        // Unknown key types pass through with the encoding hint honoured.
        var vm = new VerificationMethod(id, algorithm, did);
        return encoding switch
        {
            null or "hex" => vm with { PublicKeyHex = Codec.ToHex(value) },
            "base64" => vm with { PublicKeyBase64 = Convert.ToBase64String(value) },
            "base58" => vm with { PublicKeyBase58 = Codec.ToBase58(value) },
            "pem" => vm with { PublicKeyPem = Pem(value) },
            _ => vm with { Value = Codec.ToHex(value) },
        };
    }

    private static string Pem(byte[] der)
    {
        var b64 = Convert.ToBase64String(der);
        var sb = new StringBuilder("-----BEGIN PUBLIC KEY-----\n");
        for (var i = 0; i < b64.Length; i += 64) sb.Append(b64.AsSpan(i, Math.Min(64, b64.Length - i))).Append('\n');
        return sb.Append("-----END PUBLIC KEY-----").ToString();
    }

    /// <summary>Service endpoint: the UTF-8 value, parsed as JSON when it parses; null (skipped) when not UTF-8.</summary>
    private static JsonElement? ServiceEndpoint(byte[] value)
    {
        string text;
        try { text = StrictUtf8.GetString(value); }
        catch (DecoderFallbackException) { return null; }
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
            return doc.RootElement.Clone();
        }
        catch (JsonException) { return JsonSerializer.SerializeToElement(text); }
    }

    private static readonly JsonElement JwkTerm = JsonDocument.Parse(
        """{"publicKeyJwk":{"@id":"https://w3id.org/security#publicKeyJwk","@type":"@json"}}""").RootElement.Clone();

    /// <summary>The @context for the key types and properties present (reference buildLdContext).</summary>
    public static DidDocument WithContext(DidDocument d)
    {
        var ctx = new List<string> { "https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/secp256k1recovery-2020/v2" };
        var vms = d.VerificationMethod;
        bool Has(string type) => vms.Any(v => v.Type == type);
        var hasHex = vms.Any(v => v.PublicKeyHex is not null);
        var hasJwk = vms.Any(v => v.PublicKeyJwk is not null);
        var hasB58 = vms.Any(v => v.PublicKeyBase58 is not null);
        var hasPem = vms.Any(v => v.PublicKeyPem is not null);
        var hasB64 = vms.Any(v => v.PublicKeyBase64 is not null);
        var securityV2 = Has(Secp256k1Key2019) || Has("RsaVerificationKey2018") || hasB58 || hasPem;
        if (securityV2) ctx.Add("https://w3id.org/security/v2");
        if (Has(Ed25519Key2020)) ctx.Add("https://w3id.org/security/suites/ed25519-2020/v1");
        if (Has(X25519Key2020)) ctx.Add("https://w3id.org/security/suites/x25519-2020/v1");
        if (Has("Bls12381G2Key2020") || Has("Bls12381G1Key2020")) ctx.Add("https://w3id.org/security/suites/bls12381-2020/v1");
        if (Has(Multikey)) ctx.Add("https://w3id.org/security/multikey/v1");
        var elements = ctx.Select(c => JsonSerializer.SerializeToElement(c)).ToList();

        var inline = new List<string>();
        if (hasHex) inline.Add("\"publicKeyHex\":\"https://w3id.org/security#publicKeyHex\"");
        if (hasJwk) inline.Add("\"publicKeyJwk\":" + JwkTerm.GetProperty("publicKeyJwk").GetRawText());
        if (hasB58 && !securityV2) inline.Add("\"publicKeyBase58\":\"https://w3id.org/security#publicKeyBase58\"");
        if (hasPem && !securityV2) inline.Add("\"publicKeyPem\":\"https://w3id.org/security#publicKeyPem\"");
        if (hasB64) inline.Add("\"publicKeyBase64\":\"https://w3id.org/security#publicKeyBase64\"");
        if (inline.Count > 0)
        {
            using var doc = JsonDocument.Parse("{" + string.Join(",", inline) + "}");
            elements.Add(doc.RootElement.Clone());
        }
        return d with { Context = elements };
    }

    // did:ethr spec: attribute names did/(pub|svc)/<type>[/<purpose>][/<encoding>]; \w is ASCII as in JavaScript.
    [GeneratedRegex(@"\Adid/(pub|svc)/([A-Za-z0-9_]+)(/([A-Za-z0-9_]+))?(/([A-Za-z0-9_]+))?\z")]
    private static partial Regex AttributeName();
}
