namespace Landslide.InferenceServer.Models;

/// <summary>The model now serving. Batches lease it; a swap replaces it without waiting for them.</summary>
internal sealed class ModelSlot : IDisposable
{
    private ServingModel? _current;
    private string? _problem;

    public ServingModel? Current => Volatile.Read(ref _current);

    /// <summary>Why the pointer or the newest model was refused (or null): /readyz says it.</summary>
    public string? Problem
    {
        get => Volatile.Read(ref _problem);
        set => Volatile.Write(ref _problem, value);
    }

    /// <summary>Leases the current model for one batch (call <see cref="ServingModel.Release"/> after); null before the first load.</summary>
    public ServingModel? Acquire()
    {
        while (true)
        {
            var model = Volatile.Read(ref _current);
            if (model is null || model.TryAcquire())
            {
                return model;
            }

            // Lost a race with a swap that retired and disposed it: read the new one.
        }
    }

    public void Swap(ServingModel next)
    {
        var previous = Interlocked.Exchange(ref _current, next);
        previous?.Release();
    }

    public void Dispose() => Interlocked.Exchange(ref _current, null)?.Release();
}
