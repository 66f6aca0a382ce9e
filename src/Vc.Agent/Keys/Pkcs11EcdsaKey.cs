using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Vc.Credentials.Keys;
using Vc.Did.Keys;

namespace Vc.Agent.Keys;

/// <summary>
/// A P-256 private key that lives in a PKCS#11 token (an HSM, or SoftHSM2 in tests): an <see cref="ECDsa"/> whose
/// signatures are made by the token (CKM_ECDSA over the hash, PKCS#11 v2.40 §2.3.6) so the key never leaves it. It
/// plugs into everything that signs with an ECDsa (COSE_Sign1 via CoseSigner for HCERT DSCs) and, as an
/// <see cref="ISigningKey"/>, into Data Integrity proofs (ecdsa-rdfc-2019, ecdsa-jcs-2019, ecdsa-sd-2023 base proofs).
/// One session per key, used under a lock (PKCS#11 sessions are not for concurrent use).
/// </summary>
public sealed class Pkcs11EcdsaKey : ECDsa, ISigningKey
{
    /// <summary>DER of the named curve P-256 (OID 1.2.840.10045.3.1.7), the CKA_EC_PARAMS of our keys.</summary>
    private static readonly byte[] P256Params = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];

    private readonly Pkcs11Module _module;
    private readonly Pkcs11Module? _ownedModule;
    private readonly ISession _session;
    private readonly IObjectHandle _privateKey;
    private readonly ECParameters _public;
    private readonly Lock _gate = new();

    public Pkcs11Uri Uri { get; }

    /// <inheritdoc/>
    public KeyType KeyType => KeyType.P256;

    /// <inheritdoc/>
    public VerificationKey PublicKey { get; }

    private Pkcs11EcdsaKey(Pkcs11Uri uri, Pkcs11Module module, bool ownsModule, ISession session, IObjectHandle privateKey, ECParameters publicKey)
    {
        Uri = uri;
        _module = module;
        _ownedModule = ownsModule ? module : null;
        _session = session;
        _privateKey = privateKey;
        _public = publicKey;
        PublicKey = VerificationKey.FromEcPoint(KeyType.P256, publicKey.Q.X!, publicKey.Q.Y!);
        KeySizeValue = 256;
        LegalKeySizesValue = [new KeySizes(256, 256, 0)];
    }

    /// <summary>Opens the P-256 private key the URI names with a module of its own (disposed with the key).</summary>
    public static Pkcs11EcdsaKey Open(Pkcs11Uri uri) => Owning(uri, module => Open(uri, module, ownsModule: true));

    /// <summary>Opens the P-256 private key the URI names through <paramref name="module"/>, which outlives the key.</summary>
    public static Pkcs11EcdsaKey Open(Pkcs11Uri uri, Pkcs11Module module) => Open(uri, module, ownsModule: false);

    /// <summary>
    /// Generates a P-256 key pair inside the token (CKM_EC_KEY_PAIR_GEN) with a module of its own: the private key is a
    /// token object, sensitive and not extractable, usable only for signing. Refuses to overwrite a key of the same label.
    /// </summary>
    public static Pkcs11EcdsaKey Generate(Pkcs11Uri uri) => Owning(uri, module => Generate(uri, module, ownsModule: true));

    /// <summary>The same through <paramref name="module"/>, which outlives the key.</summary>
    public static Pkcs11EcdsaKey Generate(Pkcs11Uri uri, Pkcs11Module module) => Generate(uri, module, ownsModule: false);

    private static Pkcs11EcdsaKey Open(Pkcs11Uri uri, Pkcs11Module module, bool ownsModule) => module.WithSession(uri, session =>
    {
        var (pub, priv) = module.FindKeyPair(session, uri, CKK.CKK_EC, "an EC (P-256)");
        return new Pkcs11EcdsaKey(uri, module, ownsModule, session, priv, PublicKeyOf(session, pub));
    });

    private static Pkcs11EcdsaKey Generate(Pkcs11Uri uri, Pkcs11Module module, bool ownsModule) => module.WithSession(uri, session =>
    {
        var (pub, priv) = module.GenerateSigningKeyPair(session, uri, CKM.CKM_EC_KEY_PAIR_GEN, P256Params);
        return new Pkcs11EcdsaKey(uri, module, ownsModule, session, priv, PublicKeyOf(session, pub));
    });

    /// <summary>Whether the token holds the private key as sensitive and non-extractable (what Generate asks for).</summary>
    public bool IsSensitiveAndNonExtractable()
    {
        lock (_gate) return Pkcs11Module.IsSensitiveAndNonExtractable(_session, _privateKey);
    }

    public override byte[] SignHash(byte[] hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        // r || s, 32 bytes each: IEEE P1363, as .NET's SignHash.
        lock (_gate) return _module.Sign(_session, CKM.CKM_ECDSA, _privateKey, hash, Uri);
    }

    /// <inheritdoc/>
    /// <remarks>ECDSA with SHA-256 (the hash made here, the signature by the token), r‖s.</remarks>
    public ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(SignHash(SHA256.HashData(data.Span)));

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

    public override string ToString() => $"Pkcs11EcdsaKey({Uri})";

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_gate)
            {
                _session.Dispose();
                _ownedModule?.Dispose();
            }
        }
        base.Dispose(disposing);
    }

    /// <summary>Loads a module for one key; disposes it when the key cannot be made.</summary>
    private static T Owning<T>(Pkcs11Uri uri, Func<Pkcs11Module, T> body)
    {
        var module = Pkcs11Module.Acquire(uri.ModulePath);
        try { return body(module); }
        catch { module.Dispose(); throw; }
    }

    /// <summary>CKA_EC_POINT is the DER OCTET STRING of the uncompressed point 04 || X || Y (PKCS#11 v2.40 §2.3.3).</summary>
    private static ECParameters PublicKeyOf(ISession session, IObjectHandle publicKey)
    {
        var point = Pkcs11Module.EcPoint(session, publicKey);
        if (point.Length != 65 || point[0] != 0x04) throw new Pkcs11KeyException("the token's public key is not an uncompressed P-256 point");
        return new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..] } };
    }
}
