using System.Security.Cryptography;
using Vc.JsonLd;

namespace Vc.Credentials.Contexts;

/// <summary>
/// The JSON-LD contexts this library ships offline: Vc.JsonLd's bundled W3C contexts plus the project's
/// ICVP context (embedded resource with a fixed URL and sha256, like the W3C ones).
/// </summary>
public static class BundledContexts
{
    /// <summary>The fixed URL of ICVP context version 1.</summary>
    public const string IcvpV1Url = "https://w3id.org/vchealth/icvp/v1";

    /// <summary>sha256 (hex) of the shipped ICVP v1 context bytes; changing the file requires a new version URL.</summary>
    public const string IcvpV1Sha256 = "4f4f72ce31947ebd92ae56d3f7989cea4bbec674e77380b55d7b3cec72ecd4ba";

    private static readonly Lazy<byte[]> IcvpBytes = new(() => ReadResource("icvp-v1.jsonld"));
    private static readonly Lazy<DocumentLoader> LoaderInstance = new(() => DocumentLoader.Bundled.With(IcvpV1Url, IcvpBytes.Value, IcvpV1Sha256));

    /// <summary>The ICVP v1 context document bytes.</summary>
    public static ReadOnlyMemory<byte> IcvpV1 => IcvpBytes.Value;

    /// <summary>The offline loader: W3C contexts + ICVP v1 (sha256-checked when first built).</summary>
    public static DocumentLoader Loader => LoaderInstance.Value;

    /// <summary>Every URL served offline, with the sha256 of its bytes.</summary>
    public static IReadOnlyDictionary<string, string> Index =>
        Loader.Urls.ToDictionary(u => u, u => Loader.Load(u).Sha256, StringComparer.Ordinal);

    internal static byte[] ReadResource(string name)
    {
        using var s = typeof(BundledContexts).Assembly.GetManifestResourceStream("Vc.Credentials.Resources." + name)
            ?? throw new InvalidDataException("Missing embedded resource " + name);
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    internal static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
