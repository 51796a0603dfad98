using System.Text.RegularExpressions;
using System.Xml.Linq;
using Landslide.Raster.Interop;

namespace Landslide.Raster.Tests.Interop;

/// <summary>
/// Every image under infra/ whose program loads GDAL (its published project references Landslide.Raster, directly or
/// not) installs a GDAL package whose SONAME the resolver tries; an image without GDAL code needs none.
/// </summary>
public sealed partial class DockerfileGdalTests
{
    public static TheoryData<string> Dockerfiles() => [.. DockerfilePaths()];

    private static IEnumerable<string> DockerfilePaths() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryFiles.Root(), "infra"), "Dockerfile", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepositoryFiles.Root(), f))
            .Order(StringComparer.Ordinal);

    [Fact]
    public void TheImagesThatNeedGdal_AreTheFunctionsAndTrainingImages()
    {
        var needing = DockerfilePaths().Where(LoadsGdal);

        Assert.Equal(["infra/functions/Dockerfile", "infra/training/Dockerfile"], needing);
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Dockerfile_WhoseProgramLoadsGdal_InstallsAPackageTheResolverKnows(string dockerfile)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryFiles.Root(), dockerfile));
        var installed = GdalPackage().Matches(text).Select(m => m.Value).Distinct().ToList();

        if (!LoadsGdal(dockerfile))
        {
            Assert.Empty(installed);
            return;
        }

        Assert.NotEmpty(installed);
        foreach (var package in installed)
        {
            var known = GdalLibrary.Packages.SingleOrDefault(p => p.Package == package);
            Assert.True(known is not null, $"{dockerfile} installs {package}, whose SONAME the GDAL resolver does not know");
            Assert.Contains(known.Soname, GdalLibrary.Candidates);
        }
    }

    /// <summary>The project the image publishes, and whether Landslide.Raster is among its project references.</summary>
    private static bool LoadsGdal(string dockerfile)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryFiles.Root(), dockerfile));
        var published = PublishedProject().Match(text);
        Assert.True(published.Success, $"{dockerfile} has no 'dotnet publish src/...' line");
        var project = Path.Combine(RepositoryFiles.Root(), published.Groups["project"].Value.TrimEnd('/'));
        if (Directory.Exists(project))
        {
            project = Directory.EnumerateFiles(project, "*.csproj").Single();
        }

        return References(project, []).Any(p => Path.GetFileNameWithoutExtension(p) == "Landslide.Raster");
    }

    private static HashSet<string> References(string project, HashSet<string> seen)
    {
        foreach (var include in XDocument.Load(project).Descendants("ProjectReference").Select(r => (string?)r.Attribute("Include")).OfType<string>())
        {
            var path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, include.Replace('\\', '/')));
            if (seen.Add(path))
            {
                References(path, seen);
            }
        }

        return seen;
    }

    [GeneratedRegex(@"\blibgdal\d+(t64)?\b")]
    private static partial Regex GdalPackage();

    [GeneratedRegex(@"dotnet publish\s+(?<project>src/[\w./-]+)")]
    private static partial Regex PublishedProject();
}
