using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace Vc.Agent.Keys;

/// <summary>
/// A PKCS#11 module (the token's shared library), initialised once per process: C_Initialize and C_Finalize act on the
/// whole process (PKCS#11 v2.40 §5.4), so finalizing for one user would close every other user's sessions. Users
/// therefore share one instance per module path, counted: <see cref="Acquire"/> takes a reference, Dispose returns
/// it, and the last one finalizes. (The one static table of this code base mirrors that process-wide state.)
/// </summary>
public sealed class Pkcs11Module : IDisposable
{
    private static readonly Dictionary<string, (IPkcs11Library Library, Pkcs11InteropFactories Factories, int References)> Loaded = new(StringComparer.Ordinal);
    private static readonly Lock LoadedGate = new();

    private readonly IPkcs11Library _library;
    private int _disposed;

    internal Pkcs11InteropFactories Factories { get; }

    public string Path { get; }

    private Pkcs11Module(string path, Pkcs11InteropFactories factories, IPkcs11Library library)
    {
        Path = path;
        Factories = factories;
        _library = library;
    }

    /// <summary>A reference to the module at <paramref name="path"/>, loading and initialising it on first use.</summary>
    /// <exception cref="Pkcs11KeyException">the module is missing or does not initialise.</exception>
    public static Pkcs11Module Acquire(string path)
    {
        if (!File.Exists(path)) throw new Pkcs11KeyException($"PKCS#11 module not found: {path}");
        _ = LibdlResolver.Value;
        lock (LoadedGate)
        {
            if (Loaded.TryGetValue(path, out var loaded))
            {
                Loaded[path] = loaded with { References = loaded.References + 1 };
                return new Pkcs11Module(path, loaded.Factories, loaded.Library);
            }
            var factories = new Pkcs11InteropFactories();
            IPkcs11Library library;
            try { library = factories.Pkcs11LibraryFactory.LoadPkcs11Library(factories, path, AppType.MultiThreaded); }
            catch (Pkcs11Exception e) { throw new Pkcs11KeyException($"the module {path} does not initialise ({e.RV})", e); }
            Loaded[path] = (library, factories, 1);
            return new Pkcs11Module(path, factories, library);
        }
    }

    /// <summary>Returns this reference; the last one finalizes the module (C_Finalize) and unloads it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        lock (LoadedGate)
        {
            var loaded = Loaded[Path];
            if (loaded.References > 1) { Loaded[Path] = loaded with { References = loaded.References - 1 }; return; }
            Loaded.Remove(Path);
            _library.Dispose();
        }
    }

    /// <summary>
    /// Opens a read-write session on the token the URI names and logs the user in with the URI's PIN (PKCS#11 v2.40
    /// §5.6 C_Login; a second session of this process finds the user logged in already), then runs
    /// <paramref name="body"/>; the session is closed when the body fails. Errors name the step, never the PIN.
    /// </summary>
    internal T WithSession<T>(Pkcs11Uri uri, Func<ISession, T> body)
    {
        var pin = uri.ReadPin();
        ISession? session = null;
        try
        {
            var slot = _library.GetSlotList(SlotsType.WithTokenPresent).FirstOrDefault(s => s.GetTokenInfo().Label.TrimEnd() == uri.Token)
                ?? throw new Pkcs11KeyException($"no token labelled '{uri.Token}' in {Path}");
            session = slot.OpenSession(SessionType.ReadWrite);
            try { session.Login(CKU.CKU_USER, pin); }
            catch (Pkcs11Exception e) when (e.RV == CKR.CKR_USER_ALREADY_LOGGED_IN) { }
            catch (Pkcs11Exception e) { throw new Pkcs11KeyException($"login to token '{uri.Token}' refused ({e.RV})"); }
            return body(session);
        }
        catch (Exception e) when (e is not Pkcs11KeyException)
        {
            session?.Dispose();
            throw new Pkcs11KeyException($"{uri}: {(e is Pkcs11Exception p ? p.RV.ToString() : e.Message)}", e);
        }
        catch
        {
            session?.Dispose();
            throw;
        }
    }

    /// <summary>The one object of the class the URI names (label, and id when given); null when none.</summary>
    internal IObjectHandle? Find(ISession session, Pkcs11Uri uri, CKO type, string? label = null)
    {
        var a = Factories.ObjectAttributeFactory;
        var template = new List<IObjectAttribute> { a.Create(CKA.CKA_CLASS, type), a.Create(CKA.CKA_LABEL, label ?? uri.Object) };
        if (uri.Id is { } id) template.Add(a.Create(CKA.CKA_ID, id));
        var found = session.FindAllObjects(template);
        return found.Count switch
        {
            0 => null,
            1 => found[0],
            _ => throw new Pkcs11KeyException($"{found.Count} objects match {uri}: add id=… to the URI"),
        };
    }

    /// <summary>Whether the token holds a private key the URI names.</summary>
    internal bool HoldsPrivateKey(Pkcs11Uri uri) => WithSession(uri, session =>
    {
        using (session) return Find(session, uri, CKO.CKO_PRIVATE_KEY) is not null;
    });

    /// <summary>
    /// Generates a signing key pair inside the token under the URI's label (and id, else a random one): the private half
    /// sensitive, not extractable, for signing only (RFC 7512 names it; PKCS#11 v2.40 §4.9 attributes). Refuses to
    /// overwrite a key of the same label. The one template for every key type (EC params name the curve).
    /// </summary>
    internal (IObjectHandle Public, IObjectHandle Private) GenerateSigningKeyPair(ISession session, Pkcs11Uri uri, CKM mechanismType, byte[] ecParams)
    {
        if (Find(session, uri, CKO.CKO_PRIVATE_KEY) is not null)
            throw new Pkcs11KeyException($"a key {uri} already exists in the token");
        var a = Factories.ObjectAttributeFactory;
        var id = uri.Id ?? System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
        var publicTemplate = new List<IObjectAttribute>
        {
            a.Create(CKA.CKA_TOKEN, true), a.Create(CKA.CKA_PRIVATE, false), a.Create(CKA.CKA_LABEL, uri.Object), a.Create(CKA.CKA_ID, id),
            a.Create(CKA.CKA_VERIFY, true), a.Create(CKA.CKA_EC_PARAMS, ecParams),
        };
        var privateTemplate = new List<IObjectAttribute>
        {
            a.Create(CKA.CKA_TOKEN, true), a.Create(CKA.CKA_PRIVATE, true), a.Create(CKA.CKA_LABEL, uri.Object), a.Create(CKA.CKA_ID, id),
            a.Create(CKA.CKA_SIGN, true), a.Create(CKA.CKA_SENSITIVE, true), a.Create(CKA.CKA_EXTRACTABLE, false),
        };
        using var mechanism = Factories.MechanismFactory.Create(mechanismType);
        session.GenerateKeyPair(mechanism, publicTemplate, privateTemplate, out var pub, out var priv);
        return (pub, priv);
    }

    /// <summary>
    /// The key pair the URI names, its private half of <paramref name="keyType"/> (<paramref name="typeName"/> in the
    /// error); the public half is needed to name the key (its verification method).
    /// </summary>
    internal (IObjectHandle Public, IObjectHandle Private) FindKeyPair(ISession session, Pkcs11Uri uri, CKK keyType, string typeName)
    {
        var priv = Find(session, uri, CKO.CKO_PRIVATE_KEY) ?? throw new Pkcs11KeyException($"no private key {uri} in the token");
        var pub = Find(session, uri, CKO.CKO_PUBLIC_KEY)
            ?? throw new Pkcs11KeyException($"no public key {uri} in the token (its public half is needed to name the key)");
        if (session.GetAttributeValue(priv, [CKA.CKA_KEY_TYPE])[0].GetValueAsUlong() != (ulong)keyType)
            throw new Pkcs11KeyException($"{uri} is not {typeName} key");
        return (pub, priv);
    }

    /// <summary>
    /// CKA_EC_POINT of a public key: the DER OCTET STRING of the point (PKCS#11 v2.40 §2.3.3, v3.0 §2.3.6), or the raw
    /// point, which some tokens return.
    /// </summary>
    internal static byte[] EcPoint(ISession session, IObjectHandle publicKey)
    {
        var encoded = session.GetAttributeValue(publicKey, [CKA.CKA_EC_POINT])[0].GetValueAsByteArray();
        try { return System.Formats.Asn1.AsnDecoder.ReadOctetString(encoded, System.Formats.Asn1.AsnEncodingRules.DER, out _); }
        catch (System.Formats.Asn1.AsnContentException) { return encoded; }
    }

    /// <summary>One signature by the token (the caller holds the session's lock); a refusal is a CryptographicException naming the key, never the PIN.</summary>
    internal byte[] Sign(ISession session, CKM mechanismType, IObjectHandle privateKey, byte[] data, Pkcs11Uri uri)
    {
        try
        {
            using var mechanism = Factories.MechanismFactory.Create(mechanismType);
            return session.Sign(mechanism, privateKey, data);
        }
        catch (Pkcs11Exception e) { throw new System.Security.Cryptography.CryptographicException($"pkcs11: signing with {uri} failed ({e.RV})"); }
    }

    /// <summary>Whether the token holds the private key as sensitive and non-extractable (what key generation asks for).</summary>
    internal static bool IsSensitiveAndNonExtractable(ISession session, IObjectHandle privateKey)
    {
        var values = session.GetAttributeValue(privateKey, [CKA.CKA_SENSITIVE, CKA.CKA_EXTRACTABLE]);
        return values[0].GetValueAsBool() && !values[1].GetValueAsBool();
    }

    /// <summary>
    /// Pkcs11Interop loads modules through "libdl", a name glibc ≥ 2.34 ships only as libdl.so.2 (its functions moved
    /// into libc): point that one name there, once per process (a resolver can be set only once per assembly).
    /// </summary>
    private static readonly Lazy<bool> LibdlResolver = new(() =>
    {
        System.Runtime.InteropServices.NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly, (name, assembly, path) =>
            name == "libdl" && System.Runtime.InteropServices.NativeLibrary.TryLoad("libdl.so.2", assembly, path, out var handle) ? handle : IntPtr.Zero);
        return true;
    });
}
