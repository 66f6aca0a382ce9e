using System.CommandLine;
using System.Security.Cryptography;
using Vc.Agent;
using Vc.Interop.TrustLists;

namespace Vc.Node.Cli;

/// <summary>
/// `vchealth trust import-rules FILE --anchor TA.pem --trust-list GATEWAY.json`: an EU DCC gateway rule list (each
/// rule CMS-signed by an UPLOAD certificate of its country) into the node's trust store, where `dcc verify --country
/// CC` and /hcert/verify {country} find it. The UPLOAD certificates are those of the gateway trust list whose items the
/// trust anchor signed. All or nothing; a refused list is a typed failure (exit 3) naming the item and why.
/// </summary>
public static class GatewayImportCommands
{
    /// <summary>The --anchor / --trust-list pair both signed imports take.</summary>
    internal sealed class UploadOptions
    {
        public Option<string> Anchor { get; } = CliParse.Text("--anchor", "the EU gateway trust anchor certificate (PEM/DER)", "TA.pem");
        public Option<string> TrustList { get; } = CliParse.Text("--trust-list", "the gateway trust list (GET /trustList) holding the UPLOAD certificates, signed by the anchor", "FILE");

        public void AddTo(Command command)
        {
            command.Options.Add(Anchor);
            command.Options.Add(TrustList);
        }

        public bool Given(ParseResult parse) => parse.GetValue(Anchor) is not null || parse.GetValue(TrustList) is not null;

        /// <summary>The trusted UPLOAD certificates; usage error without both options, typed failure when unusable.</summary>
        public async Task<GatewayUploadCertificates> LoadAsync(ParseResult parse, string what)
        {
            var anchorPath = parse.GetValue(Anchor);
            var listPath = parse.GetValue(TrustList);
            if (anchorPath is null || listPath is null)
                throw new UsageException($"{what} needs --anchor TA.pem and --trust-list FILE (the gateway trust list with the UPLOAD certificates)");
            X509CertificateOrFailure(anchorPath, out var anchor);
            byte[] list;
            try
            {
                if (new FileInfo(listPath).Length > 64 * 1024 * 1024) throw new CliFailure("trustlist.Input", $"{listPath} is larger than 64 MB");
                list = await File.ReadAllBytesAsync(listPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new CliFailure("trustlist.Input", $"cannot read {listPath}: {e.Message}"); }
            try
            {
                var uploads = EuGatewayTrustList.UploadCertificates(list, anchor);
                if (uploads.Certificates.Count == 0)
                    throw new CliFailure("trustlist.Signature", $"{listPath} holds no UPLOAD certificate signed by the anchor"
                        + (uploads.Rejected.Count > 0 ? ": " + string.Join("; ", uploads.Rejected.Take(3).Select(r => $"{r.Item}: {r.Reason}")) : ""));
                return uploads;
            }
            catch (TrustListException e) { throw new CliFailure("trustlist." + e.Failure, $"{listPath}: {e.Message}"); }
        }

        private static void X509CertificateOrFailure(string path, out System.Security.Cryptography.X509Certificates.X509Certificate2 anchor)
        {
            try { anchor = VcAgent.LoadCertificate(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
            {
                throw new CliFailure("trustlist.Anchor", $"cannot load the trust anchor {path}: {e.Message}");
            }
        }
    }

    /// <summary>Reads a bounded input file, or a typed failure.</summary>
    internal static async Task<byte[]> ReadAsync(string path, long max, string type)
    {
        try
        {
            if (new FileInfo(path).Length > max) throw new CliFailure(type, $"{path} is larger than {max} bytes");
            return await File.ReadAllBytesAsync(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new CliFailure(type, e.Message); }
    }

    public static Command ImportRules(CliContext context)
    {
        var file = CliParse.Required("FILE", "a gateway rule list: {ruleId: [{version, validFrom, validTo, cms}]} (GET /rules/{country}), or an array of {cms} items");
        var import = new Command("import-rules", "import an EU DCC gateway rule list (CMS-signed rules) into this node's trust store") { file };
        var uploads = new UploadOptions();
        uploads.AddTo(import);
        import.SetAction(async (parse, _) =>
        {
            var path = parse.GetRequiredValue(file);
            var trusted = await uploads.LoadAsync(parse, "import-rules");
            var content = await ReadAsync(path, GatewayRuleList.MaxListBytes, "rules.Input");
            await using var agent = await context.OpenAgentAsync(parse);
            try
            {
                var imported = await agent.Rules.ImportAsync(content, Path.GetFileName(path), trusted);
                CliOutput.Write(context.Out, imported.ToJson());
                return ExitCodes.Ok;
            }
            catch (TrustListException e) { throw new CliFailure("rules." + e.Failure, e.Message); }
        });
        return import;
    }
}
