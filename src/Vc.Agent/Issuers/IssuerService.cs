using System.Text.Json.Nodes;
using Vc.Did.Core;
using Vc.Did.Key;
using Vc.Credentials.Issuance;
using Vc.Credentials.Keys;
using Vc.Did.Keys;
using Vc.Credentials.StatusList;
using Vc.Credentials.Verification;
using Vc.Credentials.Model;
using Vc.Agent.Storage;
using Vc.Agent.Keys;

namespace Vc.Agent;

/// <summary>How one credential is signed: a cryptosuite other than the issuer's (null: the issuer's) and, for
/// ecdsa-sd-2023, the mandatory JSON pointers (null: the ICVP profile or the default ones).</summary>
public sealed record IssueOptions(string? Cryptosuite = null, IReadOnlyList<string>? MandatoryPointers = null, string? VcVersion = null)
{
    /// <summary>The id of the API key that authorized the request, when a node checked it from what it read before
    /// (<see cref="ApiKeys.RecallAsync"/>): the issuance confirms it is still unrevoked, in the transaction that logs it
    /// (or by a read before signing when nothing is logged), and is refused ("unauthorized") otherwise.</summary>
    public string? AuthorizedBy { get; init; }
}

/// <summary>What a caller asks for when creating an issuer instance; <paramref name="KeyStore"/> null keeps the key
/// sealed by this node (encrypted at rest), a pkcs11: URI (RFC 7512) puts it in that token (generated there, or the
/// key the token already holds under that name).</summary>
public sealed record CreateIssuerRequest(string Id, string Method = "key", string Cryptosuite = "eddsa-rdfc-2022", string? KeyStore = null);

/// <summary>A failure of an issuer operation the caller can act on (maps to 4xx / exit 1-3).</summary>
public sealed class IssuerServiceException(string kind, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>not-found, conflict, invalid, unsupported, ledger-unavailable, key-store (the key's token failed: which step, why),
    /// unauthorized (the API key that authorized the request was revoked meanwhile).</summary>
    public string Kind { get; } = kind;
}

/// <summary>
/// Issuer instances of this node: creation (DID + key), issuance with status entries, and status changes.
/// The HTTP API and the CLI both call this; keys are decrypted only for the signing that needs them.
/// </summary>
public sealed class IssuerService(IssuerStore issuers, IssuerKeyStores keyStores, StatusListStore statusLists, ApiKeys apiKeys, CredentialServices credentials, NodeUrls urls, IDidMethodProvisioner? ethr, TimeProvider time)
{
    /// <summary>
    /// Issuers' signing keys as last read, by issuer id: an issuance with status entries signs from here without a
    /// read, since the transaction that logs it checks the key is still the one stored (<see cref="IssuanceBasis"/>);
    /// a key changed meanwhile is read again and the credential signed again. Bounded (dropped whole when full).
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, StoredSigningKey> _signing = new(StringComparer.Ordinal);
    private const int MaxKeptIssuers = 1024;

    public static readonly string[] StatusPurposes = [Vc.Credentials.StatusList.StatusPurposes.Revocation, Vc.Credentials.StatusList.StatusPurposes.Suspension];

    public async Task<IssuerRecord> CreateAsync(CreateIssuerRequest request, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(request.Id) || request.Id.Length > 64 || !request.Id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new IssuerServiceException("invalid", "issuer id must be 1-64 characters of A-Z a-z 0-9 - _");
        KeyType type;
        try { type = IssuerKeys.TypeFor(request.Cryptosuite); }
        catch (ArgumentException e) { throw new IssuerServiceException("unsupported", e.Message); }
        if (request.KeyStore is not null)
        {
            // A malformed URI (or one carrying a PIN) is the caller's error, not the token's.
            try { _ = Pkcs11Uri.Parse(request.KeyStore); }
            catch (Pkcs11KeyException e) { throw new IssuerServiceException("invalid", "the key store is a pkcs11: URI (RFC 7512), or none for a key sealed by this node: " + e.Message); }
        }
        if (await issuers.FindAsync(request.Id) is not null) // before a key is made in a token for nothing
            throw new IssuerServiceException("conflict", $"issuer '{request.Id}' already exists");
        using var key = KeyStoreCall(() => keyStores.For(request.KeyStore).Generate(type, request.KeyStore));
        var publicKey = key.Signer.PublicKey;

        IssuerRecord record;
        byte[]? controllerKey = null;
        switch (request.Method)
        {
            case "key":
                record = new IssuerRecord(request.Id, DidKeyResolver.CreateDid(publicKey), "key", DidKeyResolver.VerificationMethodId(publicKey),
                    request.Cryptosuite, type.ToString(), time.GetUtcNow(), new JsonObject());
                break;
            case "ethr" when ethr is not null:
                var provisioned = await ethr.CreateAsync(publicKey, ct);
                controllerKey = provisioned.ControllerKey;
                record = new IssuerRecord(request.Id, provisioned.Did, "ethr", provisioned.VerificationMethod,
                    request.Cryptosuite, type.ToString(), time.GetUtcNow(), provisioned.Metadata);
                break;
            default:
                throw new IssuerServiceException("unsupported", $"DID method '{request.Method}' is not supported here (key{(ethr is null ? "" : ", ethr")})");
        }
        record = record with { KeyUri = (key.Location as IssuerKeyLocation.InToken)?.Uri };
        try
        {
            await issuers.AddAsync(record, key.Location, controllerKey);
        }
        catch (StoreException e) when (e.Message.Contains("already exists"))
        {
            throw new IssuerServiceException("conflict", e.Message, e);
        }
        finally
        {
            if (controllerKey is not null) Array.Clear(controllerKey);
        }
        foreach (var purpose in StatusPurposes)
            await statusLists.EnsureListAsync(ListId(record.Id, purpose), record.Id, purpose);
        return record;
    }

    public async Task<IssuerRecord> GetAsync(string id) =>
        await issuers.FindAsync(id) ?? throw new IssuerServiceException("not-found", $"issuer '{id}' does not exist");

    /// <summary>
    /// Signs a credential as issuer <paramref name="id"/>, adding one status entry per requested purpose
    /// (allocated and logged before signing, so a crash never reuses an index), as VC Data Model
    /// <see cref="IssueOptions.VcVersion"/> ("1.1" or "2.0"; null: the model the credential's @context names).
    /// </summary>
    public Task<JsonObject> IssueAsync(string id, JsonObject credential, IReadOnlyCollection<string> statusPurposes, CancellationToken ct = default) =>
        IssueAsync(id, credential, statusPurposes, new IssueOptions(), ct);

    /// <summary>The same with a cryptosuite other than the issuer's (one its key signs with), ecdsa-sd-2023's
    /// mandatory pointers, and the VC Data Model version.</summary>
    public async Task<JsonObject> IssueAsync(string id, JsonObject credential, IReadOnlyCollection<string> statusPurposes, IssueOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (statusPurposes.Count == 0)
        {
            // Nothing is logged, so nothing confirms in a transaction: the key and the issuer are read now.
            if (options.AuthorizedBy is { } keyId && !await apiKeys.IsActiveAsync(keyId)) throw Unauthorized(keyId);
            return await IssueAsync(await SigningStateAsync(id, fresh: true), credential, statusPurposes, options, ct);
        }
        var signing = await SigningStateAsync(id, fresh: false);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await IssueAsync(signing, credential, statusPurposes, options, ct);
            }
            catch (Exception e) when (attempt == 0 && e is IssuanceBasisException { ApiKeyRevoked: false } or IssuerServiceException { Kind: "conflict" })
            {
                // The key kept may have been rotated (through another node) since it was read: the transaction found it
                // changed, or the ledger no longer lists it. Signed again with the key stored now (what was logged for the
                // refused attempt was never committed); a ledger conflict with the current key stands.
                var current = await SigningStateAsync(id, fresh: true);
                if (e is IssuerServiceException && current.SameKeyAs(signing)) throw;
                signing = current;
            }
            catch (IssuanceBasisException e) when (e.ApiKeyRevoked)
            {
                apiKeys.Forget(options.AuthorizedBy!);
                throw Unauthorized(options.AuthorizedBy!, e);
            }
            catch (IssuanceBasisException e)
            {
                throw new IssuerServiceException("conflict", $"{e.Message} again while it was issuing; not issuing", e); // rotated twice meanwhile
            }
        }
    }

    private static IssuerServiceException Unauthorized(string keyId, Exception? inner = null) =>
        new("unauthorized", $"the API key {keyId} was revoked", inner);

    /// <summary>The issuer's signing key as stored: as last read (<paramref name="fresh"/> false; the issuance confirms it
    /// in its transaction) or read now.</summary>
    private async Task<StoredSigningKey> SigningStateAsync(string id, bool fresh)
    {
        if (!fresh && _signing.TryGetValue(id, out var kept)) return kept;
        var stored = await issuers.FindForSigningAsync(id) ?? throw new IssuerServiceException("not-found", $"issuer '{id}' does not exist");
        if (_signing.Count >= MaxKeptIssuers) _signing.Clear();
        _signing[id] = stored;
        return stored;
    }

    private async Task<JsonObject> IssueAsync(StoredSigningKey stored, JsonObject credential, IReadOnlyCollection<string> statusPurposes, IssueOptions options, CancellationToken ct)
    {
        var vcVersion = options.VcVersion;
        var issuer = stored.Issuer;
        if (issuer.Method == "ethr") await ConfirmKeyOnLedgerAsync(issuer, ct);
        var unsigned = (JsonObject)credential.DeepClone();
        // The status entries' log rows commit while the credential is signed; it is answered only once they have.
        var committed = new List<Task>(statusPurposes.Count);
        try
        {
            if (statusPurposes.Count > 0)
                unsigned["credentialStatus"] = await StatusEntriesAsync(issuer.Id, unsigned, statusPurposes, vcVersion, new IssuanceBasis(stored, options.AuthorizedBy), committed);
            var signed = await SignAsync(stored, unsigned, options, ct);
            await Task.WhenAll(committed);
            return signed;
        }
        catch when (committed.Count > 0)
        {
            try { await Task.WhenAll(committed); } catch (StoreException) { } // observed; the failure that ends the call is reported
            throw;
        }
    }

    /// <summary>One status entry per purpose, each index reserved in the issuance log (its commit added to <paramref name="committed"/>).</summary>
    private async Task<JsonNode> StatusEntriesAsync(string id, JsonObject unsigned, IReadOnlyCollection<string> statusPurposes, string? vcVersion, IssuanceBasis basis, List<Task> committed)
    {
        // BitstringStatusListEntry is a VC 2.0 context term: VC 1.1 credentials get no status entries here.
        if ((vcVersion ?? DataModel.Version(unsigned)) == "1.1")
            throw new IssuerServiceException("invalid", "status entries (BitstringStatusListEntry) are issued on VC 2.0 credentials only");
        if (unsigned["credentialStatus"] is not null)
            throw new IssuerServiceException("invalid", "the credential already has a credentialStatus; do not also ask for one");
        var entries = new JsonArray();
        foreach (var purpose in statusPurposes)
        {
            if (!StatusPurposes.Contains(purpose)) throw new IssuerServiceException("invalid", $"unknown status purpose '{purpose}' (revocation, suspension)");
            var listId = ListId(id, purpose);
            var reservation = await statusLists.ReserveAsync(listId, id, unsigned["id"]?.GetValue<string>(), TypesOf(unsigned), basis);
            committed.Add(reservation.Committed);
            entries.Add(new StatusListEntry(urls.StatusList(listId), purpose, reservation.Allocation.Index).ToJson());
        }
        return entries.Count == 1 ? entries[0]!.DeepClone() : entries;
    }

    private async Task<JsonObject> SignAsync(StoredSigningKey stored, JsonObject unsigned, IssueOptions options, CancellationToken ct)
    {
        var issuer = stored.Issuer;
        using var key = SigningKey(stored);
        var signer = new CredentialIssuer(credentials.Proofs, new IssuerProfile(issuer.Did, issuer.VerificationMethod, key.Signer, options.Cryptosuite ?? issuer.Cryptosuite)
        {
            MandatoryPointers = options.MandatoryPointers,
        });
        try
        {
            return await signer.IssueAsync(unsigned, cancellationToken: ct, vcVersion: options.VcVersion);
        }
        catch (CredentialException e)
        {
            throw new IssuerServiceException("invalid", e.Message, e);
        }
        catch (System.Security.Cryptography.CryptographicException e) when (key.Location is IssuerKeyLocation.InToken)
        {
            keyStores.Pkcs11.Forget(key.Location); // a kept session the token no longer honours is reopened next time
            throw new IssuerServiceException("key-store", e.Message, e); // the token refused to sign: its message names the step, never the PIN
        }
    }

    /// <summary>
    /// A did:ethr issuer signs only with a key its DID lists as an assertion method on the ledger now: while the
    /// ledger cannot be read, issuance is refused (ledger-unavailable, 503) rather than signed blind; a key the ledger
    /// does not list (e.g. a rotation undone by a reorg) is a conflict. (DID Core §5.3.2 assertionMethod.)
    /// </summary>
    private async Task ConfirmKeyOnLedgerAsync(IssuerRecord issuer, CancellationToken ct)
    {
        var resolution = await credentials.Resolver.ResolveAsync(issuer.Did, null, ct);
        if (resolution.DidResolutionMetadata.Error is not null || resolution.DidDocument is null
            || resolution.DidResolutionMetadata.IndexFreshness is { Stale: true })
            throw new IssuerServiceException("ledger-unavailable",
                $"the current key of {issuer.Did} cannot be confirmed on the ledger ({resolution.DidResolutionMetadata.IndexFreshness?.Reason ?? resolution.DidResolutionMetadata.Message ?? resolution.DidResolutionMetadata.Error}); not issuing");
        if (resolution.DidDocumentMetadata.Deactivated || resolution.DidDocument.Authorized(VerificationRelationship.AssertionMethod, issuer.VerificationMethod) is null)
            throw new IssuerServiceException("conflict",
                $"{issuer.VerificationMethod} is not an assertion method of {issuer.Did} on the ledger now; not issuing");
    }

    /// <summary>Sets a status bit of one of this node's lists: revoke (final) or suspend / unsuspend.</summary>
    public async Task<StatusChange> SetStatusAsync(string statusListCredential, int index, bool value, CancellationToken ct = default)
    {
        var listId = urls.LocalStatusListId(statusListCredential)
            ?? throw new IssuerServiceException("not-found", $"{statusListCredential} is not a status list of this node");
        var list = await statusLists.ReadAsync(listId) ?? throw new IssuerServiceException("not-found", $"status list '{listId}' does not exist");
        var allocated = await statusLists.AllocatedAsync(listId);
        var manager = StatusListManager.Restore(statusListCredential, list.Purpose, list.Bits, allocated);
        try { manager.SetStatus(index, value); }
        catch (InvalidOperationException e) { throw new IssuerServiceException("invalid", e.Message, e); }
        catch (ArgumentOutOfRangeException e) { throw new IssuerServiceException("invalid", $"status index {index} is outside the list", e); }
        await statusLists.SetAsync(listId, index, value);
        return new StatusChange(statusListCredential, list.Purpose, index, value);
    }

    /// <summary>The signed BitstringStatusListCredential of one of this node's lists, as currently set.</summary>
    public async Task<JsonObject?> StatusListCredentialAsync(string listId, CancellationToken ct = default)
    {
        var list = await statusLists.ReadAsync(listId);
        if (list is null) return null;
        var (issuer, key) = await SigningKeyAsync(list.Value.IssuerId);
        using var _ = key;
        var url = urls.StatusList(listId);
        var manager = StatusListManager.Restore(url, list.Value.Purpose, list.Value.Bits, []);
        var unsigned = manager.BuildCredential(issuer.Did, list.Value.Updated);
        // A status list is verified whole by anyone: an ecdsa-sd-2023 issuer signs it with ecdsa-rdfc-2019 (same
        // P-256 key), since a selective-disclosure base proof is not for verifiers.
        var suite = issuer.Cryptosuite == Vc.Credentials.DataIntegrity.SelectiveDisclosure.EcdsaSd2023.SuiteName ? "ecdsa-rdfc-2019" : issuer.Cryptosuite;
        var signer = new CredentialIssuer(credentials.Proofs, new IssuerProfile(issuer.Did, issuer.VerificationMethod, key.Signer, suite));
        try { return await signer.IssueAsync(unsigned, cancellationToken: ct); }
        catch (System.Security.Cryptography.CryptographicException e) when (key.Location is IssuerKeyLocation.InToken)
        {
            keyStores.Pkcs11.Forget(key.Location);
            throw new IssuerServiceException("key-store", e.Message, e);
        }
    }

    /// <summary>
    /// Rotates a ledger issuer's signing key: a new key is published on its DID, the old one ends after
    /// <paramref name="overlap"/> (zero: revoked now). Credentials signed before keep verifying, since
    /// verifiers resolve the DID as it was when they were issued; new signatures with the old key fail.
    /// </summary>
    public async Task<(IssuerRecord Issuer, IReadOnlyList<Vc.Did.Ethr.WriteReceipt> Receipts)> RotateKeyAsync(string id, TimeSpan overlap, CancellationToken ct = default)
    {
        var issuer = await GetAsync(id);
        if (issuer.Method != "ethr" || ethr is null)
            throw new IssuerServiceException("unsupported", $"issuer '{id}' uses did:{issuer.Method}, whose DID is its key: create a new issuer instead");
        var controller = await issuers.ControllerKeyAsync(id);
        try
        {
            using var oldKey = (await SigningKeyAsync(id)).Key;
            // The new key is made where the old one is: in the token for a token key (never exported), sealed otherwise.
            using var newKey = KeyStoreCall(() => keyStores.For(oldKey.Location).GenerateSuccessor(oldKey.Location, Enum.Parse<KeyType>(issuer.KeyType)));
            var (vm, receipts) = await ethr.RotateAsync(issuer.Did, controller, oldKey.Signer.PublicKey, newKey.Signer.PublicKey, overlap, ct);
            await issuers.RotateAsync(id, vm, newKey.Location);
            _signing.TryRemove(id, out _); // other nodes find the change in their next issuance's transaction
            return (await GetAsync(id), receipts);
        }
        finally
        {
            Array.Clear(controller);
        }
    }

    public static string ListId(string issuerId, string purpose) => $"{issuerId}-{purpose}-1";

    /// <summary>The issuer and its signing key, opened from its store.</summary>
    private async Task<(IssuerRecord Issuer, IssuerKey Key)> SigningKeyAsync(string id)
    {
        var stored = await issuers.FindForSigningAsync(id) ?? throw new IssuerServiceException("not-found", $"issuer '{id}' does not exist");
        return (stored.Issuer, SigningKey(stored));
    }

    /// <summary>The signing key of a stored issuer: from its token, or the sealed key (kept open while unchanged).</summary>
    private IssuerKey SigningKey(StoredSigningKey stored)
    {
        var type = Enum.Parse<KeyType>(stored.Issuer.KeyType);
        return stored.Issuer.KeyUri is { } uri
            ? KeyStoreCall(() => keyStores.Pkcs11.Open(new IssuerKeyLocation.InToken(uri), type))
            : keyStores.Sealed.OpenKept(stored.Issuer.Id, stored.EncryptedKey, type, () => issuers.Unseal(stored));
    }

    /// <summary>A token that cannot be used (no module, no token, PIN refused, no such key) is a typed key-store failure.</summary>
    private static T KeyStoreCall<T>(Func<T> action)
    {
        try { return action(); }
        catch (Pkcs11KeyException e) { throw new IssuerServiceException("key-store", e.Message, e); }
    }

    private static string TypesOf(JsonObject credential) => credential["type"] switch
    {
        JsonArray a => string.Join(",", a.Select(t => t?.ToString())),
        JsonNode n => n.ToString(),
        _ => "",
    };
}

/// <summary>A status change that was applied.</summary>
public sealed record StatusChange(string StatusListCredential, string StatusPurpose, int StatusListIndex, bool Status);

/// <summary>Provisioning of ledger-anchored issuer DIDs (did:ethr), plugged in from the ledger side.</summary>
public interface IDidMethodProvisioner
{
    Task<ProvisionedDid> CreateAsync(VerificationKey assertionKey, CancellationToken ct);

    /// <summary>Publishes <paramref name="newKey"/> and ends <paramref name="oldKey"/> after <paramref name="overlap"/> (zero: now); returns the new method id.</summary>
    Task<(string VerificationMethod, IReadOnlyList<Vc.Did.Ethr.WriteReceipt> Receipts)> RotateAsync(
        string did, byte[] controllerKey, VerificationKey oldKey, VerificationKey newKey, TimeSpan overlap, CancellationToken ct);
}

/// <summary>A DID created on the ledger: its id, the method to sign with, the encrypted-at-rest controller key.</summary>
public sealed record ProvisionedDid(string Did, string VerificationMethod, byte[] ControllerKey, JsonObject Metadata)
{
    public override string ToString() => $"provisioned {Did}";
}
