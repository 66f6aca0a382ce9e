using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Vc.Interop.Hcert;
using Vc.Interop.TrustLists;
using Vc.TestSupport;

namespace Vc.Interop.Tests;

/// <summary>Interop with the JS verifier users pick (npm @pathcheck/dcc-sdk in tools/js), both directions.</summary>
public sealed class JsInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dcc-js-").FullName;
    private static readonly string ToolsJs = Path.Combine(TestPaths.RepoRoot, "tools", "js");
    private const string Dcc = """{"ver":"1.3.0","nam":{"fn":"Doe","fnt":"DOE","gn":"Jo","gnt":"JO"},"dob":"1970-01-01","v":[{"tg":"840539006","vp":"1119349007","mp":"EU/1/20/1528","ma":"ORG-100030215","dn":1,"sd":2,"dt":"2025-05-01","co":"AT","is":"MoH","ci":"URN:UVCI:01:AT:1#1"}]}""";

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Node(params string[] args)
    {
        var psi = new ProcessStartInfo("node", ["--experimental-detect-module", "--import", Path.Combine(Vc.TestSupport.TestPaths.RepoRoot, "tools", "js", "loaders", "register-extensionless.mjs"), "dcc-sdk-interop.mjs", .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.Combine(AppContext.BaseDirectory, "js"),
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEnd();
        var stderr = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(60_000), "node did not finish");
        Assert.True(p.ExitCode == 0, stderr);
        return stdout.Trim().Split('\n')[^1];
    }

    [Fact]
    public void The_JS_verifier_accepts_an_HCERT_signed_by_us()
    {
        var dsc = TestPki.CreateDsc(TestPki.CreateCa("JS CA"));
        var now = DateTimeOffset.UtcNow;
        var hc1 = new HcertSigner(dsc).SignEuDcc(TestJson.Parse(Dcc), "XA", now, now.AddDays(30));
        Assert.Equal("verified", Node("verify", ToolsJs, hc1, Convert.ToBase64String(TrustEntry.KidOf(dsc)), Convert.ToBase64String(dsc.RawData)));
        var forged = HcertCodec.Encode(Tamper(HcertCodec.DecodeToCose(hc1)));
        Assert.NotEqual("verified", Node("verify", ToolsJs, forged, Convert.ToBase64String(TrustEntry.KidOf(dsc)), Convert.ToBase64String(dsc.RawData)));
    }

    [Fact]
    public void We_verify_an_HCERT_signed_by_the_JS_SDK()
    {
        var dsc = TestPki.CreateDsc(TestPki.CreateCa("JS CA"));
        File.WriteAllText(Path.Combine(_dir, "dsc.pem"), dsc.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_dir, "dsc.p8"), dsc.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(_dir, "payload.json"), Dcc);
        var hc1 = Node("sign", ToolsJs, Path.Combine(_dir, "dsc.pem"), Path.Combine(_dir, "dsc.p8"), Path.Combine(_dir, "payload.json"));
        var result = new HcertVerifier(TrustStore.FromCertificates(TestPki.PublicOnly(dsc))).Verify(hc1, DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.True(result.Passed(HcertStep.Signature), $"{result.Outcome}: {result.Reason}");
        Assert.True(TestJson.Equivalent(TestJson.Parse(Dcc), result.EuDcc!.Value));
        Assert.Equal("XA", result.Claims!.Issuer);
    }

    private static byte[] Tamper(byte[] cose)
    {
        var copy = (byte[])cose.Clone();
        copy[^10] ^= 0x01; // inside the signature
        return copy;
    }
}
