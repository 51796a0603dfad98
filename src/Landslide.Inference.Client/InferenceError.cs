namespace Landslide.Inference.Client;

/// <summary>Why a remote segmentation call failed as a whole. Stable codes for logs and error.json.</summary>
public enum InferenceError
{
    /// <summary>The service refused the request (4xx other than 401/403/408/429); retrying will not help.</summary>
    Rejected,

    /// <summary>The API key or token was refused (401/403).</summary>
    Unauthorized,

    /// <summary>The service kept failing (5xx, 429, dropped connections) until the retry budget was spent.</summary>
    Unavailable,

    /// <summary>The attempt or total timeout elapsed.</summary>
    Timeout,

    /// <summary>The circuit breaker is open after repeated failures; calls are refused without being sent.</summary>
    CircuitOpen,

    /// <summary>Too many requests queued in this process for the concurrency limiter.</summary>
    Overloaded,

    /// <summary>The answer broke the wire contract (wrong shape, type or length).</summary>
    ProtocolViolation,

    /// <summary>The model changed repeatedly during one call, so no single version covers all its tiles.</summary>
    ModelChanged,
}
