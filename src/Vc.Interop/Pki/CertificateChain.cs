using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vc.Interop.Pki;

/// <summary>The one issuer check of the node's trust lists (EU gateway CSCA → DSC, GDHCN x5c, the PKI → ledger bridge).</summary>
public static class CertificateChain
{
    private const string EcdsaSha256 = "1.2.840.10045.4.3.2";
    private const string EcdsaSha384 = "1.2.840.10045.4.3.3";
    private const string EcdsaSha512 = "1.2.840.10045.4.3.4";
    private const string RsaSha256 = "1.2.840.113549.1.1.11";
    private const string RsaSha384 = "1.2.840.113549.1.1.12";
    private const string RsaSha512 = "1.2.840.113549.1.1.13";
    private const string RsaPss = "1.2.840.113549.1.1.10";
    private const string Mgf1 = "1.2.840.113549.1.1.8";
    private const string Sha256 = "2.16.840.1.101.3.4.2.1";
    private const string Sha384 = "2.16.840.1.101.3.4.2.2";
    private const string Sha512 = "2.16.840.1.101.3.4.2.3";

    /// <summary>Whether <paramref name="issuer"/>'s key signed <paramref name="subject"/> and the subject names it as
    /// issuer (RFC 5280 §6.1.3 (a)(1), (a)(4)). Validity dates, key usage and basic constraints are not checked here:
    /// trust lists keep expired DSCs so that old certificates can still be told apart from forged ones, and test CSCAs
    /// in the field often lack CA extensions. X509Chain is not used: it builds and judges whole paths (dates, CA
    /// extensions, revocation) where the trust lists need this one link. SHA-1 signatures are refused.</summary>
    public static bool IsIssuedBy(X509Certificate2 subject, X509Certificate2 issuer)
    {
        // RFC 5280 §7.1 compares names after normalisation; the decoded form covers re-encoded strings.
        if (!subject.IssuerName.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData)
            && subject.IssuerName.Name != issuer.SubjectName.Name)
            return false;
        try
        {
            return SignatureVerifies(subject.RawData, issuer);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>For an x5c-style list [leaf, issuer, issuer's issuer, …]: the index i of the first certificate not
    /// issued by certificate i + 1, or -1 when every link holds.</summary>
    public static int FirstBrokenLink(IReadOnlyList<X509Certificate2> chain)
    {
        for (var i = 0; i + 1 < chain.Count; i++)
            if (!IsIssuedBy(chain[i], chain[i + 1]))
                return i;
        return -1;
    }

    private static bool SignatureVerifies(byte[] der, X509Certificate2 issuer)
    {
        // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING } (RFC 5280 §4.1)
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        var certificate = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        var tbs = certificate.ReadEncodedValue();
        var algorithm = certificate.ReadEncodedValue();
        if (!certificate.TryReadPrimitiveBitString(out var unusedBits, out var signature) || unusedBits != 0)
            return false;
        certificate.ThrowIfNotEmpty();

        // RFC 5280 §4.1.1.2: the signed algorithm identifier must equal the outer one.
        var tbsReader = new AsnReader(tbs, AsnEncodingRules.DER).ReadSequence();
        if (tbsReader.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
            tbsReader.ReadEncodedValue(); // version
        tbsReader.ReadEncodedValue(); // serialNumber
        if (!tbsReader.ReadEncodedValue().Span.SequenceEqual(algorithm.Span))
            return false;

        var algorithmReader = new AsnReader(algorithm, AsnEncodingRules.DER).ReadSequence();
        var oid = algorithmReader.ReadObjectIdentifier();
        switch (oid)
        {
            case EcdsaSha256 or EcdsaSha384 or EcdsaSha512:
                using (var ec = issuer.GetECDsaPublicKey())
                {
                    var hash = oid == EcdsaSha256 ? HashAlgorithmName.SHA256 : oid == EcdsaSha384 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA512;
                    return ec is not null && ec.VerifyData(tbs.Span, signature.Span, hash, DSASignatureFormat.Rfc3279DerSequence);
                }
            case RsaSha256 or RsaSha384 or RsaSha512:
                using (var rsa = issuer.GetRSAPublicKey())
                {
                    var hash = oid == RsaSha256 ? HashAlgorithmName.SHA256 : oid == RsaSha384 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA512;
                    return rsa is not null && rsa.VerifyData(tbs.Span, signature.Span, hash, RSASignaturePadding.Pkcs1);
                }
            case RsaPss:
                using (var rsa = issuer.GetRSAPublicKey())
                    return rsa is not null && PssHash(algorithmReader) is { } hash
                        && rsa.VerifyData(tbs.Span, signature.Span, hash, RSASignaturePadding.Pss);
            default:
                return false;
        }
    }

    /// <summary>RSASSA-PSS-params (RFC 4055 §3.1) that .NET's PSS verifies: SHA-2, MGF1 with the same hash, salt length =
    /// hash length, trailer 1. Anything else (including the SHA-1 defaults) is null.</summary>
    private static HashAlgorithmName? PssHash(AsnReader algorithmReader)
    {
        if (!algorithmReader.HasData)
            return null;
        var p = algorithmReader.ReadSequence();
        string? hashOid = null, mgfHashOid = null;
        var salt = -1;
        if (p.HasData && p.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
            hashOid = p.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence().ReadObjectIdentifier();
        if (p.HasData && p.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 1)))
        {
            var mgf = p.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 1)).ReadSequence();
            if (mgf.ReadObjectIdentifier() != Mgf1) return null;
            mgfHashOid = mgf.ReadSequence().ReadObjectIdentifier();
        }
        if (p.HasData && p.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 2)))
        {
            if (!p.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 2)).TryReadInt32(out salt)) return null;
        }
        if (p.HasData && p.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 3)))
        {
            if (!p.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 3)).TryReadInt32(out var trailer) || trailer != 1) return null;
        }
        if (p.HasData || hashOid != mgfHashOid) return null;
        (HashAlgorithmName Name, int Size)? hash = hashOid switch
        {
            Sha256 => (HashAlgorithmName.SHA256, 32),
            Sha384 => (HashAlgorithmName.SHA384, 48),
            Sha512 => (HashAlgorithmName.SHA512, 64),
            _ => null,
        };
        return hash is { } h && salt == h.Size ? h.Name : null;
    }
}
