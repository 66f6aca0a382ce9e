using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vc.Interop.Hcert;
using Vc.TestSupport;

namespace Vc.Interop.Tests;

/// <summary>The HCERT workflows over files behind <c>vchealth dcc verify|sign|qr</c>: plain results, no exit codes.</summary>
public sealed class DccCommandsTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dcc-cli-").FullName;
    private static readonly string Icvp = TestPaths.TestData("who/icvp");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static DateTimeOffset At(string clock) => HcertClock.Parse(clock);

    [Fact]
    public async Task Verify_accepts_an_HC1_file_and_prints_the_outcome_steps_and_payload()
    {
        var report = await DccCommands.VerifyAsync(Path.Combine(Icvp, "icvp-yf-HC1.txt"), [Path.Combine(Icvp, "test-DSC.pem")], At("2025-10-20T09:00:00Z"));
        Assert.True(report.IsValid);
        Assert.Null(report.Error);
        var json = report.ToJson();
        output.WriteLine(json.ToJsonString());
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
        var report = await DccCommands.VerifyAsync(png, [Path.Combine(Icvp, "test-trustlist-ICVP-XXA-DSC.did.json")], At("2025-10-20"));
        Assert.True(report.IsValid, report.ToJson().ToJsonString());
        Assert.Equal("ICVP", (string)report.ToJson()["signer"]!["domain"]!);
    }

    [Fact]
    public async Task Verify_gives_the_typed_outcome_when_not_valid_and_an_error_on_unusable_input()
    {
        var expired = await DccCommands.VerifyAsync(Path.Combine(Icvp, "icvp-yf-HC1.txt"), [Path.Combine(Icvp, "test-DSC.pem")], At("2028-01-01"));
        Assert.False(expired.IsValid);
        Assert.Null(expired.Error);
        Assert.Equal(HcertFailure.Expired, expired.Result!.Outcome);
        Assert.Equal("Expired", (string)expired.ToJson()["outcome"]!);
        var untrusted = await DccCommands.VerifyAsync(Path.Combine(Icvp, "icvp-yf-HC1.txt"), [], At("2025-10-20"));
        Assert.Equal("KidUnknown", (string)untrusted.ToJson()["outcome"]!);
        var badTrust = await DccCommands.VerifyAsync(Path.Combine(Icvp, "icvp-yf-HC1.txt"), [Path.Combine(Icvp, "hcert-payloads.json")]);
        Assert.Null(badTrust.Result);
        Assert.Contains("hcert-payloads.json", badTrust.Error);
        var notInput = await DccCommands.VerifyAsync("no-such-file.txt", []);
        Assert.Null(notInput.Result);
        Assert.Equal(HcertFailure.Input, notInput.InputFailure);
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
        var hc1 = await DccCommands.SignAsync(payload, cert, key, HcertPayloadType.Icvp, "XXA", At("2025-10-01T10:00:00Z"));
        var file = Path.Combine(_dir, "hc1.txt");
        await File.WriteAllTextAsync(file, hc1 + "\n");
        var report = await DccCommands.VerifyAsync(file, [cert], At("2025-10-20"));
        Assert.True(report.IsValid, report.ToJson().ToJsonString());
        Assert.Equal("S4D123", report.Result!.Icvp!.Vaccination.BatchNo);
        var e = await Assert.ThrowsAsync<HcertException>(() => DccCommands.SignAsync(payload, cert, key, HcertPayloadType.Other));
        Assert.Equal(HcertFailure.Encode, e.Failure);
    }
}
