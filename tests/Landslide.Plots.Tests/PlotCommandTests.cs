using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Landslide.TestSupport;

namespace Landslide.Plots.Tests;

/// <summary>The PNG plots `landslide-train train` and `landslide-train evaluate` write, checked against the numbers the same run printed.</summary>
public sealed partial class PlotCommandTests : IDisposable
{
    private readonly TempDirectory _folder = new("plots");

    [RealDataFact]
    public async Task Train_WritesLossPerHeadValidationAndRatePlots_WhoseNumbersAreTheRunsEpochLog()
    {
        var output = _folder.File("model");
        var (exit, stdout, stderr) = await RunAsync(
            "train", "--data", SharedData.Folder!, "--fold", "1", "--epochs", "2", "--width", "4", "--batch", "4", "--device", "cpu", "--seed", "1", "--out", output);
        Assert.True(exit == 0, stderr + stdout);

        var epochs = EpochLine().Matches(stdout + stderr).Select(m => m.Groups).ToList();
        Assert.Equal(2, epochs.Count);
        var data = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(output, PlotFiles.Data))).RootElement;
        var loss = data.GetProperty("loss").EnumerateArray().Select(v => v.GetDouble()).ToList();
        var rate = data.GetProperty("learning_rate").EnumerateArray().Select(v => v.GetDouble()).ToList();
        var f1 = data.GetProperty("validation_landslide_f1").EnumerateArray().Select(v => v.GetDouble()).ToList();
        var heads = new[] { "loss_head_256", "loss_head_128", "loss_head_64" }
            .Select(k => data.GetProperty(k).EnumerateArray().Select(v => v.GetDouble()).ToList()).ToList();
        Assert.Equal(2, f1.Count);
        for (var i = 0; i < epochs.Count; i++)
        {
            Assert.Equal(i + 1, int.Parse(epochs[i][1].Value, CultureInfo.InvariantCulture));
            Assert.Equal(double.Parse(epochs[i][2].Value, CultureInfo.InvariantCulture), Math.Round(loss[i], 4));
            Assert.Equal(double.Parse(epochs[i][3].Value, CultureInfo.InvariantCulture), rate[i], 3);
            Assert.Equal(double.Parse(epochs[i][4].Value, CultureInfo.InvariantCulture), f1[i], 10);
            for (var h = 0; h < 3; h++)
            {
                Assert.Equal(double.Parse(epochs[i][5 + h].Value, CultureInfo.InvariantCulture), Math.Round(heads[h][i], 4));
            }

            // The drawn heads are the drawn total's parts: 0.25 / 0.5 / 0.25.
            Assert.Equal(loss[i], (0.25 * heads[0][i]) + (0.5 * heads[1][i]) + (0.25 * heads[2][i]), 5);
        }

        string[] plots = [PlotFiles.Loss, PlotFiles.Validation, PlotFiles.LearningRate];
        foreach (var plot in plots)
        {
            AssertPng(Path.Combine(output, plot));
        }

        var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(output, "manifest.json"))).RootElement;
        Assert.Equal(plots, manifest.GetProperty("plots").EnumerateArray().Select(p => p.GetString()));
    }

    [RealDataFact]
    public async Task Evaluate_WritesThresholdSweepAndConfusionPlots_WhoseNumbersAreThePrintedTable()
    {
        var folder = _folder.File("evaluation");
        var (exit, stdout, stderr) = await RunAsync("evaluate", "--data", SharedData.Folder!, "--plots", folder);
        Assert.True(exit == 0, stderr + stdout);
        AssertPng(Path.Combine(folder, PlotFiles.ThresholdSweep));
        AssertPng(Path.Combine(folder, PlotFiles.ConfusionMatrix));

        var data = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(folder, PlotFiles.Data))).RootElement;
        var thresholds = data.GetProperty("sweep_threshold").EnumerateArray().Select(v => v.GetDouble()).ToList();
        var precision = data.GetProperty("sweep_precision").EnumerateArray().Select(v => v.GetDouble()).ToList();
        var recall = data.GetProperty("sweep_recall").EnumerateArray().Select(v => v.GetDouble()).ToList();
        var f1 = data.GetProperty("sweep_f1").EnumerateArray().Select(v => v.GetDouble()).ToList();
        var rows = TableRow().Matches(stdout).ToDictionary(m => m.Groups[1].Value, m => m.Groups);
        Assert.True(thresholds.Count >= 5);
        for (var i = 0; i < thresholds.Count; i++)
        {
            var row = rows[thresholds[i].ToString("F2", CultureInfo.InvariantCulture)];
            Assert.Equal(row[2].Value, (precision[i] * 100).ToString("F2", CultureInfo.InvariantCulture));
            Assert.Equal(row[3].Value, (recall[i] * 100).ToString("F2", CultureInfo.InvariantCulture));
            Assert.Equal(row[4].Value, (f1[i] * 100).ToString("F2", CultureInfo.InvariantCulture));
        }

        // The six holdout patches are 128 x 128 pixels each: the matrix covers every pixel once.
        var confusion = data.GetProperty("confusion");
        var total = new[] { "true_positive", "false_positive", "true_negative", "false_negative" }.Sum(k => confusion.GetProperty(k).GetInt64());
        Assert.Equal(6L * 128 * 128, total);
        Assert.True(confusion.GetProperty("true_positive").GetInt64() > 0);
    }

    public void Dispose() => _folder.Dispose();

    private static void AssertPng(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 10_000, $"{path} is {bytes.Length} bytes: nothing drawn?");
        Assert.Equal("PNG", System.Text.Encoding.ASCII.GetString(bytes, 1, 3));
        Assert.Equal(PlotSize.Width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(PlotSize.Height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // landslide-train in its build output, beside this test project's (artifacts/bin/{project}/{config}/).
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        start.ArgumentList.Add(Path.Combine(here.Parent!.Parent!.FullName, "Landslide.Training.Job", here.Name, "landslide-train.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["COLUMNS"] = "200";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [GeneratedRegex(@"Epoch (\d+)/\d+: loss ([\d.]+), lr ([\d.Ee+-]+), [\d.]+ s, validation landslide F1 ([\d.Ee+-]+); head loss 256/128/64 px ([\d.]+)/([\d.]+)/([\d.]+)")]
    private static partial Regex EpochLine();

    [GeneratedRegex(@"│ (\d\.\d\d)(?: \*)?\s+│ ([\d.]+)\s+│ ([\d.]+)\s+│ ([\d.]+)\s+│")]
    private static partial Regex TableRow();
}
