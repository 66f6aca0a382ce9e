using System.Text.Json.Nodes;
using Vc.Agent.Keys;

namespace Vc.Agent.Storage;

/// <summary>
/// An issuer instance of this node: its DID, the verification method it signs with, the cryptosuite, and
/// key references. Key material is only ever held encrypted (see <see cref="KeyProtector"/>).
/// </summary>
public sealed record IssuerRecord(
    string Id, string Did, string Method, string VerificationMethod, string Cryptosuite, string KeyType,
    DateTimeOffset CreatedAt, JsonObject Metadata)
{
    /// <summary>The PKCS#11 URI of the signing key when it is in a token; null for a key sealed by this node.</summary>
    public string? KeyUri { get; init; }

    /// <summary>Where the signing key is, safe to show: the token URI without its query (PIN source, module), or "sealed".</summary>
    public string KeyStore => KeyUri is { } uri ? Pkcs11Uri.Parse(uri).ToString() : "sealed";

    public override string ToString() => $"issuer {Id} ({Did})";
}

/// <summary>An issuer with its signing key as stored: <paramref name="EncryptedKey"/> is the sealed secret, encrypted
/// (empty when the key is in a token, named by <see cref="IssuerRecord.KeyUri"/>).</summary>
public sealed record StoredSigningKey(IssuerRecord Issuer, byte[] EncryptedKey)
{
    /// <summary>Whether both name the same key the same way (verification method, token URI, sealed form).</summary>
    public bool SameKeyAs(StoredSigningKey other) =>
        Issuer.Id == other.Issuer.Id && Stores(other.Issuer.VerificationMethod, other.Issuer.KeyUri, other.EncryptedKey);

    /// <summary>Whether this is the key stored as these columns (verification_method, key_uri, encrypted_key).</summary>
    internal bool Stores(string verificationMethod, string? keyUri, byte[] encryptedKey) =>
        Issuer.VerificationMethod == verificationMethod && Issuer.KeyUri == keyUri && EncryptedKey.AsSpan().SequenceEqual(encryptedKey);
}

/// <summary>Stores issuers with their encrypted signing key (and, for did:ethr, the encrypted controller key).</summary>
public sealed class IssuerStore(NodeStore store, KeyProtector protector)
{
    public async Task AddAsync(IssuerRecord issuer, ReadOnlyMemory<byte> signingKey, ReadOnlyMemory<byte>? controllerKey)
    {
        var key = new IssuerKeyLocation.Sealed(signingKey.ToArray());
        try { await AddAsync(issuer, key, controllerKey); }
        finally { Array.Clear(key.Secret); }
    }

    /// <summary>Adds an issuer whose signing key is sealed here (encrypted) or in a token (its URI only).</summary>
    public async Task AddAsync(IssuerRecord issuer, IssuerKeyLocation signingKey, ReadOnlyMemory<byte>? controllerKey)
    {
        await using var c = await store.OpenConnectionAsync();
        try
        {
            await NodeStore.Execute(c, null, """
                INSERT INTO issuers (id, did, method, verification_method, cryptosuite, key_type, encrypted_key, key_uri, controller_key, created_at, metadata)
                VALUES (@id, @did, @m, @vm, @cs, @kt, @k, @uri, @ck, @t, @md)
                """,
                ("@id", issuer.Id), ("@did", issuer.Did), ("@m", issuer.Method), ("@vm", issuer.VerificationMethod),
                ("@cs", issuer.Cryptosuite), ("@kt", issuer.KeyType), ("@k", EncryptedKey(signingKey, issuer.Id)), ("@uri", UriOf(signingKey)),
                ("@ck", controllerKey is { } ck ? protector.Protect(ck.Span, issuer.Id + "/controller") : null),
                ("@t", issuer.CreatedAt.ToString("O")), ("@md", issuer.Metadata.ToJsonString()));
        }
        catch (System.Data.Common.DbException e) when (store.Dialect.IsUniqueViolation(e))
        {
            throw new StoreException($"issuer '{issuer.Id}' already exists", e);
        }
    }

    public async Task<IssuerRecord?> FindByDidAsync(string did)
    {
        await using var c = await store.OpenConnectionAsync();
        await using var cmd = NodeStore.Command(c, null,
            "SELECT id, did, method, verification_method, cryptosuite, key_type, created_at, metadata, key_uri FROM issuers WHERE did = @did ORDER BY created_at LIMIT 1", ("@did", did));
        await using var r = await cmd.ExecuteReaderAsync();
        return await r.ReadAsync() ? Read(r) : null;
    }

    public async Task<IssuerRecord?> FindAsync(string id)
    {
        await using var c = await store.OpenConnectionAsync();
        await using var cmd = NodeStore.Command(c, null,
            "SELECT id, did, method, verification_method, cryptosuite, key_type, created_at, metadata, key_uri FROM issuers WHERE id = @id", ("@id", id));
        await using var r = await cmd.ExecuteReaderAsync();
        return await r.ReadAsync() ? Read(r) : null;
    }

    public async Task<IReadOnlyList<IssuerRecord>> ListAsync()
    {
        await using var c = await store.OpenConnectionAsync();
        await using var cmd = NodeStore.Command(c, null,
            "SELECT id, did, method, verification_method, cryptosuite, key_type, created_at, metadata, key_uri FROM issuers ORDER BY created_at");
        await using var r = await cmd.ExecuteReaderAsync();
        var list = new List<IssuerRecord>();
        while (await r.ReadAsync()) list.Add(Read(r));
        return list;
    }

    /// <summary>Replaces the signing key and verification method (key rotation), atomically.</summary>
    public async Task RotateAsync(string id, string verificationMethod, ReadOnlyMemory<byte> newSigningKey)
    {
        var key = new IssuerKeyLocation.Sealed(newSigningKey.ToArray());
        try { await RotateAsync(id, verificationMethod, key); }
        finally { Array.Clear(key.Secret); }
    }

    /// <summary>The same for a key sealed here or in a token.</summary>
    public async Task RotateAsync(string id, string verificationMethod, IssuerKeyLocation newSigningKey)
    {
        await using var c = await store.OpenConnectionAsync();
        var n = await NodeStore.Execute(c, null, "UPDATE issuers SET verification_method = @vm, encrypted_key = @k, key_uri = @uri WHERE id = @id",
            ("@vm", verificationMethod), ("@k", EncryptedKey(newSigningKey, id)), ("@uri", UriOf(newSigningKey)), ("@id", id));
        if (n != 1) throw new StoreException($"issuer '{id}' not found");
    }

    /// <summary>
    /// The issuer and its signing key as stored (sealed: still encrypted; in a token: its URI) in one read: what every
    /// signature needs. Null when no such issuer exists.
    /// </summary>
    public async Task<StoredSigningKey?> FindForSigningAsync(string id)
    {
        await using var c = await store.OpenConnectionAsync();
        await using var cmd = NodeStore.Command(c, null,
            "SELECT id, did, method, verification_method, cryptosuite, key_type, created_at, metadata, key_uri, encrypted_key FROM issuers WHERE id = @id", ("@id", id));
        await using var r = await cmd.ExecuteReaderAsync();
        if (!await r.ReadAsync()) return null;
        var issuer = Read(r);
        return new StoredSigningKey(issuer, issuer.KeyUri is null ? (byte[])r[9] : []);
    }

    /// <summary>The stored form of an issuer's signing key (what <see cref="SigningKeyUnchanged"/> compares).</summary>
    internal const string SigningKeyQuery = "SELECT verification_method, key_uri, encrypted_key FROM issuers WHERE id = @id";

    /// <summary>Whether the rows <see cref="SigningKeyQuery"/> read (in the caller's transaction) still store the key
    /// as <paramref name="stored"/> was read: not rotated since.</summary>
    internal static bool SigningKeyUnchanged(IReadOnlyList<object[]> rows, StoredSigningKey stored) =>
        rows is [var row] && stored.Stores((string)row[0], row[1] as string, (byte[])row[2]);

    /// <summary>The secret of a sealed signing key, decrypted for one use (the caller clears it).</summary>
    public byte[] Unseal(StoredSigningKey stored) => protector.Unprotect(stored.EncryptedKey, stored.Issuer.Id + "/signing");

    /// <summary>encrypted_key: the sealed secret, encrypted; empty for a key in a token (the column predates tokens and is NOT NULL).</summary>
    private byte[] EncryptedKey(IssuerKeyLocation key, string id) =>
        key is IssuerKeyLocation.Sealed s ? protector.Protect(s.Secret, id + "/signing") : [];

    private static string? UriOf(IssuerKeyLocation key) => (key as IssuerKeyLocation.InToken)?.Uri;

    /// <summary>Attaches a DSC (DER) and its private key (PKCS#8, stored encrypted) to an issuer.</summary>
    public async Task AttachDscAsync(string id, byte[] certificateDer, ReadOnlyMemory<byte> pkcs8PrivateKey)
    {
        await using var c = await store.OpenConnectionAsync();
        var n = await NodeStore.Execute(c, null, "UPDATE issuers SET dsc_certificate = @c, dsc_key = @k WHERE id = @id",
            ("@c", certificateDer), ("@k", protector.Protect(pkcs8PrivateKey.Span, id + "/dsc")), ("@id", id));
        if (n != 1) throw new StoreException($"issuer '{id}' not found");
    }

    /// <summary>The issuer's DSC (DER), or null when it has none.</summary>
    public async Task<byte[]?> DscCertificateAsync(string id)
    {
        await using var c = await store.OpenConnectionAsync();
        return await NodeStore.Scalar(c, null, "SELECT dsc_certificate FROM issuers WHERE id = @id", ("@id", id)) as byte[];
    }

    /// <summary>Every issuer DSC (DER) of this node, for its HCERT trust store.</summary>
    public async Task<IReadOnlyList<(string Id, byte[] Certificate)>> DscCertificatesAsync()
    {
        if (!store.Exists) return []; // no database yet: no issuer, no DSC (and no SQLite loaded to say so)
        await using var c = await store.OpenConnectionAsync();
        await using var cmd = NodeStore.Command(c, null, "SELECT id, dsc_certificate FROM issuers WHERE dsc_certificate IS NOT NULL");
        await using var r = await cmd.ExecuteReaderAsync();
        var list = new List<(string, byte[])>();
        while (await r.ReadAsync()) list.Add((r.GetString(0), (byte[])r[1]));
        return list;
    }

    public Task<byte[]> DscKeyAsync(string id) => KeyAsync(id, "dsc_key", "/dsc");

    /// <summary>Decrypts the issuer's signing key for one use; the caller clears it.</summary>
    public Task<byte[]> SigningKeyAsync(string id) => KeyAsync(id, "encrypted_key", "/signing");

    public Task<byte[]> ControllerKeyAsync(string id) => KeyAsync(id, "controller_key", "/controller");

    private async Task<byte[]> KeyAsync(string id, string column, string purpose)
    {
        await using var c = await store.OpenConnectionAsync();
        var blob = await NodeStore.Scalar(c, null, $"SELECT {column} FROM issuers WHERE id = @id", ("@id", id));
        return blob is byte[] b ? protector.Unprotect(b, id + purpose) : throw new StoreException($"issuer '{id}' has no {purpose[1..]} key");
    }

    private static IssuerRecord Read(System.Data.Common.DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
        DateTimeOffset.Parse(r.GetString(6)), JsonNode.Parse(r.GetString(7))!.AsObject())
    {
        KeyUri = r.IsDBNull(8) ? null : r.GetString(8),
    };
}
