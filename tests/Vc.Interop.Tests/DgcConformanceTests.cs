using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Vc.Interop.Dcc;
using Vc.Interop.Hcert;
using Vc.Interop.Qr;
using Vc.Interop.TrustLists;
using Vc.TestSupport;
using Xunit.Abstractions;

namespace Vc.Interop.Tests;

/// <summary>Runs every case of the EU dgc-testdata vectors (root overridable by VCHEALTH_DGC_TESTDATA) and honours
/// every EXPECTED* flag present: true = the step must succeed, false = it must fail. TESTCTX.CERTIFICATE is the
/// trust store and VALIDATIONCLOCK the clock.</summary>
public sealed class DgcConformanceTests(ITestOutputHelper output)
{
    private static readonly string Root = TestPaths.TestData("dgc-testdata", "VCHEALTH_DGC_TESTDATA");
    private static readonly DccSchemaValidator Schemas = new();

    /// <summary>Flags whose upstream expectation is known to be wrong (cases_index.tsv, column known_issue: the
    /// harness test name and the upstream issue). For these the opposite outcome is asserted, so the test still
    /// pins our behaviour.</summary>
    private static readonly Dictionary<string, Dictionary<string, string>> KnownIssues = LoadKnownIssues();

    public static IEnumerable<object[]> Cases() =>
        Directory.EnumerateFiles(Root, "*.json", SearchOption.AllDirectories)
            .Where(f => f.Contains(Path.DirectorySeparatorChar + "2DCode" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .Select(f => new object[] { f });

    [Fact]
    public void The_test_data_root_holds_every_case()
    {
        var count = Cases().Count();
        output.WriteLine($"{count} cases under {Root}");
        Assert.True(count > 0, "no dgc-testdata cases found");
        if (File.Exists(Path.Combine(Root, "cases_index.tsv")))
            Assert.Equal(File.ReadAllLines(Path.Combine(Root, "cases_index.tsv")).Skip(1).Count(l => l.Length > 0), count);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_expected_flag_of_the_case_holds(string relativePath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Root, relativePath)));
        var test = doc.RootElement;
        var expected = test.GetProperty("EXPECTEDRESULTS");
        var known = KnownIssues.GetValueOrDefault(relativePath) ?? [];
        var failures = new List<string>();
        var checkedFlags = 0;
        foreach (var flag in expected.EnumerateObject())
        {
            if (!flag.Name.StartsWith("EXPECTED", StringComparison.Ordinal) || Flag(flag.Value) is not { } want)
                continue; // e.g. the misspelt EXPTECTEDEXPIRED of BG: not a flag of the format
            var name = flag.Name["EXPECTED".Length..];
            if (known.TryGetValue(name, out var issue))
            {
                output.WriteLine($"{name}: upstream expectation {want} is known wrong ({issue}); asserting {!want}");
                want = !want;
            }
            var (got, why) = Evaluate(name, test);
            checkedFlags++;
            output.WriteLine($"{name}: expected {want}, got {got} {why}");
            if (got != want)
                failures.Add($"{name}: expected {want}, got {got} ({why})");
        }
        Assert.True(checkedFlags > 0, "the case carries no EXPECTED flag");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>.NET's COSE decoder (CoseSign1Message) reads every vector it can: the lenient decoder takes over only
    /// where DecodeSign1 throws or the alg is not protected, and then reads the same kid, payload and signature.</summary>
    [Fact]
    public void The_lenient_COSE_decoder_is_used_only_where_NET_refuses_the_vector()
    {
        var standard = 0;
        var lenient = new List<string>();
        foreach (var relativePath in Cases().Select(c => (string)c[0]))
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Root, relativePath)));
            if (Hex(doc.RootElement, "COSE") is null && Text(doc.RootElement, "PREFIX") is null)
                continue;
            byte[] bytes;
            CoseSign1 ours;
            try
            {
                bytes = Cose(doc.RootElement);
                ours = CoseSign1.Decode(bytes);
            }
            catch (HcertException)
            {
                continue; // a negative case below the COSE layer, or refused by both decoders
            }
            System.Security.Cryptography.Cose.CoseSign1Message? net = null;
            string why;
            try
            {
                net = System.Security.Cryptography.Cose.CoseMessage.DecodeSign1(bytes);
                why = net.ProtectedHeaders.ContainsKey(System.Security.Cryptography.Cose.CoseHeaderLabel.Algorithm) ? "" : "alg not protected";
            }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                why = e.Message;
            }
            if (why.Length == 0)
            {
                standard++;
                Assert.True(ours.Message is not null, relativePath);
                Assert.Equal(net!.Signature.ToArray(), ours.Signature.ToArray());
            }
            else
            {
                lenient.Add($"{relativePath}: {why}");
                Assert.Null(ours.Message);
            }
        }
        output.WriteLine($"{standard} vectors decoded by CoseSign1Message, {lenient.Count} by the lenient decoder:");
        foreach (var l in lenient) output.WriteLine("  " + l);
        Assert.True(standard > 0);
    }

    /// <summary>The whole verifier, run once on the case, agrees with every flag: each step a true flag names passes,
    /// and a case with any false flag is not valid. (Entry checks and value sets are business rules no flag covers.)</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void The_full_verifier_agrees_with_every_flag(string relativePath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Root, relativePath)));
        var test = doc.RootElement;
        var known = KnownIssues.GetValueOrDefault(relativePath) ?? [];
        var flags = test.GetProperty("EXPECTEDRESULTS").EnumerateObject()
            .Where(f => f.Name.StartsWith("EXPECTED", StringComparison.Ordinal) && Flag(f.Value) is not null)
            .ToDictionary(f => f.Name["EXPECTED".Length..], f => Flag(f.Value)!.Value ^ known.ContainsKey(f.Name["EXPECTED".Length..]));
        var verifier = new HcertVerifier(TrustOf(test));
        // The input the flags speak about: a broken layer is fed in at that layer, else the whole PREFIX.
        var clock = Clock(test);
        HcertVerificationResult result;
        if (!flags.GetValueOrDefault("UNPREFIX", true) && Text(test, "PREFIX") is { } badPrefix)
            result = verifier.Verify(badPrefix, clock);
        else if (!flags.GetValueOrDefault("B45DECODE", true) && Text(test, "BASE45") is { } badBase45)
            result = verifier.Verify(HcertCodec.Prefix + badBase45, clock);
        else if (!flags.GetValueOrDefault("COMPRESSION", true) && Hex(test, "COMPRESSED") is { } badZlib)
            result = verifier.Verify(HcertCodec.Prefix + Base45.Encode(badZlib), clock);
        else if (Text(test, "PREFIX") is { } prefix)
            result = verifier.Verify(prefix, clock);
        else if (Hex(test, "COSE") is { } cose)
            result = verifier.VerifyCose(cose, clock);
        else
            throw new InvalidOperationException("case has neither PREFIX nor COSE");
        output.WriteLine($"{result.Outcome}: {result.Reason}; steps {string.Join(", ", result.Steps.Select(s => $"{s.Step}={s.Failure}"))}");
        var stepsOf = new Dictionary<string, HcertStep[]>
        {
            ["UNPREFIX"] = [HcertStep.Unprefix], ["B45DECODE"] = [HcertStep.Base45], ["COMPRESSION"] = [HcertStep.Inflate],
            ["VERIFY"] = [HcertStep.Signature], ["KEYUSAGE"] = [HcertStep.KeyUsage],
            ["EXPIRATIONCHECK"] = [HcertStep.DscValidity, HcertStep.ValidityTimes], ["SCHEMAVALIDATION"] = [HcertStep.Schema],
            ["DECODE"] = [HcertStep.Cose, HcertStep.Cwt], ["VALIDJSON"] = [HcertStep.Cose, HcertStep.Cwt],
        };
        Assert.NotEmpty(result.Steps);
        Assert.Equal(result.IsValid, result.Steps.All(s => s.Passed));
        foreach (var (flag, want) in flags)
        {
            if (!stepsOf.TryGetValue(flag, out var steps)) continue;
            if (flag is "UNPREFIX" or "B45DECODE" or "COMPRESSION" && result.Step(HcertStep.Unprefix) is null) continue; // COSE-only run
            if (want)
                Assert.All(steps, s => Assert.True(result.Passed(s), $"{flag}=true but step {s}: {result.Step(s)?.Failure} {result.Step(s)?.Detail}"));
        }
        if (flags.ContainsValue(false) && !(flags.Count == 1 && flags.ContainsKey("PICTUREDECODE")))
            Assert.False(result.IsValid, "a case with a false flag verified as valid");
    }

    private static (bool, string) Evaluate(string flag, JsonElement test)
    {
        try
        {
            return flag switch
            {
                "UNPREFIX" => Unprefix(test),
                "B45DECODE" => Base45Decode(test),
                "COMPRESSION" => Compression(test),
                "VERIFY" => Verify(test),
                "DECODE" => Decode(test),
                "VALIDJSON" => ValidJson(test),
                "SCHEMAVALIDATION" => SchemaValidation(test),
                "VALIDOBJECT" => ValidObject(test),
                "ENCODE" => Encode(test),
                "KEYUSAGE" => KeyUsage(test),
                "EXPIRATIONCHECK" => ExpirationCheck(test),
                "PICTUREDECODE" => PictureDecode(test),
                _ => throw new InvalidOperationException($"unknown flag EXPECTED{flag}"),
            };
        }
        catch (HcertException e)
        {
            return (false, e.Message);
        }
        catch (KeyNotFoundException e)
        {
            return (false, "the case lacks a field this step needs: " + e.Message); // e.g. no TESTCTX.CERTIFICATE
        }
    }

    /// <summary>A flag is a JSON boolean; some producers write "true"/"false" strings.</summary>
    private static bool? Flag(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String when bool.TryParse(value.GetString(), out var b) => b,
        _ => null,
    };

    private static string? Text(JsonElement test, string name) =>
        test.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static byte[]? Hex(JsonElement test, string name) => Text(test, name) is { } h ? Convert.FromHexString(h) : null;

    private static JsonElement Context(JsonElement test) => test.GetProperty("TESTCTX");

    /// <summary>TESTCTX.CERTIFICATE: base64 DER (possibly wrapped), or PEM.</summary>
    private static X509Certificate2 Certificate(JsonElement test)
    {
        var text = Context(test).GetProperty("CERTIFICATE").GetString()!;
        return text.Contains("BEGIN CERTIFICATE", StringComparison.Ordinal)
            ? X509Certificate2.CreateFromPem(text)
            : X509CertificateLoader.LoadCertificate(Convert.FromBase64String(text));
    }

    private static TrustStore TrustOf(JsonElement test) =>
        test.TryGetProperty("TESTCTX", out var ctx) && ctx.TryGetProperty("CERTIFICATE", out _) ? TrustStore.FromCertificates(Certificate(test)) : TrustStore.Empty;

    /// <summary>The case's VALIDATIONCLOCK (every case has one): never the real clock, so results do not change with the date.</summary>
    private static DateTimeOffset Clock(JsonElement test) =>
        test.TryGetProperty("TESTCTX", out var ctx) && ctx.TryGetProperty("VALIDATIONCLOCK", out var c) && c.ValueKind == JsonValueKind.String
            ? HcertClock.Parse(c.GetString()!) : throw new InvalidDataException("the case has no TESTCTX.VALIDATIONCLOCK");

    /// <summary>COSE from the case, or derived from PREFIX when the case lacks it.</summary>
    private static byte[] Cose(JsonElement test) => Hex(test, "COSE") ?? HcertCodec.DecodeToCose(Text(test, "PREFIX")!);

    private static (bool, string) Unprefix(JsonElement test)
    {
        var base45 = HcertCodec.Unprefix(Text(test, "PREFIX")!);
        return Text(test, "BASE45") is { } expected ? (base45 == expected, "compared with BASE45") : (true, "");
    }

    private static (bool, string) Base45Decode(JsonElement test)
    {
        var decoded = HcertCodec.DecodeBase45(Text(test, "BASE45") ?? HcertCodec.Unprefix(Text(test, "PREFIX")!));
        return Hex(test, "COMPRESSED") is { } expected ? (decoded.AsSpan().SequenceEqual(expected), "compared with COMPRESSED") : (true, "");
    }

    private static (bool, string) Compression(JsonElement test)
    {
        var compressed = Hex(test, "COMPRESSED") ?? HcertCodec.DecodeBase45(HcertCodec.Unprefix(Text(test, "PREFIX")!));
        var inflated = HcertCodec.Inflate(compressed);
        return Hex(test, "COSE") is { } expected ? (inflated.AsSpan().SequenceEqual(expected), "compared with COSE") : (true, "");
    }

    private static (bool, string) Verify(JsonElement test)
    {
        var verifier = new HcertVerifier(TrustStore.FromCertificates(Certificate(test)));
        var result = verifier.VerifyCose(Cose(test), Clock(test));
        return (result.Passed(HcertStep.Signature), $"{result.Outcome} {result.Reason}");
    }

    private static JsonElement Hcert(byte[] cose)
    {
        var claims = HcertCodec.DecodeClaims(HcertCodec.DecodeCose(cose).Payload);
        return claims.Hcert.TryGetValue(HcertClaimKey.EuDcc, out var dcc)
            ? CborJson.ToJsonElement(dcc)
            : throw new HcertException(HcertFailure.Cwt, "no -260/1 claim");
    }

    private static (bool, string) Decode(JsonElement test)
    {
        var fromCose = Hcert(Cose(test));
        if (test.TryGetProperty("JSON", out var json) && !TestJson.Equivalent(fromCose, json))
            return (false, "hcert in COSE differs from JSON");
        if (Hex(test, "CBOR") is { } cbor)
        {
            var fromCbor = CborJson.ToJsonElement(cbor);
            // Some cases hold the whole CWT claims set under CBOR, most only the DCC.
            if (fromCbor.TryGetProperty("-260", out var h) && h.TryGetProperty("1", out var inner)) fromCbor = inner;
            if (!TestJson.Equivalent(fromCose, fromCbor))
                return (false, "hcert in COSE differs from CBOR");
        }
        return (true, "");
    }

    private static (bool, string) ValidJson(JsonElement test)
    {
        if (!test.TryGetProperty("JSON", out var json))
            return (true, "no JSON to compare");
        var decoded = Text(test, "PREFIX") is { } prefix ? Hcert(HcertCodec.DecodeToCose(prefix)) : Hcert(Cose(test));
        if (!TestJson.Equivalent(decoded, json))
            return (false, "decoded chain differs from JSON");
        if (Hex(test, "CBOR") is { } cbor)
        {
            var fromCbor = CborJson.ToJsonElement(cbor);
            if (fromCbor.TryGetProperty("-260", out var h) && h.TryGetProperty("1", out var inner)) fromCbor = inner;
            if (!TestJson.Equivalent(fromCbor, json))
                return (false, "CBOR differs from JSON");
        }
        return (true, "");
    }

    private static (bool, string) SchemaValidation(JsonElement test)
    {
        var r = Schemas.Validate(Hcert(Cose(test)));
        return (r.IsValid, $"schema {r.SchemaVersion}: {string.Join("; ", r.Errors.Take(3))}");
    }

    private static (bool, string) ValidObject(JsonElement test)
    {
        if (!test.TryGetProperty("JSON", out var json))
            return (false, "no JSON object");
        var r = Schemas.Validate(json);
        return (r.IsValid, $"schema {r.SchemaVersion}: {string.Join("; ", r.Errors.Take(3))}");
    }

    private static (bool, string) Encode(JsonElement test)
    {
        var encoded = CborJson.FromJson(test.GetProperty("JSON"));
        var cbor = Hex(test, "CBOR")!;
        var expected = CborJson.ToJsonElement(cbor);
        if (expected.TryGetProperty("-260", out var h) && h.TryGetProperty("1", out var inner)) expected = inner;
        return (TestJson.Equivalent(CborJson.ToJsonElement(encoded), expected), "JSON → CBOR compared with CBOR");
    }

    private static (bool, string) KeyUsage(JsonElement test)
    {
        var dcc = Hcert(Cose(test));
        var type = HcertVerifier.EntryType(dcc);
        if (type is not (DccKeyUsage.Test or DccKeyUsage.Vaccination or DccKeyUsage.Recovery))
            return (false, "not exactly one of v/t/r");
        HcertVerifier.CheckKeyUsage(new TrustEntry(Certificate(test), TrustSource.Certificate), HcertPayloadType.EuDcc, dcc);
        return (true, "");
    }

    private static (bool, string) ExpirationCheck(JsonElement test)
    {
        var claims = HcertCodec.DecodeClaims(HcertCodec.DecodeCose(Cose(test)).Payload);
        var dsc = new TrustEntry(Certificate(test), TrustSource.Certificate);
        HcertVerifier.CheckDscValidity(claims, dsc);
        HcertVerifier.CheckTimes(claims, HcertPayloadType.EuDcc, Clock(test));
        return (true, "");
    }

    private static (bool, string) PictureDecode(JsonElement test)
    {
        // Cases without 2DCODE: the picture is derived from PREFIX with our renderer (QR, alphanumeric, ECC Q).
        var image = Text(test, "2DCODE") is { } png ? Convert.FromBase64String(png) : HcertQr.RenderPng(Text(test, "PREFIX")!);
        var text = HcertQr.Decode(image);
        return (text == Text(test, "PREFIX"), Text(test, "2DCODE") is null ? "no 2DCODE: rendered from PREFIX, compared with PREFIX" : "compared with PREFIX");
    }

    private static Dictionary<string, Dictionary<string, string>> LoadKnownIssues()
    {
        var index = Path.Combine(Root, "cases_index.tsv");
        var result = new Dictionary<string, Dictionary<string, string>>();
        if (!File.Exists(index)) return result;
        var lines = File.ReadAllLines(index);
        var header = lines[0].Split('\t');
        int caseCol = Array.IndexOf(header, "case"), issueCol = Array.IndexOf(header, "known_issue");
        // Harness test names of the upstream known_issues.csv → the flag each one checks.
        var flagOf = new Dictionary<string, string>
        {
            ["test_cose_schema"] = "SCHEMAVALIDATION", ["test_cose_json"] = "DECODE", ["test_cbor_json"] = "VALIDJSON",
            ["test_cose_cbor"] = "DECODE", ["test_verification_check"] = "VERIFY", ["test_expiration_check"] = "EXPIRATIONCHECK",
            ["test_expected_key_usage"] = "KEYUSAGE", ["test_picture_decode"] = "PICTUREDECODE", ["test_compression"] = "COMPRESSION",
            ["test_b45decode"] = "B45DECODE", ["test_un_prefix"] = "UNPREFIX",
        };
        foreach (var line in lines.Skip(1))
        {
            var cols = line.Split('\t');
            if (cols.Length <= issueCol || cols[issueCol].Length == 0) continue;
            var flags = new Dictionary<string, string>();
            foreach (var issue in cols[issueCol].Split(';'))
            {
                var test = issue.Split('#')[0];
                if (flagOf.TryGetValue(test, out var f)) flags[f] = issue;
                // VALIDOBJECT is the same schema check over the same DCC (the JSON field) as test_cose_schema.
                if (test == "test_cose_schema") flags["VALIDOBJECT"] = issue;
            }
            result[cols[caseCol]] = flags;
        }
        return result;
    }
}
