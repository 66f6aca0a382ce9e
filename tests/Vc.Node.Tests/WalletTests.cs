using System.Text.Json.Nodes;
using Vc.Interop.Hcert;
using Vc.Interop.Icvp;
using Vc.Interop.Pki;
using Vc.Interop.Qr;
using Vc.Node.Cli;

namespace Vc.Node.Tests;

/// <summary>
/// `vchealth wallet`: the holder's wallet driven as a script would — init, import (VC file, HC1 string, QR image),
/// list/show, present (verified by `vp verify`), qr (decodes back to the same HC1), remove — and at rest: encrypted,
/// owner-only files. No ledger is needed (did:key issuer and holder).
/// </summary>
public sealed class WalletTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vchealth-wallet-").FullName;
    private string Data => Path.Combine(_dir, "data");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<(int Code, JsonNode? Out, string Err)> Run(params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var code = await CliApp.RunAsync([.. args, "--data", Data], o, e);
        var text = o.ToString();
        return (code, text.Length > 0 ? JsonNode.Parse(text) : null, e.ToString());
    }

    /// <summary>An ICVP HCERT signed a minute ago (inside the fresh DSC's validity), vaccination a month before.</summary>
    private static string Hc1(System.Security.Cryptography.X509Certificates.X509Certificate2 dsc, string name)
    {
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return new HcertSigner(dsc).SignIcvp(new IcvpCertificate
        {
            Name = name, DateOfBirth = "1985-07-20",
            Vaccination = new IcvpVaccination
            {
                ProductId = "YellowFeverProductd8a09f80301dc05e124f99ffe7711fc0", Disease = "1D47", Date = today.AddDays(-30).ToString("yyyy-MM-dd"),
                BatchNo = "GH-778", ValidFrom = today.AddDays(-20).ToString("yyyy-MM-dd"), Issuer = "GHA",
            },
        }, "GH", now.AddMinutes(-1));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_holder_keeps_credentials_encrypted_presents_them_and_shows_HCERTs_as_QR_codes()
    {
        // Before init: a typed error, not an empty wallet.
        var (code, _, err) = await Run("wallet", "list");
        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("wallet.not-initialized", err);

        var init = await Run("wallet", "init");
        Assert.Equal(ExitCodes.Ok, init.Code);
        var holderDid = (string)init.Out!["did"]!;
        Assert.StartsWith("did:key:z6Mk", holderDid);
        Assert.Contains("wallet.exists", (await Run("wallet", "init")).Err);

        // A credential to the holder, issued by a did:key issuer.
        var issuerKey = Path.Combine(_dir, "issuer.key");
        Assert.Equal(ExitCodes.Ok, (await Run("key", "generate", "--out", issuerKey)).Code);
        var unsigned = Path.Combine(_dir, "vc.json");
        await File.WriteAllTextAsync(unsigned, $$$"""
            {"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],
             "type":["VerifiableCredential","ExampleAlumniCredential"],"validFrom":"2025-01-01T00:00:00Z",
             "credentialSubject":{"id":"{{{holderDid}}}","alumniOf":"Example University"}}
            """);
        var issued = await Run("vc", "issue", unsigned, "--key", issuerKey);
        Assert.Equal(ExitCodes.Ok, issued.Code);
        var vcFile = Path.Combine(_dir, "signed.json");
        await File.WriteAllTextAsync(vcFile, issued.Out!.ToJsonString());

        using var ghana = CountryPki.Create("GH");
        using var dsc = ghana.IssueDsc("DSC GH wallet");
        var hc1 = Hc1(dsc, "Kwame Mensah");
        var png = Path.Combine(_dir, "other.png");
        await File.WriteAllBytesAsync(png, HcertQr.RenderPng(Hc1(dsc, "Ama Owusu")));

        var vcItem = await Run("wallet", "import", vcFile);
        Assert.Equal(ExitCodes.Ok, vcItem.Code);
        var vcId = (string)vcItem.Out!["id"]!;
        var hcertItem = await Run("wallet", "import", hc1);
        Assert.Equal(ExitCodes.Ok, hcertItem.Code);
        var hcertId = (string)hcertItem.Out!["imported"]!["id"]!;
        Assert.Equal("hcert", (string?)hcertItem.Out!["imported"]!["kind"]);
        Assert.Equal(ExitCodes.Ok, (await Run("wallet", "import", png)).Code);
        var again = await Run("wallet", "import", hc1);
        Assert.Equal(ExitCodes.Failed, again.Code);
        Assert.Contains("wallet.duplicate", again.Err);

        var list = await Run("wallet", "list");
        Assert.Equal(ExitCodes.Ok, list.Code);
        Assert.Equal(holderDid, (string?)list.Out!["holder"]!["did"]);
        Assert.Equal(3, list.Out!["items"]!.AsArray().Count);
        Assert.Equal(hc1, (string?)(await Run("wallet", "show", hcertId)).Out!["content"]);

        // Present for a verifier's challenge and domain: `vp verify` accepts it, and refuses another challenge.
        var vpFile = Path.Combine(_dir, "vp.json");
        var present = await Run("wallet", "present", vcId, "--challenge", "c-42", "--domain", "border.example", "--out", vpFile);
        Assert.True(present.Code == ExitCodes.Ok, present.Err);
        Assert.Equal(holderDid, (string?)present.Out!["holder"]);
        Assert.Equal(ExitCodes.Ok, (await Run("vp", "verify", vpFile, "--challenge", "c-42", "--domain", "border.example")).Code);
        Assert.Equal(ExitCodes.Negative, (await Run("vp", "verify", vpFile, "--challenge", "c-43", "--domain", "border.example")).Code);
        Assert.Contains("wallet.not-a-credential", (await Run("wallet", "present", hcertId, "--challenge", "c")).Err);

        // The HCERT as a QR code a verifier scans: the same HC1, byte for byte. A VC without an HC1 form is refused.
        var qrFile = Path.Combine(_dir, "qr.png");
        Assert.Equal(ExitCodes.Ok, (await Run("wallet", "qr", hcertId, "--out", qrFile)).Code);
        Assert.Equal(hc1, HcertQr.Decode(await File.ReadAllBytesAsync(qrFile)));
        Assert.Contains("wallet.no-hc1", (await Run("wallet", "qr", vcId, "--out", qrFile)).Err);

        // At rest: no personal data in clear, owner-only files and folder.
        var walletDir = Path.Combine(Data, "wallet");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(walletDir));
        foreach (var file in Directory.EnumerateFiles(walletDir, "*", SearchOption.AllDirectories))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.False(System.Text.Encoding.UTF8.GetString(bytes).Contains("Example University", StringComparison.Ordinal), file);
            Assert.False(System.Text.Encoding.ASCII.GetString(bytes).Contains("HC1:", StringComparison.Ordinal), file);
        }

        // On request an HCERT is also kept bridged to a VC (verified against the given trust input first); the VC's QR
        // is the HC1 it came from.
        var fresh = Hc1(dsc, "Yaw Boateng");
        var dscFile = Path.Combine(_dir, "dsc.pem");
        await File.WriteAllTextAsync(dscFile, dsc.ExportCertificatePem());
        var bridged = await Run("wallet", "import", fresh, "--bridge", "--trust", dscFile);
        Assert.True(bridged.Code == ExitCodes.Ok, bridged.Err);
        var bridgedId = (string)bridged.Out!["bridged"]!["id"]!;
        Assert.Equal((string?)bridged.Out!["imported"]!["id"], (string?)bridged.Out!["bridged"]!["bridgedFrom"]);
        Assert.Equal(ExitCodes.Ok, (await Run("wallet", "qr", bridgedId, "--out", qrFile)).Code);
        Assert.Equal(fresh, HcertQr.Decode(await File.ReadAllBytesAsync(qrFile)));
        Assert.Equal(5, (await Run("wallet", "list")).Out!["items"]!.AsArray().Count);

        Assert.Equal(ExitCodes.Ok, (await Run("wallet", "remove", hcertId)).Code);
        Assert.Equal(4, (await Run("wallet", "list")).Out!["items"]!.AsArray().Count);
        Assert.Contains("wallet.not-found", (await Run("wallet", "show", hcertId)).Err);
        Assert.Contains("wallet.not-found", (await Run("wallet", "show", "../../master.key")).Err);
    }
}
