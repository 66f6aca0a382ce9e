using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vc.Interop.Pki;
using Vc.Interop.TrustLists;

namespace Vc.Interop.Tests;

/// <summary>The one issuer check (RFC 5280 §6.1.3 (a)(1)) over the signature algorithms CSCAs use.</summary>
public sealed class CertificateChainTests
{
    private static readonly DateTimeOffset From = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static X509Certificate2 Ca(AsymmetricAlgorithm key, string name, RSASignaturePadding? padding = null, HashAlgorithmName? hash = null)
    {
        var req = key is RSA rsa
            ? new CertificateRequest($"C=XA, CN={name}", rsa, hash ?? HashAlgorithmName.SHA256, padding ?? RSASignaturePadding.Pkcs1)
            : new CertificateRequest($"C=XA, CN={name}", (ECDsa)key, hash ?? HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        return req.CreateSelfSigned(From, From.AddYears(5));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, AsymmetricAlgorithm caKey, RSASignaturePadding? padding = null, HashAlgorithmName? hash = null, string issuerName = "")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("C=XA, CN=DSC", key, hash ?? HashAlgorithmName.SHA256);
        var generator = caKey is RSA rsa
            ? X509SignatureGenerator.CreateForRSA(rsa, padding ?? RSASignaturePadding.Pkcs1)
            : X509SignatureGenerator.CreateForECDsa((ECDsa)caKey);
        var issuer = issuerName.Length > 0 ? new X500DistinguishedName(issuerName) : ca.SubjectName;
        return req.Create(issuer, generator, From.AddDays(1), From.AddYears(2), [1, 2, 3]);
    }

    public static TheoryData<string> Algorithms() => ["ES256", "ES384", "RS256", "RS512", "PS256", "PS384"];

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void A_certificate_is_issued_by_its_CA_and_not_by_another(string algorithm)
    {
        var hash = algorithm[2..] switch { "384" => HashAlgorithmName.SHA384, "512" => HashAlgorithmName.SHA512, _ => HashAlgorithmName.SHA256 };
        var padding = algorithm.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        using AsymmetricAlgorithm key = algorithm.StartsWith('E') ? ECDsa.Create(hash == HashAlgorithmName.SHA384 ? ECCurve.NamedCurves.nistP384 : ECCurve.NamedCurves.nistP256) : RSA.Create(2048);
        using AsymmetricAlgorithm otherKey = key is RSA ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ca = Ca(key, "CSCA", padding, hash);
        var sameNameOtherKey = Ca(otherKey, "CSCA", padding, hash);
        var dsc = Issue(ca, key, padding, hash);

        Assert.True(CertificateChain.IsIssuedBy(dsc, ca));
        Assert.True(CertificateChain.IsIssuedBy(ca, ca)); // self-signed
        Assert.False(CertificateChain.IsIssuedBy(dsc, sameNameOtherKey));
        Assert.False(CertificateChain.IsIssuedBy(ca, dsc));
    }

    [Fact]
    public void The_issuer_name_must_match()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ca = Ca(key, "CSCA");
        var dsc = Issue(ca, key, issuerName: "C=XA, CN=Someone else");
        Assert.False(CertificateChain.IsIssuedBy(dsc, ca));
    }

    [Fact]
    public void A_changed_bit_in_the_signed_part_or_the_signature_breaks_it()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ca = Ca(key, "CSCA");
        var der = Issue(ca, key).RawData;
        // The serial number (INTEGER 01 02 03) is inside the TBSCertificate; the last byte is inside the signature.
        var serial = der.AsSpan().IndexOf((ReadOnlySpan<byte>)[0x02, 0x03, 0x01, 0x02, 0x03]) + 4;
        Assert.True(serial > 4);
        foreach (var index in new[] { serial, der.Length - 1 })
        {
            var tampered = (byte[])der.Clone();
            tampered[index] ^= 0x01;
            Assert.False(CertificateChain.IsIssuedBy(X509CertificateLoader.LoadCertificate(tampered), ca), $"byte {index}");
        }
    }

    [Fact]
    public void An_issuer_without_a_usable_key_type_is_not_an_issuer()
    {
        using var rsaKey = RSA.Create(2048);
        using var ecKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rsaCa = Ca(rsaKey, "CSCA");
        var ecCa = Ca(ecKey, "CSCA");
        Assert.False(CertificateChain.IsIssuedBy(Issue(rsaCa, rsaKey), ecCa));
        Assert.False(CertificateChain.IsIssuedBy(Issue(ecCa, ecKey), rsaCa));
    }

    [Fact]
    public void The_first_broken_link_of_an_x5c_list_is_named()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var root = Ca(rootKey, "CSCA");
        var other = Ca(otherKey, "Other");
        var dsc = Issue(root, rootKey);
        Assert.Equal(-1, CertificateChain.FirstBrokenLink([dsc, root]));
        Assert.Equal(-1, CertificateChain.FirstBrokenLink([dsc]));
        Assert.Equal(0, CertificateChain.FirstBrokenLink([dsc, other]));
        Assert.Equal(1, CertificateChain.FirstBrokenLink([dsc, root, other]));
    }

    [Fact]
    public void A_country_PKI_issues_from_its_clock_and_its_certificates_chain_to_the_CSCA()
    {
        var now = new DateTimeOffset(2030, 3, 1, 12, 0, 0, TimeSpan.Zero);
        using var pki = CountryPki.Create("XA", time: new FixedTime(now));
        using var dsc = pki.IssueDsc("DSC XA");
        using var upload = pki.IssueUpload();
        using var anchor = CountryPki.CreateTrustAnchor("Anchor", time: new FixedTime(now));
        foreach (var cert in new[] { pki.Csca, dsc, upload, anchor })
            Assert.Equal(now.AddMinutes(-5).UtcDateTime, cert.NotBefore.ToUniversalTime());
        Assert.True(CertificateChain.IsIssuedBy(dsc, pki.Csca));
        Assert.True(CertificateChain.IsIssuedBy(upload, pki.Csca));
        Assert.Equal(DccKeyUsage.Test | DccKeyUsage.Vaccination | DccKeyUsage.Recovery, new TrustEntry(dsc, TrustSource.Certificate).DccKeyUsage);
    }
}
