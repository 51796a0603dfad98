namespace Landslide.Raster.Tests.Interop;

/// <summary>The repository checkout the tests run from (for tests that read its sources and infrastructure files).</summary>
internal static class RepositoryFiles
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Landslide.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("the repository root (Landslide.Functions.sln) is not above the test output");
    }
}
