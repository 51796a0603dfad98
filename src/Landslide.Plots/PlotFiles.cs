namespace Landslide.Plots;

/// <summary>File names of the plots and of the data they drew (plots.json, so a reader can check every number).</summary>
public static class PlotFiles
{
    public const string Loss = "plot-loss.png";
    public const string Validation = "plot-validation.png";
    public const string LearningRate = "plot-learning-rate.png";
    public const string CrossValidation = "plot-cv-folds.png";
    public const string ThresholdSweep = "plot-threshold-sweep.png";
    public const string ConfusionMatrix = "plot-confusion-matrix.png";
    public const string Data = "plots.json";
    public const string CrossValidationData = "plots-cv.json";
}
