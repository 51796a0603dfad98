namespace Landslide.Pipeline.Storage;

/// <summary>The storage account (or Azurite) does not answer, or refuses the credentials; the message says what to do.</summary>
public sealed class StorageUnreachableException : Exception
{
    public StorageUnreachableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public StorageUnreachableException()
    {
    }

    public StorageUnreachableException(string message)
        : base(message)
    {
    }
}
