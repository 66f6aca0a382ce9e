using System.CommandLine;
using System.Text.Json.Nodes;
using Vc.Agent.Wallet;
using Vc.Interop.Hcert;

namespace Vc.Node.Cli;

/// <summary>
/// `vchealth wallet init|import|list|show|present|qr|remove`: the holder's wallet in the data directory (its own did:key,
/// credentials encrypted at rest). JSON on stdout, typed errors (wallet.*) with exit 3.
/// </summary>
public static class WalletCommands
{
    public static Command Declare(CliContext context)
    {
        var init = new Command("init", "create the wallet and its holder key (did:key); prints the holder DID");
        init.SetAction(async (parse, _) =>
        {
            CliOutput.Write(context.Out, (await Open(context, parse).InitAsync()).ToJson());
            return ExitCodes.Ok;
        });

        var input = CliParse.Required("INPUT", "a credential (JSON file), an HC1: string, a file holding one, or a QR image (PNG/JPEG)");
        var bridge = CliParse.Flag("--bridge", "for an HCERT: also keep it bridged to a VC by this node's bridge issuer (the HCERT is verified first)");
        var trust = CliParse.Many("--trust", "HCERT trust input for --bridge: DSC, EU gateway list or GDHCN document (repeatable)", "FILE");
        var anchor = CliParse.Text("--gateway-anchor", "the gateway trust anchor certificate of a --trust gateway list", "CERT");
        var import = new Command("import", "keep a credential or an HCERT (as received) in the wallet") { input, bridge, trust, anchor };
        import.SetAction(async (parse, _) =>
        {
            var wallet = Open(context, parse);
            var path = parse.GetRequiredValue(input);
            if (File.Exists(path) && StartsWithBrace(path))
            {
                var credential = await CliInput.ReadObjectAsync(path);
                CliOutput.Write(context.Out, (await wallet.ImportCredentialAsync(credential)).ToJson(withContent: false));
                return ExitCodes.Ok;
            }
            string hc1;
            try { hc1 = await Vc.Interop.DccCommands.ReadInputAsync(path); }
            catch (HcertException e) { throw new CliFailure("hcert." + e.Failure, e.Message); }
            var hcert = await wallet.ImportHcertAsync(hc1);
            var answer = new JsonObject { ["imported"] = hcert.ToJson(withContent: false) };
            if (parse.GetValue(bridge))
            {
                await using var agent = await context.OpenAgentAsync(parse, parse.GetValue(trust), parse.GetValue(anchor));
                JsonObject bridged;
                try { bridged = await agent.HcertToCredentialAsync(hc1, new HashSet<string>()); }
                catch (Vc.Interop.Bridge.BridgeException e) { throw new CliFailure("bridge." + e.Failure, e.Message); }
                var vc = await wallet.ImportCredentialAsync((JsonObject)bridged["verifiableCredential"]!, hcert.Id);
                answer["bridged"] = vc.ToJson(withContent: false);
            }
            CliOutput.Write(context.Out, answer);
            return ExitCodes.Ok;
        });

        var list = new Command("list", "the wallet's items (id, kind, type, issuer), oldest first");
        list.SetAction(async (parse, _) =>
        {
            var wallet = Open(context, parse);
            var holder = await wallet.HolderAsync();
            var items = await wallet.ListAsync();
            CliOutput.Write(context.Out, new JsonObject
            {
                ["holder"] = holder.ToJson(), ["items"] = new JsonArray([.. items.Select(i => (JsonNode)i.ToJson(withContent: false))]),
            });
            return ExitCodes.Ok;
        });

        var showId = CliParse.Required("ID", "a wallet item id (wallet list)");
        var show = new Command("show", "one item with its content") { showId };
        show.SetAction(async (parse, _) =>
        {
            CliOutput.Write(context.Out, (await Open(context, parse).GetAsync(parse.GetRequiredValue(showId))).ToJson());
            return ExitCodes.Ok;
        });

        var presentIds = new Argument<string[]>("ID") { Description = "the credentials to present (wallet item ids)", Arity = ArgumentArity.OneOrMore };
        var challenge = CliParse.Text("--challenge", "the verifier's challenge", "C", required: true);
        var domain = CliParse.Text("--domain", "the verifier's domain", "D");
        var presentOut = CliParse.Text("--out", "also write the presentation to this file", "FILE");
        var present = new Command("present", "a verifiable presentation of the credentials for a verifier's challenge and domain") { presentIds, challenge, domain, presentOut };
        present.SetAction(async (parse, _) =>
        {
            await using var agent = await context.OpenAgentAsync(parse);
            var vp = await Open(context, parse).PresentAsync(agent.Credentials.Proofs, parse.GetRequiredValue(presentIds),
                parse.GetRequiredValue(challenge), parse.GetValue(domain));
            if (parse.GetValue(presentOut) is { } file) await File.WriteAllTextAsync(file, vp.ToJsonString(CliOutput.Json));
            CliOutput.Write(context.Out, vp);
            return ExitCodes.Ok;
        });

        var qrId = CliParse.Required("ID", "an HCERT, or a credential bridged from one (it carries the HC1)");
        var qrOut = CliParse.Text("--out", "the PNG to write", "FILE.png", required: true);
        var qr = new Command("qr", "write the item's HC1 as a QR code a verifier can scan") { qrId, qrOut };
        qr.SetAction(async (parse, _) =>
        {
            var item = await Open(context, parse).GetAsync(parse.GetRequiredValue(qrId));
            var hc1 = item.Hc1 ?? throw new CliFailure("wallet.no-hc1",
                $"{item.Id} is a VC without an HC1 form: its issuer can bridge it (vchealth bridge vc-to-hcert), then import the QR");
            var file = parse.GetRequiredValue(qrOut);
            await File.WriteAllBytesAsync(file, Vc.Interop.Qr.HcertQr.RenderPng(hc1));
            CliOutput.Write(context.Out, new JsonObject { ["id"] = item.Id, ["out"] = Path.GetFullPath(file), ["hc1"] = hc1 });
            return ExitCodes.Ok;
        });

        var removeId = CliParse.Required("ID", "a wallet item id");
        var remove = new Command("remove", "delete an item from the wallet") { removeId };
        remove.SetAction(async (parse, _) =>
        {
            var id = parse.GetRequiredValue(removeId);
            await Open(context, parse).RemoveAsync(id);
            CliOutput.Write(context.Out, new JsonObject { ["removed"] = id });
            return ExitCodes.Ok;
        });

        return new Command("wallet") { init, import, list, show, present, qr, remove };
    }

    /// <summary>A JSON object file (a credential), told from an HC1 text or image file by its first non-blank byte.</summary>
    private static bool StartsWithBrace(string path)
    {
        using var file = File.OpenRead(path);
        int b;
        while ((b = file.ReadByte()) is ' ' or '\t' or '\r' or '\n' or 0xEF or 0xBB or 0xBF) { } // blanks and a UTF-8 BOM
        return b == '{';
    }

    private static HolderWallet Open(CliContext context, ParseResult parse) => HolderWallet.Open(context.DataDirectory(parse), context.Time);
}
