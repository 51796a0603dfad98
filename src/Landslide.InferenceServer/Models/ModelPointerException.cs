namespace Landslide.InferenceServer.Models;

/// <summary>current.json exists but does not name a model; <see cref="ETag"/> identifies the refused content.</summary>
public sealed class ModelPointerException : Exception
{
    public ModelPointerException()
    {
        ETag = "";
    }

    public ModelPointerException(string message)
        : base(message)
    {
        ETag = "";
    }

    public ModelPointerException(string message, Exception innerException)
        : base(message, innerException)
    {
        ETag = "";
    }

    public ModelPointerException(string etag, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ETag = etag;
    }

    /// <summary>Tag of the refused pointer content: the same content is refused (and counted) once.</summary>
    public string ETag { get; }
}
