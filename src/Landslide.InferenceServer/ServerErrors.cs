namespace Landslide.InferenceServer;

/// <summary>
/// Problem codes only this server answers, next to the shared ones in InferenceProtocol.Errors (the client handles
/// them by status: 503/500 are retried, 403/408/422 are not).
/// </summary>
internal static class ServerErrors
{
    /// <summary>503: the buffers of the requests in flight fill MaxBufferedBytes.</summary>
    public const string MemoryBudget = "memory-budget";

    /// <summary>408: the body arrived slower than MinRequestBodyBytesPerSecond.</summary>
    public const string BodyTooSlow = "body-too-slow";

    /// <summary>422: a finite feature beyond +-MaxAbsFeatureValue.</summary>
    public const string ValuesOutOfRange = "values-out-of-range";

    /// <summary>500: the model answered NaN.</summary>
    public const string InvalidModelOutput = "invalid-model-output";

    /// <summary>403: a valid token without a required app role or scope.</summary>
    public const string Forbidden = "forbidden";

    /// <summary>500: anything else that failed inside the server.</summary>
    public const string InternalError = "internal-error";
}
