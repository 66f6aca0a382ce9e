using Vc.Credentials.Keys;
using Vc.Did.Keys;

namespace Vc.Agent.Keys;

/// <summary>
/// Where an issuer's private key is kept, as its record stores it: <see cref="Sealed"/> — the secret, which the
/// issuer store encrypts at rest (AES-256-GCM, <see cref="Storage.KeyProtector"/>) — or <see cref="InToken"/> — a
/// PKCS#11 URI (RFC 7512, without PIN) naming a key inside a token: the store keeps only the URI, never key material.
/// </summary>
public abstract record IssuerKeyLocation
{
    private IssuerKeyLocation() { }

    /// <summary>A key this node holds: its Ed25519 seed or ECDSA scalar, plain only between the store and one use.</summary>
    public sealed record Sealed(byte[] Secret) : IssuerKeyLocation
    {
        public override string ToString() => "sealed key";
    }

    /// <summary>A key inside a PKCS#11 token, named by its URI (token, object, and where the PIN comes from).</summary>
    public sealed record InToken(string Uri) : IssuerKeyLocation
    {
        public override string ToString()
        {
            try { return Pkcs11Uri.Parse(Uri).ToString(); }
            catch (Pkcs11KeyException) { return "pkcs11 key (malformed URI)"; }
        }
    }
}

/// <summary>An issuer's signing key, opened for use, with where it is kept; <paramref name="owned"/> false when the
/// store keeps the key open for later uses (disposing this then leaves it open).</summary>
public sealed class IssuerKey(ISigningKey key, IssuerKeyLocation location, bool owned = true) : IDisposable
{
    public ISigningKey Signer { get; } = key;

    public IssuerKeyLocation Location { get; } = location;

    public void Dispose()
    {
        if (owned) (Signer as IDisposable)?.Dispose();
        if (Location is IssuerKeyLocation.Sealed sealedKey) Array.Clear(sealedKey.Secret);
    }
}

/// <summary>A place issuer signing keys live: new keys (at creation and rotation) are made in it, and used from it.</summary>
public interface IIssuerKeyStore
{
    /// <summary>Whether the key at <paramref name="location"/> is this store's.</summary>
    bool Holds(IssuerKeyLocation location);

    /// <summary>A new key of <paramref name="type"/>; <paramref name="name"/> is the store's name for it (a pkcs11: URI), null if it has none.</summary>
    IssuerKey Generate(KeyType type, string? name);

    /// <summary>A new key of <paramref name="type"/> to replace the one at <paramref name="current"/> (key rotation), beside it in the same store.</summary>
    IssuerKey GenerateSuccessor(IssuerKeyLocation current, KeyType type);

    /// <summary>The key at <paramref name="location"/>, opened for signing.</summary>
    IssuerKey Open(IssuerKeyLocation location, KeyType type);
}

/// <summary>
/// Today's keys: made in memory, kept encrypted at rest by the issuer store. An issuer's key opened for signing is kept
/// open (in the crypto library's locked memory) while the issuer's stored key is unchanged: opening it costs a
/// decryption and a secure-memory import (mmap, mlock, guard pages) — more than the signature it is opened for. A
/// rotated key is told by its changed stored form; the key it replaces is closed when the store is (a signature in
/// flight may still be using it).
/// </summary>
public sealed class SealedIssuerKeyStore : IIssuerKeyStore, IDisposable
{
    private sealed record Kept(byte[] Stored, KeyType Type, ISigningKey Key);

    private readonly Dictionary<string, Kept> _open = new(StringComparer.Ordinal);
    private readonly List<ISigningKey> _replaced = [];
    private readonly Lock _gate = new();

    public bool Holds(IssuerKeyLocation location) => location is IssuerKeyLocation.Sealed;

    public IssuerKey Generate(KeyType type, string? name)
    {
        if (name is not null) throw new ArgumentException("the sealed key store takes no key name", nameof(name));
        var secret = IssuerKeys.NewSecret(type);
        return new IssuerKey(IssuerKeys.Load(type, secret), new IssuerKeyLocation.Sealed(secret));
    }

    public IssuerKey GenerateSuccessor(IssuerKeyLocation current, KeyType type) => Generate(type, null);

    public IssuerKey Open(IssuerKeyLocation location, KeyType type) =>
        new(IssuerKeys.Load(type, ((IssuerKeyLocation.Sealed)location).Secret), location);

    /// <summary>
    /// The signing key of <paramref name="issuerId"/>, whose stored (encrypted) form is <paramref name="stored"/>: the
    /// kept one when it was opened from the same stored form, else opened from the secret <paramref name="unseal"/>
    /// decrypts (cleared at once) and kept. The key returned stays open when disposed.
    /// </summary>
    public IssuerKey OpenKept(string issuerId, byte[] stored, KeyType type, Func<byte[]> unseal)
    {
        lock (_gate)
        {
            if (_open.TryGetValue(issuerId, out var kept) && kept.Type == type && kept.Stored.AsSpan().SequenceEqual(stored))
                return new IssuerKey(kept.Key, new IssuerKeyLocation.Sealed([]), owned: false);
        }
        var secret = unseal();
        ISigningKey key;
        try { key = IssuerKeys.Load(type, secret); }
        finally { Array.Clear(secret); }
        lock (_gate)
        {
            if (_open.TryGetValue(issuerId, out var previous)) _replaced.Add(previous.Key);
            _open[issuerId] = new Kept(stored.ToArray(), type, key);
        }
        return new IssuerKey(key, new IssuerKeyLocation.Sealed([]), owned: false);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var key in _open.Values.Select(k => k.Key).Concat(_replaced)) (key as IDisposable)?.Dispose();
            _open.Clear();
            _replaced.Clear();
        }
    }
}

/// <summary>
/// Keys inside PKCS#11 tokens: generated there (sensitive, not extractable), every signature made there. The store
/// holds a reference to each module it used for its life (the agent's), and keeps opened keys open (one session each,
/// logged in once): opening costs a session, a login and object searches, several times a signature.
/// </summary>
public sealed class Pkcs11IssuerKeyStore : IIssuerKeyStore, IDisposable
{
    private readonly Dictionary<string, Pkcs11Module> _modules = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Uri, KeyType Type), ISigningKey> _open = new();
    private readonly Lock _gate = new();

    public bool Holds(IssuerKeyLocation location) => location is IssuerKeyLocation.InToken;

    /// <summary>Generates the key <paramref name="name"/> names in its token, or opens it when the token holds it already.</summary>
    public IssuerKey Generate(KeyType type, string? name)
    {
        var text = name ?? throw new Pkcs11KeyException("a key in a token needs its pkcs11: URI");
        var uri = Pkcs11Uri.Parse(text);
        var module = Module(uri);
        var signer = Exists(uri, module) ? OpenKey(uri, module, type) : GenerateKey(uri, module, type);
        return new IssuerKey(signer, new IssuerKeyLocation.InToken(text));
    }

    /// <summary>The successor of key O is generated as O.2, O.3, … (the first label the token does not hold) in the same token.</summary>
    public IssuerKey GenerateSuccessor(IssuerKeyLocation current, KeyType type)
    {
        var text = ((IssuerKeyLocation.InToken)current).Uri;
        var uri = Pkcs11Uri.Parse(text);
        var module = Module(uri);
        var baseLabel = System.Text.RegularExpressions.Regex.Replace(uri.Object, @"\.[0-9]+$", "");
        for (var n = 2; n < 10_000; n++)
        {
            var next = uri with { Object = $"{baseLabel}.{n}", Id = null };
            if (Exists(next, module)) continue;
            return new IssuerKey(GenerateKey(next, module, type), new IssuerKeyLocation.InToken(Relabel(text, next.Object)));
        }
        throw new Pkcs11KeyException($"no free label for a successor of {uri}");
    }

    public IssuerKey Open(IssuerKeyLocation location, KeyType type)
    {
        var text = ((IssuerKeyLocation.InToken)location).Uri;
        lock (_gate)
        {
            if (_open.TryGetValue((text, type), out var cached)) return new IssuerKey(cached, location, owned: false);
        }
        var uri = Pkcs11Uri.Parse(text);
        var key = OpenKey(uri, Module(uri), type);
        lock (_gate)
        {
            if (_open.TryAdd((text, type), key)) return new IssuerKey(key, location, owned: false);
            ((IDisposable)key).Dispose(); // opened twice at once: keep the first
            return new IssuerKey(_open[(text, type)], location, owned: false);
        }
    }

    /// <summary>Closes a kept key after the token failed it (e.g. the token was reset): the next use opens it again.</summary>
    public void Forget(IssuerKeyLocation location)
    {
        if (location is not IssuerKeyLocation.InToken token) return;
        lock (_gate)
        {
            foreach (var k in _open.Keys.Where(k => k.Uri == token.Uri).ToArray())
            {
                ((IDisposable)_open[k]).Dispose();
                _open.Remove(k);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var key in _open.Values) ((IDisposable)key).Dispose();
            _open.Clear();
            foreach (var module in _modules.Values) module.Dispose();
            _modules.Clear();
        }
    }

    private Pkcs11Module Module(Pkcs11Uri uri)
    {
        lock (_gate)
        {
            if (!_modules.TryGetValue(uri.ModulePath, out var module)) _modules[uri.ModulePath] = module = Pkcs11Module.Acquire(uri.ModulePath);
            return module;
        }
    }

    private static bool Exists(Pkcs11Uri uri, Pkcs11Module module) => module.HoldsPrivateKey(uri);

    private static ISigningKey OpenKey(Pkcs11Uri uri, Pkcs11Module module, KeyType type) => type switch
    {
        KeyType.P256 => Pkcs11EcdsaKey.Open(uri, module),
        KeyType.Ed25519 => Pkcs11Ed25519Key.Open(uri, module),
        _ => throw new Pkcs11KeyException($"{type} keys are not kept in tokens here (P-256, Ed25519)"),
    };

    private static ISigningKey GenerateKey(Pkcs11Uri uri, Pkcs11Module module, KeyType type) => type switch
    {
        KeyType.P256 => Pkcs11EcdsaKey.Generate(uri, module),
        KeyType.Ed25519 => Pkcs11Ed25519Key.Generate(uri, module),
        _ => throw new Pkcs11KeyException($"{type} keys are not kept in tokens here (P-256, Ed25519)"),
    };

    /// <summary>The stored URI with its object label replaced (and any id dropped: the new key has its own), query kept.</summary>
    private static string Relabel(string text, string newLabel)
    {
        var q = text.IndexOf('?');
        var (path, query) = q < 0 ? (text, "") : (text[..q], text[q..]);
        var attrs = path["pkcs11:".Length..].Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Where(a => !a.StartsWith("id=", StringComparison.Ordinal))
            .Select(a => a.StartsWith("object=", StringComparison.Ordinal) ? "object=" + Uri.EscapeDataString(newLabel) : a);
        return "pkcs11:" + string.Join(';', attrs) + query;
    }
}

/// <summary>The two key stores of an agent, and which one a location or a requested key store belongs to.</summary>
public sealed class IssuerKeyStores : IDisposable
{
    public SealedIssuerKeyStore Sealed { get; } = new();

    public Pkcs11IssuerKeyStore Pkcs11 { get; } = new();

    /// <summary>The store of a requested key store: null for the default (sealed), a pkcs11: URI for a token.</summary>
    public IIssuerKeyStore For(string? keyStore) => keyStore is null ? Sealed
        : Pkcs11Uri.IsPkcs11(keyStore) ? Pkcs11
        : throw new Pkcs11KeyException("--key-store takes a pkcs11: URI (RFC 7512)");

    public IIssuerKeyStore For(IssuerKeyLocation location) => Sealed.Holds(location) ? Sealed : Pkcs11;

    public void Dispose()
    {
        Sealed.Dispose();
        Pkcs11.Dispose();
    }
}
