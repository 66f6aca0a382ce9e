using System.Security.Cryptography;
using System.Text;

namespace Vc.Agent.Storage;

/// <summary>What an API key may do. Verification and resolution need none.</summary>
[Flags]
public enum ApiScope
{
    None = 0,
    Issue = 1,
    Revoke = 2,
    ManageIssuers = 4,
    All = Issue | Revoke | ManageIssuers,
}

public sealed record ApiKeyInfo(string Id, ApiScope Scopes, string Description, DateTimeOffset CreatedAt);

/// <summary>A newly created key: the secret is shown once and only its hash is stored.</summary>
public sealed record NewApiKey(ApiKeyInfo Info, string Secret)
{
    public override string ToString() => $"api key {Info.Id} ({Info.Scopes})";
}

/// <summary>API keys "vch_&lt;id&gt;_&lt;secret&gt;", stored as SHA-256 of the whole token; scopes per key.</summary>
public sealed class ApiKeys(NodeStore store)
{
    /// <summary>Keys this process authenticated, by the SHA-256 of the token presented (no secret kept): see <see cref="RecallAsync"/>.
    /// Bounded (dropped whole when full).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ApiKeyInfo> _recalled = new(StringComparer.Ordinal);
    private const int MaxRecalled = 1024;

    public static string ScopeNames(ApiScope s) => string.Join(",", Enum.GetValues<ApiScope>()
        .Where(v => v is not ApiScope.None and not ApiScope.All && s.HasFlag(v)).Select(v => Name(v)));

    public static ApiScope ParseScopes(string text)
    {
        var scopes = ApiScope.None;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            scopes |= part switch
            {
                "issue" => ApiScope.Issue,
                "revoke" => ApiScope.Revoke,
                "manage-issuers" => ApiScope.ManageIssuers,
                "all" => ApiScope.All,
                _ => throw new StoreException($"unknown scope '{part}' (issue, revoke, manage-issuers, all)"),
            };
        return scopes;
    }

    private static string Name(ApiScope s) => s switch
    {
        ApiScope.Issue => "issue",
        ApiScope.Revoke => "revoke",
        ApiScope.ManageIssuers => "manage-issuers",
        _ => s.ToString(),
    };

    public async Task<NewApiKey> CreateAsync(ApiScope scopes, string description)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = $"vch_{id}_{Base64Url(RandomNumberGenerator.GetBytes(32))}";
        var info = new ApiKeyInfo(id, scopes, description, store.Time.GetUtcNow());
        await using var c = await store.OpenConnectionAsync();
        await NodeStore.Execute(c, null,
            "INSERT INTO api_keys (id, secret_hash, scopes, description, created_at) VALUES (@id, @h, @s, @d, @t)",
            ("@id", id), ("@h", Hash(secret)), ("@s", ScopeNames(scopes)), ("@d", description), ("@t", info.CreatedAt.ToString("O")));
        return new NewApiKey(info, secret);
    }

    /// <summary>The key a presented token belongs to, or null (unknown, malformed or revoked). Constant-time compare.</summary>
    public Task<ApiKeyInfo?> AuthenticateAsync(string token) => AuthenticateAsync(token, Hash(token));

    /// <summary>
    /// The key a token belongs to as this process last authenticated it, without a read (else as <see cref="AuthenticateAsync(string)"/>).
    /// Only for a write that confirms the key itself before it commits (an issuance given the key id as
    /// <c>IssueOptions.AuthorizedBy</c>): a key revoked through any node since is refused there.
    /// </summary>
    public async Task<ApiKeyInfo?> RecallAsync(string token)
    {
        var hash = Hash(token);
        return _recalled.TryGetValue(Convert.ToHexString(hash), out var key) ? key : await AuthenticateAsync(token, hash);
    }

    /// <summary>Forgets what was recalled of a key (it was found revoked).</summary>
    public void Forget(string id)
    {
        foreach (var (hash, key) in _recalled)
            if (key.Id == id) _recalled.TryRemove(hash, out _);
    }

    /// <summary>Reads whether a key exists unrevoked: a row for the key id <c>@id</c>, or none.</summary>
    internal const string ActiveKeyQuery = "SELECT 1 FROM api_keys WHERE id = @id AND revoked_at IS NULL";

    /// <summary>Whether the key with this id exists and is not revoked, read now.</summary>
    public async Task<bool> IsActiveAsync(string id)
    {
        await using var c = await store.OpenConnectionAsync();
        return await NodeStore.Scalar(c, null, ActiveKeyQuery, ("@id", id)) is not null;
    }

    /// <summary>The token's key read now (its stored hash compared in constant time), remembered for <see cref="RecallAsync"/>.</summary>
    private async Task<ApiKeyInfo?> AuthenticateAsync(string token, byte[] hash)
    {
        var parts = token.Split('_', 3);
        if (parts.Length != 3 || parts[0] != "vch" || parts[1].Length != 12) return null;
        var recalledAs = Convert.ToHexString(hash);
        ApiKeyInfo? key = null;
        await using (var c = await store.OpenConnectionAsync())
        await using (var cmd = NodeStore.Command(c, null,
            "SELECT secret_hash, scopes, description, created_at FROM api_keys WHERE id = @id AND revoked_at IS NULL", ("@id", parts[1])))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            if (await r.ReadAsync() && CryptographicOperations.FixedTimeEquals((byte[])r[0], hash))
                key = new ApiKeyInfo(parts[1], ParseScopes(r.GetString(1)), r.GetString(2), DateTimeOffset.Parse(r.GetString(3)));
        }
        if (key is null)
        {
            _recalled.TryRemove(recalledAs, out _); // revoked since it was recalled
            return null;
        }
        if (_recalled.Count >= MaxRecalled) _recalled.Clear();
        _recalled[recalledAs] = key;
        return key;
    }

    public async Task<bool> RevokeAsync(string id)
    {
        Forget(id);
        await using var c = await store.OpenConnectionAsync();
        return await NodeStore.Execute(c, null, "UPDATE api_keys SET revoked_at = @t WHERE id = @id AND revoked_at IS NULL",
            ("@t", store.Time.GetUtcNow().ToString("O")), ("@id", id)) == 1;
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
    private static string Base64Url(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
