using System.CommandLine;
using Vc.Interop.Revocation;

namespace Vc.Node.Cli;

/// <summary>
/// `vchealth trust import-revocation FILE` (an EU DCC revocation file: gateway batches or a partitioned hash-list /
/// Bloom-filter list, into this node's trust store; `dcc verify` and /hcert/verify then answer "Revoked") and
/// `vchealth trust export-revocation [--out FILE]` (the revocations of the HCERTs this node bridged, in the gateway's
/// batch format — what GET /hcert/revocation serves).
/// </summary>
public static class RevocationCommands
{
    public static Command Import(CliContext context)
    {
        var file = CliParse.Required("FILE", "a revocation file (JSON: gateway batch(es) or a partitioned list)");
        var import = new Command("import-revocation", "import an EU DCC revocation list into this node's trust store") { file };
        import.SetAction(async (parse, _) =>
        {
            var path = parse.GetRequiredValue(file);
            byte[] content;
            try
            {
                if (new FileInfo(path).Length > DccRevocationList.MaxFileBytes)
                    throw new CliFailure("revocation.Input", $"{path} is larger than {DccRevocationList.MaxFileBytes} bytes");
                content = await File.ReadAllBytesAsync(path);
            }
            catch (IOException e) { throw new CliFailure("revocation.Input", e.Message); }
            catch (UnauthorizedAccessException e) { throw new CliFailure("revocation.Input", e.Message); }
            await using var agent = await context.OpenAgentAsync(parse);
            try
            {
                var imported = await agent.Bridge.Revocations.ImportAsync(content, Path.GetFileName(path));
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
