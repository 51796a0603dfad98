using System.ComponentModel.DataAnnotations;

namespace Landslide.Pipeline.Retrain;

/// <summary>Scheduled retraining (section "Training"; app settings Training__*).</summary>
public sealed class RetrainOptions
{
    public const string SectionName = "Training";

    /// <summary>Azure: resource id of the Container Apps training job the schedule starts.</summary>
    public string? JobResourceId { get; set; }

    /// <summary>Local: the program the schedule starts (e.g. landslide-train); its arguments below.</summary>
    public string? Command { get; set; }

    /// <summary>Local: arguments of <see cref="Command"/>.</summary>
    public string? Arguments { get; set; }

    /// <summary>
    /// Local: a storage connection string handed to <see cref="Command"/> in its environment as
    /// <see cref="StorageConnectionVariable"/>, never on its command line (which every user of the machine can read);
    /// `landslide serve` sets its own storage here and starts <c>landslide-train train --storage env</c>.
    /// </summary>
    public string? StorageConnectionString { get; set; }

    /// <summary>The environment variable that carries <see cref="StorageConnectionString"/> to the training program.</summary>
    public const string StorageConnectionVariable = "Storage__ConnectionString";

    /// <summary>New, changed or removed items in training/ (pairs, patches) since the current model before the schedule retrains. Default 1.</summary>
    [Range(1, 1_000_000)]
    public int MinNewPairs { get; set; } = 1;
}
