namespace Landslide.InferenceServer.Endpoints;

/// <summary>Why a request body was refused while it was read: status, stable problem code and detail.</summary>
internal sealed record ReadError(int Status, string Code, string Detail);
