using System.CommandLine;
using Vc.Agent;
using Vc.Interop.Bridge;

namespace Vc.Node.Cli;

/// <summary>
/// `vchealth bridge vc-to-hcert FILE [--accept-omitted PATH…] [--out FILE.png]` and
/// `vchealth bridge hcert-to-vc INPUT [--accept-omitted PATH…]`: the agent's bridge workflows, answered as the node's
/// /bridge endpoints answer.
/// </summary>
public static class BridgeCommands
{
    public static Command Declare(CliContext context)
    {
        var vcFile = CliParse.Required("FILE", "a credential of one of this node's issuers holding a DSC (JSON), or - for stdin");
        var omitted = AcceptOmitted();
        var png = CliParse.Text("--out", "also write the QR code to this PNG file", "FILE.png");
        var toHcert = new Command("vc-to-hcert", "sign the credential's content as an HCERT with its issuer's DSC; prints the HC1 string and QR code") { vcFile, omitted, png };
        toHcert.SetAction(async (parse, _) =>
        {
            var credential = await CliInput.ReadObjectAsync(parse.GetRequiredValue(vcFile));
            await using var agent = await context.OpenAgentAsync(parse);
            var bridged = await Guard(() => agent.Bridge.VcToHcertAsync(credential, (parse.GetValue(omitted) ?? []).ToHashSet()));
            if (parse.GetValue(png) is { } file) await File.WriteAllBytesAsync(file, bridged.QrPng);
            CliOutput.Write(context.Out, bridged.ToJson());
            return ExitCodes.Ok;
        });

        var input = CliParse.Required("INPUT", "an HC1: string, a file holding one, or a QR image (PNG/JPEG)");
        var omittedBack = AcceptOmitted();
        var toVc = new Command("hcert-to-vc", "re-issue a verified HCERT as a credential of the bridge issuer, the HC1 kept as evidence") { input, omittedBack };
        toVc.SetAction(async (parse, _) =>
        {
            var hc1 = await Vc.Interop.DccCommands.ReadInputAsync(parse.GetRequiredValue(input));
            await using var agent = await context.OpenAgentAsync(parse);
            CliOutput.Write(context.Out, await Guard(() => agent.HcertToCredentialAsync(hc1, (parse.GetValue(omittedBack) ?? []).ToHashSet())));
            return ExitCodes.Ok;
        });
        return new Command("bridge") { toHcert, toVc };
    }

    private static Option<string[]> AcceptOmitted() =>
        CliParse.Many("--accept-omitted", "a field the caller accepts to be left out of the other format (repeatable)", "PATH");

    /// <summary>Bridge refusals as typed failures (exit 3), named as the node's problem types are.</summary>
    private static async Task<T> Guard<T>(Func<Task<T>> action)
    {
        try { return await action(); }
        catch (BridgeException e) { throw new CliFailure("bridge." + e.Failure, e.Message); }
        catch (IssuerServiceException e) { throw new CliFailure("issuer." + e.Kind, e.Message); }
    }
}
