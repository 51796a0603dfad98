using System.Text.Json;
using System.Text.Json.Serialization;

namespace Landslide.Training.CrossValidation;

/// <summary>
/// What <c>landslide train --folds K</c> prints and records (cv.json): the folds, the CV table at the recipe's
/// threshold without filters, the out-of-fold choice with its CV table, and every candidate tried.
/// </summary>
public sealed record CrossValidationReport(
    TrainingOptions Training,
    IReadOnlyList<FoldOutcome> Folds,
    CrossValidationTable AtTrainingThreshold,
    DetectionScore Chosen,
    CrossValidationTable AtChosen,
    IReadOnlyList<DetectionScore> Candidates)
{
    public const string FileName = "cv.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Scores the folds at the training threshold and chooses the detection setting on the pooled out-of-fold predictions.</summary>
    public static CrossValidationReport Create(CrossValidationResult result, TrainingOptions training, DetectionGrid? grid = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(training);
        grid ??= DetectionGrid.Default;
        var selection = OutOfFoldSelector.Select(result.Predictions, grid);
        return new CrossValidationReport(
            training with { CheckpointDirectory = null },
            result.Folds,
            CrossValidationTable.From(result.Predictions, new DetectionSetting { Threshold = training.Threshold }, grid.PixelAreaM2),
            selection.Chosen,
            CrossValidationTable.From(result.Predictions, selection.Chosen.Setting, grid.PixelAreaM2),
            selection.Candidates);
    }

    /// <summary>Writes the report as JSON (snake_case) to <paramref name="directory"/>/cv.json, replacing it atomically.</summary>
    public string Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(this, Json) + "\n");
        File.Move(path + ".tmp", path, overwrite: true);
        return path;
    }

    /// <summary>Reads a report written by <see cref="Write"/>.</summary>
    public static CrossValidationReport Read(string path)
        => JsonSerializer.Deserialize<CrossValidationReport>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException($"{path} is empty");
}
