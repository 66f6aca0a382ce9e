namespace Vc.Trust.Tests;

/// <summary>
/// Random life-cycle sequences against a plain in-memory model: the contract accepts exactly the writes the model
/// allows (refusing the others with the predicted error), and the reader's historical answer at every step's time
/// equals the model's state at that step.
/// </summary>
[Collection(RegistryCollection.Name)]
public sealed class HistoryModelTests(RegistryFixture f)
{
    private enum Op { Add, Suspend, Reinstate, Remove, SuspendParticipant, ReinstateParticipant }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Historical_answers_follow_a_model_of_random_life_cycles(int seed)
    {
        var random = new Random(seed);
        var (country, admin, _) = await f.OnboardAsync(TrustDomains.Icvp);
        var issuers = Enumerable.Range(0, 3).Select(i => IssuerRef.Did($"did:web:model-{seed}-{i}.example")).ToArray();
        var status = issuers.ToDictionary(i => i, _ => EntryStatus.None);
        var participant = EntryStatus.Active;
        var checkpoints = new List<(DateTimeOffset At, EntryStatus Participant, Dictionary<IssuerRef, EntryStatus> Issuers)>();

        for (var step = 0; step < 24; step++)
        {
            var op = (Op)random.Next(6);
            var issuer = issuers[random.Next(issuers.Length)];
            var (operation, actor) = op switch
            {
                Op.Add => (new AddIssuer(new IssuerRegistration(country, issuer, TrustDomains.Icvp)), admin),
                Op.Suspend => (TrustOperation.SuspendIssuer(country, issuer), admin),
                Op.Reinstate => (TrustOperation.ReinstateIssuer(country, issuer), admin),
                Op.Remove => (TrustOperation.RemoveIssuer(country, issuer), admin),
                Op.SuspendParticipant => (TrustOperation.SuspendParticipant(country), f.Anchor),
                _ => ((TrustOperation)TrustOperation.ReinstateParticipant(country), f.Anchor),
            };
            var expected = Predict(op, participant, status[issuer]);
            if (expected is { } error)
            {
                var e = await Assert.ThrowsAsync<TrustRegistryException>(() => f.Client.ExecuteAsync(operation, actor));
                Assert.True(error == e.Error, $"step {step} {op}: expected {error}, got {e.Error}");
            }
            else
            {
                await f.Client.ExecuteAsync(operation, actor, random.Next(2) == 0 ? WriteMode.Direct : WriteMode.Relayed);
                switch (op)
                {
                    case Op.Add or Op.Reinstate: status[issuer] = EntryStatus.Active; break;
                    case Op.Suspend: status[issuer] = EntryStatus.Suspended; break;
                    case Op.Remove: status[issuer] = EntryStatus.Removed; break;
                    case Op.SuspendParticipant: participant = EntryStatus.Suspended; break;
                    case Op.ReinstateParticipant: participant = EntryStatus.Active; break;
                }
            }
            // A quarter hour after this step's block, and the next step's block at least half an hour later: blocks may share a
            // second, so a checkpoint taken at a block's own time could already include the next step.
            checkpoints.Add(((await f.BlockTimeAsync()).AddMinutes(15), participant, new Dictionary<IssuerRef, EntryStatus>(status)));
            await f.AdvanceTimeAsync(TimeSpan.FromMinutes(30));
        }

        foreach (var (at, p, states) in checkpoints)
            foreach (var issuer in issuers)
            {
                var decision = await f.Reader.CheckAsync(new TrustQuery(country, issuer, TrustDomains.Icvp, at));
                Assert.Equal(Expected(p, states[issuer]), decision.Reason);
            }
        foreach (var issuer in issuers)
            Assert.Equal(participant == EntryStatus.Active && status[issuer] == EntryStatus.Active,
                await f.Reader.IsTrustedOnChainNowAsync(country, issuer, TrustDomains.Icvp));
    }

    /// <summary>The model's verdict on a write: null = accepted, otherwise the contract's error.</summary>
    private static TrustRegistryError? Predict(Op op, EntryStatus participant, EntryStatus issuer) => op switch
    {
        Op.SuspendParticipant => participant == EntryStatus.Active ? null : TrustRegistryError.InvalidTransition,
        Op.ReinstateParticipant => participant == EntryStatus.Suspended ? null : TrustRegistryError.InvalidTransition,
        _ when participant != EntryStatus.Active => TrustRegistryError.ParticipantNotActive,
        Op.Add => issuer is EntryStatus.Active or EntryStatus.Suspended ? TrustRegistryError.IssuerExists : null,
        _ when issuer == EntryStatus.None => TrustRegistryError.UnknownIssuer,
        Op.Suspend => issuer == EntryStatus.Active ? null : TrustRegistryError.InvalidTransition,
        Op.Reinstate => issuer == EntryStatus.Suspended ? null : TrustRegistryError.InvalidTransition,
        Op.Remove => issuer is EntryStatus.Active or EntryStatus.Suspended ? null : TrustRegistryError.InvalidTransition,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private static TrustReason Expected(EntryStatus participant, EntryStatus issuer) =>
        participant == EntryStatus.Suspended ? TrustReason.ParticipantSuspended : issuer switch
        {
            EntryStatus.None => TrustReason.IssuerNotRegistered,
            EntryStatus.Suspended => TrustReason.IssuerSuspended,
            EntryStatus.Removed => TrustReason.IssuerRemoved,
            _ => TrustReason.Trusted,
        };
}
