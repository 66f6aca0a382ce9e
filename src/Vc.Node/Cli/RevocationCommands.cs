using System.CommandLine;
using Vc.Interop.Revocation;

namespace Vc.Node.Cli;

/// <summary>
/// `vchealth trust import-revocation FILE --anchor TA.pem --trust-list GATEWAY.json` (the gateway's revocation batch
/// downloads, each CMS-signed by an UPLOAD certificate of the batch's country, verified before anything is stored;
/// `--allow-unverified` instead takes plain JSON batches or a partitioned hash-list / Bloom-filter list on the
/// operator's word; `dcc verify` and /hcert/verify then answer "Revoked") and
/// `vchealth trust export-revocation [--out FILE]` (the revocations of the HCERTs this node bridged, in the gateway's
/// batch format — what GET /hcert/revocation serves).
/// </summary>
public static class RevocationCommands
{
    public static Command Import(CliContext context)
    {
        var file = CliParse.Required("FILE", "gateway revocation downloads (base64 CMS, or a JSON array of them); with --allow-unverified also plain JSON batches or a partitioned list");
        var unverified = CliParse.Flag("--allow-unverified", "accept a file that is not CMS-signed (plain JSON batches or a partitioned list), on your own word");
        var import = new Command("import-revocation", "import an EU DCC revocation list into this node's trust store (CMS signatures checked against the gateway's UPLOAD certificates)") { file, unverified };
        var uploads = new GatewayImportCommands.UploadOptions();
        uploads.AddTo(import);
        import.SetAction(async (parse, _) =>
        {
            var path = parse.GetRequiredValue(file);
            var allowUnverified = parse.GetValue(unverified);
            if (allowUnverified && uploads.Given(parse))
                throw new UsageException("--allow-unverified skips the signature check: give it without --anchor/--trust-list");
            var trusted = allowUnverified ? null : await uploads.LoadAsync(parse, "import-revocation (or --allow-unverified)");
            var content = await GatewayImportCommands.ReadAsync(path, DccRevocationList.MaxFileBytes, "revocation.Input");
            await using var agent = await context.OpenAgentAsync(parse);
            try
            {
                var imported = trusted is null
                    ? await agent.Bridge.Revocations.ImportAsync(content, Path.GetFileName(path) + " (unverified)")
                    : await agent.Bridge.Revocations.ImportSignedAsync(content, Path.GetFileName(path), trusted);
                CliOutput.Write(context.Out, imported.ToJson());
                return ExitCodes.Ok;
            }
            catch (DccRevocationException e) { throw new CliFailure("revocation.Invalid", e.Message); }
        });
        return import;
    }

    public static Command Export(CliContext context)
    {
        var output = CliParse.Text("--out", "also write the batches to this file", "FILE");
        var export = new Command("export-revocation", "this node's HCERT revocations (bridged HCERTs of revoked or suspended credentials), in the EU gateway's batch format") { output };
        export.SetAction(async (parse, _) =>
        {
            await using var agent = await context.OpenAgentAsync(parse);
            var batches = await agent.Bridge.Revocations.ExportAsync();
            if (parse.GetValue(output) is { } path) await File.WriteAllTextAsync(path, batches.ToJsonString());
            CliOutput.Write(context.Out, batches);
            return ExitCodes.Ok;
        });
        return export;
    }
}
