using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Landslide.Training.Retraining;

/// <summary>
/// Which labelled pairs are held out for evaluation: a pair is held out when the first 32 bits of SHA-256(name), as a
/// fraction of 2^32, fall below the share. It depends on the name alone, so a pair is always evaluated or always
/// trained on, whatever else is in training/.
/// </summary>
public static class EvaluationSplit
{
    public static bool IsHeldOut(string pairName, double share)
    {
        ArgumentNullException.ThrowIfNull(pairName);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(pairName));
        return BinaryPrimitives.ReadUInt32BigEndian(hash) / 4294967296.0 < share;
    }
}
