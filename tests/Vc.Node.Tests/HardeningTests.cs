using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Vc.Node.Cli;

namespace Vc.Node.Tests;

/// <summary>Bad input gets a typed 4xx (never a 500); files are their owner's alone; CLI input must be UTF-8.</summary>
public sealed class HardeningTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Huge_overlaps_garbage_chains_and_mismatched_dsc_keys_are_4xx_problems()
    {
        using var admin = node.With(node.AdminKey);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/issuers", new { id = "hard", method = "ethr" })).StatusCode);

        foreach (var overlap in new[] { "9223372036854775807", "-1", "\"soon\"", "1.5" })
        {
            var rotate = await admin.PostAsync("/issuers/hard/keys/rotate", Json($$"""{"overlapSeconds": {{overlap}}}"""));
            Assert.True(rotate.StatusCode == HttpStatusCode.BadRequest, $"overlapSeconds {overlap}: {(int)rotate.StatusCode} {await rotate.Content.ReadAsStringAsync()}");
            Assert.Equal("application/problem+json", rotate.Content.Headers.ContentType?.MediaType);
        }

        using var pki = Vc.Interop.Pki.CountryPki.Create("KE");
        using var dsc = pki.IssueDsc("DSC hard");
        using var other = pki.IssueDsc("DSC other");
        var certificate = dsc.ExportCertificatePem();
        var key = dsc.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem();
        var otherKey = other.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem();
        var cases = new (string What, JsonObject Body)[]
        {
            ("garbage chain", new JsonObject { ["certificate"] = certificate, ["privateKey"] = key, ["chain"] = "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----" }),
            ("key of another DSC", new JsonObject { ["certificate"] = certificate, ["privateKey"] = otherKey }),
            ("garbage certificate", new JsonObject { ["certificate"] = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", ["privateKey"] = key }),
        };
        foreach (var (what, body) in cases)
        {
            var attach = await admin.PostAsync("/issuers/hard/dsc", Json(body.ToJsonString()));
            Assert.True(attach.StatusCode == HttpStatusCode.BadRequest, $"{what}: {(int)attach.StatusCode} {await attach.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task Qr_images_larger_than_a_phone_photo_are_refused_from_their_header()
    {
        using var pki = Vc.Interop.Pki.CountryPki.Create("KE");
        using var dsc = pki.IssueDsc("DSC qr");
        var hc1 = new Vc.Interop.Hcert.HcertSigner(dsc).SignEuDcc(System.Text.Json.JsonDocument.Parse(
            """{"ver":"1.3.0","nam":{"fnt":"MUSTERFRAU"},"dob":"1964-08-12","v":[{"tg":"840539006","vp":"1119349007","mp":"EU/1/20/1528","ma":"ORG-100030215","dn":2,"sd":2,"dt":"2021-05-29","co":"DE","is":"RKI","ci":"URN:UVCI:01DE/IZ12345A/5CWLU12RNOB9RXSEOP6FG8#W"}]}""").RootElement,
            "DE", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(30));
        async Task<JsonObject> Post(byte[] png)
        {
            var response = await node.Anonymous.PostAsync("/hcert/verify", new StringContent(new JsonObject { ["qrPng"] = Convert.ToBase64String(png) }.ToJsonString(), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode); // untrusted DSC or refused image: 400 either way
            return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        }

        // ≈ 4,500 × 4,500 pixels (20 megapixels, a few KB of PNG): refused before any pixel is decoded.
        var huge = Vc.Interop.Qr.HcertQr.RenderPng(hc1, pixelsPerModule: 70);
        var refused = await Post(huge);
        Assert.EndsWith("qr-decode", (string?)refused["type"]);
        Assert.Contains("too large", (string?)refused["detail"]);

        // A photo-sized one decodes (and then fails only for its untrusted signer).
        var normal = await Post(Vc.Interop.Qr.HcertQr.RenderPng(hc1, pixelsPerModule: 20));
        Assert.Null(normal["type"]); // a verification report, not a problem: the image was read
        Assert.Contains(normal["steps"]!.AsArray(), st => (string?)st!["step"] == "Base45" && (bool)st["passed"]!);
    }

    [Fact]
    public async Task Cli_input_that_is_not_utf8_is_a_typed_error_not_repaired()
    {
        var dir = Directory.CreateTempSubdirectory("vchealth-utf8-").FullName;
        try
        {
            var file = Path.Combine(dir, "bad.json");
            // {"@id":"urn:é"} with the é's second byte missing: invalid UTF-8.
            await File.WriteAllBytesAsync(file, [.. "{\"@id\":\"urn:"u8.ToArray(), 0xC3, .. "\",\"http://ex/p\":\"v\"}"u8.ToArray()]);
            var (o, e) = (new StringWriter(), new StringWriter());
            var code = await CliApp.RunAsync(["canon", file], o, e);
            Assert.Equal(ExitCodes.Failed, code);
            Assert.Contains("\"type\":\"input\"", e.ToString());
            Assert.Contains("UTF-8", e.ToString());
            Assert.Equal("", o.ToString());
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_data_directory_and_what_is_stored_in_it_are_the_owners_alone()
    {
        var dir = Path.Combine(Directory.CreateTempSubdirectory("vchealth-perm-").FullName, "data");
        try
        {
            var (o, e) = (new StringWriter(), new StringWriter());
            Assert.Equal(ExitCodes.Ok, await CliApp.RunAsync(["issuer", "create", "perm", "--data", dir], o, e));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir));
            var files = Directory.GetFiles(dir, "*", SearchOption.AllDirectories);
            Assert.Contains(files, f => f.EndsWith("node.db", StringComparison.Ordinal));
            foreach (var f in files)
                Assert.True((File.GetUnixFileMode(f) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) == 0,
                    $"{f} is {File.GetUnixFileMode(f)}");
        }
        finally { Directory.Delete(Path.GetDirectoryName(dir)!, recursive: true); }
    }
}
