using Vc.Agent.Storage;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Vc.Interop.Pki;
using Vc.Interop.TrustLists;

namespace Vc.Node.Cli;

/// <summary>
/// `vchealth pki dev-country CC --out DIR`: a development PKI for one country (CSCA + a DSC with the DCC key
/// usages), written as PEM files (keys 0600) — for trying HCERT signing without a national CSCA.
/// </summary>
public static class PkiCommands
{
    public static async Task<int> RunAsync(CliContext context, string[] argv)
    {
        var args = new CliArgs(argv);
        var verb = args.Positional(0, "dev-country");
        if (verb != "dev-country") throw new UsageException($"unknown pki command '{verb}' (dev-country)");
        var country = args.Positional(1, "country (ISO 3166-1 alpha-2)");
        var output = args.Required("out");
        args.EnsureAllUsed();
        CountryPki pki;
        try { pki = CountryPki.Create(country); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
        using (pki)
        {
            using var dsc = pki.IssueDsc($"DSC {country} (development)");
            Directory.CreateDirectory(output);
            var files = new JsonObject
            {
                ["csca"] = await Write(output, "csca.pem", pki.Csca.ExportCertificatePem(), secret: false),
                ["cscaKey"] = await Write(output, "csca.key.pem", pki.ExportCscaKeyPem(), secret: true),
                ["dsc"] = await Write(output, "dsc.pem", dsc.ExportCertificatePem(), secret: false),
                ["dscKey"] = await Write(output, "dsc.key.pem", dsc.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(), secret: true),
            };
            CliOutput.Write(context.Out, new JsonObject
            {
                ["country"] = country,
                ["kid"] = Convert.ToBase64String(TrustEntry.KidOf(dsc)),
                ["dscNotAfter"] = dsc.NotAfter.ToUniversalTime().ToString("O"),
                ["files"] = files,
            });
        }
        return ExitCodes.Ok;
    }

    private static async Task<string> Write(string dir, string name, string content, bool secret)
    {
        var path = Path.GetFullPath(Path.Combine(dir, name));
        if (secret) await SecretFiles.WriteAsync(path, content);
        else await File.WriteAllTextAsync(path, content);
        return path;
    }
}
