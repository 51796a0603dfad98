using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Landslide.Plots;
using Landslide.TestSupport;

namespace Landslide.Cli.Tests;

public sealed class TrainFoldsCommandTests : IDisposable
{
    private static readonly int[] FivePatches = [1, 3, 16, 27, 28];
    private readonly TempDirectory _temp = new("cv");

    public void Dispose() => _temp.Dispose();

    [RealDataFact]
    public async Task TrainFolds_PrintsTheCvTable_RecordsCvJson_PlotsEveryFoldsLoss_AndReusesFinishedFolds()
    {
        var data = LinkPatches([.. FivePatches, 2]); // 2 is a holdout patch: present in the folder, never used.
        string[] args = ["train", "--data", data, "--folds", "5", "--width", "4", "--epochs", "1", "--batch", "4", "--device", "cpu", "--out", _temp.File("cv")];

        var first = await CliProcess.TrainAsync(args);

        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Contains("| fold | test tiles | LS P | LS R | LS F1 | LS IoU | mean F1 | mIoU | polygons | polygon P |", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("| 1 | 28 |", first.Stdout, StringComparison.Ordinal); // fold 1 tests on the last block
        Assert.Contains("| 5 | 1 |", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("| mean +- sd |", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("| pooled OOF |", first.Stdout, StringComparison.Ordinal);
        var chosen = first.Stdout.Split('\n').Single(l => l.StartsWith("chosen out-of-fold", StringComparison.Ordinal));

        using var cv = JsonDocument.Parse(await File.ReadAllTextAsync(_temp.File("cv/cv.json")));
        var folds = cv.RootElement.GetProperty("folds");
        Assert.Equal(5, folds.GetArrayLength());
        Assert.All(folds.EnumerateArray(), f => Assert.DoesNotContain("2", f.GetProperty("test_ids").EnumerateArray().Select(e => e.GetString())));
        Assert.Equal(
            FivePatches.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(),
            folds.EnumerateArray().SelectMany(f => f.GetProperty("test_ids").EnumerateArray().Select(e => e.GetString()!)).Order());
        var setting = cv.RootElement.GetProperty("chosen").GetProperty("setting");
        Assert.Contains($"--threshold {setting.GetProperty("threshold").GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture)} ", chosen, StringComparison.Ordinal);
        Assert.Equal(5, cv.RootElement.GetProperty("at_chosen").GetProperty("folds").GetArrayLength());

        // One plot of all folds: each fold's training loss per epoch, as this run's epoch log printed it and cv.json recorded it.
        var png = await File.ReadAllBytesAsync(_temp.File($"cv/{PlotFiles.CrossValidation}"));
        Assert.True(png.Length > 10_000, $"plot is {png.Length} bytes: nothing drawn?");
        Assert.Equal("PNG", System.Text.Encoding.ASCII.GetString(png, 1, 3));
        Assert.Equal(PlotSize.Width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(PlotSize.Height, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        var plotJson = await File.ReadAllTextAsync(_temp.File($"cv/{PlotFiles.CrossValidationData}"));
        using var plotted = JsonDocument.Parse(plotJson);
        var logged = Regex.Matches(first.Stdout + first.Stderr, @"Epoch 1/1: loss ([\d.]+),")
            .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(5, logged.Count);
        Assert.Equal(5, plotted.RootElement.EnumerateObject().Count());
        foreach (var fold in folds.EnumerateArray())
        {
            var k = fold.GetProperty("fold").GetInt32();
            var drawn = plotted.RootElement.GetProperty($"fold {k}");
            var loss = drawn.GetProperty("loss").EnumerateArray().Select(v => v.GetDouble()).ToList();
            Assert.Equal([1.0], drawn.GetProperty("epoch").EnumerateArray().Select(v => v.GetDouble()));
            Assert.Equal(fold.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("mean_loss").GetDouble()), loss);
            Assert.Equal(logged[k - 1], Math.Round(loss[0], 4));
        }

        var second = await CliProcess.TrainAsync(args);

        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Equal(5, (second.Stdout + second.Stderr).Split("reusing the predictions", StringSplitOptions.None).Length - 1);
        Assert.Contains(chosen, second.Stdout, StringComparison.Ordinal);
        Assert.Contains("every fold was reused, the existing plot is kept", second.Stdout, StringComparison.Ordinal);
        Assert.Equal(plotJson, await File.ReadAllTextAsync(_temp.File($"cv/{PlotFiles.CrossValidationData}")));

        // Another recipe: the kept folds are not reused.
        var other = await CliProcess.TrainAsync([.. args, "--seed", "7"]);
        Assert.True(other.ExitCode == 0, other.Stderr);
        Assert.DoesNotContain("reusing the predictions", other.Stdout + other.Stderr, StringComparison.Ordinal);
        Assert.Contains("from other settings or data", other.Stdout + other.Stderr, StringComparison.Ordinal);
    }

    [RealDataFact]
    public async Task Evaluate_PrintsDetectionsAfterTheModelsFilters_AndExplicitFiltersOverrideThem()
    {
        var data = LinkPatches([3, 45]); // no landslide in either

        var byManifest = await CliProcess.TrainAsync("evaluate", "--data", data, "--ids", "3", "45");
        var strict = await CliProcess.TrainAsync("evaluate", "--data", data, "--ids", "3", "45", "--min-area-m2", "1e9");

        Assert.True(byManifest.ExitCode == 0, byManifest.Stderr);
        Assert.True(strict.ExitCode == 0, strict.Stderr);
        Assert.Contains("polygons per tile: 3: ", byManifest.Stdout, StringComparison.Ordinal);
        Assert.Contains("on 2 tiles without landslide", byManifest.Stdout, StringComparison.Ordinal);
        Assert.Contains("min area 1000000000 m2", strict.Stdout, StringComparison.Ordinal);
        Assert.Contains("detections (threshold", strict.Stdout, StringComparison.Ordinal);
        Assert.Contains("; 0 polygons, polygon precision 0.0000; 0 polygons on 2 tiles without landslide", strict.Stdout, StringComparison.Ordinal);

        // Without options the embedded model's manifest filters apply.
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "models", "embedded", "manifest.json")));
        var minArea = manifest.RootElement.TryGetProperty("min_area_m2", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetDouble() : 0;
        var minMean = manifest.RootElement.TryGetProperty("min_mean_probability", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetDouble() : 0;
        Assert.Contains(FormattableString.Invariant($"min area {minArea:F0} m2, min mean probability {minMean:F2})"), byManifest.Stdout, StringComparison.Ordinal);
    }

    private static string RepoRoot([System.Runtime.CompilerServices.CallerFilePath] string path = "")
        => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));

    /// <summary>A Landslide4Sense folder of symbolic links to a few real patches (nothing copied).</summary>
    private string LinkPatches(IEnumerable<int> ids)
    {
        var root = _temp.File("data");
        foreach (var (folder, prefix) in new[] { ("img", "image"), ("mask", "mask") })
        {
            Directory.CreateDirectory(Path.Combine(root, folder));
            foreach (var id in ids)
            {
                var target = folder == "img" ? SharedData.ImagePath(id) : SharedData.MaskPath(id);
                File.CreateSymbolicLink(Path.Combine(root, folder, $"{prefix}_{id}.h5"), target);
            }
        }

        return root;
    }
}
