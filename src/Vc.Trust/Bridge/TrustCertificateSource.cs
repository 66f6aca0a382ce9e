using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Vc.Trust.Bridge;

/// <summary>A DSC with the chain above it (x5c order: [DSC, SCA/CSCA, …]), as the local store keeps it.</summary>
public sealed record StoredCertificate(X509Certificate2 Dsc, IReadOnlyList<X509Certificate2> Chain)
{
    /// <summary>SHA-256 over the DSC's DER: the registry's thumbprint.</summary>
    public Bytes32 Thumbprint { get; } = Bytes32.FromBytes(SHA256.HashData(Dsc.RawData));

    /// <summary>hcert §3.3.1: first 8 bytes of SHA-256 over the DER.</summary>
    public byte[] Kid => Thumbprint.ToArray()[..8];

    /// <summary>The issuing SCA/CSCA (x5c[1]) when known.</summary>
    public X509Certificate2? Issuer => Chain.Count > 0 ? Chain[0] : null;
}

/// <summary>
/// The certificates behind the registry's DSC entries. The registry keeps only kid + SHA-256 thumbprint (no
/// certificates, no personal data); exports with x5c and HCERT verification need the DER, kept here, filled on import.
/// Readers must check SHA-256(DER) = the registry's thumbprint: the store is a cache, not a trust root.
/// </summary>
public interface ITrustCertificateSource
{
    /// <summary>The certificate whose DER hashes to <paramref name="thumbprint"/>, or null.</summary>
    Task<StoredCertificate?> FindAsync(Bytes32 thumbprint, CancellationToken ct = default);

    /// <summary>Adds (or replaces) a certificate, keyed by its own thumbprint.</summary>
    Task AddAsync(StoredCertificate certificate, CancellationToken ct = default);
}

/// <summary>A certificate store in memory (tests, benchmarks, a node that re-imports on start).</summary>
public sealed class InMemoryCertificateSource : ITrustCertificateSource
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Bytes32, StoredCertificate> _byThumbprint = new();

    public int Count => _byThumbprint.Count;

    public Task<StoredCertificate?> FindAsync(Bytes32 thumbprint, CancellationToken ct = default) =>
        Task.FromResult(_byThumbprint.TryGetValue(thumbprint, out var c) ? c : null);

    public Task AddAsync(StoredCertificate certificate, CancellationToken ct = default)
    {
        _byThumbprint[certificate.Thumbprint] = certificate;
        return Task.CompletedTask;
    }
}

/// <summary>
/// A certificate store in a folder: one PEM file per DSC, named by its thumbprint (64 hex digits + ".pem"),
/// holding the DSC first and its chain after it. A file whose first certificate does not hash to its name is
/// refused (<see cref="TrustBridgeError.CertificateStoreMismatch"/>).
/// </summary>
public sealed class FolderCertificateSource : ITrustCertificateSource
{
    /// <summary>Upper bound on one PEM file: a DSC with its chain is a few kilobytes.</summary>
    public const int MaxFileBytes = 256 * 1024;

    public string Directory { get; }

    public FolderCertificateSource(string directory)
    {
        if (string.IsNullOrWhiteSpace(directory))
            throw new TrustBridgeException(TrustBridgeError.InvalidInput, "a certificate folder path is required");
        Directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public async Task<StoredCertificate?> FindAsync(Bytes32 thumbprint, CancellationToken ct = default)
    {
        var path = PathOf(thumbprint);
        var info = new FileInfo(path);
        if (!info.Exists) return null;
        if (info.Length > MaxFileBytes)
            throw new TrustBridgeException(TrustBridgeError.CertificateStoreMismatch, $"{path} is larger than {MaxFileBytes} bytes");
        var pem = await File.ReadAllTextAsync(path, ct);
        var collection = new X509Certificate2Collection();
        try { collection.ImportFromPem(pem); }
        catch (CryptographicException e) { throw new TrustBridgeException(TrustBridgeError.CertificateStoreMismatch, $"{path} holds no readable PEM certificates", e); }
        if (collection.Count == 0)
            throw new TrustBridgeException(TrustBridgeError.CertificateStoreMismatch, $"{path} holds no certificate");
        var stored = new StoredCertificate(collection[0], collection.Skip(1).ToArray());
        if (stored.Thumbprint != thumbprint)
            throw new TrustBridgeException(TrustBridgeError.CertificateStoreMismatch, $"{path}: SHA-256 of the stored DSC is {stored.Thumbprint}, not its file name");
        return stored;
    }

    public async Task AddAsync(StoredCertificate certificate, CancellationToken ct = default)
    {
        var text = new StringBuilder();
        foreach (var c in new[] { certificate.Dsc }.Concat(certificate.Chain))
            text.Append(PemEncoding.WriteString("CERTIFICATE", c.RawData)).Append('\n');
        // Write then rename: a reader never sees half a file.
        var path = PathOf(certificate.Thumbprint);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await File.WriteAllTextAsync(temp, text.ToString(), ct);
        File.Move(temp, path, overwrite: true);
    }

    private string PathOf(Bytes32 thumbprint) => Path.Combine(Directory, thumbprint.ToString()[2..] + ".pem");
}
