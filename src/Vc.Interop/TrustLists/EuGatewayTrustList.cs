using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Vc.Interop.Pki;

namespace Vc.Interop.TrustLists;

/// <summary>The EU DCC gateway trust list (dgc-gateway <c>GET /trustList</c>): items {kid, timestamp, country,
/// certificateType, thumbprint, signature, rawData}. CSCA/UPLOAD/AUTHENTICATION items carry a detached CMS
/// signature (RFC 5652) by the gateway trust anchor; each DSC item one by its country's UPLOAD certificate, and the
/// DSC must be issued by one of its country's CSCAs. Only DSCs that pass every check become trust entries.</summary>
public static class EuGatewayTrustList
{
    public const int MaxItems = 100_000;

    public static TrustListLoadResult Load(ReadOnlySpan<byte> json, X509Certificate2 trustAnchor)
    {
        var (parsed, rejected) = Parse(json);
        var (cscas, uploads) = TrustedParties(parsed, trustAnchor, rejected);

        var entries = new List<TrustEntry>();
        foreach (var (item, cert) in parsed.Where(p => p.Item.CertificateType == "DSC"))
        {
            string? why = "no UPLOAD certificate for the country";
            if (!uploads.TryGetValue(item.Country, out var ups) || !ups.Any(u => VerifyCms(item, u, out why)))
            {
                rejected.Add(new TrustListRejection(item.Label, TrustListFailure.Signature, "not signed by an UPLOAD certificate of " + item.Country + ": " + why));
                continue;
            }
            if (!cscas.TryGetValue(item.Country, out var cas) || !cas.Any(ca => CertificateChain.IsIssuedBy(cert, ca)))
            {
                rejected.Add(new TrustListRejection(item.Label, TrustListFailure.Chain, "not issued by a CSCA of " + item.Country));
                continue;
            }
            entries.Add(new TrustEntry(cert, TrustSource.EuGateway, item.Country, "DCC", ["DSC"]));
        }
        foreach (var (item, _) in parsed.Where(p => p.Item.CertificateType is not ("CSCA" or "UPLOAD" or "AUTHENTICATION" or "DSC")))
            rejected.Add(new TrustListRejection(item.Label, TrustListFailure.Malformed, $"unknown certificateType '{item.CertificateType}'"));
        return new TrustListLoadResult { Entries = entries, Rejected = rejected, Proof = ProofStatus.Verified };
    }

    /// <summary>The UPLOAD certificates of a gateway trust list whose items the trust anchor signed, by country: the
    /// signers of the gateway's CMS-signed rule and revocation downloads (<see cref="GatewaySignedMessage"/>).</summary>
    /// <exception cref="TrustListException">The list is not a gateway trust list.</exception>
    public static GatewayUploadCertificates UploadCertificates(ReadOnlySpan<byte> json, X509Certificate2 trustAnchor)
    {
        var (parsed, rejected) = Parse(json);
        var (_, uploads) = TrustedParties(parsed, trustAnchor, rejected);
        return new GatewayUploadCertificates(uploads.SelectMany(u => u.Value.Select(c => (u.Key, c))).ToList(), rejected);
    }

    private static (List<(Item Item, X509Certificate2 Cert)> Parsed, List<TrustListRejection> Rejected) Parse(ReadOnlySpan<byte> json)
    {
        if (Vc.JsonLd.IJson.Violation(json) is { } notIJson)
            throw new TrustListException(TrustListFailure.Malformed, "not I-JSON: " + notIJson);
        List<Item> items;
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
                throw new TrustListException(TrustListFailure.Malformed, "the gateway trust list must be a JSON array");
            if (doc.RootElement.GetArrayLength() > MaxItems)
                throw new TrustListException(TrustListFailure.Malformed, $"more than {MaxItems} items");
            items = doc.RootElement.EnumerateArray().Select(Item.From).ToList();
        }
        catch (JsonException e)
        {
            throw new TrustListException(TrustListFailure.Malformed, "not JSON: " + e.Message, e);
        }

        var rejected = new List<TrustListRejection>();
        var parsed = new List<(Item Item, X509Certificate2 Cert)>();
        foreach (var item in items)
        {
            try
            {
                var der = X509Util.Base64(item.RawData, "rawData");
                if (!string.Equals(item.Thumbprint, Convert.ToHexStringLower(SHA256.HashData(der)), StringComparison.OrdinalIgnoreCase))
                    throw new TrustListException(TrustListFailure.Thumbprint, "thumbprint is not SHA-256 of rawData");
                var cert = X509Util.Parse(der, item.Label);
                if (item.Kid is not null && item.Kid != Convert.ToBase64String(TrustEntry.KidOf(cert)))
                    throw new TrustListException(TrustListFailure.Kid, "kid is not SHA-256(rawData)[0..8]");
                parsed.Add((item, cert));
            }
            catch (TrustListException e)
            {
                rejected.Add(new TrustListRejection(item.Label, e.Failure, e.Message));
            }
        }
        return (parsed, rejected);
    }

    /// <summary>Trusted parties first: the CSCA, UPLOAD and AUTHENTICATION items signed by the trust anchor.</summary>
    private static (Dictionary<string, List<X509Certificate2>> Cscas, Dictionary<string, List<X509Certificate2>> Uploads) TrustedParties(
        List<(Item Item, X509Certificate2 Cert)> parsed, X509Certificate2 trustAnchor, List<TrustListRejection> rejected)
    {
        var cscas = new Dictionary<string, List<X509Certificate2>>(StringComparer.OrdinalIgnoreCase);
        var uploads = new Dictionary<string, List<X509Certificate2>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (item, cert) in parsed.Where(p => p.Item.CertificateType is "CSCA" or "UPLOAD" or "AUTHENTICATION"))
        {
            if (!VerifyCms(item, trustAnchor, out var why))
            {
                rejected.Add(new TrustListRejection(item.Label, TrustListFailure.Signature, "not signed by the trust anchor: " + why));
                continue;
            }
            if (item.CertificateType == "CSCA") Add(cscas, item.Country, cert);
            if (item.CertificateType == "UPLOAD") Add(uploads, item.Country, cert);
        }
        return (cscas, uploads);
    }

    private static void Add<T>(Dictionary<string, List<T>> map, string key, T value)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        list.Add(value);
    }

    /// <summary>RFC 5652 §5.6: the signature must verify with the signer's key, the signer must be the expected
    /// certificate, and the signed content must be the item's certificate (DER of rawData), as the gateway's
    /// SignedCertificateMessageParser(signature, rawData) checks it. Detached and encapsulated forms are accepted.</summary>
    private static bool VerifyCms(Item item, X509Certificate2 signer, out string? why)
    {
        why = null;
        try
        {
            var signature = X509Util.Base64(item.Signature, "signature");
            var der = Convert.FromBase64String(item.RawData!);
            var cms = new SignedCms();
            cms.Decode(signature);
            // A detached signature decodes with empty content (a certificate never is): decode it again over the DER.
            if (cms.ContentInfo.Content.Length == 0)
            {
                cms = new SignedCms(new ContentInfo(der), detached: true);
                cms.Decode(signature);
            }
            else if (!cms.ContentInfo.Content.AsSpan().SequenceEqual(der))
            {
                why = "the CMS content is not the item's certificate";
                return false;
            }
            var expected = new X509Certificate2Collection(signer);
            foreach (var si in cms.SignerInfos)
            {
                // CheckSignature prefers a certificate embedded in the message: only the expected signer's own counts.
                if (si.Certificate is { } embedded && !embedded.RawData.AsSpan().SequenceEqual(signer.RawData))
                {
                    why = "signed by another certificate";
                    continue;
                }
                try
                {
                    si.CheckSignature(expected, verifySignatureOnly: true);
                    return true;
                }
                catch (Exception e) when (e is CryptographicException or NotSupportedException)
                {
                    why = e.Message;
                }
            }
            why ??= "no signer";
            return false;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or FormatException or InvalidOperationException or NotSupportedException or TrustListException)
        {
            why = e.Message;
            return false;
        }
    }

    /// <summary>Builds one trust-list item whose detached CMS signature (over the DER) is made by
    /// <paramref name="signer"/> (the trust anchor for CSCA/UPLOAD, the country's UPLOAD certificate for DSC).</summary>
    public static JsonElement CreateItem(X509Certificate2 certificate, string country, string certificateType, X509Certificate2 signer, DateTimeOffset timestamp)
    {
        var der = certificate.RawData;
        var item = new Dictionary<string, string>
        {
            ["kid"] = Convert.ToBase64String(TrustEntry.KidOf(certificate)),
            ["timestamp"] = timestamp.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["country"] = country,
            ["certificateType"] = certificateType,
            ["thumbprint"] = Convert.ToHexStringLower(SHA256.HashData(der)),
            ["signature"] = Convert.ToBase64String(SignDetached(der, signer)),
            ["rawData"] = Convert.ToBase64String(der),
        };
        return JsonSerializer.SerializeToElement(item);
    }

    /// <summary>Exports our DSCs as gateway DSC items signed by our UPLOAD certificate (which holds its key).</summary>
    public static string ExportDscs(IEnumerable<X509Certificate2> dscs, string country, X509Certificate2 upload, DateTimeOffset timestamp) =>
        JsonSerializer.Serialize(dscs.Select(d => CreateItem(d, country, "DSC", upload, timestamp)).ToList(), new JsonSerializerOptions { WriteIndented = true });

    internal static byte[] SignDetached(byte[] content, X509Certificate2 signer) => Sign(content, signer, detached: true);

    internal static byte[] Sign(byte[] content, X509Certificate2 signer, bool detached)
    {
        if (!signer.HasPrivateKey)
            throw new TrustListException(TrustListFailure.Certificate, "the signer certificate carries no private key");
        var cms = new SignedCms(new ContentInfo(content), detached);
        var cmsSigner = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, signer)
        {
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"), // SHA-256
            IncludeOption = X509IncludeOption.EndCertOnly,
        };
        // RSASSA-PSS for RSA signers (PKCS #1 v1.5 is the legacy scheme).
        if (signer.GetRSAPublicKey() is not null)
            cmsSigner.SignaturePadding = RSASignaturePadding.Pss;
        try
        {
            cms.ComputeSignature(cmsSigner, silent: true);
        }
        catch (CryptographicException e)
        {
            throw new TrustListException(TrustListFailure.Certificate, "cannot sign with the signer certificate: " + e.Message, e);
        }
        return cms.Encode();
    }

    private sealed record Item(string? Kid, string Country, string CertificateType, string? Thumbprint, string? Signature, string? RawData, string Label)
    {
        public static Item From(JsonElement e)
        {
            if (e.ValueKind != JsonValueKind.Object)
                throw new TrustListException(TrustListFailure.Malformed, "trust list items must be objects");
            string? S(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var country = S("country") ?? "";
            var type = S("certificateType") ?? "";
            return new Item(S("kid"), country, type, S("thumbprint"), S("signature"), S("rawData"), $"{type} {country} kid={S("kid")}");
        }
    }
}
