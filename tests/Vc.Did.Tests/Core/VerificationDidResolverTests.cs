using Vc.Did.Core;
using Vc.Did.Key;
using Verifier = Vc.Credentials.Dids;

namespace Vc.Did.Tests.Core;

/// <summary>The join between the DID Core model and the credential verifier's subset.</summary>
public sealed class VerificationDidResolverTests
{
    private const string Did = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";

    [Fact]
    public async Task A_DID_Core_document_reads_as_the_verifier_reads_the_same_did_key()
    {
        var resolver = new VerificationDidResolver(new DidKeyResolver(), "key");
        Assert.True(resolver.CanResolve(Did));
        Assert.False(resolver.CanResolve("did:ethr:0x1"));
        var viaDidCore = await resolver.ResolveAsync(Did, new Verifier.DidResolutionOptions());
        var direct = new Verifier.DidKeyResolver().Resolve(Did);
        var method = Assert.Single(viaDidCore.VerificationMethods);
        Assert.Equal(Assert.Single(direct.VerificationMethods), method);
        foreach (var relationship in Enum.GetValues<Verifier.VerificationRelationship>())
            Assert.Equal(direct.IsAuthorized(method.Id, relationship), viaDidCore.IsAuthorized(method.Id, relationship));
    }

    [Theory]
    [InlineData(DidResolutionErrors.InvalidDid, Verifier.DidResolutionError.InvalidDid)]
    [InlineData(DidResolutionErrors.NotFound, Verifier.DidResolutionError.NotFound)]
    [InlineData(DidResolutionErrors.UnknownNetwork, Verifier.DidResolutionError.MethodNotSupported)]
    [InlineData(DidResolutionErrors.MethodNotSupported, Verifier.DidResolutionError.MethodNotSupported)]
    [InlineData("internalError", Verifier.DidResolutionError.InternalError)]
    public async Task Resolution_errors_become_typed_verifier_errors(string error, Verifier.DidResolutionError expected)
    {
        var resolver = new VerificationDidResolver(new Fixed(DidResolutionResult.Failure(error, "because")), "key");
        var e = await Assert.ThrowsAsync<Verifier.DidResolutionException>(async () => await resolver.ResolveAsync(Did, new Verifier.DidResolutionOptions()));
        Assert.Equal(expected, e.Error);
        Assert.Equal($"{Did}: {error}: because", e.Message);
    }

    [Fact]
    public async Task A_deactivated_DID_has_no_keys_to_verify_with()
    {
        var deactivated = new DidResolutionResult(new DidDocument(Did), new DidDocumentMetadata { Deactivated = true }, new DidResolutionMetadata());
        var resolver = new VerificationDidResolver(new Fixed(deactivated), "key");
        var e = await Assert.ThrowsAsync<Verifier.DidResolutionException>(async () => await resolver.ResolveAsync(Did, new Verifier.DidResolutionOptions()));
        Assert.Equal(Verifier.DidResolutionError.NotFound, e.Error);
    }

    private sealed class Fixed(DidResolutionResult result) : IDidResolver
    {
        public Task<DidResolutionResult> ResolveAsync(string did, DidResolutionOptions? options = null, CancellationToken ct = default) => Task.FromResult(result);
    }
}
