using System.Diagnostics;
using Landslide.Raster.Interop;

namespace Landslide.Raster.Tests.Interop;

/// <summary>The SONAME resolver's candidate logic, and that the real GDAL on this machine is found through it.</summary>
public sealed class GdalLibraryTests
{
    private const string Ubuntu2404 = "PRETTY_NAME=\"Ubuntu 24.04.1 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"24.04\"\nID=ubuntu\nID_LIKE=debian\n";
    private const string Debian12 = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nVERSION_ID=\"12\"\nID=debian\n";

    [Fact]
    public void Candidates_CoverEverySupportedDistribution_ThenTheUnversionedName()
    {
        Assert.Equal(["libgdal.so.36", "libgdal.so.34", "libgdal.so.32", "libgdal.so.30", "libgdal.so"], GdalLibrary.Candidates);
        Assert.Equal(
            ["Debian 12 (bookworm):libgdal32", "Debian 13 (trixie):libgdal36", "Ubuntu 22.04 (jammy):libgdal30", "Ubuntu 24.04 (noble):libgdal34t64"],
            GdalLibrary.Packages.Select(p => $"{p.Distribution}:{p.Package}").Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("libgdal.so.36")]
    [InlineData("libgdal.so.34")]
    [InlineData("libgdal.so.32")]
    [InlineData("libgdal.so.30")]
    [InlineData("libgdal.so")]
    public void Load_TakesTheFirstCandidateThatLoads_AndTriesNothingAfterIt(string present)
    {
        var tried = new List<string>();

        var handle = GdalLibrary.Load(GdalLibrary.Candidates, name =>
        {
            tried.Add(name);
            return name == present ? 42 : 0;
        }, Debian12);

        Assert.Equal(42, handle);
        Assert.Equal(present, tried[^1]);
        Assert.Equal(GdalLibrary.Candidates.TakeWhile(c => c != present).Count() + 1, tried.Count);
    }

    [Theory]
    [InlineData(Ubuntu2404, "on Ubuntu 24.04 (noble) install it with 'apt-get install libgdal34t64'")]
    [InlineData(Debian12, "on Debian 12 (bookworm) install it with 'apt-get install libgdal32'")]
    [InlineData("ID=debian\nVERSION_ID=\"13\"\n", "'apt-get install libgdal36'")]
    [InlineData("ID=ubuntu\nVERSION_ID=\"22.04\"\n", "'apt-get install libgdal30'")]
    public void Load_WhenNothingLoads_FailsWithOneMessage_NamingThisDistributionsPackage(string osRelease, string expected)
    {
        var error = Assert.Throws<DllNotFoundException>(() => GdalLibrary.Load(GdalLibrary.Candidates, _ => 0, osRelease));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("tried libgdal.so.36, libgdal.so.34, libgdal.so.32, libgdal.so.30, libgdal.so", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("ID=alpine\nVERSION_ID=3.20.0\n")]
    [InlineData(null)]
    public void Load_OnAnUnknownSystem_ListsEveryPackage(string? osRelease)
    {
        var error = Assert.Throws<DllNotFoundException>(() => GdalLibrary.Load(GdalLibrary.Candidates, _ => 0, osRelease));

        foreach (var package in GdalLibrary.Packages)
        {
            Assert.Contains($"{package.Package} on {package.Distribution}", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void RealGdal_IsFoundThroughTheResolver_AndIsTheOneGdalinfoUses()
    {
        // Any GDAL call binds through the resolver: "gdal" is not a file name the loader knows by itself.
        var version = GdalSettings.RuntimeVersion;

        var start = new ProcessStartInfo("gdalinfo", "--version") { RedirectStandardOutput = true, UseShellExecute = false };
        using var gdalinfo = Process.Start(start)!;
        var expected = gdalinfo.StandardOutput.ReadToEnd();
        gdalinfo.WaitForExit();
        Assert.StartsWith($"GDAL {version},", expected, StringComparison.Ordinal);
    }
}
