namespace Landslide.Inference.Client;

/// <summary>A remote segmentation call that failed as a whole: no partial result is ever returned.</summary>
public sealed class InferenceClientException : Exception
{
    public InferenceClientException(InferenceError code, string message, int? statusCode = null, string? problemCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        StatusCode = statusCode;
        ProblemCode = problemCode;
    }

    public InferenceClientException()
        : this(InferenceError.Unavailable, "The inference call failed.")
    {
    }

    public InferenceClientException(string message)
        : this(InferenceError.Unavailable, message)
    {
    }

    public InferenceClientException(string message, Exception innerException)
        : this(InferenceError.Unavailable, message, null, null, innerException)
    {
    }

    public InferenceError Code { get; }

    /// <summary>HTTP status of the last answer, when there was one.</summary>
    public int? StatusCode { get; }

    /// <summary>The <c>code</c> of the server's problem-details body, when there was one.</summary>
    public string? ProblemCode { get; }
}
