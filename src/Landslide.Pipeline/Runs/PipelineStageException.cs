namespace Landslide.Pipeline.Runs;

/// <summary>
/// What a stage handler throws to its host when a delivery fails: the original failure's type and message with
/// credentials removed (the host logs it, and GDAL/SDK messages carry SAS URLs). The host retries the message.
/// </summary>
public sealed class PipelineStageException : Exception
{
    public PipelineStageException(string message)
        : base(message)
    {
    }

    public PipelineStageException()
    {
    }

    public PipelineStageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Wraps <paramref name="error"/> as "{what}: {Type}: {message}", redacted, without the inner exception (its text is not redacted).</summary>
    public static PipelineStageException From(string what, Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new PipelineStageException(Storage.SecretRedactor.Redact($"{what}: {error.GetType().Name}: {error.Message}"));
    }
}
