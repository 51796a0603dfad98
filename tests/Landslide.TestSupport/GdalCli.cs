using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace Landslide.TestSupport;

/// <summary>Runs GDAL's own command-line tools, the independent checkers of what our bindings wrote.</summary>
public static class GdalCli
{
    public static JsonDocument GdalInfoJson(string path) => JsonDocument.Parse(Run("gdalinfo", "-json", path));

    public static string OgrInfo(string path) => Run("ogrinfo", "-ro", "-al", "-so", path);

    /// <summary>Copies a vector file into layer <paramref name="layer"/> of a GeoPackage (created, or added to).</summary>
    public static void OgrToGeoPackage(string source, string geoPackage, string layer)
    {
        if (File.Exists(geoPackage))
        {
            Run("ogr2ogr", "-f", "GPKG", "-update", "-nln", layer, geoPackage, source);
        }
        else
        {
            Run("ogr2ogr", "-f", "GPKG", "-nln", layer, geoPackage, source);
        }
    }

    /// <summary>
    /// GDAL's own COG validator (osgeo_utils validate_cloud_optimized_geotiff, full check, in Debian's python3-gdal):
    /// the errors it reports, empty for a valid COG (GDAL 3.6 returns warnings, errors, details; older ones errors, details).
    /// </summary>
    public static string ValidateCog(string path) => Run(
        "/usr/bin/python3",
        "-c",
        "import sys\nfrom osgeo import gdal\nfrom osgeo_utils.samples import validate_cloud_optimized_geotiff as v\n"
        + "r = v.validate(gdal.Open(sys.argv[1]), full_check=True)\n"
        + "errors = r[1] if len(r) == 3 else r[0]\nprint('\\n'.join(errors))",
        path).Trim();

    private static string Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {tool}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} exited with {process.ExitCode}: {stderr.Result}");
        return stdout;
    }
}
