using System.Text.Json.Nodes;
using Vc.Credentials.Model;
using Vc.Credentials.Verification;

namespace Vc.Credentials.Tests;

/// <summary>Typed views of credentials and presentations.</summary>
public sealed class ModelTests
{
    [Fact]
    public void The_rich_JS_credential_reads_into_the_typed_view()
    {
        var vc = VerifiableCredential.Parse(Vectors.Json("js-generated", "vc-eddsa-rdfc-2022-rich.json"));

        Assert.Equal("urn:uuid:00000000-0000-4000-8000-000000000004", vc.Id);
        Assert.Equal(["VerifiableCredential", "ExampleDegreeCredential"], vc.Types);
        Assert.Equal("did:key:z6MkvDqGT54cXesYGvABpF1UapVNwjCqRcafi4Px6Thv5T3Z", vc.Issuer);
        Assert.Equal(new DateTimeOffset(2034, 1, 1, 0, 0, 0, TimeSpan.Zero), vc.ValidUntil);
        Assert.Equal("BitstringStatusListEntry", Assert.Single(vc.CredentialStatus).Types[0]);
        Assert.Equal("https://example.org/schema.json", Assert.Single(vc.CredentialSchema).Id);
        Assert.Single(vc.Proofs);
    }

    [Fact]
    public void The_JS_presentation_reads_into_the_typed_view()
    {
        var vp = VerifiablePresentation.Parse(Vectors.Json("js-generated", "vp-eddsa-rdfc-2022-two-vcs.json"));
        Assert.Equal("did:key:z6MkwVDfCg9LbbY6xjH3EZk8YSFQZujV5Y4y1ZWeER9tDiN3", vp.Holder);
        Assert.Equal(2, vp.VerifiableCredentials.Count);
    }

    [Fact]
    public void A_document_violating_the_data_model_is_refused_with_every_violation()
    {
        var e = Assert.Throws<CredentialException>(() => VerifiableCredential.Parse(new JsonObject { ["type"] = "VerifiableCredential", ["validFrom"] = "2024-01-01" }));
        Assert.Equal(ProblemCode.MalformedValue, e.Code);
        Assert.Contains("§4.3", e.Detail);
        Assert.Contains("§4.7", e.Detail);
        Assert.Contains("§4.8", e.Detail);
        Assert.Contains("§4.9", e.Detail);
    }
}
