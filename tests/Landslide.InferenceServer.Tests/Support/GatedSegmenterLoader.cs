using Landslide.Core.Segmentation;
using Landslide.InferenceServer.Models;

namespace Landslide.InferenceServer.Tests.Support;

/// <summary>
/// Loads the real ONNX model, then holds each model call at a gate the test opens: lets a test fill the batch
/// queue deterministically instead of racing a fast model.
/// </summary>
internal sealed class GatedSegmenterLoader(ISegmenterLoader inner) : ISegmenterLoader
{
    public SemaphoreSlim Gate { get; } = new(0);

    /// <summary>Released each time a model call reaches the gate.</summary>
    public SemaphoreSlim Arrived { get; } = new(0);

    public ServingModel Load(string versionFolder)
    {
        var model = inner.Load(versionFolder);
        return new ServingModel(new Gated(model.Segmenter, this), model.Provider, new Releaser(model));
    }

    private sealed class Gated(ITileSegmenter segmenter, GatedSegmenterLoader owner) : ITileSegmenter
    {
        private int _calls;

        public ModelDescriptor Model => segmenter.Model;

        public async ValueTask SegmentAsync(ReadOnlyMemory<float> features, Memory<float> probabilities, int count, CancellationToken cancellationToken)
        {
            // The warm-up call passes freely; every later call waits for the test.
            if (Interlocked.Increment(ref _calls) > 1)
            {
                owner.Arrived.Release();
                await owner.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            await segmenter.SegmentAsync(features, probabilities, count, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class Releaser(ServingModel model) : IDisposable
    {
        public void Dispose() => model.Release();
    }
}
