namespace Landslide.Training.Data;

/// <summary>Stable codes for training data the job cannot use.</summary>
public enum TrainingDataError
{
    FileNotFound = 1,
    DatasetMissing = 2,
    WrongShape = 3,
    HoldoutLeak = 4,
    NotEnoughData = 5,
    SizeMismatch = 6,
}
