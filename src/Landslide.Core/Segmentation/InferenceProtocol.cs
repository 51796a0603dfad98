namespace Landslide.Core.Segmentation;

/// <summary>
/// The wire contract of the inference service (docs/INFERENCE_API.md), shared by the server and its client so the
/// two cannot drift apart. Tensors travel as raw little-endian NCHW bytes; shape and element type ride in headers.
/// </summary>
public static class InferenceProtocol
{
    public const string SegmentPath = "/v1/segment";
    public const string ModelPath = "/v1/model";
    public const string HealthPath = "/healthz";
    public const string ReadyPath = "/readyz";
    /// <summary>Prometheus scrape endpoint (text exposition format) of the server's OpenTelemetry metrics.</summary>
    public const string MetricsPath = "/metrics";

    public const string TensorContentType = "application/octet-stream";
    public const string ProblemContentType = "application/problem+json";

    /// <summary>Request and response: comma-separated dimensions, e.g. <c>4,23,128,128</c>.</summary>
    public const string ShapeHeader = "X-Tensor-Shape";

    /// <summary>Request: <c>float16</c> or <c>float32</c>. Response: <c>uint8</c> or <c>float32</c>.</summary>
    public const string TypeHeader = "X-Tensor-Type";

    /// <summary>Request: the output element type wanted, <c>uint8</c> (default) or <c>float32</c>.</summary>
    public const string OutputTypeHeader = "X-Output-Type";

    public const string ApiKeyHeader = "X-Api-Key";
    public const string ModelVersionHeader = "X-Model-Version";

    /// <summary>Response: tiles in the model batch this request was merged into (dynamic batching made visible).</summary>
    public const string BatchTilesHeader = "X-Batch-Tiles";

    /// <summary>Response: requests merged into that model batch.</summary>
    public const string BatchRequestsHeader = "X-Batch-Requests";

    public const string Float16 = "float16";
    public const string Float32 = "float32";
    public const string UInt8 = "uint8";

    /// <summary>Stable <c>code</c> values of the problem-details error bodies.</summary>
    public static class Errors
    {
        public const string UnsupportedMediaType = "unsupported-media-type";
        public const string LengthRequired = "length-required";
        public const string LengthMismatch = "length-mismatch";
        public const string BodyTooLarge = "body-too-large";
        public const string InvalidShape = "invalid-shape";
        public const string InvalidType = "invalid-type";
        public const string TooManyTiles = "too-many-tiles";
        public const string NonFiniteValues = "non-finite-values";
        public const string Unauthorized = "unauthorized";
        public const string QueueFull = "queue-full";
        public const string NotReady = "not-ready";
    }
}
