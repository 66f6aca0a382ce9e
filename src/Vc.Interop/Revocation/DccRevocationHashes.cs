using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Vc.Interop.Hcert;

namespace Vc.Interop.Revocation;

/// <summary>The hash types of the EU DCC revocation scheme (eHealth Network, "DCC revocation" 2022; dgc-gateway
/// revocation batches): what a revocation entry is the hash of.</summary>
public enum DccRevocationHashType
{
    /// <summary>SHA-256 of the COSE signature: for ECDSA only the r value (the first half of r‖s), for RSA-PSS the whole signature.</summary>
    Signature,
    /// <summary>SHA-256 of the UCI (the DCC's ci, UTF-8, as written).</summary>
    Uci,
    /// <summary>SHA-256 of the issuing country (CWT iss) followed by the UCI.</summary>
    CountryCodeUci,
}

/// <summary>The revocation hashes of one HCERT: each the first 128 bits (16 bytes) of a SHA-256, as the gateway's
/// batches carry them. UCI and COUNTRYCODEUCI exist only for an EU DCC (which has a ci).</summary>
public sealed record DccRevocationHashes(byte[] Kid, byte[] Signature, byte[]? Uci, byte[]? CountryCodeUci)
{
    /// <summary>Revocation entries are SHA-256 truncated to 128 bits.</summary>
    public const int HashLength = 16;

    public byte[]? Of(DccRevocationHashType type) => type switch
    {
        DccRevocationHashType.Signature => Signature,
        DccRevocationHashType.Uci => Uci,
        DccRevocationHashType.CountryCodeUci => CountryCodeUci,
        _ => null,
    };

    /// <summary>The gateway's names: SIGNATURE, UCI, COUNTRYCODEUCI.</summary>
    public static string Name(DccRevocationHashType type) => type switch
    {
        DccRevocationHashType.Signature => "SIGNATURE",
        DccRevocationHashType.Uci => "UCI",
        _ => "COUNTRYCODEUCI",
    };

    public static DccRevocationHashType? Parse(string? name) => name?.ToUpperInvariant() switch
    {
        "SIGNATURE" => DccRevocationHashType.Signature,
        "UCI" => DccRevocationHashType.Uci,
        "COUNTRYCODEUCI" => DccRevocationHashType.CountryCodeUci,
        _ => null,
    };

    /// <summary>The hashes of a decoded HCERT: the signature always, the UCI ones when the EU DCC carries a ci.</summary>
    public static DccRevocationHashes Compute(CoseSign1 cose, CwtClaims claims, JsonElement? dcc)
    {
        var ci = dcc is { ValueKind: JsonValueKind.Object } d ? UciOf(d) : null;
        return new DccRevocationHashes(
            cose.Kid.ToArray(),
            Truncated(SignatureInput(cose)),
            ci is null ? null : Truncated(Encoding.UTF8.GetBytes(ci)),
            ci is null ? null : Truncated(Encoding.UTF8.GetBytes((claims.Issuer ?? "") + ci)));
    }

    /// <summary>ECDSA: r only, so a re-encoded (r, n−s) signature of the same certificate has the same hash; RSA-PSS: all.</summary>
    private static byte[] SignatureInput(CoseSign1 cose)
    {
        var signature = cose.Signature.Span;
        if (cose.Algorithm is not (CoseAlgorithm.ES256 or CoseAlgorithm.ES384 or CoseAlgorithm.ES512))
            return signature.ToArray();
        var rawLength = cose.Algorithm switch { CoseAlgorithm.ES384 => 96, CoseAlgorithm.ES512 => 132, _ => 64 };
        if (signature.Length == rawLength)
            return signature[..(rawLength / 2)].ToArray();
        // A DER-encoded signature (a tolerated issuer bug): r as the fixed-length big-endian integer it stands for.
        try
        {
            var reader = new AsnReader(signature.ToArray(), AsnEncodingRules.DER).ReadSequence();
            var r = reader.ReadIntegerBytes().Span.TrimStart((byte)0);
            var fixedR = new byte[rawLength / 2];
            if (r.Length > fixedR.Length) return signature.ToArray();
            r.CopyTo(fixedR.AsSpan(fixedR.Length - r.Length));
            return fixedR;
        }
        catch (AsnContentException) { return signature.ToArray(); }
    }

    private static string? UciOf(JsonElement dcc)
    {
        foreach (var group in new[] { "v", "t", "r" })
            if (dcc.TryGetProperty(group, out var entries) && entries.ValueKind == JsonValueKind.Array)
                foreach (var entry in entries.EnumerateArray())
                    if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("ci", out var ci) && ci.ValueKind == JsonValueKind.String)
                        return ci.GetString();
        return null;
    }

    private static byte[] Truncated(byte[] input) => SHA256.HashData(input)[..HashLength];
}
