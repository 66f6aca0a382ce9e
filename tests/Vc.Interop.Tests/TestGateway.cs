using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.Interop.Pki;
using Vc.Interop.TrustLists;

namespace Vc.TestSupport.Gateway;

/// <summary>
/// A test EU DCC gateway: a trust anchor, countries with UPLOAD certificates, the trust list (UPLOAD and CSCA items
/// signed by the anchor), and what countries upload — validation rules and revocation batches as CMS-signed messages
/// (also linked into Vc.Node.Tests).
/// </summary>
internal sealed class TestGateway : IDisposable
{
    private readonly Dictionary<string, (CountryPki Pki, X509Certificate2 Upload)> _countries = new(StringComparer.Ordinal);

    public X509Certificate2 Anchor { get; }

    public TestGateway(params string[] countries) : this(null, countries) { }

    /// <param name="time">Where the certificates' validity starts (default: now).</param>
    public TestGateway(TimeProvider? time, params string[] countries)
    {
        Anchor = CountryPki.CreateTrustAnchor("Test DCCG trust anchor", time: time);
        foreach (var c in countries)
        {
            var pki = CountryPki.Create(c, time: time);
            _countries[c] = (pki, pki.IssueUpload());
        }
    }

    public X509Certificate2 Upload(string country) => _countries[country].Upload;

    public CountryPki Pki(string country) => _countries[country].Pki;

    /// <summary>The trust list (GET /trustList): every country's CSCA and UPLOAD item signed by the anchor.</summary>
    public byte[] TrustList(X509Certificate2? signedBy = null)
    {
        var now = DateTimeOffset.UtcNow;
        var items = _countries.SelectMany(c => new[]
        {
            EuGatewayTrustList.CreateItem(Public(c.Value.Pki.Csca), c.Key, "CSCA", signedBy ?? Anchor, now),
            EuGatewayTrustList.CreateItem(Public(c.Value.Upload), c.Key, "UPLOAD", signedBy ?? Anchor, now),
        }).ToList();
        return JsonSerializer.SerializeToUtf8Bytes(items);
    }

    public GatewayUploadCertificates Uploads() => EuGatewayTrustList.UploadCertificates(TrustList(), Anchor);

    public static X509Certificate2 Public(X509Certificate2 c) => X509CertificateLoader.LoadCertificate(c.RawData);

    /// <summary>A rule as the gateway hands it out: {version, validFrom, validTo, cms} with the rule signed by <paramref name="signer"/>.</summary>
    public static JsonObject RuleItem(JsonObject rule, X509Certificate2 signer) => new()
    {
        ["version"] = rule["Version"]?.DeepClone(),
        ["validFrom"] = rule["ValidFrom"]?.DeepClone(),
        ["validTo"] = rule["ValidTo"]?.DeepClone(),
        ["cms"] = GatewaySignedMessage.Sign(Encoding.UTF8.GetBytes(rule.ToJsonString()), signer),
    };

    /// <summary>GET /rules/{country}: {ruleId: [item…]}, each rule signed by the country's UPLOAD certificate.</summary>
    public JsonObject RuleList(string country, IEnumerable<JsonObject> rules)
    {
        var list = new JsonObject();
        foreach (var rule in rules)
        {
            var id = (string)rule["Identifier"]!;
            if (list[id] is not JsonArray versions) list[id] = versions = [];
            versions.Add(RuleItem(rule, Upload(country)));
        }
        return list;
    }

    /// <summary>A revocation batch download (GET /revocation-list/{batchId}): the batch JSON CMS-signed by <paramref name="signer"/>.</summary>
    public static string SignedBatch(JsonObject batch, X509Certificate2 signer) =>
        GatewaySignedMessage.Sign(Encoding.UTF8.GetBytes(batch.ToJsonString()), signer);

    /// <summary>The message with one byte of its signed content changed (the signature no longer holds).</summary>
    public static string Tampered(string cms, string inContent, string replacement)
    {
        var bytes = Convert.FromBase64String(cms);
        var at = bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(inContent));
        if (at < 0) throw new InvalidOperationException("text not in the message");
        Encoding.UTF8.GetBytes(replacement).CopyTo(bytes, at);
        return Convert.ToBase64String(bytes);
    }

    public void Dispose()
    {
        foreach (var (pki, upload) in _countries.Values)
        {
            pki.Dispose();
            upload.Dispose();
        }
        Anchor.Dispose();
    }
}
