using System.Text.Json;
using Landslide.TestSupport;

namespace Landslide.Web.Tests;

/// <summary>report.html written by `landslide map`, opened from disk in headless Chromium.</summary>
public sealed class ReportTests : IDisposable
{
    private readonly TempDirectory _folder = new("report");

    [RealDataFact]
    public async Task Map_WritesReportHtml_ThatChromiumRendersFromDisk_WithEveryPolygon_AndNoRequest()
    {
        var scene = RealPatches.WriteMosaic(_folder.Path, [1, 3, 16, 27, 28, 38], columns: 3);
        var output = _folder.File("out");
        var map = await LandslideProcess.RunAsync("map", scene, "--out", output);
        Assert.True(map.ExitCode == 0, map.Stderr);

        var expected = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(output, "landslides.geojson")))
            .RootElement.GetProperty("features").GetArrayLength();
        var run = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(output, "run.json"))).RootElement;
        Assert.Contains("report.html", run.GetProperty("outputs").EnumerateArray().Select(o => o.GetString()));

        var shown = await NodeScript.RunAsync(
            "web/tests/report.mjs", "--report", Path.Combine(output, "report.html"), "--screenshot", Repository.Screenshot("report.png"));
        Assert.True(expected > 0, "the mosaic of real patches should give at least one polygon");
        Assert.Equal(expected, shown.GetProperty("svgPolygons").GetInt32());
        Assert.Equal(expected, shown.GetProperty("tableRows").GetInt32());
        Assert.True(shown.GetProperty("imageInline").GetBoolean());
        Assert.True(shown.GetProperty("facts").GetInt32() >= 10);
        Assert.Contains($"{expected} polygons", shown.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Empty(shown.GetProperty("requests").EnumerateArray());
        Assert.Empty(shown.GetProperty("leaving").EnumerateArray());
        Assert.Empty(shown.GetProperty("consoleErrors").EnumerateArray());
    }

    public void Dispose() => _folder.Dispose();
}
