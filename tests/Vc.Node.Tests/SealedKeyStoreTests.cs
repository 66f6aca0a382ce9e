using Vc.Agent;
using Vc.Agent.Keys;
using Vc.Did.Keys;

namespace Vc.Node.Tests;

/// <summary>
/// Sealed issuer keys are kept open while the issuer's stored key is unchanged (issue #16: a decryption and a
/// secure-memory import per credential cost more than its signature), and a rotated key is never signed with again.
/// </summary>
public sealed class SealedKeyStoreTests
{
    [Fact]
    public async Task An_unchanged_stored_key_is_opened_once_and_a_changed_one_replaces_it()
    {
        using var store = new SealedIssuerKeyStore();
        var first = IssuerKeys.NewSecret(KeyType.Ed25519);
        var second = IssuerKeys.NewSecret(KeyType.Ed25519);
        var storedFirst = new byte[] { 1, 2, 3 };
        var storedSecond = new byte[] { 4, 5, 6 };
        var unseals = 0;
        Func<byte[]> Unseal(byte[] secret) => () => { unseals++; return secret.ToArray(); };

        VerificationKey a, b, c;
        using (var key = store.OpenKept("moh", storedFirst, KeyType.Ed25519, Unseal(first))) a = key.Signer.PublicKey;
        using (var key = store.OpenKept("moh", storedFirst, KeyType.Ed25519, Unseal(first)))
        {
            b = key.Signer.PublicKey;
            // The kept key still signs after an earlier lease was disposed.
            var signature = await key.Signer.SignAsync(new byte[] { 42 });
            Assert.True(b.Verify([42], signature));
        }
        Assert.Equal(1, unseals);
        Assert.Equal(a, b);

        // Rotated: the stored form changed, so the new secret is opened and signs from now on.
        using (var key = store.OpenKept("moh", storedSecond, KeyType.Ed25519, Unseal(second))) c = key.Signer.PublicKey;
        Assert.Equal(2, unseals);
        Assert.NotEqual(a, c);
        Assert.Equal(IssuerKeys.Load(KeyType.Ed25519, second).PublicKey, c);
        // Another issuer with the same stored bytes is another key.
        using (var key = store.OpenKept("other", storedSecond, KeyType.Ed25519, Unseal(first))) Assert.Equal(a, key.Signer.PublicKey);
        Assert.Equal(3, unseals);
    }
}
