namespace Landslide.Pipeline.Retrain;

/// <summary>Starts the training job (Azure: the Container Apps job; locally: a process). Returns an id for the logs.</summary>
public interface ITrainingJobStarter
{
    Task<string> StartAsync(RetrainRequest request, CancellationToken cancellationToken);
}
