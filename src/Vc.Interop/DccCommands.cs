using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vc.Interop.Hcert;
using Vc.Interop.Icvp;
using Vc.Interop.Qr;
using Vc.Interop.TrustLists;

namespace Vc.Interop;

/// <summary>
/// The outcome of an HCERT verification with the trust files it used: <see cref="Result"/> when the input could be
/// verified (valid or not), else <see cref="Error"/> (unusable input or trust file; <see cref="InputFailure"/> types it).
/// </summary>
public sealed record DccVerifyReport(HcertVerificationResult? Result, IReadOnlyList<TrustListLoadResult> TrustLists, string? Error, HcertFailure? InputFailure)
{
    public bool IsValid => Result?.IsValid == true;

    /// <summary>The report's JSON form, shared by the HTTP API and the CLI: outcome, steps, signer, claims, payload.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["valid"] = IsValid,
            ["outcome"] = (Result?.Outcome ?? InputFailure)?.ToString() ?? "Error",
            ["reason"] = Result?.Reason ?? Error,
        };
        if (Result is { } r)
        {
            json["clock"] = r.Clock.ToString("O", CultureInfo.InvariantCulture);
            json["steps"] = new JsonArray(r.Steps.Select(s => (JsonNode)new JsonObject
            {
                ["step"] = s.Step.ToString(),
                ["passed"] = s.Passed,
                ["failure"] = s.Passed ? null : s.Failure.ToString(),
                ["detail"] = s.Detail,
            }).ToArray());
            if (r.Cose is { } cose)
            {
                json["alg"] = CoseAlgorithm.Name(cose.Algorithm);
                json["kid"] = Convert.ToBase64String(cose.Kid.Span);
            }
            if (r.Claims is { } c)
            {
                json["iss"] = c.Issuer;
                json["iat"] = c.IssuedAtTime?.ToString("O", CultureInfo.InvariantCulture);
                json["exp"] = c.ExpirationTime?.ToString("O", CultureInfo.InvariantCulture);
                if (c.NotBeforeTime is { } nbf) json["nbf"] = nbf.ToString("O", CultureInfo.InvariantCulture);
            }
            if (r.Signer is { } s)
                json["signer"] = new JsonObject
                {
                    ["subject"] = s.Certificate.Subject,
                    ["country"] = s.Country,
                    ["domain"] = s.Domain,
                    ["source"] = s.Source.ToString(),
                    ["thumbprint"] = s.Thumbprint,
                };
            json["payloadType"] = r.PayloadType.ToString();
            json["warnings"] = new JsonArray(r.Warnings.Select(w => (JsonNode)new JsonObject { ["field"] = w.Field, ["message"] = w.Message }).ToArray());
            if (r.Rules is { } rules) json["rules"] = Hcert.HcertBusinessRules.ToJson(rules);
            if (r.EuDcc is { } dcc) json["payload"] = JsonNode.Parse(dcc.GetRawText());
            else if (r.Icvp is { } icvp) json["payload"] = JsonSerializer.SerializeToNode(icvp, IcvpJson);
        }
        json["trust"] = new JsonArray(TrustLists.Select(t => (JsonNode)new JsonObject
        {
            ["id"] = t.Id,
            ["keys"] = t.Entries.Count,
            ["rejected"] = t.Rejected.Count,
            ["proof"] = t.Proof.ToString(),
        }).ToArray());
        return json;
    }

    private static readonly JsonSerializerOptions IcvpJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };
}

/// <summary>
/// The HCERT workflows over files: verify an input (HC1 string, file or QR image) against trust files, sign a payload
/// file with PEM files, render a QR code. Plain results and typed exceptions; exit codes and printing are the CLI's.
/// </summary>
public static class DccCommands
{
    private static readonly byte[] Png = [0x89, (byte)'P', (byte)'N', (byte)'G'];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF];
    public const int MaxInputFileBytes = 20 * 1024 * 1024;

    /// <summary>Verifies INPUT, an "HC1:" string, a file holding one, or a QR image (PNG/JPEG), at <paramref name="clock"/>
    /// (default now). Each trust file is a DSC (PEM/DER), an EU gateway trust list (needs
    /// <see cref="TrustFileOptions.GatewayTrustAnchor"/>), or a GDHCN DID document. Unusable input or trust files are
    /// answered in the report (<see cref="DccVerifyReport.Error"/>), not thrown.</summary>
    public static async Task<DccVerifyReport> VerifyAsync(string input, IReadOnlyList<string> trustFiles, DateTimeOffset? clock = null,
        TrustFileOptions? trustOptions = null, CancellationToken cancellationToken = default)
    {
        var lists = new List<TrustListLoadResult>();
        foreach (var file in trustFiles)
        {
            try
            {
                lists.Add(await TrustFiles.LoadFileAsync(file, trustOptions, cancellationToken).ConfigureAwait(false));
            }
            catch (TrustListException e)
            {
                return new DccVerifyReport(null, lists, $"trust file {file}: {e.Message}", null);
            }
        }
        string hc1;
        try
        {
            hc1 = await ReadInputAsync(input, cancellationToken).ConfigureAwait(false);
        }
        catch (HcertException e)
        {
            return new DccVerifyReport(null, lists, e.Message, e.Failure);
        }
        var verifier = new HcertVerifier(new TrustStore(lists.SelectMany(l => l.Entries)));
        return new DccVerifyReport(verifier.Verify(hc1, clock), lists, null, null);
    }

    /// <summary>An "HC1:" string from the argument itself, a text file, or a QR image file.</summary>
    public static async Task<string> ReadInputAsync(string input, CancellationToken cancellationToken = default)
    {
        if (input.StartsWith(HcertCodec.Prefix, StringComparison.Ordinal) || !File.Exists(input))
        {
            if (!input.StartsWith("HC", StringComparison.Ordinal) && !File.Exists(input))
                throw new HcertException(HcertFailure.Input, $"'{(input.Length > 40 ? input[..40] + "…" : input)}' is neither an HC1: string nor a file");
            return input.Trim();
        }
        var info = new FileInfo(input);
        if (info.Length > MaxInputFileBytes)
            throw new HcertException(HcertFailure.Input, $"{input} is larger than {MaxInputFileBytes} bytes");
        var bytes = await File.ReadAllBytesAsync(input, cancellationToken).ConfigureAwait(false);
        if (bytes.AsSpan().StartsWith(Png) || bytes.AsSpan().StartsWith(Jpeg))
            return HcertQr.Decode(bytes);
        return System.Text.Encoding.UTF8.GetString(bytes).Trim();
    }

    /// <summary>Signs PAYLOAD, the EU DCC JSON (-260/1) or the ICVP Variant B JSON (-260/-6) as <paramref name="type"/>
    /// (<see cref="HcertPayloadType.EuDcc"/> or <see cref="HcertPayloadType.Icvp"/>), with the DSC and its key (PEM files).
    /// Returns the "HC1:" string. Defaults: iat = now, exp = iat + 365 days for a DCC (capped by the DSC) and none for an ICVP.</summary>
    public static Task<string> SignAsync(string payloadPath, string certificatePemPath, string privateKeyPemPath,
        HcertPayloadType type = HcertPayloadType.EuDcc, string? issuer = null, DateTimeOffset? issuedAt = null, DateTimeOffset? expiresAt = null,
        TimeProvider? time = null, CancellationToken cancellationToken = default) =>
        SignAsync(payloadPath, () => HcertSigner.FromPemFiles(certificatePemPath, privateKeyPemPath), type, issuer, issuedAt, expiresAt, time, cancellationToken);

    /// <summary>Signs PAYLOAD with a signer made once the payload is read (e.g. a DSC whose key is in a PKCS#11 token).</summary>
    public static async Task<string> SignAsync(string payloadPath, Func<HcertSigner> signerFactory,
        HcertPayloadType type = HcertPayloadType.EuDcc, string? issuer = null, DateTimeOffset? issuedAt = null, DateTimeOffset? expiresAt = null,
        TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        if (type is not (HcertPayloadType.EuDcc or HcertPayloadType.Icvp))
            throw new HcertException(HcertFailure.Encode, $"payload type {type} cannot be signed (EuDcc or Icvp)");
        JsonElement payload;
        try
        {
            var bytes = await File.ReadAllBytesAsync(payloadPath, cancellationToken).ConfigureAwait(false);
            if (Vc.JsonLd.IJson.Violation(bytes) is { } notIJson) throw new JsonException("not I-JSON: " + notIJson);
            using var doc = JsonDocument.Parse(bytes);
            payload = doc.RootElement.Clone();
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            throw new HcertException(HcertFailure.Encode, $"payload {payloadPath}: {e.Message}", e);
        }
        var signer = signerFactory();
        var iat = issuedAt ?? (time ?? TimeProvider.System).GetUtcNow();
        var notAfter = new DateTimeOffset(signer.Dsc.NotAfter.ToUniversalTime());
        return type == HcertPayloadType.EuDcc
            ? signer.SignEuDcc(payload, issuer, iat, expiresAt ?? Min(iat.AddDays(365), notAfter))
            : signer.SignIcvp(IcvpCertificate.Decode(CborJson.FromJson(payload)), issuer, iat, expiresAt);
    }

    /// <summary>Renders the HC1 string (given, or read from a file) as a QR PNG (alphanumeric mode, ECC Q).</summary>
    public static async Task<byte[]> QrAsync(string input, int pixelsPerModule = 4, CancellationToken cancellationToken = default)
    {
        var hc1 = await ReadInputAsync(input, cancellationToken).ConfigureAwait(false);
        HcertCodec.Unprefix(hc1); // refuse anything that is not an HC1 string before drawing it
        return HcertQr.RenderPng(hc1, pixelsPerModule);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
