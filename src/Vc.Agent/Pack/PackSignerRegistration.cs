using System.Text.Json.Nodes;
using Vc.Trust;

namespace Vc.Agent;

/// <summary>
/// The registration of a verifier pack's signer in the trust registry, and the proof a pack carries of it, rooted in
/// the registry's trust anchor — a key the verifier already holds:
/// <list type="number">
/// <item>the anchor's EIP-712 signature on the participant's onboarding or update (country, admin address, domains
/// including <c>VERIFIER-PACK</c>): the call data of that relayed write, as the contract received it;</item>
/// <item>that admin's EIP-712 signature on AddIssuer(country, the pack key's did:key, domains including
/// <c>VERIFIER-PACK</c>, validity): the call data of the relayed registration;</item>
/// <item>the pack's own registry logs replayed at its block: the entry in force (not suspended or removed), the
/// participant active with that admin.</item>
/// </list>
/// Steps 1–2 are checked with nothing but the anchor address (signatures recovered over the EIP-712 digests of the
/// registry named in the pack, README "Relayed writes"); step 3 reads data the pack signer itself supplied, so a later
/// suspension is seen only through a newer pack — bounded by the registration's validUntil and the pack's max age.
/// </summary>
public sealed record PackSignerRegistration(CountryCode Country, string Signer, string Admin, string Anchor,
    long ParticipantBlock, string ParticipantTransaction, long Block, string Transaction, DateTimeOffset ValidFrom, DateTimeOffset? ValidUntil)
{
    public JsonObject ToJson() => new()
    {
        ["country"] = Country.Alpha3,
        ["issuer"] = Signer,
        ["domain"] = "VERIFIER-PACK",
        ["admin"] = Admin,
        ["anchor"] = Anchor,
        ["block"] = Block,
        ["transaction"] = Transaction,
        ["participantBlock"] = ParticipantBlock,
        ["participantTransaction"] = ParticipantTransaction,
        ["validFrom"] = ValidFrom.ToString("O"),
        ["validUntil"] = ValidUntil?.ToString("O"),
    };

    /// <summary>What the builder stores: the two relayed writes (call data, transaction, block).</summary>
    public static JsonObject Proof((string CallData, string Transaction, long Block) participant, (string CallData, string Transaction, long Block) issuer) => new()
    {
        ["participantWrite"] = Write(participant),
        ["issuerWrite"] = Write(issuer),
    };

    private static JsonObject Write((string CallData, string Transaction, long Block) w) =>
        new() { ["callData"] = w.CallData, ["transaction"] = w.Transaction, ["block"] = w.Block };

    /// <summary>Steps 1 and 2: the signatures, from the anchor down to the pack signer. Every refusal is pack.untrusted-key with the reason.</summary>
    public static PackSignerRegistration Verify(JsonObject content, string signerDid, IReadOnlySet<string> anchors, DateTimeOffset blockTime)
    {
        var proof = content["signerRegistration"] as JsonObject
            ?? throw Untrusted(signerDid, "the pack carries no registration of its signer (vchealth trust add-issuer … --domains VERIFIER-PACK --relay)");
        try
        {
            var chainId = content["chainId"]!.GetValue<long>();
            var registry = new TrustRegistryDomain(chainId, content["trustRegistry"]!["address"]!.GetValue<string>());
            var (participantWrite, pBlock, pTx) = Read(proof["participantWrite"]);
            var (issuerWrite, iBlock, iTx) = Read(proof["issuerWrite"]);

            // 1. The anchor authorised the participant's admin for the verifier-pack domain.
            var (country, admin, domains) = participantWrite.Operation switch
            {
                OnboardParticipant o => (o.Country, o.Admin, o.Domains),
                UpdateParticipant u => (u.Country, u.Admin, u.Domains),
                _ => throw Untrusted(signerDid, "the participant write of the proof is not an onboarding or update"),
            };
            if (participantWrite.ChainId != chainId || issuerWrite.ChainId != chainId)
                throw Untrusted(signerDid, $"the proof's writes were signed for another chain than the pack's {chainId}");
            var anchor = participantWrite.RecoverSigner(registry);
            if (!Same(anchor, participantWrite.Signer) || !anchors.Any(a => Same(a, anchor)))
                throw Untrusted(signerDid, $"{country}'s admin {admin} was authorised by {anchor}, not by a trust anchor this verifier holds ({string.Join(", ", anchors)})");
            if ((domains & TrustDomains.VerifierPack) == 0)
                throw Untrusted(signerDid, $"the anchor did not open the VERIFIER-PACK domain to {country}");

            // 2. That admin registered the pack signer's did:key for the domain, valid at the pack's block.
            if (issuerWrite.Operation is not AddIssuer { Registration: var r })
                throw Untrusted(signerDid, "the issuer write of the proof is not an AddIssuer");
            if (r.Country != country || r.Issuer != IssuerRef.Did(signerDid) || (r.Domains & TrustDomains.VerifierPack) == 0)
                throw Untrusted(signerDid, $"the registration is of {r.Issuer} in {r.Country} for {string.Join(',', TrustDomainCodes.ToCodes(r.Domains))}, not of the pack signer for VERIFIER-PACK in {country}");
            var registrar = issuerWrite.RecoverSigner(registry);
            if (!Same(registrar, issuerWrite.Signer) || !Same(registrar, admin))
                throw Untrusted(signerDid, $"the registration was signed by {registrar}, not by {country}'s admin {admin}");
            var from = r.ValidFrom ?? DateTimeOffset.UnixEpoch;
            if (blockTime < from || (r.ValidUntil is { } until && blockTime >= until))
                throw Untrusted(signerDid, $"the registration is valid {from:O} – {r.ValidUntil?.ToString("O") ?? "open"}, not at the pack's block time {blockTime:O}");
            return new PackSignerRegistration(country, signerDid, admin, anchor, pBlock, pTx, iBlock, iTx, from, r.ValidUntil);
        }
        catch (TrustRegistryException e) { throw Untrusted(signerDid, "the registration proof does not read: " + e.Message); }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException or FormatException)
        {
            throw Untrusted(signerDid, "the registration proof is malformed: " + e.Message);
        }
    }

    /// <summary>Step 3: the pack's registry at its block has the entry in force, its participant active with that admin.</summary>
    public async Task CheckInRegistryAsync(TrustRegistryReader registry, DateTimeOffset blockTime, CancellationToken ct)
    {
        var decision = await registry.CheckAsync(new TrustQuery(Country, IssuerRef.Did(Signer), TrustDomains.VerifierPack, blockTime), ct);
        if (!decision.Trusted)
            throw Untrusted(Signer, $"the pack's registry at its block does not have the signer in force: {decision.Reason}");
        if (decision.Participant is not { } p || !Same(p.Admin, Admin))
            throw Untrusted(Signer, $"{Country}'s admin at the pack's block is {decision.Participant?.Admin}, not the {Admin} that registered the signer");
    }

    private static (SignedTrustWrite Write, long Block, string Transaction) Read(JsonNode? node) =>
        (SignedTrustWrite.FromCallData(node!["callData"]!.GetValue<string>()), node["block"]!.GetValue<long>(), node["transaction"]!.GetValue<string>());

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static AgentException Untrusted(string did, string why) =>
        new("pack.untrusted-key", $"the pack is signed by {did}, neither pinned (--pack-key) nor registered under a trust anchor this verifier holds: {why}");
}
