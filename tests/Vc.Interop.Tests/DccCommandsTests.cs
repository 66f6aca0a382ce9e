using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vc.Interop.Hcert;
using Vc.TestSupport;

namespace Vc.Interop.Tests;

/// <summary>The library calls behind <c>vchealth dcc verify|sign|qr</c>.</summary>
public sealed class DccCommandsTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dcc-cli-").FullName;
    private static readonly string Icvp = TestPaths.TestData("who/icvp");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Verify_accepts_an_HC1_file_and_prints_the_outcome_steps_and_payload()
    {
        var report = await DccCommands.VerifyAsync(Path.Combine(Icvp, "icvp-yf-HC1.txt"), [Path.Combine(Icvp, "test-DSC.pem")], "2025-10-20T09:00:00Z");
        Assert.Equal(0, report.ExitCode);
        var json = report.ToJson();
        output.WriteLine(report.ToJsonString());
        Assert.Equal(json.ToJsonString(), System.Text.Json.Nodes.JsonNode.Parse(report.ToJsonString(indented: false))!.ToJsonString());
        Assert.True((bool)json["valid"]!);
        Assert.Equal("None", (string)json["outcome"]!);
        Assert.Equal("Icvp", (string)json["payloadType"]!);
        Assert.Equal("Jane Doe", (string)json["payload"]!["name"]!);
        Assert.Equal("nPiQu/prpjY=", (string)json["kid"]!);
        Assert.Contains(json["steps"]!.AsArray(), s => (string)s!["step"]! == "Signature" && (bool)s["passed"]!);
    }

    [Fact]
    public async Task Verify_reads_a_QR_image_and_trusts_a_DID_document()
    {
        var png = Path.Combine(_dir, "qr.png");
        await File.WriteAllBytesAsync(png, await DccCommands.QrAsync(Path.Combine(Icvp, "icvp-yf-HC1.txt")));
        var report = await DccCommands.VerifyAsync(png, [Path.Combine(Icvp, "test-trustlist-ICVP-XXA-DSC.did.json")], "2025-10-20");
        Assert.True(report.IsValid, report.ToJson().ToJsonString());
        Assert.Equal("ICVP", (string)report.ToJson()["signer"]!["domain"]!);
    }

    [Fact]
    public async Task Verify_exits_1_with_the_typed_outcome_when_not_valid_and_2_on_unusable_input()
    {
        var expired = await DccCommands.VerifyAsync(Path.Combine(Icvp, "icvp-yf-HC1.txt"), [Path.Combine(Icvp, "test-DSC.pem")], "2028-01-01");
        Assert.Equal(1, expired.ExitCode);
        Assert.Equal("Expired", (string)expired.ToJson()["outcome"]!);
        var untrusted = await DccCommands.VerifyAsync(Path.Combine(Icvp, "icvp-yf-HC1.txt"), [], "2025-10-20");
        Assert.Equal("KidUnknown", (string)untrusted.ToJson()["outcome"]!);
        var badTrust = await DccCommands.VerifyAsync(Path.Combine(Icvp, "icvp-yf-HC1.txt"), [Path.Combine(Icvp, "hcert-payloads.json")]);
        Assert.Equal(2, badTrust.ExitCode);
        var badClock = await DccCommands.VerifyAsync("HC1:XYZ", [], "yesterday");
        Assert.Equal(2, badClock.ExitCode);
        var notInput = await DccCommands.VerifyAsync("no-such-file.txt", []);
        Assert.Equal(2, notInput.ExitCode);
        Assert.Equal("Input", (string)notInput.ToJson()["outcome"]!);
    }

    [Fact]
    public async Task Sign_makes_an_HC1_string_from_a_payload_file_and_PEM_files_that_verify_reads_back()
    {
        var ca = TestPki.CreateCa("CLI SCA");
        var dsc = TestPki.CreateDsc(ca, ekus: [TestPki.EkuVaccination]);
        var cert = Path.Combine(_dir, "dsc.pem");
        var key = Path.Combine(_dir, "dsc.key");
        await File.WriteAllTextAsync(cert, dsc.ExportCertificatePem());
        await File.WriteAllTextAsync(key, dsc.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        var payload = Path.Combine(_dir, "icvp.json");
        await File.WriteAllTextAsync(payload, """
            {"n":"Jane Doe","dob":"1990-04-12","s":"female","ntl":"KEN","nid":"AB1234567","ndt":"PPN",
             "v":{"vp":"YellowFeverProductd8a09f80301dc05e124f99ffe7711fc0","tg":"1D47","dt":"2025-10-01","bo":"S4D123","is":"KEN"}}
            """);
        var hc1 = await DccCommands.SignAsync(payload, cert, key, "icvp", "XXA", "2025-10-01T10:00:00Z");
        var file = Path.Combine(_dir, "hc1.txt");
        await File.WriteAllTextAsync(file, hc1 + "\n");
        var report = await DccCommands.VerifyAsync(file, [cert], "2025-10-20");
        Assert.True(report.IsValid, report.ToJson().ToJsonString());
        Assert.Equal("S4D123", report.Result!.Icvp!.Vaccination.BatchNo);
        var e = await Assert.ThrowsAsync<HcertException>(() => DccCommands.SignAsync(payload, cert, key, "pdf"));
        Assert.Equal(HcertFailure.Encode, e.Failure);
    }
}
