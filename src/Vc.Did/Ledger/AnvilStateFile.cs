using System.IO.Compression;
using Nethereum.JsonRpc.Client;

namespace Vc.Did.Ledger;

/// <summary>
/// An embedded Anvil's chain state on disk. Anvil's own --dump-state rewrites the file in place (same inode), so a
/// kill in the middle of a dump leaves a truncated state and the next start loses the chain: we do not use it.
/// Instead the writer that just got a receipt asks Anvil for its state (anvil_dumpState) and replaces the file
/// atomically (temp file, fsync, rename), under a lock so a dump taken later never lands before an earlier one.
/// Anvil loads it at start with --load-state (the same JSON, gunzipped).
/// </summary>
public sealed class AnvilStateFile(string path)
{
    /// <summary>Decompressed state larger than this is refused (a dev chain's state is a few MB).</summary>
    public const long MaxBytes = 1L << 30;

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>Whether there is a state to load (a leftover temp file of an interrupted save is not one).</summary>
    public bool Exists => new FileInfo(Path) is { Exists: true, Length: > 0 };

    /// <summary>Dumps the node's current state and replaces the file with it, atomically.</summary>
    public async Task SaveAsync(LedgerRpc rpc, CancellationToken ct = default)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        await using var gate = await FileLock.AcquireAsync(Path + ".lock", ct);
        var hex = await rpc.Client.CallAsync<string>(new RpcRequest(1, "anvil_dumpState"), ct);
        if (hex is not { Length: > 2 } || !hex.StartsWith("0x", StringComparison.Ordinal))
            throw new LedgerException(LedgerError.MalformedResponse, "anvil_dumpState: not a hex string");
        byte[] gzip;
        try { gzip = Convert.FromHexString(hex.AsSpan(2)); }
        catch (FormatException e) { throw new LedgerException(LedgerError.MalformedResponse, "anvil_dumpState: not a hex string", e); }

        var temp = Path + ".tmp";
        await using (var file = new FileStream(temp, FileLock.OwnerOnly(new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write })))
        {
            try
            {
                await using var state = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
                var buffer = new byte[81920];
                int n;
                while ((n = await state.ReadAsync(buffer, ct)) > 0)
                {
                    if (file.Length + n > MaxBytes) throw new LedgerException(LedgerError.ResponseTooLarge, $"anvil state exceeds {MaxBytes} bytes");
                    await file.WriteAsync(buffer.AsMemory(0, n), ct);
                }
            }
            catch (InvalidDataException e) { throw new LedgerException(LedgerError.MalformedResponse, "anvil_dumpState: not gzip", e); }
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, Path, overwrite: true);
    }
}
