using System.CommandLine;
using System.Globalization;
using Vc.Agent;
using Vc.Trust;

namespace Vc.Node.Cli;

/// <summary>
/// `vchealth pack build --out FILE [--domain ICVP] [--participant P] [--trust FILE…] [--gateway-anchor CERT]`: the offline
/// verifier pack (<see cref="VerifierPack"/>) as of the ledger's latest block, signed by this data directory's pack key.
/// </summary>
public static class PackCommands
{
    public static Command Declare(CliContext context)
    {
        var output = CliParse.Text("--out", "the pack file to write", "FILE", required: true);
        var domain = CliParse.Text("--domain", "the trust domain whose registry entries the pack carries (default ICVP)", "D");
        var participant = CliParse.Text("--participant", "only this participant's entries (alpha-3, e.g. KEN)", "P");
        var trust = CliParse.Many("--trust", "a PKI trust input to carry (DSC, EU gateway list, GDHCN DID document)", "FILE");
        var anchor = CliParse.Text("--gateway-anchor", "the trust anchor certificate that signs EU gateway trust lists", "CERT");
        var build = new Command("build", "write a signed pack of the trust registry, issuer key histories, DSCs, trust lists and status lists")
        {
            output, domain, participant, trust, anchor,
        };
        build.SetAction(async (parse, _) =>
        {
            TrustDomains domains;
            CountryCode? country;
            try
            {
                domains = TrustDomainCodes.Parse(parse.GetValue(domain) ?? "ICVP");
                country = parse.GetValue(participant) is { } p ? CountryCode.Parse(p) : null;
            }
            catch (TrustRegistryException e) { throw new UsageException(e.Message); }
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await using var agent = await context.OpenAgentAsync(parse, trustFiles: parse.GetValue(trust) ?? [], gatewayAnchor: parse.GetValue(anchor));
            var built = await VerifierPackBuilder.BuildAsync(agent, domains, country);
            var path = Path.GetFullPath(parse.GetRequiredValue(output));
            var bytes = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(built.Pack);
            await File.WriteAllBytesAsync(path, bytes);
            var summary = built.Summary.ToJson();
            summary["file"] = path;
            summary["bytes"] = bytes.Length;
            summary["buildMilliseconds"] = Math.Round(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);
            CliOutput.Write(context.Out, summary);
            return ExitCodes.Ok;
        });
        // The pack signer's did:key (created on first use): what a participant admin registers for VERIFIER-PACK.
        var keyCommand = new Command("key", "print this data directory's pack signing key (did:key), to register it in the trust registry");
        keyCommand.SetAction(async (parse, _) =>
        {
            using var key = await PackKeys.LoadOrCreateAsync(context.DataDirectory(parse));
            var id = PackKeys.KeyId(key);
            CliOutput.Write(context.Out, new System.Text.Json.Nodes.JsonObject
            {
                ["did"] = id.Split('#')[0], ["verificationMethod"] = id, ["domain"] = "VERIFIER-PACK",
            });
            return ExitCodes.Ok;
        });
        return new Command("pack") { build, keyCommand };
    }
}

/// <summary>`--pack FILE [--max-age D] [--pack-key did:key:…]` of the verify commands: verify offline from a pack.</summary>
public sealed class PackOptions
{
    public Option<string> Pack { get; } = CliParse.Text("--pack", "verify offline from this verifier pack (no ledger, no network)", "FILE");
    public Option<TimeSpan?> MaxAge { get; } = new("--max-age")
    {
        Description = "refuse a pack whose block is older than this (e.g. 3d, 12h, 30m; default 3d)", HelpName = "AGE",
        CustomParser = r => TryAge(r.Tokens.Count > 0 ? r.Tokens[^1].Value : "", out var age) ? age
            : Fail(r, $"--max-age must be a duration like 3d, 12h, 30m or 90s, got '{(r.Tokens.Count > 0 ? r.Tokens[^1].Value : "")}'"),
    };
    public Option<string[]> PackKey { get; } = CliParse.Many("--pack-key", "a pack signer to accept (did:key; default: this data directory's pack key)", "DID");
    public Option<string[]> TrustAnchor { get; } = CliParse.Many("--registry-anchor",
        "a trust-registry anchor address: accept a pack whose signer the pack proves registered for VERIFIER-PACK under it", "ADDRESS");

    public void AddTo(Command command)
    {
        command.Options.Add(Pack);
        command.Options.Add(MaxAge);
        command.Options.Add(PackKey);
        command.Options.Add(TrustAnchor);
    }

    /// <summary>The pack of this call, checked (hash, signature, pinned key, age), or null when none is given.</summary>
    public async Task<VerifierPack?> LoadAsync(CliContext context, ParseResult parse)
    {
        if (parse.GetValue(Pack) is not { } path) return null;
        var pinned = new HashSet<string>(parse.GetValue(PackKey) ?? [], StringComparer.Ordinal);
        var anchors = new HashSet<string>(parse.GetValue(TrustAnchor) ?? [], StringComparer.OrdinalIgnoreCase);
        foreach (var anchor in anchors)
            if (!Nethereum.Util.AddressUtil.Current.IsValidEthereumAddressHexFormat(anchor))
                throw new UsageException($"--registry-anchor must be an Ethereum address (0x + 40 hex digits), got '{anchor}'");
        // With neither pinned keys nor anchors given, this data directory's own pack key is the one accepted.
        if (pinned.Count == 0 && anchors.Count == 0 && await PackKeys.OwnDidAsync(context.DataDirectory(parse)) is { } own) pinned.Add(own);
        return await VerifierPack.OpenAsync(path, pinned, context.Time, parse.GetValue(MaxAge) ?? VerifierPack.DefaultMaxAge, trustAnchors: anchors);
    }

    private static bool TryAge(string text, out TimeSpan age)
    {
        age = default;
        if (text.Length < 2 || !long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 100_000) return false;
        age = text[^1] switch
        {
            'd' => TimeSpan.FromDays(n), 'h' => TimeSpan.FromHours(n), 'm' => TimeSpan.FromMinutes(n), 's' => TimeSpan.FromSeconds(n),
            _ => TimeSpan.MinValue,
        };
        return age != TimeSpan.MinValue;
    }

    private static TimeSpan? Fail(System.CommandLine.Parsing.ArgumentResult r, string message)
    {
        r.AddError(message);
        return null;
    }
}
