using System.Text.Json.Nodes;
using Vc.Agent.Storage;
using Vc.Interop.TrustLists;
using Vc.Rules;

namespace Vc.Agent;

/// <summary>What an import of a gateway rule list added: the rules (identifier, version, country) and their signers.</summary>
public sealed record RuleImport(string Source, IReadOnlyList<GatewayRule> Rules)
{
    public JsonObject ToJson() => new()
    {
        ["source"] = Source,
        ["imported"] = Rules.Count,
        ["rules"] = new JsonArray(Rules.Select(r => (JsonNode)new JsonObject
        {
            ["identifier"] = r.Rule.Identifier,
            ["version"] = r.Rule.VersionText,
            ["type"] = r.Rule.Type.ToString(),
            ["country"] = r.Rule.Country,
            ["validFrom"] = r.Rule.ValidFrom.ToString("O"),
            ["validTo"] = r.Rule.ValidTo.ToString("O"),
            ["signer"] = new JsonObject { ["country"] = r.SignerCountry, ["thumbprint"] = r.SignerThumbprint },
        }).ToArray()),
    };
}

/// <summary>
/// The EU DCC validation rules in the node's trust store, beside its DSCs: gateway rule lists imported after their
/// CMS signatures (UPLOAD certificates of the anchor-signed trust list) and the rule schema were checked
/// (<see cref="GatewayRuleList"/>). A version imported again replaces the stored one. `dcc verify --country` and
/// /hcert/verify with a country but no rules of their own apply these.
/// </summary>
public sealed class StoredRules(NodeStore store, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (long Count, long LastId, DccRuleSet Set)? _cached;

    /// <summary>Verifies a gateway rule list (all or nothing) and stores its rules.</summary>
    /// <exception cref="TrustListException">The list or one of its items is not acceptable.</exception>
    public async Task<RuleImport> ImportAsync(byte[] content, string source, GatewayUploadCertificates uploads)
    {
        var rules = GatewayRuleList.Open(content, uploads);
        await using var c = await store.OpenConnectionAsync();
        await using var tx = await store.Dialect.BeginWriteAsync(c);
        var at = time.GetUtcNow().ToString("O");
        foreach (var r in rules)
        {
            await NodeStore.Execute(c, tx, "DELETE FROM dcc_rules WHERE identifier = @i AND version = @v",
                ("@i", r.Rule.Identifier), ("@v", r.Rule.VersionText));
            await NodeStore.Execute(c, tx, """
                INSERT INTO dcc_rules (identifier, version, country, content, cms, signer, source, imported_at)
                VALUES (@i, @v, @c, @j, @m, @s, @src, @t)
                """, ("@i", r.Rule.Identifier), ("@v", r.Rule.VersionText), ("@c", r.Rule.Country),
                ("@j", System.Text.Encoding.UTF8.GetBytes(r.Rule.Json.ToJsonString())), ("@m", r.Cms),
                ("@s", $"UPLOAD {r.SignerCountry} {r.SignerThumbprint}"), ("@src", source), ("@t", at));
        }
        await tx.CommitAsync();
        return new RuleImport(source, rules);
    }

    /// <summary>Every stored rule version (read once per change of the table).</summary>
    public async Task<DccRuleSet> AllAsync()
    {
        if (!store.Exists) return new DccRuleSet([]);
        await using var c = await store.OpenConnectionAsync();
        long count = 0, last = 0;
        await using (var cmd = NodeStore.Command(c, null, "SELECT count(*), coalesce(max(id), 0) FROM dcc_rules"))
        await using (var r = await cmd.ExecuteReaderAsync())
            if (await r.ReadAsync()) (count, last) = (r.GetInt64(0), r.GetInt64(1));
        if (_cached is { } hit && hit.Count == count && hit.LastId == last) return hit.Set;
        await _gate.WaitAsync();
        try
        {
            var rules = new List<DccRule>();
            await using var cmd = NodeStore.Command(c, null, "SELECT content FROM dcc_rules ORDER BY id");
            await using var r = await cmd.ExecuteReaderAsync();
            // Checked against the schema at import: only the Logic is compiled (and so validated as CertLogic) again.
            while (await r.ReadAsync()) rules.Add(DccRule.FromImported(JsonNode.Parse((byte[])r[0])));
            var set = new DccRuleSet(rules);
            _cached = (count, last, set);
            return set;
        }
        finally { _gate.Release(); }
    }
}
