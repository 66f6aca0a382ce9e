using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Vc.Interop.TrustLists;

public sealed record TrustFileOptions
{
    /// <summary>The EU gateway trust anchor; gateway lists are refused without it.</summary>
    public X509Certificate2? GatewayTrustAnchor { get; init; }
    public GdhcnLoadOptions Gdhcn { get; init; } = new();
    public int MaxFileBytes { get; init; } = 64 * 1024 * 1024;
}

/// <summary>Loads any trust input by sniffing its content: a DSC certificate (PEM or DER), an EU gateway trust list
/// (JSON array), or a GDHCN DID document (JSON object with verificationMethod).</summary>
public static class TrustFiles
{
    public static async Task<TrustListLoadResult> LoadFileAsync(string path, TrustFileOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new TrustFileOptions();
        var info = new FileInfo(path);
        if (!info.Exists)
            throw new TrustListException(TrustListFailure.Malformed, $"{path}: no such file");
        if (info.Length > options.MaxFileBytes)
            throw new TrustListException(TrustListFailure.Malformed, $"{path}: larger than {options.MaxFileBytes} bytes");
        return Load(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false), options);
    }

    public static TrustListLoadResult Load(byte[] content, TrustFileOptions? options = null)
    {
        options ??= new TrustFileOptions();
        var text = content.AsSpan().TrimStart("\xEF\xBB\xBF"u8);
        var start = 0;
        while (start < text.Length && text[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') start++;
        if (start < text.Length && text[start] == (byte)'[')
            return options.GatewayTrustAnchor is { } anchor
                ? EuGatewayTrustList.Load(text, anchor)
                : throw new TrustListException(TrustListFailure.Signature, "an EU gateway trust list needs a configured trust anchor");
        if (start < text.Length && text[start] == (byte)'{')
            return GdhcnDidTrustList.Load(text, options.Gdhcn);
        var certificates = new List<X509Certificate2>();
        try
        {
            var asText = Encoding.ASCII.GetString(text);
            if (asText.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                var collection = new X509Certificate2Collection();
                collection.ImportFromPem(asText);
                certificates.AddRange(collection);
            }
            else
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(text.ToArray()));
            }
        }
        catch (CryptographicException e)
        {
            throw new TrustListException(TrustListFailure.UnknownFormat, "neither a certificate (PEM/DER), an EU gateway trust list nor a DID document", e);
        }
        if (certificates.Count == 0)
            throw new TrustListException(TrustListFailure.UnknownFormat, "no certificate found");
        return new TrustListLoadResult { Entries = certificates.Select(c => new TrustEntry(c, TrustSource.Certificate)).ToList() };
    }
}
