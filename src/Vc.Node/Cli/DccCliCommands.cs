using Vc.Agent;
using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Vc.Interop;
using Vc.Interop.Hcert;
using Vc.Interop.TrustLists;

namespace Vc.Node.Cli;

/// <summary>
/// `vchealth dcc verify INPUT [--trust FILE…] [--at TIME] [--gateway-anchor CERT]`,
/// `vchealth dcc sign PAYLOAD.json --cert DSC.pem --key KEY.pem [--type dcc|icvp] [--iss XX] [--iat T] [--exp T]`
/// (prints the HC1 string), `vchealth dcc qr INPUT --out FILE.png`. Thin layer over <see cref="DccCommands"/>:
/// the exit codes and the printed form are decided here.
/// </summary>
public static class DccCliCommands
{
    public static Command Declare(CliContext context)
    {
        var verifyInput = CliParse.Required("INPUT", "an HC1: string, a file holding one, or a QR image (PNG/JPEG)");
        var trust = CliParse.Many("--trust", "a DSC (PEM/DER), an EU gateway trust list or a GDHCN DID document", "FILE");
        // Text, not a typed time: an unreadable clock is answered in the verification report (outcome Input, exit 3).
        var at = CliParse.Text("--at", "the verification clock (default now)", "TIME");
        var anchor = CliParse.Text("--gateway-anchor", "the trust anchor certificate that signs EU gateway trust lists", "CERT");
        var rules = CliParse.Text("--rules", "business rules: a gateway rule file (one rule or a list) or a folder of them; with --country", "DIR_OR_FILE");
        var country = CliParse.Text("--country", "the arrival country (ISO 3166-1 alpha-2) whose acceptance rules apply (without --rules: the rules imported by `trust import-rules`)", "CC");
        var region = CliParse.Text("--region", "the arrival region, for regional rules", "R");
        var verify = new Command("verify", "verify an HCERT (EU DCC or ICVP); exit 0 only when valid") { verifyInput, trust, at, anchor, rules, country, region };
        var pack = new PackOptions();
        pack.AddTo(verify);
        verify.SetAction((parse, _) => Run(() => VerifyAsync(context, parse, parse.GetRequiredValue(verifyInput), parse.GetValue(trust) ?? [], parse.GetValue(at), parse.GetValue(anchor),
            RulesCli.Load(parse.GetValue(rules), parse.GetValue(country), parse.GetValue(region)), pack)));

        var payload = CliParse.Required("PAYLOAD", "the EU DCC JSON or the ICVP Variant B JSON");
        var cert = CliParse.Text("--cert", "the Document Signer Certificate (PEM)", "DSC.pem", required: true);
        var key = CliParse.Text("--key", "the DSC's private key: a PEM file, or a key in an HSM as a PKCS#11 URI (pkcs11:token=T;object=O, PIN from pin-source or VCHEALTH_PKCS11_PIN)", "KEY", required: true);
        var type = CliParse.Choice("--type", "the payload type (default dcc)", "TYPE", "dcc", "icvp");
        var iss = CliParse.Text("--iss", "the issuing country (CWT iss)", "XX");
        // Text, not typed times: today's answer to an unreadable time is the typed failure hcert.Encode (exit 3).
        var iat = CliParse.Text("--iat", "issued at (default now)", "TIME");
        var exp = CliParse.Text("--exp", "expires at (default: a DCC a year after iat, capped by the DSC; an ICVP none)", "TIME");
        var sign = new Command("sign", "sign a payload as an HCERT; prints the HC1 string") { payload, cert, key, type, iss, iat, exp };
        sign.SetAction((parse, _) => Run(() => SignAsync(context, parse.GetRequiredValue(payload), parse.GetRequiredValue(cert), parse.GetRequiredValue(key),
            parse.GetValue(type) ?? "dcc", parse.GetValue(iss), parse.GetValue(iat), parse.GetValue(exp))));

        var qrInput = CliParse.Required("INPUT", "an HC1: string or a file holding one");
        var output = CliParse.Text("--out", "the PNG file to write", "FILE.png", required: true);
        var qr = new Command("qr", "render an HC1 string as a QR code PNG") { qrInput, output };
        qr.SetAction((parse, _) => Run(() => QrAsync(context, parse.GetRequiredValue(qrInput), parse.GetRequiredValue(output))));

        return new Command("dcc") { verify, sign, qr };
    }

    /// <summary>
    /// The node's HCERT verification: the agent of this data directory, its trust being the --trust files (and the DSCs
    /// of this node's issuers), with the ledger's trust decision beside the report when a trust registry is recorded.
    /// </summary>
    private static async Task<int> VerifyAsync(CliContext context, ParseResult parse, string input, IReadOnlyList<string> trust, string? at, string? anchor,
        RulesCli.Choice rules, PackOptions packOptions)
    {
        var pack = await packOptions.LoadAsync(context, parse);
        // A pack carries the trust inputs it was built with: --trust beside it would mix an unsigned source in.
        if (pack is not null && (trust.Count > 0 || anchor is not null))
            throw new UsageException("--pack carries its trust lists: give --trust / --gateway-anchor to `pack build`, not beside --pack");
        if (at is not null && !HcertClock.TryParse(at, out _))
            return Print(context, new DccVerifyReport(null, [], $"--at '{at}' is not a date-time", HcertFailure.Input).ToJson());
        VcAgent agent;
        try { agent = await context.OpenAgentAsync(parse, trustFiles: trust, gatewayAnchor: anchor, pack: pack); }
        catch (AgentException e) when (e.InnerException is TrustListException)
        {
            return Print(context, new DccVerifyReport(null, [], e.Message, null).ToJson());
        }
        await using (agent)
        {
            string hc1;
            try { hc1 = await DccCommands.ReadInputAsync(input); }
            catch (HcertException e) { return Print(context, new DccVerifyReport(null, agent.TrustLists, e.Message, e.Failure).ToJson()); }
            var verdict = await agent.VerifyHcertAsync(hc1, at is null ? null : HcertClock.Parse(at), await rules.ResolveAsync(agent));
            context.Out.WriteLine(verdict.ToJson().ToJsonString(ReportJson));
            return verdict.Result.IsValid ? ExitCodes.Ok : ExitCodes.Negative;
        }
    }

    /// <summary>A report whose input or trust files could not be used: printed like any report, exit 3.</summary>
    private static int Print(CliContext context, System.Text.Json.Nodes.JsonObject report)
    {
        context.Out.WriteLine(report.ToJsonString(ReportJson));
        return ExitCodes.Failed;
    }

    private static async Task<int> SignAsync(CliContext context, string payload, string cert, string key, string typeName,
        string? iss, string? iatText, string? expText)
    {
        var type = typeName.ToLowerInvariant() switch
        {
            "dcc" => HcertPayloadType.EuDcc,
            "icvp" => HcertPayloadType.Icvp,
            _ => throw new HcertException(HcertFailure.Encode, $"--type '{typeName}' is not dcc or icvp"),
        };
        var iat = Time(iatText, "--iat");
        var exp = Time(expText, "--exp");
        if (!Vc.Agent.Keys.Pkcs11Uri.IsPkcs11(key))
        {
            context.Out.WriteLine(await DccCommands.SignAsync(payload, cert, key, type, iss, iat, exp, context.Time));
            return ExitCodes.Ok;
        }
        // The DSC's key in a PKCS#11 token (HSM): the token signs, the key never leaves it.
        try
        {
            using var hsmKey = Vc.Agent.Keys.Pkcs11EcdsaKey.Open(Vc.Agent.Keys.Pkcs11Uri.Parse(key));
            context.Out.WriteLine(await DccCommands.SignAsync(payload, () => new HcertSigner(LoadDsc(cert), hsmKey), type, iss, iat, exp, context.Time));
            return ExitCodes.Ok;
        }
        catch (Vc.Agent.Keys.Pkcs11KeyException e) { throw new CliFailure("pkcs11", e.Message); }

        static System.Security.Cryptography.X509Certificates.X509Certificate2 LoadDsc(string path)
        {
            try { return System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(path)); }
            catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
            {
                throw new HcertException(HcertFailure.Encode, $"cannot load the DSC {path}: {e.Message}", e);
            }
        }
    }

    private static async Task<int> QrAsync(CliContext context, string input, string output)
    {
        var png = await DccCommands.QrAsync(input);
        await File.WriteAllBytesAsync(output, png);
        CliOutput.Write(context.Out, new JsonObject { ["file"] = Path.GetFullPath(output), ["bytes"] = png.Length });
        return ExitCodes.Ok;
    }

    /// <summary>The report as printed: indented, UTF-8 as is ('+' and non-ASCII names without \u escapes).</summary>
    private static readonly System.Text.Json.JsonSerializerOptions ReportJson = ReadOnly(new()
    {
        WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    private static System.Text.Json.JsonSerializerOptions ReadOnly(System.Text.Json.JsonSerializerOptions options)
    {
        options.MakeReadOnly(populateMissingResolver: true); // the default resolver, as an unfrozen instance gets on first use
        return options;
    }

    private static DateTimeOffset? Time(string? text, string option) =>
        text is null ? null
            : HcertClock.TryParse(text, out var t) ? t
            : throw new HcertException(HcertFailure.Encode, $"{option} '{text}' is not a date-time");

    /// <summary>HCERT and trust list failures as typed CLI failures (exit 3). Not generic: one fewer async state
    /// machine to JIT-compile per call (generic instantiations are not all precompiled).</summary>
    private static async Task<int> Run(Func<Task<int>> body)
    {
        try { return await body(); }
        catch (HcertException e) { throw new CliFailure("hcert." + e.Failure, e.Message); }
        catch (TrustListException e) { throw new CliFailure("trustlist", e.Message); }
    }

}
