namespace Landslide.Pipeline.Storage;

/// <summary>Containers, queues and the table of the pipeline. Constants, not settings: the Bicep and host.json use the same names.</summary>
public static class StorageNames
{
    public const string ScenesContainer = "scenes";
    public const string ResultsContainer = "results";
    public const string WorkContainer = "work";
    public const string ModelsContainer = "models";
    public const string TrainingContainer = "training";

    public const string ChunksQueue = "chunks";
    public const string FinalizeQueue = "finalize";
    public const string AlertsQueue = "alerts";
    public const string AlertsDeadLetterQueue = "alerts-deadletter";

    public const string RunsTable = "runs";

    /// <summary>Name of the connection (Functions setting prefix <c>Storage__</c>) every trigger and client uses.</summary>
    public const string Connection = "Storage";

    public static IReadOnlyList<string> Containers { get; } = [ScenesContainer, ResultsContainer, WorkContainer, ModelsContainer, TrainingContainer];

    public static IReadOnlyList<string> Queues { get; } = [ChunksQueue, FinalizeQueue, AlertsQueue, AlertsDeadLetterQueue];
}
