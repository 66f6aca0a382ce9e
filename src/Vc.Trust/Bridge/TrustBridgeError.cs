namespace Vc.Trust.Bridge;

/// <summary>Why the PKI ⇄ ledger bridge refused an input, an entry or a key.</summary>
public enum TrustBridgeError
{
    /// <summary>The trust list is not the expected JSON shape, or too large.</summary>
    MalformedTrustList,
    /// <summary>A GDHCN document's proof does not verify with the configured anchor key (forged or altered document).</summary>
    ProofInvalid,
    /// <summary>A GDHCN document's proof was not checked (no anchor key configured) and unverified imports were not allowed.</summary>
    ProofNotVerified,
    /// <summary>A gateway item's CMS signature does not verify with the trust anchor or the country's UPLOAD certificate (wrong anchor).</summary>
    SignatureInvalid,
    /// <summary>A DSC is not issued by its country's CSCA/SCA.</summary>
    ChainInvalid,
    /// <summary>The kid or thumbprint does not match the certificate.</summary>
    KidMismatch,
    /// <summary>The certificate is unreadable or of an unsupported key type.</summary>
    CertificateInvalid,
    /// <summary>The DSC's validity period has ended (or not begun) at the time asked about.</summary>
    DscExpired,
    /// <summary>The key usage is not DSC (SCA, UP, TLS… keys never sign credentials).</summary>
    NotDocumentSigner,
    /// <summary>The trust domain of the entry is not one of the registry's domains, or the participant is not onboarded for it.</summary>
    DomainNotAllowed,
    /// <summary>The registry already holds this kid for the participant with another certificate's thumbprint.</summary>
    KidCollision,
    /// <summary>The participant is not onboarded, not active, or the key given is not its admin (an unauthorized write).</summary>
    NotAuthorized,
    /// <summary>The registry rejected the write (see the inner <see cref="TrustRegistryException"/>).</summary>
    RegistryRejected,
    /// <summary>The certificate of a registry entry is not in the local certificate store.</summary>
    CertificateNotInStore,
    /// <summary>The local certificate store returned a certificate whose SHA-256 is not the registry's thumbprint.</summary>
    CertificateStoreMismatch,
    /// <summary>A DID could not be resolved, or the verification method is not in its assertionMethod at the time.</summary>
    DidNotResolved,
    /// <summary>A DSC binding in a DID document is malformed or does not match its certificate.</summary>
    BindingInvalid,
    /// <summary>The DID document binds no DSC (no service of type <see cref="DscBinding.ServiceType"/>).</summary>
    BindingMissing,
    /// <summary>An argument was out of range (bad DID, empty list, key without private part…).</summary>
    InvalidInput,
}

/// <summary>A typed bridge failure. Never carries key material.</summary>
public sealed class TrustBridgeException(TrustBridgeError error, string message, Exception? inner = null)
    : Exception($"trust bridge: {error}: {message}", inner)
{
    public TrustBridgeError Error { get; } = error;
}
