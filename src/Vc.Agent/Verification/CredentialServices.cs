using Vc.Credentials.DataIntegrity;
using Vc.Did.Core;
using Vc.Credentials.Presentations;
using Vc.Credentials.StatusList;
using Vc.Credentials.Verification;

namespace Vc.Agent;

/// <summary>
/// The node's shared, thread-safe credential machinery: one canonicalizer (its processed-context cache is
/// what makes verification fast), the proof suites, the DID resolver chain and the verifiers.
/// </summary>
public sealed class CredentialServices
{
    public DataIntegrityProofs Proofs { get; }
    public IDidResolver Resolver { get; }
    public CredentialVerifier Verifier { get; }
    public PresentationVerifier PresentationVerifier { get; }

    public CredentialServices(IDidResolver resolver, IStatusListCredentialFetcher statusFetcher, TimeProvider? time = null)
    {
        // Every context the node ships: W3C, ICVP and the bridge's (HCERT evidence).
        Proofs = new DataIntegrityProofs(new JsonLdRdfCanonicalizer(Vc.Interop.Bridge.BridgeContext.Loader), time);
        Resolver = resolver;
        Verifier = new CredentialVerifier(Proofs, resolver, statusFetcher, time);
        PresentationVerifier = new PresentationVerifier(Verifier, time);
    }
}
