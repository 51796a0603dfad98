using System.Reflection;

namespace Landslide.Infrastructure.Tests;

/// <summary>Locates the checkout (the folder holding Landslide.Functions.sln) from the test binary.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = Locate();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Locate()
    {
        var built = typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (built is not null && File.Exists(Path.Combine(built, "Landslide.Functions.sln")))
        {
            return built;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Landslide.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        // The artifacts path may live outside the checkout (e.g. /tmp/art-x); fall back to the working directory.
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Landslide.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Landslide.Functions.sln not found above the test binary or the working directory.");
    }
}
