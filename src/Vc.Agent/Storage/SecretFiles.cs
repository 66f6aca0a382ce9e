using System.Runtime.InteropServices;

namespace Vc.Agent.Storage;

/// <summary>
/// The data directory holds keys, the database, the DID index and the ledger state: only its owner may read it.
/// </summary>
public static class DataDirectory
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Every file and folder this process (and the Anvil it starts) creates from now on is its owner's alone (umask 077):
    /// databases, their WAL/SHM, the index, the ledger state are 0600 without each writer having to say so.
    /// </summary>
    public static void RestrictNewFiles()
    {
        if (!OperatingSystem.IsWindows()) umask(0x3F);
    }

    /// <summary>Creates the directory 0700, or takes group and other access away from an existing one.</summary>
    public static void Ensure(string path)
    {
        if (OperatingSystem.IsWindows()) { Directory.CreateDirectory(path); return; }
        var info = Directory.CreateDirectory(path, OwnerOnly);
        if ((info.UnixFileMode & ~OwnerOnly) != 0) info.UnixFileMode &= OwnerOnly;
    }

    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint umask(uint mask);
}

/// <summary>Key files: created new (never overwritten), readable only by their owner.</summary>
public static class SecretFiles
{
    public static async Task WriteAsync(string path, string secret)
    {
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            await using var file = new StreamWriter(new FileStream(path, create));
            await file.WriteLineAsync(secret);
        }
        catch (IOException e) when (File.Exists(path))
        {
            throw new StoreException($"{path} already exists; not overwriting a key", e);
        }
    }
}
