namespace Vc.Interop.TrustLists;

/// <summary>Why a trust list or one of its entries was refused.</summary>
public enum TrustListFailure
{
    /// <summary>Not the expected JSON shape, or too large.</summary>
    Malformed,
    /// <summary>The document's proof (GDHCN) does not verify with the configured anchor key.</summary>
    Proof,
    /// <summary>A CMS signature (EU gateway) does not verify with the trust anchor or the country's UPLOAD certificate.</summary>
    Signature,
    /// <summary>A DSC is not issued by its country's CSCA/SCA.</summary>
    Chain,
    /// <summary>The thumbprint does not match the certificate.</summary>
    Thumbprint,
    /// <summary>The kid is not SHA-256(DER)[0..8], or the JWK disagrees with x5c[0].</summary>
    Kid,
    /// <summary>The certificate cannot be parsed or its key type is unsupported.</summary>
    Certificate,
    /// <summary>The file is none of: certificate, EU gateway trust list, GDHCN DID document.</summary>
    UnknownFormat,
}

public sealed class TrustListException(TrustListFailure failure, string message, Exception? inner = null)
    : Exception($"{failure}: {message}", inner)
{
    public TrustListFailure Failure { get; } = failure;
}

/// <summary>An entry that was dropped, and why.</summary>
public sealed record TrustListRejection(string Item, TrustListFailure Failure, string Reason);

/// <summary>Whether a document-level signature was checked.</summary>
public enum ProofStatus { Verified, NotChecked, NotPresent }

/// <summary>What loading a trust list produced: accepted entries, rejected ones with reasons, and for DID
/// documents the referenced child documents and the proof status.</summary>
public sealed record TrustListLoadResult
{
    public required IReadOnlyList<TrustEntry> Entries { get; init; }
    public IReadOnlyList<TrustListRejection> Rejected { get; init; } = [];
    /// <summary>GDHCN trustlist-ref documents: the DIDs they point to.</summary>
    public IReadOnlyList<string> References { get; init; } = [];
    public ProofStatus Proof { get; init; } = ProofStatus.NotPresent;
    public string? Id { get; init; }
}
