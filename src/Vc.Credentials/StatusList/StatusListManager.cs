using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Vc.Credentials.Json;

namespace Vc.Credentials.StatusList;

/// <summary>The purposes of a Bitstring Status List (REC §2.1 statusPurpose).</summary>
public static class StatusPurposes
{
    /// <summary>revocation — irreversible.</summary>
    public const string Revocation = "revocation";
    /// <summary>suspension — reversible.</summary>
    public const string Suspension = "suspension";
}

/// <summary>A credential status entry (REC §2.1 BitstringStatusListEntry).</summary>
public sealed record StatusListEntry(string StatusListCredential, string StatusPurpose, int StatusListIndex)
{
    /// <summary>The entry as credentialStatus JSON.</summary>
    public JsonObject ToJson() => new()
    {
        ["id"] = $"{StatusListCredential}#{StatusListIndex.ToString(CultureInfo.InvariantCulture)}",
        ["type"] = "BitstringStatusListEntry",
        ["statusPurpose"] = StatusPurpose,
        ["statusListIndex"] = StatusListIndex.ToString(CultureInfo.InvariantCulture),
        ["statusListCredential"] = StatusListCredential,
    };
}

/// <summary>
/// One status list on the issuer side: allocates indexes at random (REC §6.1 group privacy: indexes must not
/// reveal issuance order), sets revocation/suspension bits and builds the unsigned status list credential.
/// Not thread-safe by itself: instance methods are serialized by an internal lock.
/// </summary>
public sealed class StatusListManager
{
    private readonly Bitstring _bits;
    private readonly HashSet<int> _allocated;
    private readonly Lock _gate = new();

    /// <summary>A new, empty list.</summary>
    public StatusListManager(string statusListCredentialUrl, string statusPurpose, int length = Bitstring.MinimumLength)
        : this(statusListCredentialUrl, statusPurpose, new Bitstring(length), [])
    {
    }

    private StatusListManager(string url, string purpose, Bitstring bits, IEnumerable<int> allocated)
    {
        if (!JsonInput.IsUrl(url)) throw new ArgumentException("The status list credential URL must be absolute.", nameof(url));
        if (purpose is not (StatusPurposes.Revocation or StatusPurposes.Suspension))
            throw new ArgumentException("statusPurpose is revocation or suspension.", nameof(purpose));
        StatusListCredentialUrl = url;
        StatusPurpose = purpose;
        _bits = bits;
        _allocated = [.. allocated];
    }

    /// <summary>Restores a list from persisted state (<see cref="SnapshotBits"/> and <see cref="AllocatedIndexes"/>).</summary>
    public static StatusListManager Restore(string url, string purpose, byte[] bits, IEnumerable<int> allocated) =>
        new(url, purpose, Bitstring.FromBytes(bits), allocated);

    /// <summary>The URL the status list credential is published at.</summary>
    public string StatusListCredentialUrl { get; }

    /// <summary>revocation or suspension.</summary>
    public string StatusPurpose { get; }

    /// <summary>Number of entries.</summary>
    public int Length => _bits.Length;

    /// <summary>Entries still free.</summary>
    public int Available { get { lock (_gate) return _bits.Length - _allocated.Count; } }

    /// <summary>The allocated indexes (for persistence).</summary>
    public IReadOnlyCollection<int> AllocatedIndexes { get { lock (_gate) return _allocated.ToArray(); } }

    /// <summary>A copy of the bits (for persistence).</summary>
    public byte[] SnapshotBits() { lock (_gate) return _bits.ToBytes(); }

    /// <summary>Allocates an unused index, chosen uniformly at random.</summary>
    /// <exception cref="InvalidOperationException">The list is full.</exception>
    public StatusListEntry Allocate()
    {
        lock (_gate)
        {
            if (_allocated.Count >= _bits.Length) throw new InvalidOperationException("The status list is full; start a new list.");
            // Rejection sampling stays fast while the list is under ~90 % full; then scan from a random start.
            for (var attempt = 0; attempt < 32; attempt++)
            {
                var candidate = RandomNumberGenerator.GetInt32(_bits.Length);
                if (_allocated.Add(candidate)) return new StatusListEntry(StatusListCredentialUrl, StatusPurpose, candidate);
            }
            var start = RandomNumberGenerator.GetInt32(_bits.Length);
            for (var i = 0; i < _bits.Length; i++)
            {
                var candidate = (start + i) % _bits.Length;
                if (_allocated.Add(candidate)) return new StatusListEntry(StatusListCredentialUrl, StatusPurpose, candidate);
            }
            throw new InvalidOperationException("The status list is full; start a new list.");
        }
    }

    /// <summary>Sets the status bit (revoke, suspend). Revocation cannot be undone (REC §2.1).</summary>
    /// <exception cref="InvalidOperationException">Unallocated index, or clearing a revocation.</exception>
    public void SetStatus(int index, bool value)
    {
        lock (_gate)
        {
            if (!_allocated.Contains(index)) throw new InvalidOperationException($"Index {index} was never allocated.");
            if (!value && StatusPurpose == StatusPurposes.Revocation && _bits[index])
                throw new InvalidOperationException("A revocation cannot be undone.");
            _bits[index] = value;
        }
    }

    /// <summary>The current bit of an index.</summary>
    public bool GetStatus(int index) { lock (_gate) return _bits[index]; }

    /// <summary>REC §2.2: the unsigned BitstringStatusListCredential for the current bits.</summary>
    public JsonObject BuildCredential(string issuer, DateTimeOffset validFrom, DateTimeOffset? validUntil = null)
    {
        string encoded;
        lock (_gate) encoded = _bits.Encode();
        var credential = new JsonObject
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/credentials/v2"),
            ["id"] = StatusListCredentialUrl,
            ["type"] = new JsonArray("VerifiableCredential", "BitstringStatusListCredential"),
            ["issuer"] = issuer,
            ["validFrom"] = JsonInput.FormatDateTime(validFrom),
        };
        if (validUntil is { } until) credential["validUntil"] = JsonInput.FormatDateTime(until);
        credential["credentialSubject"] = new JsonObject
        {
            ["id"] = StatusListCredentialUrl + "#list",
            ["type"] = "BitstringStatusList",
            ["statusPurpose"] = StatusPurpose,
            ["encodedList"] = encoded,
        };
        return credential;
    }
}
