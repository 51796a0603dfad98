using System.Globalization;
using Landslide.Training;
using Landslide.Training.Data;
using Landslide.Training.Modeling;
using Microsoft.Extensions.Logging;

// landslide-train --storage managedidentity|CONNECTION [--width F] [--epochs N] [--from-scratch true] [--held-out-share X] [--tolerance T] [--threshold-folds K]
// landslide-train --data DIR (--out DIR | --registry DIR) [--width F] [--epochs N] [--batch N] [--lr-scale X]
//   [--seed S] [--bn-momentum M] [--fold K] [--attention se|mha] [--device auto|cpu|cuda] [--threads N] [--checkpoint DIR]
//   [--version V] [--tolerance T] [--train-ids 1,3,...] [--holdout-ids 2,40,...] [--notes TEXT]
var values = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i < args.Length; i++)
{
    if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
    {
        await Console.Error.WriteLineAsync($"unexpected argument '{args[i]}' (options are --name value)").ConfigureAwait(false);
        return 2;
    }

    values[args[i][2..]] = args[++i];
}

string? Get(string name) => values.GetValueOrDefault(name);
int? Int(string name) => Get(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : null;
double? Double(string name) => Get(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : null;
int[]? Ids(string name) => Get(name)?.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();

if (Get("storage") is { } storage)
{
    using var storageLoggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.Cancel();
    };
    return await Landslide.Training.Job.StorageMode.RunAsync(storage, Get, storageLoggers, stop.Token).ConfigureAwait(false);
}

if (Get("data") is not { } data || (Get("out") is null && Get("registry") is null))
{
    await Console.Error.WriteLineAsync("usage: landslide-train --data DIR (--out DIR | --registry DIR) [--width F] [--epochs N] ...").ConfigureAwait(false);
    return 2;
}

using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
var defaults = new TrainingOptions();
var training = defaults with
{
    Model = defaults.Model with
    {
        Width = Int("width") ?? defaults.Model.Width,
        Attention = Get("attention") == "mha" ? AttentionKind.MultiHead : AttentionKind.SqueezeExcitation,
        BatchNormMomentum = Double("bn-momentum") ?? defaults.Model.BatchNormMomentum,
    },
    Epochs = Int("epochs") ?? defaults.Epochs,
    BatchSize = Int("batch") ?? defaults.BatchSize,
    LearningRateScale = Double("lr-scale") ?? defaults.LearningRateScale,
    Seed = Int("seed") ?? defaults.Seed,
    CpuThreads = Int("threads") ?? defaults.CpuThreads,
    Threshold = Double("threshold") ?? defaults.Threshold,
    CheckpointDirectory = Get("checkpoint"),
    Device = Get("device") switch
    {
        "cpu" => TrainingDevice.Cpu,
        "cuda" => TrainingDevice.Cuda,
        _ => TrainingDevice.Auto,
    },
};
var job = new TrainingJobOptions
{
    DataDirectory = data,
    OutputDirectory = Get("out"),
    RegistryRoot = Get("registry"),
    Training = training,
    Fold = Int("fold"),
    TrainIds = Ids("train-ids"),
    HoldoutIds = Ids("holdout-ids") ?? new TrainingJobOptions { DataDirectory = data }.HoldoutIds,
    Version = Get("version"),
    PromotionTolerance = Double("tolerance") ?? 0.01,
    Command = "landslide-train " + string.Join(' ', args),
    Notes = Get("notes"),
};

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

try
{
    var result = await new TrainingJob(loggers).RunAsync(job, cancel.Token).ConfigureAwait(false);
    var m = result.Holdout.AtThreshold;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"model {result.Manifest.Version} -> {result.ModelDirectory}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"holdout ({result.Holdout.Dataset}) at {m.Threshold}: landslide P {m.LandslidePrecision:F4} R {m.LandslideRecall:F4} F1 {m.LandslideF1:F4} IoU {m.LandslideIoU:F4} | two-class mean F1 {m.MeanF1:F4} mIoU {m.MeanIoU:F4}"));
    foreach (var s in result.Holdout.Sweep)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  threshold {s.Threshold:F2}: landslide F1 {s.LandslideF1:F4} IoU {s.LandslideIoU:F4} mean F1 {s.MeanF1:F4}"));
    }

    return 0;
}
catch (TrainingDataException ex)
{
    await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
    return 2;
}
