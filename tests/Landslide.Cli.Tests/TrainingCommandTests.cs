using Landslide.Raster.Labels;
using Landslide.TestSupport;

namespace Landslide.Cli.Tests;

public sealed class TrainingCommandTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly TempDirectory _temp = new("cli-training");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task TrainingAdd_UploadsThePair_ListShowsIt_AndBadPairsExit2WithTheirCode()
    {
        var scene = new SceneBuilder().Write(_temp.File("valley.tif"), (b, x, y) => 1f + (0.001f * x));
        await File.WriteAllTextAsync(_temp.File("valley.geojson"), LabelledMosaic.Rectangles(
            32645, (500_050, 3_099_850, 500_150, 3_099_950, null), (500_000, 3_099_360, 500_640, 3_100_000, LabelValues.LabelledArea)));
        await File.WriteAllTextAsync(_temp.File("far.geojson"), LabelledMosaic.Rectangles(32645, (600_000, 3_000_000, 600_500, 3_000_500, null)));

        var add = await CliProcess.TrainAsync("training", "add", scene, "--labels", _temp.File("valley.geojson"), "--storage", azurite.ConnectionString);
        var again = await CliProcess.TrainAsync("training", "add", scene, "--labels", _temp.File("valley.geojson"), "--storage", azurite.ConnectionString);
        var far = await CliProcess.TrainAsync("training", "add", scene, "--labels", _temp.File("far.geojson"), "--name", "far", "--storage", azurite.ConnectionString);
        var list = await CliProcess.TrainAsync("training", "list", "--storage", azurite.ConnectionString);

        Assert.True(add.ExitCode == 0, add.Stderr);
        Assert.Contains("added training/valley/ (polygons): 100 landslide px", add.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("(NameTaken)", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, far.ExitCode);
        Assert.Contains("(NoOverlap)", far.Stderr, StringComparison.Ordinal);
        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.Contains("current model: none", list.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"valley\s+polygons\s+100\s+3996\s+no", list.Stdout);
        Assert.DoesNotContain("far", list.Stdout, StringComparison.Ordinal);

        var json = await CliProcess.TrainAsync("training", "list", "--storage", azurite.ConnectionString, "--json");
        Assert.True(json.ExitCode == 0, json.Stderr);
        using var listed = System.Text.Json.JsonDocument.Parse(json.Stdout);
        var pair = Assert.Single(listed.RootElement.GetProperty("pairs").EnumerateArray());
        Assert.Equal("valley", pair.GetProperty("name").GetString());
        Assert.Equal(100, pair.GetProperty("landslide_pixels").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, listed.RootElement.GetProperty("current_model").ValueKind);

        // `serve retrain` runs the training program as a process and waits: a failed run fails the command and leaves
        // the retrain state as it was, so the next check starts it again.
        var failed = await CliProcess.RunAsync("serve", "retrain", "--storage", azurite.ConnectionString, "--train-command", "false");
        var succeeded = await CliProcess.RunAsync("serve", "retrain", "--storage", azurite.ConnectionString, "--train-command", "true");
        var unchanged = await CliProcess.RunAsync("serve", "retrain", "--storage", azurite.ConnectionString, "--train-command", "false");
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("error: the training program exited with code 1", failed.Stderr, StringComparison.Ordinal);
        Assert.True(succeeded.ExitCode == 0, succeeded.Stderr);
        Assert.Contains("Retrain started for 1 new or changed items", succeeded.Stderr, StringComparison.Ordinal);
        Assert.True(unchanged.ExitCode == 0, unchanged.Stderr);
        Assert.Contains("not retrained: a retrain for data", unchanged.Stdout, StringComparison.Ordinal);
    }
}
