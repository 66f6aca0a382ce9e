using System.Security.Cryptography;

namespace Vc.Agent.Storage;

/// <summary>
/// Encrypts private keys at rest with AES-256-GCM under a key from configuration (VCHEALTH_MASTER_KEY,
/// base64 of 32 bytes). Without one, a dev master key is generated once in the data directory (mode 0600).
/// The record id is bound as associated data, so a ciphertext cannot be moved to another issuer.
/// </summary>
public sealed class KeyProtector
{
    private const byte Version = 1;
    private readonly byte[] _key;

    private KeyProtector(byte[] key) => _key = key;

    public static KeyProtector FromConfiguration(string dataDirectory)
    {
        if (Environment.GetEnvironmentVariable("VCHEALTH_MASTER_KEY") is { Length: > 0 } configured)
        {
            byte[] key;
            try { key = Convert.FromBase64String(configured); }
            catch (FormatException) { throw new StoreException("VCHEALTH_MASTER_KEY is not base64"); }
            return key.Length == 32 ? new KeyProtector(key) : throw new StoreException("VCHEALTH_MASTER_KEY must be 32 bytes");
        }
        var path = Path.Combine(dataDirectory, "master.key");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(dataDirectory);
            var fresh = RandomNumberGenerator.GetBytes(32);
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var f = new FileStream(path, create))
                f.Write(fresh);
            return new KeyProtector(fresh);
        }
        var existing = File.ReadAllBytes(path);
        return existing.Length == 32 ? new KeyProtector(existing) : throw new StoreException($"{path} is not a 32-byte key");
    }

    public byte[] Protect(ReadOnlySpan<byte> secret, string recordId)
    {
        var output = new byte[1 + 12 + 16 + secret.Length];
        output[0] = Version;
        var nonce = output.AsSpan(1, 12);
        RandomNumberGenerator.Fill(nonce);
        using var gcm = new AesGcm(_key, 16);
        gcm.Encrypt(nonce, secret, output.AsSpan(29), output.AsSpan(13, 16), System.Text.Encoding.UTF8.GetBytes(recordId));
        return output;
    }

    public byte[] Unprotect(ReadOnlySpan<byte> protectedSecret, string recordId)
    {
        if (protectedSecret.Length < 29 || protectedSecret[0] != Version)
            throw new StoreException($"encrypted key of {recordId} has an unknown format");
        var plain = new byte[protectedSecret.Length - 29];
        using var gcm = new AesGcm(_key, 16);
        try
        {
            gcm.Decrypt(protectedSecret.Slice(1, 12), protectedSecret[29..], protectedSecret.Slice(13, 16), plain,
                System.Text.Encoding.UTF8.GetBytes(recordId));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new StoreException($"encrypted key of {recordId} does not decrypt with the configured master key", e);
        }
        return plain;
    }
}
