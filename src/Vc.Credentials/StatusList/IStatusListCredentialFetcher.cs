using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Vc.Credentials.StatusList;

/// <summary>Retrieves status list credentials by URL (the node serves them over HTTP; tests use memory).</summary>
public interface IStatusListCredentialFetcher
{
    /// <summary>The status list credential at <paramref name="url"/>; throws when it cannot be retrieved.</summary>
    ValueTask<JsonObject> FetchAsync(string url, CancellationToken cancellationToken = default);
}

/// <summary>An in-memory store of published status list credentials.</summary>
public sealed class InMemoryStatusListStore : IStatusListCredentialFetcher
{
    private readonly ConcurrentDictionary<string, JsonObject> _credentials = new(StringComparer.Ordinal);

    /// <summary>Publishes (or replaces) a signed status list credential under its URL.</summary>
    public void Publish(string url, JsonObject statusListCredential) => _credentials[url] = (JsonObject)statusListCredential.DeepClone();

    /// <inheritdoc/>
    public ValueTask<JsonObject> FetchAsync(string url, CancellationToken cancellationToken = default) =>
        _credentials.TryGetValue(url, out var c)
            ? ValueTask.FromResult((JsonObject)c.DeepClone())
            : ValueTask.FromException<JsonObject>(new KeyNotFoundException($"No status list credential is published at {url}."));
}
