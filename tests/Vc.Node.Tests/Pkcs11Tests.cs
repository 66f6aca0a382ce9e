using System.Diagnostics;
using System.Text.Json.Nodes;
using Vc.Agent.Keys;
using Vc.Node.Cli;

namespace Vc.Node.Tests;

/// <summary>
/// A SoftHSM2 token (Debian package softhsm2) in a temporary folder: its own config, one initialised token. The
/// config path reaches the module through SOFTHSM2_CONF, read when the module initialises.
/// </summary>
public sealed class SoftHsmFixture : IDisposable
{
    public const string Token = "vchealth-test";
    /// <summary>A second token for PIN tests: PKCS#11 keeps a process logged in to a token while any of its sessions is
    /// open (v2.40 §5.6), so a wrong PIN is only ever checked on a token the process holds no session with.</summary>
    public const string PinToken = "vchealth-pin";
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("vchealth-softhsm-").FullName;
    public string PinFile => Path.Combine(Directory, "user.pin");

    public SoftHsmFixture()
    {
        var tokens = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "tokens")).FullName;
        var conf = Path.Combine(Directory, "softhsm2.conf");
        File.WriteAllText(conf, $"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n");
        // The module reads its config with getenv(3): .NET's SetEnvironmentVariable changes only the managed copy on Unix.
        if (setenv("SOFTHSM2_CONF", conf, 1) != 0) throw new InvalidOperationException("setenv SOFTHSM2_CONF failed");
        foreach (var label in new[] { Token, PinToken })
        {
            var psi = new ProcessStartInfo("softhsm2-util") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "--init-token", "--free", "--label", label, "--pin", "4711-user", "--so-pin", "4711-so" }) psi.ArgumentList.Add(a);
            psi.Environment["SOFTHSM2_CONF"] = conf;
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException("softhsm2-util --init-token failed: " + output);
        }
        File.WriteAllText(PinFile, "4711-user");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(PinFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int setenv([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string name,
        [System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string value, int overwrite);

    public string Uri(string label) => $"pkcs11:token={Token};object={label}?pin-source=file:{PinFile}";

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

/// <summary>
/// One SoftHSM2 token for every test that uses one: the module reads SOFTHSM2_CONF once per process (C_Initialize is
/// process-wide), so the classes share the fixture and run one after the other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SoftHsmCollection : ICollectionFixture<SoftHsmFixture>
{
    public const string Name = "SoftHSM2 token";
}

/// <summary>DSC keys in an HSM through PKCS#11: generated inside the token, an HCERT signed by it and verified by anyone.</summary>
[Collection(SoftHsmCollection.Name)]
public sealed class Pkcs11Tests(SoftHsmFixture hsm)
{
    private const string Dcc = """{"ver":"1.3.0","nam":{"fn":"Musterfrau","gn":"Erika","fnt":"MUSTERFRAU","gnt":"ERIKA"},"dob":"1964-08-12","v":[{"tg":"840539006","vp":"1119349007","mp":"EU/1/20/1528","ma":"ORG-100030215","dn":2,"sd":2,"dt":"2021-05-29","co":"DE","is":"Robert Koch-Institut","ci":"URN:UVCI:01DE/IZ12345A/5CWLU12RNOB9RXSEOP6FG8#W"}]}""";

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var code = await CliApp.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public async Task A_DSC_key_generated_in_the_token_signs_an_HCERT_that_verifies_and_the_key_never_leaves_the_token()
    {
        var dir = hsm.Directory;
        var uri = hsm.Uri("dsc-ke");
        var generated = await Run("key", "generate", "--type", "P-256", "--out", uri, "--data", Path.Combine(dir, "data"));
        Assert.True(generated.Code == ExitCodes.Ok, generated.Out + generated.Err);
        var key = JsonNode.Parse(generated.Out)!;
        Assert.True((bool)key["sensitiveAndNonExtractable"]!);
        Assert.Equal($"pkcs11:token={SoftHsmFixture.Token};object=dsc-ke", (string)key["key"]!); // no PIN source echoed
        Assert.StartsWith("did:key:zDn", (string)key["did"]!);
        Assert.DoesNotContain("PRIVATE", generated.Out);

        // A second key under the same label is refused: a token never silently swaps a DSC's key.
        var again = await Run("key", "generate", "--type", "P-256", "--out", uri);
        Assert.Equal(ExitCodes.Failed, again.Code);
        Assert.Contains("\"pkcs11\"", again.Err);

        var pki = await Run("pki", "dev-country", "KE", "--out", Path.Combine(dir, "pki"), "--dsc-key", uri);
        Assert.True(pki.Code == ExitCodes.Ok, pki.Out + pki.Err);
        var files = JsonNode.Parse(pki.Out)!["files"]!;
        Assert.False(File.Exists(Path.Combine(dir, "pki", "dsc.key.pem")));
        var dscPem = (string)files["dsc"]!;
        using (var dsc = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(dscPem)))
            Assert.Equal((string)key["publicKeyPem"]!, System.Security.Cryptography.X509Certificates.ECDsaCertificateExtensions.GetECDsaPublicKey(dsc)!.ExportSubjectPublicKeyInfoPem());

        var payload = Path.Combine(dir, "dcc.json");
        await File.WriteAllTextAsync(payload, Dcc);
        var signed = await Run("dcc", "sign", payload, "--cert", dscPem, "--key", uri, "--iss", "KE");
        Assert.True(signed.Code == ExitCodes.Ok, signed.Out + signed.Err);
        var hc1 = signed.Out.Trim();
        Assert.StartsWith("HC1:", hc1);

        var verified = await Run("dcc", "verify", hc1, "--trust", dscPem, "--data", Path.Combine(dir, "data"));
        Assert.True(verified.Code == ExitCodes.Ok, verified.Out + verified.Err);
        Assert.True((bool)JsonNode.Parse(verified.Out)!["valid"]!, verified.Out);

        // The key object in the token refuses to give out its value (CKA_SENSITIVE, not CKA_EXTRACTABLE).
        using var opened = Pkcs11EcdsaKey.Open(Pkcs11Uri.Parse(uri));
        Assert.True(opened.IsSensitiveAndNonExtractable());
        Assert.Throws<System.Security.Cryptography.CryptographicException>(() => opened.ExportParameters(true));
    }

    [Fact]
    public async Task Wrong_PINs_PINs_in_the_URI_and_unknown_tokens_are_typed_errors_that_never_echo_the_PIN()
    {
        var wrongPin = Path.Combine(hsm.Directory, "wrong.pin");
        await File.WriteAllTextAsync(wrongPin, "0000-wrong");
        var wrong = await Run("key", "generate", "--type", "P-256", "--out", $"pkcs11:token={SoftHsmFixture.Token};object=x?pin-source=file:{wrongPin}");
        Assert.Equal(ExitCodes.Failed, wrong.Code);
        Assert.Contains("login", wrong.Err);
        Assert.DoesNotContain("0000-wrong", wrong.Err);

        var inline = await Run("key", "generate", "--type", "P-256", "--out", $"pkcs11:token={SoftHsmFixture.Token};object=x?pin-value=4711-user");
        Assert.Equal(ExitCodes.Failed, inline.Code);
        Assert.DoesNotContain("4711-user", inline.Err);

        var noToken = await Run("key", "generate", "--type", "P-256", "--out", $"pkcs11:token=nope;object=x?pin-source=file:{hsm.PinFile}");
        Assert.Equal(ExitCodes.Failed, noToken.Code);
        Assert.Contains("no token labelled 'nope'", noToken.Err);

        var ed = await Run("key", "generate", "--type", "Ed25519", "--out", hsm.Uri("ed"));
        Assert.Equal(ExitCodes.Usage, ed.Code);
    }

    [Fact]
    public void PKCS11_URIs_are_parsed_per_RFC_7512()
    {
        var uri = Pkcs11Uri.Parse("pkcs11:token=My%20Token;object=dsc%2Dke;id=%01%02?module-path=/opt/hsm/lib.so&pin-source=file:/run/pin");
        Assert.Equal("My Token", uri.Token);
        Assert.Equal("dsc-ke", uri.Object);
        Assert.Equal([1, 2], uri.Id!);
        Assert.Equal("/opt/hsm/lib.so", uri.ModulePath);
        Assert.Equal("file:/run/pin", uri.PinSource);
        Assert.Throws<Pkcs11KeyException>(() => Pkcs11Uri.Parse("pkcs11:object=x"));
        Assert.Throws<Pkcs11KeyException>(() => Pkcs11Uri.Parse("pkcs11:token=t;object=x;bogus"));
    }
}
