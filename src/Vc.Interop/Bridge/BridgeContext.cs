using System.Security.Cryptography;
using Vc.Credentials.Contexts;
using Vc.JsonLd;

namespace Vc.Interop.Bridge;

/// <summary>
/// The bridge's JSON-LD context (HcertEvidence, EUDCCVaccinationCredential), shipped offline with a fixed URL
/// and sha256 like the W3C and ICVP contexts.
/// </summary>
public static class BridgeContext
{
    public const string Url = "https://w3id.org/vchealth/bridge/v1";
    public const string Sha256 = "613f9fb120b38916ed56b32efac8bb5e1746fb53404d3f741e6294f6ce657ca1";

    private static readonly Lazy<byte[]> Bytes = new(() => EmbeddedData.Read("bridge", "bridge-v1.jsonld"));
    private static readonly Lazy<DocumentLoader> LoaderInstance = new(() => BundledContexts.Loader.With(Url, Bytes.Value, Sha256));

    public static ReadOnlyMemory<byte> Document => Bytes.Value;

    /// <summary>Every context a node serves offline: W3C, ICVP and the bridge context.</summary>
    public static DocumentLoader Loader => LoaderInstance.Value;

    internal static string ComputeSha256() => Convert.ToHexStringLower(SHA256.HashData(Bytes.Value));
}
