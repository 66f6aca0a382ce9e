namespace Vc.Did.Ledger;

/// <summary>
/// An exclusive OS file lock (flock on Unix: .NET takes it for <see cref="FileShare.None"/>). The kernel drops it
/// with the last descriptor of its holder, so a killed holder never leaves a stale lock behind.
/// </summary>
public static class FileLock
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(50);

    /// <summary>The options, with a file created 0600 (its owner's alone) where the OS has modes.</summary>
    public static FileStreamOptions OwnerOnly(FileStreamOptions options)
    {
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return options;
    }

    /// <summary>The lock now, or null while another descriptor holds it.</summary>
    public static FileStream? TryAcquire(string path)
    {
        try
        {
            return new FileStream(path, OwnerOnly(new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None }));
        }
        catch (IOException) when (File.Exists(path)) { return null; }
    }

    /// <summary>Waits for the lock, asking at most <paramref name="attempts"/> times (typed failure after).</summary>
    public static async Task<FileStream> AcquireAsync(string path, CancellationToken ct = default, int attempts = 600, TimeProvider? clock = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (TryAcquire(path) is { } held) return held;
            if (attempt >= attempts)
                throw new LedgerException(LedgerError.Busy, $"{Path.GetFileName(path)} is still held by another process after {attempt} attempts");
            await Task.Delay(Pause, clock ?? TimeProvider.System, ct);
        }
    }

    /// <summary>Whether another descriptor holds the lock right now (the probe releases it at once).</summary>
    public static bool IsHeld(string path)
    {
        using var probe = TryAcquire(path);
        return probe is null;
    }
}
