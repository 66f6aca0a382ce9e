namespace Vc.Agent.Storage;

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
