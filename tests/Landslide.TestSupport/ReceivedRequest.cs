namespace Landslide.TestSupport;

/// <summary>One request a <see cref="WebhookReceiver"/> accepted.</summary>
public sealed record ReceivedRequest(IReadOnlyDictionary<string, string> Headers, byte[] Body);
