using Vc.Agent.Storage;
using System.CommandLine;
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
    public static Command Declare(CliContext context)
    {
        var countryArgument = CliParse.Required("CC", "the country (ISO 3166-1 alpha-2)");
        var outOption = CliParse.Text("--out", "the folder for the PEM files (keys written 0600)", "DIR", required: true);
        var dscKey = CliParse.Text("--dsc-key", "issue the DSC for a key already in an HSM (PKCS#11 URI, e.g. from `key generate --out pkcs11:…`) instead of a new PEM key", "URI");
        var devCountry = new Command("dev-country", "a development CSCA + DSC (PEM) for trying HCERT signing") { countryArgument, outOption, dscKey };
        devCountry.SetAction((parse, _) => DevCountryAsync(context, parse.GetRequiredValue(countryArgument), parse.GetRequiredValue(outOption), parse.GetValue(dscKey)));
        return new Command("pki") { devCountry };
    }

    private static async Task<int> DevCountryAsync(CliContext context, string country, string output, string? hsmKey)
    {
        CountryPki pki;
        try { pki = CountryPki.Create(country, time: context.Time); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
        using (pki)
        {
            using var dsc = hsmKey is null ? pki.IssueDsc($"DSC {country} (development)") : IssueForHsm(pki, country, hsmKey);
            Directory.CreateDirectory(output);
            var files = new JsonObject
            {
                ["csca"] = await Write(output, "csca.pem", pki.Csca.ExportCertificatePem(), secret: false),
                ["cscaKey"] = await Write(output, "csca.key.pem", pki.ExportCscaKeyPem(), secret: true),
                ["dsc"] = await Write(output, "dsc.pem", dsc.ExportCertificatePem(), secret: false),
                // An HSM key stays in its token: the DSC's key is named by its URI, never written.
                ["dscKey"] = hsmKey is null
                    ? await Write(output, "dsc.key.pem", dsc.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(), secret: true)
                    : Vc.Agent.Keys.Pkcs11Uri.Parse(hsmKey).ToString(),
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

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 IssueForHsm(CountryPki pki, string country, string uri)
    {
        try
        {
            using var key = Vc.Agent.Keys.Pkcs11EcdsaKey.Open(Vc.Agent.Keys.Pkcs11Uri.Parse(uri));
            return pki.IssueDscFor($"DSC {country} (development HSM)", key);
        }
        catch (Vc.Agent.Keys.Pkcs11KeyException e) { throw new CliFailure("pkcs11", e.Message); }
    }

    private static async Task<string> Write(string dir, string name, string content, bool secret)
    {
        var path = Path.GetFullPath(Path.Combine(dir, name));
        if (secret) await SecretFiles.WriteAsync(path, content);
        else await File.WriteAllTextAsync(path, content);
        return path;
    }
}
