using System.Text.Json.Nodes;
using Vc.Credentials.DataIntegrity;
using Vc.Did.Core;
using Vc.Credentials.Presentations;
using Vc.Credentials.StatusList;
using Vc.Credentials.Verification;
using Vc.TestSupport;

namespace Vc.Credentials.Tests;

/// <summary>The real components wired together, as the node wires them.</summary>
internal sealed class TestStack
{
    public TestStack(IStatusListCredentialFetcher? fetcher = null)
    {
        Canonicalizer = new JsonLdRdfCanonicalizer();
        Proofs = new DataIntegrityProofs(Canonicalizer);
        Resolver = CompositeDidResolver.DidKeyOnly;
        Verifier = new CredentialVerifier(Proofs, Resolver, fetcher);
        PresentationVerifier = new PresentationVerifier(Verifier);
        PresentationSigner = new PresentationSigner(Proofs);
    }

    public JsonLdRdfCanonicalizer Canonicalizer { get; }
    public DataIntegrityProofs Proofs { get; }
    public IDidResolver Resolver { get; }
    public CredentialVerifier Verifier { get; }
    public PresentationVerifier PresentationVerifier { get; }
    public PresentationSigner PresentationSigner { get; }
}

internal static class Vectors
{
    public static string Dir(params string[] parts) => Path.Combine([TestPaths.TestData("di-vectors"), .. parts]);

    public static string Text(params string[] parts) => File.ReadAllText(Dir(parts));

    public static JsonObject Json(params string[] parts) => (JsonObject)JsonNode.Parse(Text(parts))!;

    public static string Hex(params string[] parts) => Text(parts).Trim().ToLowerInvariant();

    /// <summary>Fixed "now" inside every vector's validity period.</summary>
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
}
