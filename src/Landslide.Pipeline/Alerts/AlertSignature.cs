using System.Security.Cryptography;
using System.Text;

namespace Landslide.Pipeline.Alerts;

/// <summary>
/// Headers of an alert delivery: <c>X-Landslide-Signature: sha256=&lt;hex HMAC-SHA256 of the body, keyed by the
/// webhook's secret&gt;</c> and <c>X-Landslide-Delivery</c>, an idempotency key fixed per run and webhook slot so
/// a redelivery carries the same key.
/// </summary>
public static class AlertSignature
{
    public const string SignatureHeader = "X-Landslide-Signature";
    public const string DeliveryHeader = "X-Landslide-Delivery";
    public const string Prefix = "sha256=";

    public static string Sign(ReadOnlySpan<byte> body, string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }

    /// <summary>Checks a received signature in constant time (what a receiver does).</summary>
    public static bool Verify(ReadOnlySpan<byte> body, string secret, string? header)
    {
        if (header is null)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(body, secret)), Encoding.ASCII.GetBytes(header));
    }

    public static string DeliveryKey(string runId, int slot) => FormattableString.Invariant($"{runId}-w{slot}");
}
