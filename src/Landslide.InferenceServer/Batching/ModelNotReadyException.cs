namespace Landslide.InferenceServer.Batching;

/// <summary>No model has been loaded yet (or the service is stopping).</summary>
internal sealed class ModelNotReadyException : Exception
{
    public ModelNotReadyException()
        : base("no model is loaded yet")
    {
    }

    public ModelNotReadyException(string message)
        : base(message)
    {
    }

    public ModelNotReadyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
