using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using Landslide.TestSupport;

namespace Landslide.Web.Tests;

/// <summary>The web map of `landslide serve`, checked in real headless Chromium against the served run's outputs.</summary>
public sealed partial class WebMapTests(ServedRunFixture served) : IClassFixture<ServedRunFixture>
{
    [RealDataFact]
    public async Task RunList_ShowsTheMappedScene_AsCompleted_WithALinkToItsMap()
    {
        var list = (await served.BrowserAsync()).GetProperty("list");
        Assert.StartsWith("completed", list.GetProperty("status").GetString());
        Assert.Equal($"run/{ServedRunFixture.Scene}", list.GetProperty("link").GetString());
        Assert.True(list.GetProperty("models").GetInt32() >= 1);
    }

    [RealDataFact]
    public async Task RunList_ShowsARejectedScene_WithItsError()
    {
        var rows = (await served.BrowserAsync()).GetProperty("list").GetProperty("runs").EnumerateArray().ToList();
        var rejected = Assert.Single(rows, r => r.GetProperty("scene").GetString() == ServedRunFixture.RejectedScene);
        Assert.Equal("rejected", rejected.GetProperty("status").GetString());
        Assert.Contains("NotARaster", rejected.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [RealDataFact]
    public async Task RunPage_DrawsAsManyPolygonFeatures_AsLandslidesGeoJsonHas()
    {
        var page = await served.BrowserAsync();
        Assert.Equal("ready", page.GetProperty("state").GetString());
        var geoJson = await ResultBlobAsync("landslides.geojson");
        var expected = JsonDocument.Parse(geoJson).RootElement.GetProperty("features").GetArrayLength();
        Assert.True(expected > 0, "the mosaic of real patches should give at least one polygon");
        Assert.Equal(expected, page.GetProperty("features").GetInt32());
        Assert.Equal(1, page.GetProperty("scaleBar").GetInt32());
    }

    [RealDataFact]
    public async Task ThresholdSlider_RecoloursTheProbabilityPixels()
    {
        var slider = (await served.BrowserAsync()).GetProperty("slider");
        Assert.True(slider.GetProperty("changedPixels").GetInt32() > 0);
        var atStart = slider.GetProperty("colouredAtStart").GetInt32();
        Assert.True(slider.GetProperty("colouredAt005").GetInt32() > atStart, slider.ToString());
        Assert.True(slider.GetProperty("colouredAt095").GetInt32() < atStart, slider.ToString());
    }

    [RealDataFact]
    public async Task Screenshot_HasThePolygonColour_WhereTheMaskIs1_AndNotElsewhere()
    {
        var check = (await served.BrowserAsync()).GetProperty("pixelCheck");
        Assert.True(check.GetProperty("landslideChecked").GetInt32() > 50, check.ToString());
        Assert.True(check.GetProperty("backgroundChecked").GetInt32() > 10000, check.ToString());
        Assert.Equal(0, check.GetProperty("landslideWrong").GetInt32());
        Assert.Equal(0, check.GetProperty("backgroundWrong").GetInt32());
    }

    [RealDataFact]
    public async Task ClickOnAPolygon_OpensAPopup_WithAreaProbabilitiesAndCentroid()
    {
        var popup = (await served.BrowserAsync()).GetProperty("popup").GetString();
        Assert.NotNull(popup);
        Assert.Matches(AreaPattern(), popup);
        Assert.Contains("mean probability 0.", popup, StringComparison.Ordinal);
        Assert.Contains("max probability ", popup, StringComparison.Ordinal);
        Assert.Contains("centroid", popup, StringComparison.Ordinal);
    }

    [RealDataFact]
    public async Task Pages_LogNoConsoleErrors_AndNoRequestLeaves127001()
    {
        var page = await served.BrowserAsync();
        Assert.Empty(page.GetProperty("consoleErrors").EnumerateArray());
        Assert.Empty(page.GetProperty("leaving").EnumerateArray());
        Assert.True(page.GetProperty("rangeRequests").GetInt32() > 0);
    }

    [RealDataFact]
    public async Task RunPage_OffersADownloadForEveryOutput_AndEachDownloads()
    {
        var page = await served.BrowserAsync();
        var links = page.GetProperty("downloads").EnumerateArray().Select(l => l.GetString()!).ToList();
        string[] outputs = ["mask.tif", "probability.tif", "landslides.geojson", "quicklook.png", "run.json", "item.json", "report.html", "truecolour.png"];
        Assert.Equal(outputs.Order(), links.Select(l => l[(l.LastIndexOf('/') + 1)..]).Order());
        using var http = new HttpClient();
        foreach (var link in links)
        {
            using var response = await http.GetAsync(new Uri(link));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 0, link);
        }
    }

    [RealDataFact]
    public async Task Outputs_HonourRange_With206AndTheBlobsBytes()
    {
        var blob = await ResultBlobAsync("probability.tif");
        using var http = new HttpClient { BaseAddress = served.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"runs/{ServedRunFixture.Scene}/files/probability.tif");
        request.Headers.Range = new RangeHeaderValue(1000, 1999);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes 1000-1999/{blob.Length}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(blob.AsSpan(1000, 1000).ToArray(), await response.Content.ReadAsByteArrayAsync());
    }

    [RealDataFact]
    public async Task UnknownOutputOrScene_Answers404_WithAReason()
    {
        using var http = new HttpClient { BaseAddress = served.BaseUrl };
        using var badName = await http.GetAsync($"runs/{ServedRunFixture.Scene}/files/..%2F..%2Fscenes%2Fscene.tif");
        Assert.Equal(HttpStatusCode.NotFound, badName.StatusCode);
        using var badScene = await http.GetAsync("api/runs/no-such-scene");
        Assert.Equal(HttpStatusCode.NotFound, badScene.StatusCode);
        Assert.Contains("no-such-scene", await badScene.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [RealDataFact]
    public async Task Finalizer_WritesReportHtml_IntoResults_ThatChromiumRendersFromDisk_WithEveryPolygon()
    {
        var geoJson = await ResultBlobAsync("landslides.geojson");
        var expected = JsonDocument.Parse(geoJson).RootElement.GetProperty("features").GetArrayLength();
        using var folder = new TempDirectory("finalizer-report");
        await File.WriteAllBytesAsync(folder.File("report.html"), await ResultBlobAsync("report.html"));
        var shown = await NodeScript.RunAsync("web/tests/report.mjs", "--report", folder.File("report.html"));
        Assert.Equal(expected, shown.GetProperty("svgPolygons").GetInt32());
        Assert.Equal(expected, shown.GetProperty("tableRows").GetInt32());
        Assert.Empty(shown.GetProperty("requests").EnumerateArray());
        Assert.Empty(shown.GetProperty("consoleErrors").EnumerateArray());
    }

    private async Task<byte[]> ResultBlobAsync(string name)
    {
        var blob = new BlobServiceClient(served.ConnectionString).GetBlobContainerClient("results").GetBlobClient($"{ServedRunFixture.Scene}/{name}");
        return (await blob.DownloadContentAsync()).Value.Content.ToArray();
    }

    [GeneratedRegex(@"area [\d,]+ m²")]
    private static partial Regex AreaPattern();

}
