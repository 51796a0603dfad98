using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Landslide.Training;

/// <summary>
/// What a checkpoint belongs to: SHA-256 over the recipe settings that change the weights (model shape, epochs, batch,
/// seed, augmentation, learning rate, step cap, threshold), the data fingerprint and the parent model fine-tuned from.
/// Device, thread count and folders do not count.
/// </summary>
public static class RunFingerprint
{
    public static string Compute(TrainingOptions options, string dataFingerprint, string? parentVersion)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = JsonSerializer.Serialize(new
        {
            model = options.Model,
            options.Epochs,
            options.BatchSize,
            options.PlainFinalEpochs,
            options.Augment,
            options.Seed,
            options.LearningRateScale,
            options.MaxStepsPerEpoch,
            options.Threshold,
        });
        var text = string.Create(CultureInfo.InvariantCulture, $"{settings}\n{dataFingerprint}\n{parentVersion ?? "scratch"}");
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
