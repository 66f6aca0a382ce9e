using System.CommandLine;
using System.Security.Cryptography;
using Vc.JsonLd;

namespace Vc.Node.Cli;

/// <summary>
/// `vchealth canon FILE [--nquads] [--hash sha256|sha384] [--work-factor N|none]`: the RDFC-1.0 canonical N-Quads of
/// a JSON-LD document (bundled contexts only, the ICVP context included) or of an N-Quads file — for debugging
/// signatures. The work factor is rdf-canonize's maxWorkFactor (default 1, what Data Integrity verification uses).
/// </summary>
public static class CanonCommand
{
    public static Command Declare(CliContext context)
    {
        var file = CliParse.Required("FILE", "JSON-LD document, or N-Quads with --nquads; - for stdin");
        var nquads = CliParse.Flag("--nquads", "the input is N-Quads, not JSON-LD");
        var hash = CliParse.Choice("--hash", "the RDFC-1.0 hash function (default sha256)", "HASH", "sha256", "sha384");
        var workFactor = CliParse.Text("--work-factor",
            "RDFC-1.0 work bound: (blank nodes sharing a first-degree hash)^N Hash N-Degree Quads calls, as rdf-canonize's maxWorkFactor (default 1; none: no bound)", "N");
        var command = new Command("canon") { file, nquads, hash, workFactor };
        command.SetAction((parse, _) => RunAsync(context, parse.GetRequiredValue(file), parse.GetValue(nquads), parse.GetValue(hash), parse.GetValue(workFactor)));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string path, bool nquads, string? hashName, string? workFactorText)
    {
        int? workFactor = workFactorText switch
        {
            null => RdfcOptions.DefaultMaxWorkFactor,
            "none" => null,
            var w when int.TryParse(w, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) => n,
            var w => throw new UsageException($"--work-factor must be a whole number ≥ 0 or none, got '{w}'"),
        };
        var hash = (hashName ?? "sha256").ToLowerInvariant() switch
        {
            "sha256" => HashAlgorithmName.SHA256,
            "sha384" => HashAlgorithmName.SHA384,
            var h => throw new UsageException($"--hash must be sha256 or sha384, got '{h}'"),
        };
        var text = await CliInput.ReadTextAsync(path);
        var rdfc = new RdfcOptions { HashAlgorithm = hash, MaxWorkFactor = workFactor };
        try
        {
            var result = nquads
                ? Rdfc10.CanonicalizeNQuads(text, rdfc)
                : JsonLdProcessor.Canonicalize(System.Text.Encoding.UTF8.GetBytes(text),
                    new JsonLdOptions { DocumentLoader = Vc.Credentials.Contexts.BundledContexts.Loader }, rdfc);
            context.Out.Write(result.CanonicalNQuads);
            return ExitCodes.Ok;
        }
        catch (JsonLdException e)
        {
            throw new CliFailure("jsonld." + e.Code, e.Message);
        }
        catch (RdfcException e)
        {
            throw new CliFailure("rdfc." + e.Code, e.Message);
        }
    }
}
