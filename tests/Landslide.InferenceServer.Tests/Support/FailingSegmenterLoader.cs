using Landslide.Core.Segmentation;
using Landslide.InferenceServer.Models;

namespace Landslide.InferenceServer.Tests.Support;

/// <summary>
/// Loads the real ONNX model; after the warm-up every model call fails, as a lost GPU would make it: the one fault
/// that cannot be produced with a real model on this machine.
/// </summary>
internal sealed class FailingSegmenterLoader(ISegmenterLoader inner) : ISegmenterLoader
{
    public ServingModel Load(string versionFolder)
    {
        var model = inner.Load(versionFolder);
        return new ServingModel(new Failing(model.Segmenter), model.Provider, new Releaser(model));
    }

    private sealed class Failing(ITileSegmenter segmenter) : ITileSegmenter
    {
        private int _calls;

        public ModelDescriptor Model => segmenter.Model;

        public async ValueTask SegmentAsync(ReadOnlyMemory<float> features, Memory<float> probabilities, int count, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) > 1)
            {
                throw new InvalidOperationException("simulated device failure");
            }

            await segmenter.SegmentAsync(features, probabilities, count, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class Releaser(ServingModel model) : IDisposable
    {
        public void Dispose() => model.Release();
    }
}
