using System.Diagnostics.CodeAnalysis;
using Vc.Did.Core;
using Vc.Did.Encoding;
using Vc.Did.Keys;

namespace Vc.Did.Key;

/// <summary>
/// A did:key identifier (did:key method v0.9): <c>did:key:z&lt;base58btc(multicodec ‖ public key)&gt;</c>.
/// The one did:key implementation: <see cref="DidKeyResolver"/> takes the identifier, its verification method id
/// and its verification relationships from here.
/// </summary>
/// <param name="Did">The DID, without fragment.</param>
/// <param name="KeyType">Ed25519, X25519, Secp256k1, P-256 or P-384.</param>
/// <param name="PublicKey">Raw Ed25519 / X25519 key, or compressed SEC1 point.</param>
/// <param name="Multibase">The method-specific id; also the fragment of the single verification method.</param>
public sealed record DidKey(string Did, string KeyType, byte[] PublicKey, string Multibase)
{
    /// <summary>"did:key:".</summary>
    public const string Prefix = "did:key:";

    // did:key §"Decode Public Key": multicodec header, then the key of the length that type requires.
    private static readonly (string Type, byte[] Header, int Length, bool Compressed)[] s_codecs =
    [
        ("Ed25519", Multicodec.Ed25519Public.ToArray(), 32, false),
        ("X25519", Multicodec.X25519Public.ToArray(), 32, false),
        ("Secp256k1", Multicodec.Secp256k1Public.ToArray(), 33, true),
        ("P-256", Multicodec.P256Public.ToArray(), 33, true),
        ("P-384", Multicodec.P384Public.ToArray(), 49, true),
    ];

    private static readonly IReadOnlyList<VerificationRelationship> s_signing =
    [
        VerificationRelationship.Authentication, VerificationRelationship.AssertionMethod,
        VerificationRelationship.CapabilityInvocation, VerificationRelationship.CapabilityDelegation,
    ];

    private static readonly IReadOnlyList<VerificationRelationship> s_keyAgreement = [VerificationRelationship.KeyAgreement];

    /// <summary>The id of the document's single verification method: did:key:z…#z….</summary>
    public string VerificationMethodId => Did + "#" + Multibase;

    /// <summary>
    /// did:key §"Document Creation Algorithm": an X25519 key only agrees keys; a signing key is listed under
    /// authentication, assertionMethod, capabilityInvocation and capabilityDelegation.
    /// </summary>
    public IReadOnlyList<VerificationRelationship> Relationships => KeyType == "X25519" ? s_keyAgreement : s_signing;

    /// <summary>Parses a did:key (a DID URL's fragment is dropped). Syntax only: curve points are not checked.</summary>
    /// <param name="error">Why the input is not a did:key of a known key type.</param>
    public static bool TryParse(string did, [NotNullWhen(true)] out DidKey? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        var hash = did.IndexOf('#');
        var bare = hash < 0 ? did : did[..hash];
        if (bare.Length > 256 || !bare.StartsWith(Prefix + "z", StringComparison.Ordinal))
        {
            error = $"not a did:key DID: {(did.Length <= 80 ? did : did[..80] + "…")}";
            return false;
        }
        var multibase = bare[Prefix.Length..];
        byte[] bytes;
        try { bytes = Encoding.Multibase.DecodeBase58Btc(multibase); }
        catch (FormatException) { bytes = []; }
        if (bytes.Length < 3)
        {
            error = "did:key value is not base58btc";
            return false;
        }
        foreach (var (type, header, length, compressed) in s_codecs)
        {
            if (!bytes.AsSpan().StartsWith(header)) continue;
            var raw = bytes[header.Length..];
            if (raw.Length != length) error = $"{type} key must be {length} bytes, got {raw.Length}";
            else if (compressed && raw[0] is not (2 or 3)) error = $"{type} key must be a compressed point";
            else
            {
                key = new DidKey(bare, type, raw, multibase);
                error = null;
                return true;
            }
            return false;
        }
        error = $"unsupported did:key multicodec 0x{bytes[0]:x2}{bytes[1]:x2}";
        return false;
    }

    /// <summary>The did:key of a raw public key of one of the did:key types (compressed point for the curves).</summary>
    public static string For(string keyType, byte[] publicKey)
    {
        foreach (var (type, header, _, _) in s_codecs)
            if (type == keyType) return Prefix + Encoding.Multibase.EncodeBase58Btc([.. header, .. publicKey]);
        throw new ArgumentException("unsupported key type " + keyType);
    }

    /// <summary>The did:key of a verification key (its Multikey as method-specific id).</summary>
    public static DidKey For(VerificationKey key)
    {
        var multibase = key.PublicKeyMultibase;
        var type = key.KeyType switch { Keys.KeyType.Ed25519 => "Ed25519", Keys.KeyType.P256 => "P-256", _ => "P-384" };
        return new DidKey(Prefix + multibase, type, key.RawBytes.ToArray(), multibase);
    }
}
