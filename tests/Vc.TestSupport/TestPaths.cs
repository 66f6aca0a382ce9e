namespace Vc.TestSupport;

/// <summary>
/// Where tests find the repository and the read-only conformance data in ../shared.
/// Suites can be pointed at other copies through environment variables.
/// </summary>
public static class TestPaths
{
    /// <summary>The repository root: the nearest ancestor of the test binary holding VcHealth.sln.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>../shared relative to the repository root (VCHEALTH_SHARED overrides).</summary>
    public static string Shared =>
        Environment.GetEnvironmentVariable("VCHEALTH_SHARED") is { Length: > 0 } s
            ? Path.GetFullPath(s)
            : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    /// <summary>A folder under shared/testdata, unless the named environment variable points elsewhere.</summary>
    public static string TestData(string relative, string? overrideVariable = null)
    {
        if (overrideVariable is not null && Environment.GetEnvironmentVariable(overrideVariable) is { Length: > 0 } o)
            return Path.GetFullPath(o);
        return Path.Combine(Shared, "testdata", relative);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "VcHealth.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException("VcHealth.sln not found above " + AppContext.BaseDirectory);
    }
}
