using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CsCheck;
using Vc.Interop.Hcert;
using Vc.Interop.Qr;
using Vc.Interop.TrustLists;

namespace Vc.Interop.Tests;

/// <summary>Hostile input: every failure is a typed outcome, never an unhandled exception, and resource use is bounded.</summary>
public sealed class RobustnessTests
{
    private static readonly System.Security.Cryptography.X509Certificates.X509Certificate2 Ca = TestPki.CreateCa("Fuzz CSCA");
    private static readonly System.Security.Cryptography.X509Certificates.X509Certificate2 Dsc = TestPki.CreateDsc(Ca);
    private static readonly HcertSigner Signer = new(Dsc);
    private static readonly HcertVerifier Verifier = new(TrustStore.FromCertificates(TestPki.PublicOnly(Dsc)));
    private static readonly DateTimeOffset Issued = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Clock = Issued.AddDays(1);

    private static readonly string ValidHc1 = Signer.SignEuDcc(TestJson.Parse(
        """{"ver":"1.3.0","nam":{"fn":"Doe","fnt":"DOE","gn":"Jo","gnt":"JO"},"dob":"1970-01-01","t":[{"tg":"840539006","tt":"LP6464-4","nm":"PCR","sc":"2025-05-31T10:00:00Z","tr":"260415000","tc":"Lab","co":"AT","is":"MoH","ci":"URN:UVCI:01:AT:T#1"}]}"""),
        "AT", Issued, Issued.AddDays(3));

    private static readonly HashSet<HcertFailure> InputFailures =
        [HcertFailure.Input, HcertFailure.Unprefix, HcertFailure.Base45, HcertFailure.Inflate, HcertFailure.Cose, HcertFailure.KidMissing,
         HcertFailure.Cwt, HcertFailure.KidUnknown, HcertFailure.Signature, HcertFailure.UnsupportedAlgorithm];

    [Theory]
    [InlineData("finding-afl-jpeg-header-loop.jpg")]
    [InlineData("finding-afl-png-chunks-past-end.png")]
    public void Truncated_images_the_decoder_looped_on_have_no_pixel_count_and_are_refused_typed(string file)
    {
        // The node counts an upload's pixels before decoding it (memory bound): both reads go through our header reader.
        var image = File.ReadAllBytes(Path.Combine(Vc.TestSupport.TestPaths.RepoRoot, "bench", "fuzz", "corpus", "qr", file));
        Assert.Null(HcertQr.PixelsOf(image));
        Assert.Equal(HcertFailure.QrDecode, Assert.Throws<HcertException>(() => HcertQr.Decode(image)).Failure);
    }

    [Fact]
    public void A_rendered_QR_has_its_pixel_count_from_the_header_and_decodes()
    {
        var png = HcertQr.RenderPng("HC1:TEST", pixelsPerModule: 2);
        var side = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16));
        Assert.Equal((long)side * side, HcertQr.PixelsOf(png));
        Assert.Equal("HC1:TEST", HcertQr.Decode(png));
    }

    [Fact]
    public void The_reference_certificate_of_these_tests_is_valid() =>
        Assert.True(Verifier.Verify(ValidHc1, Clock).IsValid);

    [Fact]
    public void Arbitrary_text_is_rejected_with_a_typed_outcome()
    {
        Gen.String.Sample(text =>
        {
            var r = Verifier.Verify(text, Clock);
            Assert.Contains(r.Outcome, InputFailures);
        }, iter: 3000);
        Gen.Char["0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"].Array[0, 600].Select(c => "HC1:" + new string(c)).Sample(text =>
            Assert.Contains(Verifier.Verify(text, Clock).Outcome, InputFailures), iter: 3000);
    }

    [Fact]
    public void Arbitrary_bytes_as_COSE_are_rejected_with_a_typed_outcome()
    {
        Gen.Byte.Array[0, 800].Sample(bytes => Assert.Contains(Verifier.VerifyCose(bytes, Clock).Outcome, InputFailures), iter: 5000);
        // Biased towards CBOR: start with a COSE_Sign1 tag and array header.
        Gen.Byte.Array[0, 300].Select(b => (byte[])[0xD2, 0x84, .. b]).Sample(bytes => Assert.Contains(Verifier.VerifyCose(bytes, Clock).Outcome, InputFailures), iter: 5000);
    }

    [Fact]
    public void Every_truncation_of_a_valid_HC1_fails_with_a_typed_outcome()
    {
        for (var n = 0; n < ValidHc1.Length; n++)
        {
            var r = Verifier.Verify(ValidHc1[..n], Clock);
            Assert.False(r.IsValid);
            Assert.Contains(r.Outcome, InputFailures);
        }
        var cose = HcertCodec.DecodeToCose(ValidHc1);
        for (var n = 0; n < cose.Length; n++)
            Assert.Contains(Verifier.VerifyCose(cose.AsMemory(0, n), Clock).Outcome, InputFailures);
    }

    [Fact]
    public void Any_single_bit_flip_in_the_COSE_bytes_invalidates_the_certificate_without_an_exception()
    {
        var cose = HcertCodec.DecodeToCose(ValidHc1);
        Gen.Int[0, cose.Length * 8 - 1].Sample(bit =>
        {
            var copy = (byte[])cose.Clone();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            var r = Verifier.VerifyCose(copy, Clock);
            Assert.False(r.IsValid, $"bit {bit} flipped and still valid");
        }, iter: 2000);
    }

    [Fact]
    public void Oversized_input_is_refused_before_decoding()
    {
        var r = Verifier.Verify("HC1:" + new string('A', HcertCodec.DefaultMaxInputChars), Clock);
        Assert.Equal(HcertFailure.Input, r.Outcome);
    }

    [Fact]
    public void A_zlib_bomb_stops_at_the_inflate_cap()
    {
        var bomb = Zlib.Deflate(new byte[8 * 1024 * 1024]); // 8 MB of zeros → about 8 KB compressed
        var e = Assert.Throws<HcertException>(() => Zlib.Inflate(bomb, Zlib.DefaultMaxInflatedBytes));
        Assert.Equal(HcertFailure.Inflate, e.Failure);
        var small = Zlib.Deflate(new byte[200_000]);
        var r = new HcertVerifier(TrustStore.Empty).Verify(HcertCodec.Prefix + Base45.Encode(small), Clock);
        Assert.Equal(HcertFailure.Inflate, r.Outcome); // the verifier's cap is 64 KB
        Assert.Contains("exceeds", r.Reason);
    }

    [Fact]
    public void Deeply_nested_CBOR_in_a_correctly_signed_payload_is_a_typed_failure()
    {
        foreach (var depth in new[] { 20, 1_000, 100_000 })
        {
            var dcc = new List<byte> { 0xA2, 0x63, (byte)'v', (byte)'e', (byte)'r', 0x65, (byte)'1', (byte)'.', (byte)'3', (byte)'.', (byte)'0', 0x64, (byte)'d', (byte)'e', (byte)'e', (byte)'p' };
            dcc.AddRange(Enumerable.Repeat((byte)0x81, depth)); // [[[…1…]]]
            dcc.Add(0x01);
            // The CWT is assembled by hand (our encoder refuses such sub-claims) and really signed.
            var cwt = new List<byte> { 0xA3, 0x06 };
            cwt.AddRange(Int(Issued.ToUnixTimeSeconds()));
            cwt.Add(0x04);
            cwt.AddRange(Int(Issued.AddDays(3).ToUnixTimeSeconds()));
            cwt.AddRange([0x39, 0x01, 0x03, 0xA1, 0x01]);
            cwt.AddRange(dcc);
            var cose = CoseSign1.Sign(cwt.ToArray(), TrustEntry.KidOf(Dsc), Dsc.GetECDsaPrivateKey()!);
            var r = Verifier.VerifyCose(cose, Clock);
            Assert.False(r.IsValid);
            Assert.Equal(HcertFailure.Cwt, r.Outcome);
        }
        var deep = new List<byte> { 0xA1, 0x61, (byte)'x' };
        deep.AddRange(Enumerable.Repeat((byte)0x81, 1000));
        deep.Add(0x01);
        Assert.Equal(HcertFailure.Encode, Assert.Throws<HcertException>(() => Sign(deep.ToArray())).Failure);
    }

    private static byte[] Int(long value)
    {
        var w = new CborWriter();
        w.WriteInt64(value);
        return w.Encode();
    }

    [Fact]
    public void Huge_declared_lengths_and_item_counts_are_typed_failures()
    {
        // An array claiming 2^32-1 items, a text claiming 2^31 bytes: the reader must not allocate for them.
        byte[][] payloads =
        [
            [0xA1, 0x39, 0x01, 0x03, 0xA1, 0x01, 0x9B, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF],
            [0xA1, 0x39, 0x01, 0x03, 0xA1, 0x01, 0xA1, 0x7A, 0x80, 0x00, 0x00, 0x00],
        ];
        foreach (var payload in payloads)
        {
            var cose = CoseSign1.Sign(payload, TrustEntry.KidOf(Dsc), Dsc.GetECDsaPrivateKey()!);
            Assert.Contains(Verifier.VerifyCose(cose, Clock).Outcome, InputFailures);
        }
        // Many small items inside the item cap's reach.
        var wide = new CborWriter();
        wide.WriteStartMap(1);
        wide.WriteTextString("v");
        wide.WriteStartArray(CborJson.MaxItems + 10);
        for (var i = 0; i < CborJson.MaxItems + 10; i++) wide.WriteInt32(i);
        wide.WriteEndArray();
        wide.WriteEndMap();
        var result = Verifier.VerifyCose(HcertCodec.DecodeToCose(Sign(wide.Encode()), maxChars: 1 << 20), Clock);
        Assert.Equal(HcertFailure.Cwt, result.Outcome);
    }

    [Theory]
    [InlineData("iat-as-text")]
    [InlineData("hcert-as-array")]
    [InlineData("iss-as-int")]
    [InlineData("dcc-as-text")]
    [InlineData("duplicate-claim")]
    [InlineData("no-hcert")]
    [InlineData("iat-beyond-year-9999")]
    [InlineData("exp-as-huge-float")]
    public void Wrong_types_in_claims_are_a_CWT_failure(string shape)
    {
        var w = new CborWriter(CborConformanceMode.Lax);
        w.WriteStartMap(null);
        switch (shape)
        {
            case "iat-as-text": w.WriteInt32(6); w.WriteTextString("2025-06-01"); break;
            case "iss-as-int": w.WriteInt32(1); w.WriteInt32(42); break;
            case "duplicate-claim": w.WriteInt32(6); w.WriteInt64(1); w.WriteInt32(6); w.WriteInt64(2); break;
            case "iat-beyond-year-9999": w.WriteInt32(6); w.WriteInt64(long.MaxValue); break;
            case "exp-as-huge-float": w.WriteInt32(4); w.WriteDouble(1e300); break;
        }
        if (shape != "no-hcert")
        {
            w.WriteInt32(-260);
            if (shape == "hcert-as-array") { w.WriteStartArray(0); w.WriteEndArray(); }
            else
            {
                w.WriteStartMap(1);
                w.WriteInt32(1);
                if (shape == "dcc-as-text") w.WriteTextString("{}");
                else { w.WriteStartMap(0); w.WriteEndMap(); }
                w.WriteEndMap();
            }
        }
        w.WriteEndMap();
        var cose = CoseSign1.Sign(w.Encode(), TrustEntry.KidOf(Dsc), Dsc.GetECDsaPrivateKey()!);
        var r = Verifier.VerifyCose(cose, Clock);
        Assert.Equal(HcertFailure.Cwt, r.Outcome);
        Assert.Equal(HcertStep.Cwt, r.Steps[^1].Step);
    }

    [Fact]
    public void Correctly_signed_random_claims_and_payloads_never_escape_as_exceptions()
    {
        // Random CWTs whose keys are the ones the verifier looks at, with values of random CBOR types, so every
        // step after the signature (times, key usage, JSON, schema, value sets, entry checks, ICVP) sees odd input.
        Gen.Int.Sample(seed =>
        {
            var random = new Random(seed);
            var w = new CborWriter(CborConformanceMode.Lax);
            w.WriteStartMap(null);
            foreach (var key in new[] { 1, 4, 5, 6 }.Where(_ => random.Next(3) > 0))
            {
                w.WriteInt32(key);
                if (random.Next(3) == 0) RandomItem(w, random, 2);
                else w.WriteInt64(Issued.AddDays(random.Next(-400, 400)).ToUnixTimeSeconds());
            }
            w.WriteInt32(-260);
            w.WriteStartMap(1);
            w.WriteInt32(random.Next(2) == 0 ? 1 : -6);
            RandomPayload(w, random);
            w.WriteEndMap();
            w.WriteEndMap();
            var cose = CoseSign1.Sign(w.Encode(), TrustEntry.KidOf(Dsc), Dsc.GetECDsaPrivateKey()!);
            var r = Verifier.Verify(HcertCodec.Encode(cose), Clock);
            Assert.True(r.Passed(HcertStep.Signature) || r.Outcome == HcertFailure.Cwt, $"{r.Outcome}: {r.Reason}");
        }, iter: 1500);
    }

    private static readonly string[] Keys = ["ver", "nam", "dob", "v", "t", "r", "fn", "fnt", "tg", "vp", "mp", "ma", "dn", "sd", "dt", "co", "is", "ci",
        "sc", "tr", "tt", "fr", "df", "du", "n", "s", "ntl", "nid", "vx", "bo", "vls", "vle", "cn", "d", "id", "nt"];

    private static void RandomPayload(CborWriter w, Random random)
    {
        var count = random.Next(0, 8);
        w.WriteStartMap(count);
        var used = new HashSet<string>();
        for (var i = 0; i < count; i++)
        {
            var key = Keys[random.Next(Keys.Length)];
            if (!used.Add(key)) key += i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            w.WriteTextString(key);
            if (key is "v" or "t" or "r" && random.Next(2) == 0) { w.WriteStartArray(1); RandomPayload(w, random); w.WriteEndArray(); }
            else if (key is "v" or "vx" or "nam" && random.Next(2) == 0) RandomPayload(w, random);
            else if (key is "ver" && random.Next(2) == 0) w.WriteTextString(random.Next(3) switch { 0 => "1.3.0", 1 => "1.0.0", _ => "2.0.0" });
            else RandomItem(w, random, 2);
        }
        w.WriteEndMap();
    }

    private static void RandomItem(CborWriter w, Random random, int depth)
    {
        switch (random.Next(depth > 0 ? 11 : 8))
        {
            case 0: w.WriteInt64(random.NextInt64(long.MinValue, long.MaxValue)); break;
            case 1: w.WriteTextString(random.Next(3) == 0 ? "2021-06-01" : new string('x', random.Next(0, 20))); break;
            case 2: w.WriteByteString(RandomNumberGenerator.GetBytes(random.Next(0, 10))); break;
            case 3: w.WriteDouble(random.NextDouble() * Math.Pow(10, random.Next(-5, 300))); break;
            case 4: w.WriteBoolean(random.Next(2) == 0); break;
            case 5: w.WriteNull(); break;
            case 6: w.WriteTag((CborTag)random.Next(0, 2)); w.WriteTextString("2021-06-01T00:00:00Z"); break;
            case 7: w.WriteUInt64(ulong.MaxValue); break;
            case 8: w.WriteStartArray(2); RandomItem(w, random, depth - 1); RandomItem(w, random, depth - 1); w.WriteEndArray(); break;
            case 9: w.WriteStartMap(1); w.WriteInt32(random.Next()); RandomItem(w, random, depth - 1); w.WriteEndMap(); break;
            default: w.WriteDouble(double.NaN); break;
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(40)]
    public void Duplicate_keys_in_a_payload_map_are_a_CWT_failure(int keysBeforeDuplicate)
    {
        var w = new CborWriter(CborConformanceMode.Lax);
        w.WriteStartMap(null);
        for (var i = 0; i < keysBeforeDuplicate; i++) { w.WriteTextString("k" + i); w.WriteInt32(i); }
        w.WriteTextString("k1");
        w.WriteInt32(0);
        w.WriteEndMap();
        Assert.Equal(HcertFailure.Cwt, Assert.Throws<HcertException>(() => CborJson.ToJsonElement(w.Encode())).Failure);
    }

    [Fact]
    public void A_duplicate_COSE_header_label_is_a_COSE_failure()
    {
        byte[] protectedHeader = [0xA2, 0x01, 0x26, 0x01, 0x26]; // {1: -7, 1: -7}
        var w = new CborWriter();
        w.WriteTag((CborTag)18);
        w.WriteStartArray(4);
        w.WriteByteString(protectedHeader);
        w.WriteStartMap(0);
        w.WriteEndMap();
        w.WriteByteString([0xA0]);
        w.WriteByteString(new byte[64]);
        w.WriteEndArray();
        Assert.Equal(HcertFailure.Cose, Assert.Throws<HcertException>(() => CoseSign1.Decode(w.Encode())).Failure);
    }

    [Theory]
    [InlineData(-8)]   // EdDSA
    [InlineData(-257)] // RS256
    [InlineData(999)]
    public void Unknown_algorithms_are_refused(int alg)
    {
        var header = new CborWriter();
        header.WriteStartMap(2);
        header.WriteInt32(1);
        header.WriteInt32(alg);
        header.WriteInt32(4);
        header.WriteByteString(TrustEntry.KidOf(Dsc));
        header.WriteEndMap();
        var genuine = CoseSign1.Decode(HcertCodec.DecodeToCose(ValidHc1));
        var w = new CborWriter();
        w.WriteTag((CborTag)18);
        w.WriteStartArray(4);
        w.WriteByteString(header.Encode());
        w.WriteStartMap(0);
        w.WriteEndMap();
        w.WriteByteString(genuine.Payload.Span);
        w.WriteByteString(genuine.Signature.Span);
        w.WriteEndArray();
        Assert.Equal(HcertFailure.UnsupportedAlgorithm, Verifier.VerifyCose(w.Encode(), Clock).Outcome);
    }

    [Fact]
    public void Kid_collisions_try_every_candidate_and_fail_only_if_none_verifies()
    {
        var impostor = TestPki.CreateDsc(Ca, "Impostor");
        var kid = TrustEntry.KidOf(Dsc);
        var colliding = new TrustEntry(TestPki.PublicOnly(impostor), TrustSource.Certificate, kid: kid);
        var genuine = new TrustEntry(TestPki.PublicOnly(Dsc), TrustSource.Certificate);
        var both = new HcertVerifier(new TrustStore([colliding, genuine])).Verify(ValidHc1, Clock);
        Assert.True(both.IsValid, $"{both.Outcome}: {both.Reason}");
        Assert.Same(genuine, both.Signer);
        var onlyImpostor = new HcertVerifier(new TrustStore([colliding, new TrustEntry(TestPki.PublicOnly(TestPki.CreateDsc(Ca)), TrustSource.Certificate, kid: kid)])).Verify(ValidHc1, Clock);
        Assert.Equal(HcertFailure.Signature, onlyImpostor.Outcome);
        Assert.Contains("none of the 2", onlyImpostor.Reason);
    }

    [Fact]
    public void A_kid_that_belongs_to_a_CA_key_does_not_verify_an_HCERT()
    {
        var asSca = new TrustEntry(TestPki.PublicOnly(Dsc), TrustSource.GdhcnDid, "XA", "DCC", ["SCA"]);
        Assert.Equal(HcertFailure.KidUnknown, new HcertVerifier(new TrustStore([asSca])).Verify(ValidHc1, Clock).Outcome);
    }

    [Fact]
    public void Arbitrary_bytes_as_an_image_are_a_QR_decode_failure()
    {
        Gen.Byte.Array[0, 2000].Sample(bytes =>
        {
            var e = Assert.Throws<HcertException>(() => HcertQr.Decode(bytes));
            Assert.Equal(HcertFailure.QrDecode, e.Failure);
        }, iter: 500);
        var png = HcertQr.RenderPng(ValidHc1);
        Gen.Int[8, png.Length - 1].Sample(n =>
        {
            try { Assert.Equal(ValidHc1, HcertQr.Decode(png[..n])); }
            catch (HcertException e) { Assert.Equal(HcertFailure.QrDecode, e.Failure); }
        }, iter: 200);
    }

    [Fact]
    public void A_rendered_QR_code_decodes_back_to_the_same_HC1_string() =>
        Assert.Equal(ValidHc1, HcertQr.Decode(HcertQr.RenderPng(ValidHc1)));

    [Fact]
    public void The_QR_symbol_uses_alphanumeric_mode_so_it_is_smaller_than_a_byte_mode_symbol()
    {
        using var ours = HcertQr.Encode(ValidHc1);
        using var generator = new QRCoder.QRCodeGenerator();
        using var byteMode = generator.CreateQrCode(ValidHc1, QRCoder.QRCodeGenerator.ECCLevel.Q, forceUtf8: true);
        // 11 bits per 2 characters instead of 16: the alphanumeric symbol is several versions (4 modules each) smaller.
        Assert.True(ours.ModuleMatrix.Count + 8 <= byteMode.ModuleMatrix.Count, $"{ours.ModuleMatrix.Count} vs {byteMode.ModuleMatrix.Count}");
    }

    [Fact]
    public void Arbitrary_trust_files_fail_with_a_typed_trust_list_error()
    {
        Gen.Byte.Array[0, 500].Sample(bytes =>
        {
            try { TrustFiles.Load(bytes); }
            catch (TrustListException) { }
        }, iter: 2000);
        Gen.String.Select(s => System.Text.Encoding.UTF8.GetBytes("{" + s)).Sample(bytes =>
        {
            try { GdhcnDidTrustList.Load(bytes); }
            catch (TrustListException) { }
        }, iter: 2000);
    }

    private static string Sign(byte[] dcc) => Signer.Sign(new CwtClaims
    {
        Issuer = "AT",
        IssuedAt = Issued.ToUnixTimeSeconds(),
        Expiration = Issued.AddDays(3).ToUnixTimeSeconds(),
        Hcert = new Dictionary<int, ReadOnlyMemory<byte>> { [HcertClaimKey.EuDcc] = dcc },
    });
}

/// <summary>The libcrypto fast path and the managed one (CoseSign1Message.VerifyEmbedded, or ECDsa for the lenient shapes
/// and DER signatures) must agree on every signature.</summary>
public sealed class SignaturePathTests
{
    public static IEnumerable<object[]> Cases() => DgcConformanceTests.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_native_and_managed_ECDSA_paths_agree(string relativePath)
    {
        var root = Vc.TestSupport.TestPaths.TestData("dgc-testdata", "VCHEALTH_DGC_TESTDATA");
        var test = TestJson.Parse(File.ReadAllText(Path.Combine(root, relativePath)));
        var cert = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(test.GetProperty("TESTCTX").GetProperty("CERTIFICATE").GetString()!));
        byte[] cose;
        try { cose = test.TryGetProperty("COSE", out var c) ? Convert.FromHexString(c.GetString()!) : HcertCodec.DecodeToCose(test.GetProperty("PREFIX").GetString()!); }
        catch (HcertException) { cose = [0x00]; } // broken outer layers: both paths must reject the same way
        var store = TrustStore.FromCertificates(cert);
        var native = new HcertVerifier(store, options: new HcertVerifierOptions { UseNativeOpenSsl = true }).VerifyCose(cose, DateTimeOffset.UnixEpoch);
        var managed = new HcertVerifier(store, options: new HcertVerifierOptions { UseNativeOpenSsl = false }).VerifyCose(cose, DateTimeOffset.UnixEpoch);
        Assert.Equal(managed.Passed(HcertStep.Signature), native.Passed(HcertStep.Signature));
        Assert.Equal(managed.Outcome, native.Outcome);
    }

    [Fact]
    public void The_native_path_rejects_a_forged_signature_and_accepts_the_genuine_one()
    {
        var dsc = TestPki.CreateDsc(TestPki.CreateCa("Native CA"));
        var entry = new TrustEntry(TestPki.PublicOnly(dsc), TrustSource.Certificate);
        Assert.NotNull(entry.NativeP256);
        var data = RandomNumberGenerator.GetBytes(300);
        var signature = dsc.GetECDsaPrivateKey()!.SignData(data, HashAlgorithmName.SHA256);
        Assert.True(entry.NativeP256!.Verify(data, signature));
        for (var i = 0; i < 64; i += 7)
        {
            var forged = (byte[])signature.Clone();
            forged[i] ^= 0x01;
            Assert.False(entry.NativeP256.Verify(data, forged));
        }
        data[0] ^= 1;
        Assert.False(entry.NativeP256.Verify(data, signature));
        // .NET's own OpenSSL calls on this thread still work after rejected signatures.
        Assert.True(dsc.GetECDsaPublicKey()!.VerifyData(data.Select((b, i) => i == 0 ? (byte)(b ^ 1) : b).ToArray(), signature, HashAlgorithmName.SHA256));
    }
}

/// <summary>One verifier shared by many threads gives the same answers as on one thread (per-thread key contexts).</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public void Parallel_verification_with_one_verifier_matches_sequential_results()
    {
        var root = Vc.TestSupport.TestPaths.TestData("dgc-testdata", "VCHEALTH_DGC_TESTDATA");
        var cases = DgcConformanceTests.Cases()
            .Select(c => TestJson.Parse(File.ReadAllText(Path.Combine(root, (string)c[0]))))
            .Where(t => t.TryGetProperty("PREFIX", out _) && t.GetProperty("TESTCTX").TryGetProperty("CERTIFICATE", out _))
            .Select(t => (Hc1: t.GetProperty("PREFIX").GetString()!, Clock: HcertClock.Parse(t.GetProperty("TESTCTX").GetProperty("VALIDATIONCLOCK").GetString()!),
                Cert: X509CertificateLoader.LoadCertificate(Convert.FromBase64String(t.GetProperty("TESTCTX").GetProperty("CERTIFICATE").GetString()!))))
            .ToList();
        var verifier = new HcertVerifier(new TrustStore(cases.Select(c => new TrustEntry(c.Cert, TrustSource.Certificate))));
        var sequential = cases.Select(c => verifier.Verify(c.Hc1, c.Clock).Outcome).ToArray();
        var parallel = new HcertFailure[cases.Count * 8];
        Parallel.For(0, parallel.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            parallel[i] = verifier.Verify(cases[i % cases.Count].Hc1, cases[i % cases.Count].Clock).Outcome);
        for (var i = 0; i < parallel.Length; i++)
            Assert.Equal(sequential[i % cases.Count], parallel[i]);
        Assert.Contains(HcertFailure.None, sequential);
    }
}
