using System.Globalization;
using System.Text.Json.Nodes;
using Nethereum.RPC.Eth.DTOs;
using Vc.Did.Core;
using Vc.Did.Ethr;
using Vc.Did.Ledger;
using Vc.Trust;

namespace Vc.Agent;

/// <summary>What `vchealth pack build` reports beside the file it wrote.</summary>
public sealed record PackBuildResult(JsonObject Pack, VerifierPackSummary Summary);

/// <summary>Counts of what a pack holds, as printed by the build.</summary>
public sealed record VerifierPackSummary(long Block, DateTimeOffset BlockTime, string ContentHash, string Key, int RegistryLogs, int Issuers,
    int EthrIssuers, int DidLogs, int Dscs, int TrustLists, int StatusLists)
{
    /// <summary>The participant that registered the pack signer (its proof is in the pack), or null.</summary>
    public string? SignerRegistration { get; init; }
    /// <summary>Why the pack carries no registration proof (verifiers must pin the signer), or null.</summary>
    public string? Unregistered { get; init; }

    public JsonObject ToJson() => new()
    {
        ["block"] = Block, ["blockTime"] = BlockTime.ToString("O"), ["contentHash"] = ContentHash, ["key"] = Key,
        ["signerRegisteredBy"] = SignerRegistration, ["signerUnregistered"] = Unregistered,
        ["registryLogs"] = RegistryLogs, ["issuers"] = Issuers, ["ethrIssuers"] = EthrIssuers, ["didLogs"] = DidLogs,
        ["dscs"] = Dscs, ["trustLists"] = TrustLists, ["statusLists"] = StatusLists,
    };
}

/// <summary>Builds a <see cref="VerifierPack"/> from a running node's ledger and data directory, as of its latest block.</summary>
public static class VerifierPackBuilder
{
    /// <param name="participant">Only this participant's registry events and issuers (null: every participant).</param>
    public static async Task<PackBuildResult> BuildAsync(VcAgent agent, TrustDomains domain, CountryCode? participant, CancellationToken ct = default)
    {
        var service = await agent.Trust.ServiceAsync(ct)
            ?? throw new AgentException("trust.NotInitialized", "no trust registry on this chain yet: a pack carries its entries (vchealth trust init)");
        var reader = service.Registry;
        var block = await reader.LatestBlockNumberAsync(ct);
        var captured = await reader.CaptureAsync(block, ct);
        var ledger = await agent.Ledger.LedgerAsync(ct);
        using var key = await PackKeys.LoadOrCreateAsync(agent.Options.DataDirectory);
        var signerDid = PackKeys.KeyId(key).Split('#')[0];
        var (registration, registrationCountry, unregistered) = await SignerRegistrationAsync(reader, ledger.Connection, signerDid, block, ct);
        // The participant's logs, and those of the participant that registered the pack signer (verifiers replay them).
        string[] topics = [.. new[] { participant, registrationCountry }.OfType<CountryCode>().Select(ParticipantTopic)];
        var registryLogs = participant is not null
            ? captured.Logs.Where(l => l.Topics.Count < 2 || topics.Contains(l.Topics[1], StringComparer.OrdinalIgnoreCase)).ToArray()
            : captured.Logs;
        var blockTimes = new Dictionary<long, long>(captured.BlockTimes);

        // The registry's entries of the domain (removed ones too: a credential issued before a removal keeps its answer).
        var issuers = (await reader.ListIssuersAsync(participant, block, ct, includeRemoved: true))
            .Where(i => (i.Entry.Domains & domain) != 0).ToArray();

        // Every registered did:ethr issuer: its ERC-1056 logs up to the block (its whole key history).
        var dids = await agent.Ledger.DidsAsync(ct);
        var network = dids.Client.Network;
        var rpc = ledger.Connection.Rpc.Client;
        var didLogs = new List<CapturedLog>();
        var documents = new JsonObject();
        var ethrIssuers = issuers.Where(i => i.Entry.Issuer.Kind == IssuerKind.Did && i.Entry.Issuer.Value.StartsWith("did:ethr:", StringComparison.Ordinal))
            .Select(i => i.Entry.Issuer.Value).Distinct(StringComparer.Ordinal).ToArray();
        foreach (var did in ethrIssuers)
        {
            var address = EthrDid.Parse(did).Address;
            var logs = ChainReads.Canonical(await rpc.CallAsync<FilterLog[]>(
                ChainReads.Logs(network.RegistryAddress, 0, block, null, Erc1056Log.IdentityTopic(address)), ct));
            didLogs.AddRange(logs.Select(CapturedLog.From));
            // The document as of the pack's block (for the reader; verification replays the logs).
            var resolution = await dids.Resolver.ResolveAsync(did, new DidResolutionOptions { VersionId = block }, ct);
            documents[did] = resolution.DidDocument is { } doc ? JsonNode.Parse(Vc.Did.Core.DidJson.Serialize(doc)) : null;
        }
        foreach (var b in didLogs.Select(l => l.Block).Distinct().Where(b => !blockTimes.ContainsKey(b)))
            blockTimes[b] = ChainReads.Header(await rpc.CallAsync<BlockWithTransactionHashes?>(ChainReads.Block(b), ct), b)?.Timestamp
                ?? throw new AgentException("ledger.MalformedResponse", $"block {b} of a DID log is missing");

        // The certificates behind the registered DSCs, and this node's issuers' DSCs.
        var dscs = new List<string>();
        foreach (var i in issuers)
            if (i.Entry.Thumbprint is { } thumbprint && await agent.Trust.Certificates.FindAsync(thumbprint, ct) is { } stored)
                dscs.Add(Convert.ToBase64String(stored.Dsc.RawData));
        foreach (var (_, der) in await agent.Issuers.DscCertificatesAsync()) dscs.Add(Convert.ToBase64String(der));

        var trustLists = new JsonArray();
        foreach (var trustFile in agent.Options.TrustFiles)
            trustLists.Add(new JsonObject { ["name"] = Path.GetFileName(trustFile), ["content"] = Convert.ToBase64String(await File.ReadAllBytesAsync(trustFile, ct)) });
        var anchor = agent.Options.GatewayTrustAnchorPath is { } a ? Convert.ToBase64String(VcAgent.LoadCertificate(a).RawData) : null;

        var statusLists = new JsonObject();
        foreach (var id in await agent.StatusLists.ListIdsAsync())
            if (await agent.IssuerService.StatusListCredentialAsync(id, ct) is { } credential)
                statusLists[agent.Urls.StatusList(id)] = credential;

        var blockTime = DateTimeOffset.FromUnixTimeSeconds(captured.BlockTimes[block]);
        var content = new JsonObject
        {
            ["version"] = 1,
            ["chainId"] = network.ChainId,
            ["block"] = block,
            ["blockTime"] = blockTime.ToString("O"),
            ["builtAt"] = agent.Time.GetUtcNow().ToString("O"),
            ["domain"] = string.Join(',', TrustDomainCodes.ToCodes(domain)),
            ["participant"] = participant?.Alpha3,
            ["trustRegistry"] = new JsonObject
            {
                ["address"] = reader.Address,
                ["deploymentBlock"] = reader.FromBlock,
                ["logs"] = new JsonArray(registryLogs.Select(l => (JsonNode)l.ToJson()).ToArray()),
                ["entries"] = new JsonArray(issuers.Select(i => (JsonNode)EntryJson(i)).ToArray()),
            },
            ["didRegistry"] = new JsonObject
            {
                ["address"] = network.RegistryAddress,
                ["network"] = network.Name,
                // The identities whose whole history is here: any other did:ethr is unknown offline (fail closed).
                ["identities"] = new JsonArray(ethrIssuers.Select(d => (JsonNode)EthrDid.Parse(d).Address).ToArray()),
                ["logs"] = new JsonArray(didLogs.Select(l => (JsonNode)l.ToJson()).ToArray()),
                ["documents"] = documents,
            },
            ["blockTimes"] = new JsonObject(blockTimes.OrderBy(p => p.Key)
                .Select(p => KeyValuePair.Create(p.Key.ToString(CultureInfo.InvariantCulture), (JsonNode?)p.Value))),
            ["dscs"] = new JsonArray(dscs.Distinct(StringComparer.Ordinal).Select(d => (JsonNode)d).ToArray()),
            ["trustLists"] = trustLists,
            ["gatewayAnchor"] = anchor,
            ["statusLists"] = statusLists,
            ["signerRegistration"] = registration,
        };
        var file = VerifierPack.Sign(content, key);
        return new PackBuildResult(file, new VerifierPackSummary(block, blockTime, file["contentHash"]!.GetValue<string>(), signerDid,
            registryLogs.Count, issuers.Length, ethrIssuers.Length, didLogs.Count, dscs.Distinct().Count(), trustLists.Count, statusLists.Count)
        {
            SignerRegistration = registration is null ? null : registrationCountry!.Value.Alpha3,
            Unregistered = unregistered,
        });
    }

    /// <summary>
    /// The proof of the pack signer's registration (<see cref="PackSignerRegistration"/>) as of <paramref name="block"/>: the
    /// latest VERIFIER-PACK registration of its did:key and its participant's latest onboarding or update before it,
    /// each the call data of its relayed (EIP-712 signed) transaction. Null, with the reason, when there is none.
    /// </summary>
    private static async Task<(JsonObject? Proof, CountryCode? Country, string? Why)> SignerRegistrationAsync(
        TrustRegistryReader reader, LedgerConnection connection, string signerDid, long block, CancellationToken ct)
    {
        var added = (await reader.FindRegistrationsAsync(IssuerRef.Did(signerDid), ct))
            .LastOrDefault(a => a.BlockNumber <= block && (a.Entry.Domains & TrustDomains.VerifierPack) != 0);
        if (added is null) return (null, null, $"{signerDid} is not registered for VERIFIER-PACK: verifiers must pin it (--pack-key)");
        var country = added.Entry.Country;
        var onboarding = (await reader.GetAuditTrailAsync(country, null, added.BlockNumber, ct))
            .LastOrDefault(e => e is ParticipantOnboarded or ParticipantUpdated);
        if (onboarding is null) return (null, null, $"{country} has no onboarding before the registration");
        var participantInput = await InputAsync(connection, onboarding.TransactionHash, ct);
        var issuerInput = await InputAsync(connection, added.TransactionHash, ct);
        try
        {
            SignedTrustWrite.FromCallData(participantInput);
            SignedTrustWrite.FromCallData(issuerInput);
        }
        catch (TrustRegistryException e)
        {
            return (null, null, $"the registration of {signerDid} cannot be proven offline ({e.Message}): register it and onboard {country} with relayed writes (--relay)");
        }
        return (PackSignerRegistration.Proof((participantInput, onboarding.TransactionHash, onboarding.BlockNumber), (issuerInput, added.TransactionHash, added.BlockNumber)),
            country, null);
    }

    private static async Task<string> InputAsync(LedgerConnection connection, string transaction, CancellationToken ct) =>
        (await connection.Web3.Eth.Transactions.GetTransactionByHash.SendRequestAsync(transaction).WaitAsync(ct))?.Input
            ?? throw new AgentException("ledger.MalformedResponse", $"transaction {transaction} of a registry event is missing");

    // Topic 1 of a participant's events: its bytes3 code left-aligned in a word (as TrustRegistryReader filters).
    private static string ParticipantTopic(CountryCode country) =>
        "0x" + Convert.ToHexStringLower(System.Text.Encoding.ASCII.GetBytes(country.Alpha3)) + new string('0', 58);

    private static JsonObject EntryJson(RegisteredIssuer i) => new()
    {
        ["country"] = i.Entry.Country.Alpha3,
        ["issuer"] = i.Entry.Issuer.ToString(),
        ["issuerId"] = i.Entry.IssuerId.ToString(),
        ["thumbprint"] = i.Entry.Thumbprint?.ToString(),
        ["domains"] = string.Join(',', TrustDomainCodes.ToCodes(i.Entry.Domains)),
        ["validFrom"] = i.Entry.ValidFrom.ToString("O"),
        ["validUntil"] = i.Entry.ValidUntil?.ToString("O"),
        ["status"] = i.Entry.Status.ToString(),
        ["participantStatus"] = i.Participant.Status.ToString(),
        ["block"] = i.Block,
        ["transaction"] = i.Transaction,
    };
}
