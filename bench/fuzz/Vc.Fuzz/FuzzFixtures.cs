using System.Security.Cryptography.X509Certificates;
using Vc.Interop.Hcert;
using Vc.Interop.TrustLists;

namespace Vc.Fuzz;

/// <summary>The fixed world the targets run in: trust material from <c>fixtures/</c> (copied beside the harness) and
/// a fixed clock, so the same input always takes the same path (AFL's coverage feedback relies on that).</summary>
public static class FuzzFixtures
{
    /// <summary>Inside the validity of the ICVP example (issued 2025-10-01, its test DSC valid 2025-09-30 … 2027-10-01).</summary>
    public static readonly DateTimeOffset Clock = new(2025, 10, 20, 9, 0, 0, TimeSpan.Zero);

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "fixtures");

    private static X509Certificate2 Pem(string file) => X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(Directory, file)));

    /// <summary>The HCERT target's verifier: trusts the ICVP example's test DSC and a DSC of the EU conformance data
    /// (DE), reads time from a provider frozen at <see cref="Clock"/>.</summary>
    public static readonly Lazy<HcertVerifier> Verifier = new(() =>
        new HcertVerifier(TrustStore.FromCertificates(Pem("icvp-test-DSC.pem"), Pem("dgc-DE-DSC.pem")), new FrozenTime(Clock)));

    /// <summary>The EU gateway target's trust anchor (its key was used once to sign the seed lists, then dropped).</summary>
    public static readonly Lazy<X509Certificate2> GatewayAnchor = new(() => Pem("gateway-anchor.pem"));

    private sealed class FrozenTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
