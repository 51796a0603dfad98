namespace Landslide.Cli.Commands;

/// <summary>The training program that `serve retrain` ran exited with an error (exit code 1, its message on stderr).</summary>
public sealed class TrainingJobFailedException : Exception
{
    public TrainingJobFailedException()
        : this("the training program failed")
    {
    }

    public TrainingJobFailedException(string message)
        : base(message)
    {
    }

    public TrainingJobFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
