using Verifier = Vc.Credentials.Dids;

namespace Vc.Did.Core;

/// <summary>
/// One DID method of an <see cref="IDidResolver"/> as the credential verifier's resolver: the document as it was
/// at the proof's time, read into the verification subset; resolution errors become typed
/// <see cref="Verifier.DidResolutionException"/>s and a deactivated DID has no keys to verify with.
/// </summary>
/// <param name="method">The DID method served, e.g. "ethr".</param>
public sealed class VerificationDidResolver(IDidResolver resolver, string method) : Verifier.IDidDocumentResolver
{
    private readonly string _prefix = "did:" + method + ":";

    public bool CanResolve(string did) => did.StartsWith(_prefix, StringComparison.Ordinal);

    public async ValueTask<Verifier.DidDocument> ResolveAsync(string did, Verifier.DidResolutionOptions options, CancellationToken cancellationToken = default)
    {
        var result = await resolver.ResolveAsync(did, new DidResolutionOptions { VersionTime = options.VersionTime }, cancellationToken);
        if (result.DidDocument is null || result.DidResolutionMetadata.Error is not null)
            throw new Verifier.DidResolutionException(result.DidResolutionMetadata.Error switch
            {
                DidResolutionErrors.InvalidDid => Verifier.DidResolutionError.InvalidDid,
                DidResolutionErrors.NotFound => Verifier.DidResolutionError.NotFound,
                DidResolutionErrors.MethodNotSupported or DidResolutionErrors.UnknownNetwork => Verifier.DidResolutionError.MethodNotSupported,
                _ => Verifier.DidResolutionError.InternalError,
            }, $"{did}: {result.DidResolutionMetadata.Error}: {result.DidResolutionMetadata.Message}");
        if (result.DidDocumentMetadata.Deactivated)
            throw new Verifier.DidResolutionException(Verifier.DidResolutionError.NotFound, $"{did} is deactivated");
        return result.DidDocument.ToVerificationDocument();
    }
}
