namespace Landslide.Training.Data;

/// <summary>Training data is unusable; <see cref="Code"/> says why, the message says where.</summary>
public sealed class TrainingDataException : Exception
{
    public TrainingDataException(TrainingDataError code, string message, Exception? innerException = null)
        : base($"{code}: {message}", innerException)
    {
        Code = code;
    }

    public TrainingDataException()
        : this(TrainingDataError.NotEnoughData, "training data is unusable")
    {
    }

    public TrainingDataException(string message)
        : this(TrainingDataError.NotEnoughData, message)
    {
    }

    public TrainingDataException(string message, Exception innerException)
        : this(TrainingDataError.NotEnoughData, message, innerException)
    {
    }

    public TrainingDataError Code { get; }
}
