using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Landslide.Raster.Interop;

/// <summary>A GDALProgressFunc that aborts a long GDAL call (CreateCopy, Polygonize) when a token is cancelled.</summary>
internal sealed unsafe class CancellationProgress : IDisposable
{
    private GCHandle _state;

    public CancellationProgress(CancellationToken cancellationToken)
        => _state = GCHandle.Alloc(new StrongBox<CancellationToken>(cancellationToken));

    public static nint Function => (nint)(delegate* unmanaged<double, byte*, nint, int>)&Report;

    public nint Data => GCHandle.ToIntPtr(_state);

    public void Dispose()
    {
        if (_state.IsAllocated)
        {
            _state.Free();
        }
    }

    [UnmanagedCallersOnly]
    private static int Report(double complete, byte* message, nint data)
    {
        var token = ((StrongBox<CancellationToken>)GCHandle.FromIntPtr(data).Target!).Value;
        return token.IsCancellationRequested ? 0 : 1;
    }
}
