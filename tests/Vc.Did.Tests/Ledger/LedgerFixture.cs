using Vc.Did.Ledger;

namespace Vc.Did.Tests.Ledger;

/// <summary>One Anvil chain with our contracts, shared by every test in the "ledger" collection of a run.</summary>
public sealed class LedgerFixture : IAsyncLifetime
{
    private LedgerHost? _host;
    public LedgerHost Host => _host ?? throw new InvalidOperationException("ledger not started");
    public LedgerConnection Connection => Host.Connection;

    public async Task InitializeAsync() => _host = await LedgerHost.StartAsync();
    public async Task DisposeAsync() { if (_host is not null) await _host.DisposeAsync(); }
}

[CollectionDefinition(Name)]
public sealed class LedgerCollection : ICollectionFixture<LedgerFixture>
{
    public const string Name = "ledger";
}
