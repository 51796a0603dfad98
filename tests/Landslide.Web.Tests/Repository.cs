using System.Reflection;

namespace Landslide.Web.Tests;

/// <summary>The checkout the tests were built from: web/tests/*.mjs and node_modules live there.</summary>
internal static class Repository
{
    public static string Root { get; } = typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "RepositoryRoot").Value!;

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    /// <summary>Screenshots go to docs/images when LANDSLIDE_UPDATE_SCREENSHOTS=1 (committed once), else to the test output.</summary>
    public static string Screenshot(string name)
    {
        var folder = Environment.GetEnvironmentVariable("LANDSLIDE_UPDATE_SCREENSHOTS") == "1"
            ? Path("docs/images")
            : System.IO.Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        return System.IO.Path.Combine(folder, name);
    }
}
