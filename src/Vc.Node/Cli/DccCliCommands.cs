using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Vc.Interop;
using Vc.Interop.Hcert;
using Vc.Interop.TrustLists;

namespace Vc.Node.Cli;

/// <summary>
/// `vchealth dcc verify INPUT [--trust FILE…] [--at TIME] [--gateway-anchor CERT]`,
/// `vchealth dcc sign PAYLOAD.json --cert DSC.pem --key KEY.pem [--type dcc|icvp] [--iss XX] [--iat T] [--exp T]`
/// (prints the HC1 string), `vchealth dcc qr INPUT --out FILE.png`. Thin layer over <see cref="DccCommands"/>.
/// </summary>
public static class DccCliCommands
{
    public static async Task<int> RunAsync(CliContext context, string[] argv)
    {
        var args = new CliArgs(argv);
        var verb = args.Positional(0, "verify|sign|qr");
        try
        {
            switch (verb)
            {
                case "verify":
                {
                    var input = args.Positional(1, "INPUT (HC1 string, file, or QR PNG)");
                    var trust = args.All("trust");
                    var at = args.Option("at");
                    var anchor = args.Option("gateway-anchor");
                    args.EnsureAllUsed();
                    var options = new TrustFileOptions { GatewayTrustAnchor = anchor is null ? null : LoadCertificate(anchor) };
                    var report = await DccCommands.VerifyAsync(input, trust, at, options);
                    context.Out.WriteLine(report.ToJsonString());
                    return report.IsValid ? ExitCodes.Ok : report.Error is null ? ExitCodes.Negative : ExitCodes.Failed;
                }
                case "sign":
                {
                    var payload = args.Positional(1, "PAYLOAD.json (EU DCC JSON or ICVP Variant B JSON)");
                    var cert = args.Required("cert");
                    var key = args.Required("key");
                    var type = args.Option("type") ?? "dcc";
                    var iss = args.Option("iss");
                    var iat = args.Option("iat");
                    var exp = args.Option("exp");
                    args.EnsureAllUsed();
                    context.Out.WriteLine(await DccCommands.SignAsync(payload, cert, key, type, iss, iat, exp));
                    return ExitCodes.Ok;
                }
                case "qr":
                {
                    var input = args.Positional(1, "INPUT (HC1 string or file)");
                    var output = args.Required("out");
                    args.EnsureAllUsed();
                    var png = await DccCommands.QrAsync(input);
                    await File.WriteAllBytesAsync(output, png);
                    CliOutput.Write(context.Out, new JsonObject { ["file"] = Path.GetFullPath(output), ["bytes"] = png.Length });
                    return ExitCodes.Ok;
                }
                default:
                    throw new UsageException($"unknown dcc command '{verb}' (verify|sign|qr)");
            }
        }
        catch (HcertException e)
        {
            throw new CliFailure("hcert." + e.Failure, e.Message);
        }
        catch (TrustListException e)
        {
            throw new CliFailure("trustlist", e.Message);
        }
    }

    private static X509Certificate2 LoadCertificate(string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            return bytes.AsSpan().StartsWith("-----"u8)
                ? X509Certificate2.CreateFromPem(System.Text.Encoding.ASCII.GetString(bytes))
                : X509CertificateLoader.LoadCertificate(bytes);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException)
        {
            throw new CliInput.InputException($"--gateway-anchor {path}: not a certificate ({e.Message})");
        }
    }
}
