using System.Text.Json;
using Vc.Did.Core;
using Vc.Did.Encoding;

namespace Vc.Did.Key;

/// <summary>
/// did:key (did:key method spec v0.9): <c>did:key:z&lt;base58btc(multicodec ‖ public key)&gt;</c>, resolved
/// without any ledger to one Multikey verification method.
/// </summary>
public sealed record DidKey(string Did, string KeyType, byte[] PublicKey, string Multibase)
{
    public static DidKey Parse(string did)
    {
        var bare = did.Split('#')[0];
        if (bare.Length > 256 || !bare.StartsWith("did:key:z", StringComparison.Ordinal))
            throw new Ethr.DidParseException($"not a did:key DID: {Codec.Short(did)}");
        var multibase = bare["did:key:".Length..];
        if (!Codec.TryFromBase58(multibase[1..], out var bytes) || bytes.Length < 3)
            throw new Ethr.DidParseException("did:key value is not base58btc");
        // did:key §"Decode Public Key": multicodec varint prefix, then the key of the length that type requires.
        (string Type, int Length, bool Compressed)? kind = (bytes[0], bytes[1]) switch
        {
            (0xed, 0x01) => ("Ed25519", 32, false),
            (0xec, 0x01) => ("X25519", 32, false),
            (0xe7, 0x01) => ("Secp256k1", 33, true),
            (0x80, 0x24) => ("P-256", 33, true),
            (0x81, 0x24) => ("P-384", 49, true),
            _ => null,
        };
        if (kind is not { } k) throw new Ethr.DidParseException($"unsupported did:key multicodec 0x{bytes[0]:x2}{bytes[1]:x2}");
        var key = bytes[2..];
        if (key.Length != k.Length) throw new Ethr.DidParseException($"{k.Type} key must be {k.Length} bytes, got {key.Length}");
        if (k.Compressed && key[0] is not (2 or 3)) throw new Ethr.DidParseException($"{k.Type} key must be a compressed point");
        return new DidKey(bare, k.Type, key, multibase);
    }

    public static string For(string keyType, byte[] publicKey) => "did:key:" + Codec.ToMultibase(publicKey, keyType switch
    {
        "Ed25519" => Codec.Ed25519Pub,
        "X25519" => Codec.X25519Pub,
        "Secp256k1" => Codec.Secp256k1Pub,
        "P-256" => Codec.P256Pub,
        "P-384" => Codec.P384Pub,
        _ => throw new ArgumentException("unsupported key type " + keyType),
    });

    /// <summary>did:key §"Document Creation Algorithm" with the Multikey representation.</summary>
    public DidDocument ToDocument()
    {
        var vmId = $"{Did}#{Multibase}";
        var vm = new VerificationMethod(vmId, "Multikey", Did) { PublicKeyMultibase = Multibase };
        IReadOnlyList<JsonElement> context =
            [JsonSerializer.SerializeToElement("https://www.w3.org/ns/did/v1"), JsonSerializer.SerializeToElement("https://w3id.org/security/multikey/v1")];
        return KeyType == "X25519"
            ? new DidDocument(Did) { Context = context, VerificationMethod = [vm], KeyAgreement = [vmId] }
            : new DidDocument(Did)
            {
                Context = context, VerificationMethod = [vm], Authentication = [vmId], AssertionMethod = [vmId],
                CapabilityInvocation = [vmId], CapabilityDelegation = [vmId],
            };
    }
}

/// <summary>Resolves did:key DIDs (no I/O).</summary>
public sealed class DidKeyResolver : IDidResolver
{
    public Task<DidResolutionResult> ResolveAsync(string did, DidResolutionOptions? options = null, CancellationToken ct = default)
    {
        try
        {
            var key = DidKey.Parse(did);
            return Task.FromResult(new DidResolutionResult(key.ToDocument(), DidDocumentMetadata.Empty,
                new DidResolutionMetadata { ContentType = "application/did+ld+json" }));
        }
        catch (Ethr.DidParseException e)
        {
            return Task.FromResult(DidResolutionResult.Failure(DidResolutionErrors.InvalidDid, e.Message));
        }
    }
}
