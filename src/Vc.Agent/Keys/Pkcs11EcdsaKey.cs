using System.Formats.Asn1;
using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace Vc.Agent.Keys;

/// <summary>
/// A P-256 private key that lives in a PKCS#11 token (an HSM, or SoftHSM2 in tests): an <see cref="ECDsa"/> whose
/// signatures are made by the token (CKM_ECDSA over the hash, PKCS#11 v2.40 §2.3.6) so the key never leaves it. It
/// plugs into everything that signs with an ECDsa (COSE_Sign1 via CoseSigner for HCERT DSCs, ecdsa-rdfc-2019 proofs).
/// One session per key, used under a lock (PKCS#11 sessions are not for concurrent use).
/// </summary>
public sealed class Pkcs11EcdsaKey : ECDsa
{
    /// <summary>DER of the named curve P-256 (OID 1.2.840.10045.3.1.7), the CKA_EC_PARAMS of our keys.</summary>
    private static readonly byte[] P256Params = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];

    private readonly IPkcs11Library _library;
    private readonly ISession _session;
    private readonly IObjectHandle _privateKey;
    private readonly ECParameters _public;
    private readonly Pkcs11InteropFactories _factories;
    private readonly Lock _gate = new();

    public Pkcs11Uri Uri { get; }

    private Pkcs11EcdsaKey(Pkcs11Uri uri, Pkcs11InteropFactories factories, IPkcs11Library library, ISession session, IObjectHandle privateKey, ECParameters publicKey)
    {
        Uri = uri;
        _factories = factories;
        _library = library;
        _session = session;
        _privateKey = privateKey;
        _public = publicKey;
        KeySizeValue = 256;
        LegalKeySizesValue = [new KeySizes(256, 256, 0)];
    }

    /// <summary>Opens the P-256 private key the URI names (its public half read from the matching public key object).</summary>
    public static Pkcs11EcdsaKey Open(Pkcs11Uri uri) => With(uri, (factories, library, session) =>
    {
        var priv = Find(factories, session, uri, CKO.CKO_PRIVATE_KEY)
            ?? throw new Pkcs11KeyException($"no private key {uri} in the token");
        var pub = Find(factories, session, uri, CKO.CKO_PUBLIC_KEY)
            ?? throw new Pkcs11KeyException($"no public key {uri} in the token (its public half is needed to name the key)");
        return new Pkcs11EcdsaKey(uri, factories, library, session, priv, PublicKeyOf(factories, session, pub));
    });

    /// <summary>
    /// Generates a P-256 key pair inside the token (CKM_EC_KEY_PAIR_GEN): the private key is a token object, sensitive
    /// and not extractable, usable only for signing. Refuses to overwrite a key of the same label.
    /// </summary>
    public static Pkcs11EcdsaKey Generate(Pkcs11Uri uri) => With(uri, (factories, library, session) =>
    {
        if (Find(factories, session, uri, CKO.CKO_PRIVATE_KEY) is not null)
            throw new Pkcs11KeyException($"a key {uri} already exists in the token");
        var a = factories.ObjectAttributeFactory;
        var id = uri.Id ?? RandomNumberGenerator.GetBytes(16);
        var publicTemplate = new List<IObjectAttribute>
        {
            a.Create(CKA.CKA_TOKEN, true), a.Create(CKA.CKA_PRIVATE, false), a.Create(CKA.CKA_LABEL, uri.Object), a.Create(CKA.CKA_ID, id),
            a.Create(CKA.CKA_VERIFY, true), a.Create(CKA.CKA_EC_PARAMS, P256Params),
        };
        var privateTemplate = new List<IObjectAttribute>
        {
            a.Create(CKA.CKA_TOKEN, true), a.Create(CKA.CKA_PRIVATE, true), a.Create(CKA.CKA_LABEL, uri.Object), a.Create(CKA.CKA_ID, id),
            a.Create(CKA.CKA_SIGN, true), a.Create(CKA.CKA_SENSITIVE, true), a.Create(CKA.CKA_EXTRACTABLE, false),
        };
        using var mechanism = factories.MechanismFactory.Create(CKM.CKM_EC_KEY_PAIR_GEN);
        session.GenerateKeyPair(mechanism, publicTemplate, privateTemplate, out var pub, out var priv);
        return new Pkcs11EcdsaKey(uri, factories, library, session, priv, PublicKeyOf(factories, session, pub));
    });

    /// <summary>Whether the token holds the private key as sensitive and non-extractable (what Generate asks for).</summary>
    public bool IsSensitiveAndNonExtractable()
    {
        lock (_gate)
        {
            var values = _session.GetAttributeValue(_privateKey, [CKA.CKA_SENSITIVE, CKA.CKA_EXTRACTABLE]);
            return values[0].GetValueAsBool() && !values[1].GetValueAsBool();
        }
    }

    public override byte[] SignHash(byte[] hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        lock (_gate)
        {
            try
            {
                using var mechanism = _factories.MechanismFactory.Create(CKM.CKM_ECDSA);
                return _session.Sign(mechanism, _privateKey, hash); // r || s, 32 bytes each: IEEE P1363, as .NET's SignHash
            }
            catch (Pkcs11Exception e) { throw new CryptographicException($"pkcs11: signing with {Uri} failed ({e.RV})"); }
        }
    }

    public override bool VerifyHash(byte[] hash, byte[] signature)
    {
        using var verifier = ECDsa.Create(_public);
        return verifier.VerifyHash(hash, signature);
    }

    public override ECParameters ExportParameters(bool includePrivateParameters) => includePrivateParameters
        ? throw new CryptographicException("the private key stays in the PKCS#11 token")
        : new ECParameters { Curve = _public.Curve, Q = new ECPoint { X = (byte[])_public.Q.X!.Clone(), Y = (byte[])_public.Q.Y!.Clone() } };

    public override ECParameters ExportExplicitParameters(bool includePrivateParameters) => ExportParameters(includePrivateParameters);

    public override void ImportParameters(ECParameters parameters) =>
        throw new CryptographicException("a PKCS#11 key cannot be replaced by imported parameters");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_gate)
            {
                try { _session.Logout(); } catch (Pkcs11Exception) { }
                _session.Dispose();
                _library.Dispose();
            }
        }
        base.Dispose(disposing);
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

    /// <summary>Loads the module, finds the token by label, opens a session and logs in; disposes all on failure.</summary>
    private static Pkcs11EcdsaKey With(Pkcs11Uri uri, Func<Pkcs11InteropFactories, IPkcs11Library, ISession, Pkcs11EcdsaKey> body)
    {
        if (!File.Exists(uri.ModulePath)) throw new Pkcs11KeyException($"PKCS#11 module not found: {uri.ModulePath}");
        var pin = uri.ReadPin();
        _ = LibdlResolver.Value;
        var factories = new Pkcs11InteropFactories();
        IPkcs11Library? library = null;
        ISession? session = null;
        try
        {
            library = factories.Pkcs11LibraryFactory.LoadPkcs11Library(factories, uri.ModulePath, AppType.MultiThreaded);
            var slot = library.GetSlotList(SlotsType.WithTokenPresent).FirstOrDefault(s => s.GetTokenInfo().Label.TrimEnd() == uri.Token)
                ?? throw new Pkcs11KeyException($"no token labelled '{uri.Token}' in {uri.ModulePath}");
            session = slot.OpenSession(SessionType.ReadWrite);
            try { session.Login(CKU.CKU_USER, pin); }
            catch (Pkcs11Exception e) when (e.RV == CKR.CKR_USER_ALREADY_LOGGED_IN) { }
            catch (Pkcs11Exception e) { throw new Pkcs11KeyException($"login to token '{uri.Token}' refused ({e.RV})"); }
            return body(factories, library, session);
        }
        catch (Exception e) when (e is not Pkcs11KeyException)
        {
            session?.Dispose();
            library?.Dispose();
            throw new Pkcs11KeyException($"{uri}: {(e is Pkcs11Exception p ? p.RV.ToString() : e.Message)}", e);
        }
        catch
        {
            session?.Dispose();
            library?.Dispose();
            throw;
        }
    }

    private static IObjectHandle? Find(Pkcs11InteropFactories factories, ISession session, Pkcs11Uri uri, CKO type)
    {
        var a = factories.ObjectAttributeFactory;
        var template = new List<IObjectAttribute> { a.Create(CKA.CKA_CLASS, type), a.Create(CKA.CKA_LABEL, uri.Object) };
        if (uri.Id is { } id) template.Add(a.Create(CKA.CKA_ID, id));
        var found = session.FindAllObjects(template);
        return found.Count switch
        {
            0 => null,
            1 => found[0],
            _ => throw new Pkcs11KeyException($"{found.Count} objects match {uri}: add id=… to the URI"),
        };
    }

    /// <summary>CKA_EC_POINT is the DER OCTET STRING of the uncompressed point 04 || X || Y (PKCS#11 v2.40 §2.3.3).</summary>
    private static ECParameters PublicKeyOf(Pkcs11InteropFactories factories, ISession session, IObjectHandle publicKey)
    {
        var encoded = session.GetAttributeValue(publicKey, [CKA.CKA_EC_POINT])[0].GetValueAsByteArray();
        byte[] point;
        try { point = AsnDecoder.ReadOctetString(encoded, AsnEncodingRules.DER, out _); }
        catch (AsnContentException) { point = encoded; } // some tokens return the raw point
        if (point.Length != 65 || point[0] != 0x04) throw new Pkcs11KeyException("the token's public key is not an uncompressed P-256 point");
        return new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..] } };
    }
}
