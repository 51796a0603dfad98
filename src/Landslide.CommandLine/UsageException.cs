namespace Landslide.CommandLine;

/// <summary>Options that parse but do not go together (give --data or --storage, ...): exit code 2 with the message.</summary>
public sealed class UsageException : Exception
{
    public UsageException()
        : this("invalid use of the command")
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
