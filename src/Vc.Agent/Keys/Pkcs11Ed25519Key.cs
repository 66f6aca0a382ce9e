using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Vc.Credentials.Keys;
using Vc.Did.Keys;

namespace Vc.Agent.Keys;

/// <summary>
/// An Ed25519 private key in a PKCS#11 token, signing with CKM_EDDSA (PKCS#11 v3.0 §2.3.14; pure Ed25519, no
/// parameters) for eddsa-rdfc-2022 and eddsa-jcs-2022 proofs. Pkcs11Interop 5 predates v3.0, so the v3.0 constants
/// are named here. SoftHSM2 2.6 has them when built on OpenSSL ≥ 1.1.1 (Debian's is).
/// </summary>
public sealed class Pkcs11Ed25519Key : ISigningKey, IDisposable
{
    /// <summary>CKK_EC_EDWARDS, CKM_EC_EDWARDS_KEY_PAIR_GEN and CKM_EDDSA (PKCS#11 v3.0 §2.3.3, §2.3.5, §2.3.14).</summary>
    private const CKK CkkEcEdwards = (CKK)0x40;
    private const CKM CkmEcEdwardsKeyPairGen = (CKM)0x1055;
    private const CKM CkmEddsa = (CKM)0x1057;

    /// <summary>DER of the OID id-Ed25519 1.3.101.112 (RFC 8410 §3), the curve's CKA_EC_PARAMS.</summary>
    private static readonly byte[] Ed25519Params = [0x06, 0x03, 0x2B, 0x65, 0x70];

    private readonly Pkcs11Module _module;
    private readonly ISession _session;
    private readonly IObjectHandle _privateKey;
    private readonly Lock _gate = new();

    public Pkcs11Uri Uri { get; }

    /// <inheritdoc/>
    public KeyType KeyType => KeyType.Ed25519;

    /// <inheritdoc/>
    public VerificationKey PublicKey { get; }

    private Pkcs11Ed25519Key(Pkcs11Uri uri, Pkcs11Module module, ISession session, IObjectHandle privateKey, byte[] publicKey)
    {
        Uri = uri;
        _module = module;
        _session = session;
        _privateKey = privateKey;
        PublicKey = VerificationKey.FromEd25519(publicKey);
    }

    /// <summary>Opens the Ed25519 private key the URI names through <paramref name="module"/>, which outlives the key.</summary>
    public static Pkcs11Ed25519Key Open(Pkcs11Uri uri, Pkcs11Module module) => module.WithSession(uri, session =>
    {
        var (pub, priv) = module.FindKeyPair(session, uri, CkkEcEdwards, "an Ed25519");
        return new Pkcs11Ed25519Key(uri, module, session, priv, PublicKeyOf(session, pub));
    });

    /// <summary>
    /// Generates an Ed25519 key pair inside the token (CKM_EC_EDWARDS_KEY_PAIR_GEN): sensitive, not extractable, for
    /// signing only. Refuses to overwrite a key of the same label; a token without EdDSA is a typed error.
    /// </summary>
    public static Pkcs11Ed25519Key Generate(Pkcs11Uri uri, Pkcs11Module module) => module.WithSession(uri, session =>
    {
        try
        {
            var (pub, priv) = module.GenerateSigningKeyPair(session, uri, CkmEcEdwardsKeyPairGen, Ed25519Params);
            return new Pkcs11Ed25519Key(uri, module, session, priv, PublicKeyOf(session, pub));
        }
        catch (Pkcs11Exception e) when (e.RV is CKR.CKR_MECHANISM_INVALID or CKR.CKR_CURVE_NOT_SUPPORTED or CKR.CKR_DOMAIN_PARAMS_INVALID)
        {
            throw new Pkcs11KeyException($"the token '{uri.Token}' does not generate Ed25519 keys ({e.RV})");
        }
    });

    /// <summary>Whether the token holds the private key as sensitive and non-extractable.</summary>
    public bool IsSensitiveAndNonExtractable()
    {
        lock (_gate) return Pkcs11Module.IsSensitiveAndNonExtractable(_session, _privateKey);
    }

    /// <inheritdoc/>
    public ValueTask<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        lock (_gate) return ValueTask.FromResult(_module.Sign(_session, CkmEddsa, _privateKey, data.ToArray(), Uri));
    }

    public override string ToString() => $"Pkcs11Ed25519Key({Uri})";

    public void Dispose()
    {
        lock (_gate) _session.Dispose();
    }

    /// <summary>CKA_EC_POINT of an Edwards key: the 32-byte public key (PKCS#11 v3.0 §2.3.6).</summary>
    private static byte[] PublicKeyOf(ISession session, IObjectHandle publicKey) =>
        Pkcs11Module.EcPoint(session, publicKey) is { Length: 32 } point ? point : throw new Pkcs11KeyException("the token's public key is not a 32-byte Ed25519 key");
}
