using System.Reflection;

namespace Vc.Interop;

/// <summary>Reads the data files shipped as embedded resources (see Resources/NOTICE.md).</summary>
internal static class EmbeddedData
{
    private static readonly Assembly Assembly = typeof(EmbeddedData).Assembly;

    /// <summary>Resource names are "Vc.Interop.{folder}/{file}" (or with '\' on Windows builds).</summary>
    public static IEnumerable<(string Folder, string File)> List() =>
        Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Vc.Interop.", StringComparison.Ordinal))
            .Select(n => n["Vc.Interop.".Length..].Replace('\\', '/'))
            .Where(n => n.Contains('/'))
            .Select(n => (n[..n.LastIndexOf('/')], n[(n.LastIndexOf('/') + 1)..]));

    public static byte[] Read(string folder, string file)
    {
        foreach (var sep in new[] { '/', '\\' })
        {
            using var s = Assembly.GetManifestResourceStream($"Vc.Interop.{folder}{sep}{file}");
            if (s is null) continue;
            using var m = new MemoryStream();
            s.CopyTo(m);
            return m.ToArray();
        }
        throw new FileNotFoundException($"embedded resource {folder}/{file} is missing");
    }
}
