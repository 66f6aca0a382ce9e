using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.Did.Ethr;
using Vc.Did.Core;

namespace Vc.Trust.Bridge;

/// <summary>A DSC bound to a DID: the service that carries it, the kid and the certificate chain.</summary>
public sealed record BoundDsc(string ServiceId, string Kid, X509Certificate2 Dsc, IReadOnlyList<X509Certificate2> Chain)
{
    public Bytes32 Thumbprint { get; } = Bytes32.FromBytes(SHA256.HashData(Dsc.RawData));
}

/// <summary>
/// How an issuer DID binds its HCERT document signer certificate, so one identity signs both VCs and HCERTs.
/// <para>
/// Representation (chosen because the did:ethr resolver renders it as it is): an ERC-1056 attribute
/// <c>did/svc/DscBinding</c> whose value is a JWK (RFC 7517) with <c>x5c</c> [DSC, SCA…] and the HCERT <c>kid</c>
/// (standard base64 of SHA-256(DSC)[0..8]). The resolver turns it into the service
/// <c>{id: DID#service-N, type: "DscBinding", serviceEndpoint: {kty, crv, x, y, kid, x5c}}</c>. A <c>did/pub/…</c>
/// attribute cannot carry it: the resolver renders JWKs only for secp256k1 keys, and an x5c not at all.
/// </para>
/// The binding alone proves nothing — anyone may write any certificate into their own DID document. It counts
/// when the registry lists both the DID and the DSC's kid + thumbprint for the same participant
/// (<see cref="TrustService.CheckDscBindingAsync"/>).
/// </summary>
public static class DscBinding
{
    /// <summary>The did:ethr service type (did/svc/&lt;type&gt;; the spec allows [A-Za-z0-9_]).</summary>
    public const string ServiceType = "DscBinding";

    /// <summary>The service endpoint JSON: a public JWK of the DSC with kid and x5c.</summary>
    public static string Endpoint(X509Certificate2 dsc, X509Certificate2? sca = null)
    {
        var kid = Convert.ToBase64String(SHA256.HashData(dsc.RawData).AsSpan(0, 8));
        var jwk = new JsonObject();
        if (dsc.GetECDsaPublicKey() is { } ec)
        {
            using (ec)
            {
                var p = ec.ExportParameters(false);
                jwk["kty"] = "EC";
                jwk["crv"] = CurveName(p.Q.X!.Length);
                jwk["x"] = B64Url(p.Q.X!);
                jwk["y"] = B64Url(p.Q.Y!);
            }
        }
        else if (dsc.GetRSAPublicKey() is { } rsa)
        {
            using (rsa)
            {
                var p = rsa.ExportParameters(false);
                jwk["kty"] = "RSA";
                jwk["n"] = B64Url(p.Modulus!);
                jwk["e"] = B64Url(p.Exponent!);
            }
        }
        else throw new TrustBridgeException(TrustBridgeError.CertificateInvalid, "the DSC holds neither an EC nor an RSA key");
        jwk["kid"] = kid;
        var x5c = new JsonArray(Convert.ToBase64String(dsc.RawData));
        if (sca is not null) x5c.Add(Convert.ToBase64String(sca.RawData));
        jwk["x5c"] = x5c;
        return jwk.ToJsonString();
    }

    /// <summary>Publishes the binding on the DID's ERC-1056 registry (a relayed, owner-signed write by default).</summary>
    public static Task<WriteReceipt> PublishAsync(EthrDidWriter writer, EthrIdentity owner, string identityAddress, X509Certificate2 dsc,
        X509Certificate2? sca, TimeSpan validity, Vc.Did.Ethr.WriteMode mode = Vc.Did.Ethr.WriteMode.SignedTyped, CancellationToken ct = default) =>
        writer.AddServiceAsync(owner, identityAddress, ServiceType, Endpoint(dsc, sca), validity, mode, ct);

    /// <summary>
    /// The DSC bindings of a DID document. Each must be well formed: x5c[0] parses, the kid is SHA-256(x5c[0])[0..8],
    /// the JWK is the certificate's key, and each x5c[i] is issued by x5c[i+1]; otherwise <see cref="TrustBridgeError.BindingInvalid"/>.
    /// </summary>
    public static IReadOnlyList<BoundDsc> Read(DidDocument document)
    {
        var list = new List<BoundDsc>();
        foreach (var service in document.Service.Where(s => s.Type == ServiceType))
            list.Add(ReadOne(service.Id, service.ServiceEndpoint));
        return list;
    }

    private static BoundDsc ReadOne(string id, JsonElement jwk)
    {
        TrustBridgeException Bad(string why, Exception? inner = null) => new(TrustBridgeError.BindingInvalid, $"{id}: {why}", inner);
        if (jwk.ValueKind != JsonValueKind.Object) throw Bad("the endpoint is not a JWK object");
        string? S(string name) => jwk.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (!jwk.TryGetProperty("x5c", out var x5c) || x5c.ValueKind != JsonValueKind.Array || x5c.GetArrayLength() is 0 or > 8)
            throw Bad("the JWK has no x5c (1..8 certificates)");
        List<X509Certificate2> chain;
        try
        {
            chain = x5c.EnumerateArray().Select(c => c.ValueKind == JsonValueKind.String ? Convert.FromBase64String(c.GetString()!) : throw new FormatException("x5c entries are strings"))
                .Select(d => d.Length is > 0 and <= 64 * 1024 ? X509CertificateLoader.LoadCertificate(d) : throw new FormatException("certificate size out of range"))
                .ToList();
        }
        catch (Exception e) when (e is FormatException or CryptographicException) { throw Bad("x5c is not base64 DER certificates", e); }
        var dsc = chain[0];
        var kid = Convert.ToBase64String(SHA256.HashData(dsc.RawData).AsSpan(0, 8));
        if (S("kid") is not { } claimed || claimed != kid) throw Bad($"kid '{S("kid")}' is not SHA-256(x5c[0])[0..8] = '{kid}'");
        try
        {
            static byte[] Strip(byte[] v) => v.SkipWhile(b => b == 0).ToArray();
            byte[] Coordinate(string name) => S(name) is { } t ? FromB64Url(t) : throw Bad($"the JWK has no {name}");
            if (dsc.GetECDsaPublicKey() is { } ec)
            {
                using (ec)
                {
                    var q = ec.ExportParameters(false).Q;
                    if (S("kty") != "EC" || S("crv") != CurveName(q.X!.Length)
                        || !Strip(Coordinate("x")).SequenceEqual(Strip(q.X!)) || !Strip(Coordinate("y")).SequenceEqual(Strip(q.Y!)))
                        throw Bad("the JWK is not the key of x5c[0]");
                }
            }
            else if (dsc.GetRSAPublicKey() is { } rsa)
            {
                using (rsa)
                {
                    var p = rsa.ExportParameters(false);
                    if (S("kty") != "RSA" || !Strip(Coordinate("n")).SequenceEqual(Strip(p.Modulus!)) || !Strip(Coordinate("e")).SequenceEqual(Strip(p.Exponent!)))
                        throw Bad("the JWK is not the key of x5c[0]");
                }
            }
            else throw Bad("x5c[0] holds neither an EC nor an RSA key");
        }
        catch (Exception e) when (e is FormatException or CryptographicException) { throw Bad("unreadable key", e); }
        if (Vc.Interop.Pki.CertificateChain.FirstBrokenLink(chain) is var broken and >= 0)
            throw Bad($"x5c[{broken}] is not issued by x5c[{broken + 1}]");
        return new BoundDsc(id, kid, dsc, chain.Skip(1).ToArray());
    }

    // RFC 7518 §6.2.1.1 curve names, by coordinate length.
    private static string CurveName(int coordinateBytes) => coordinateBytes switch { 48 => "P-384", 66 => "P-521", _ => "P-256" };

    private static string B64Url(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromB64Url(string s)
    {
        var t = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(t.PadRight(t.Length + (4 - t.Length % 4) % 4, '='));
    }
}
