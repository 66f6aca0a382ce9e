using System.Text;
using System.Text.Json;
using Vc.Did.Ethr;
using Vc.Interop.Pki;
using Vc.Interop.Qr;
using Vc.Interop.TrustLists;

namespace Vc.Fuzz;

/// <summary>Seeds no shared test data holds: an EU gateway list signed by the fuzzing anchor (written to fixtures/),
/// ERC-1056 logs of each event and QR images (of the corpus's HC1 seed). Run once; the output is committed under bench/fuzz/corpus.</summary>
public static class Seeds
{
    public static void Write(string corpus)
    {
        var time = new FixedTime(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero));

        // EU gateway: anchor → CSCA + UPLOAD items; UPLOAD → DSC item (detached CMS signatures, as the gateway does).
        using var anchor = CountryPki.CreateTrustAnchor("VcHealth fuzzing gateway anchor", years: 30, time);
        File.WriteAllText(Path.Combine(FuzzFixtures.Directory, "gateway-anchor.pem"), anchor.ExportCertificatePem() + "\n");
        using var pki = CountryPki.Create("XA", years: 30, time);
        using var upload = pki.IssueUpload();
        using var dsc = pki.IssueDsc("XA DSC");
        var stamp = time.GetUtcNow();
        var list = new[]
        {
            EuGatewayTrustList.CreateItem(pki.Csca, "XA", "CSCA", anchor, stamp),
            EuGatewayTrustList.CreateItem(PublicOnly(upload), "XA", "UPLOAD", anchor, stamp),
            EuGatewayTrustList.CreateItem(PublicOnly(dsc), "XA", "DSC", upload, stamp),
        };
        Save(corpus, "eu-gateway", "list-xa.json", JsonSerializer.SerializeToUtf8Bytes(list));
        Save(corpus, "eu-gateway", "dsc-only.json", JsonSerializer.SerializeToUtf8Bytes(list[2..]));
        Save(corpus, "eu-gateway", "empty.json", "[]"u8.ToArray());

        // ERC-1056 (first byte: 0 owner, 1 delegate, 2 attribute; then the ABI-encoded non-indexed parameters).
        var address = Word(0x11);
        Save(corpus, "ethr-log", "owner.bin", [0, .. address, .. Word(7)]);
        Save(corpus, "ethr-log", "delegate.bin", [1, .. Erc1056Log.StringToBytes32("veriKey"), .. address, .. Word(1_900_000_000), .. Word(7)]);
        var value = Encoding.UTF8.GetBytes("https://example.org/hub");
        byte[] padded = [.. value, .. new byte[(32 - value.Length % 32) % 32]];
        Save(corpus, "ethr-log", "attribute.bin",
            [2, .. Erc1056Log.StringToBytes32("did/svc/HubService"), .. Word(0x80), .. Word(1_900_000_000), .. Word(7), .. Word(value.Length), .. padded]);
        Save(corpus, "ethr-log", "attribute-empty.bin",
            [2, .. Erc1056Log.StringToBytes32("did/pub/Ed25519/veriKey/base64"), .. Word(0x80), .. Word(0), .. Word(0), .. Word(0)]);

        // QR: small images (one pixel a module) of a short and of a full HC1 string.
        Save(corpus, "qr", "short.png", HcertQr.RenderPng("HC1:6BFOXN%TS3DH", pixelsPerModule: 1));
        var icvp = File.ReadAllText(Path.Combine(corpus, "hcert", "icvp-yf-HC1.txt")).Trim();
        Save(corpus, "qr", "icvp.png", HcertQr.RenderPng(icvp, pixelsPerModule: 1));
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 PublicOnly(
        System.Security.Cryptography.X509Certificates.X509Certificate2 c) =>
        System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(c.RawData);

    private static byte[] Word(long value)
    {
        var word = new byte[32];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(word.AsSpan(24), value);
        return word;
    }

    private static void Save(string corpus, string target, string name, byte[] content)
    {
        var dir = Path.Combine(corpus, target);
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, name), content);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
