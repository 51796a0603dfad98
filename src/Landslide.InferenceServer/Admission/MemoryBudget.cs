using System.Numerics;
using Landslide.Core.Segmentation;
using Landslide.InferenceServer.Telemetry;
using Microsoft.Extensions.Options;

namespace Landslide.InferenceServer.Admission;

/// <summary>
/// Bytes of request buffers the server may hold at once (MaxBufferedBytes). A request reserves what it will rent
/// before renting it, from the sizes its headers declare, and gives the reservation back when it ends; a request
/// that does not fit is refused at once, so slow uploads can never pile up more than the budget.
/// </summary>
internal sealed class MemoryBudget
{
    /// <summary>Bytes of body read, converted and checked at a time (and of answer written at a time).</summary>
    public const int PieceBytes = 64 * 1024;

    private readonly long _limit;
    private long _inUse;

    public MemoryBudget(IOptions<InferenceServerOptions> options, InferenceServerTelemetry telemetry)
    {
        _limit = options.Value.MaxBufferedBytes;
        telemetry.ObserveMemoryBudget(() => InUse, _limit);
    }

    public long Limit => _limit;

    public long InUse => Interlocked.Read(ref _inUse);

    /// <summary>What a request of <paramref name="tiles"/> tiles rents: features and probabilities as float (the pool
    /// rounds each up to a power of two) and one piece buffer.</summary>
    public static long BytesFor(int tiles)
        => ((long)BitOperations.RoundUpToPowerOf2((uint)(tiles * ModelContract.FeatureValuesPerTile)) * sizeof(float))
            + ((long)BitOperations.RoundUpToPowerOf2((uint)(tiles * ModelContract.PixelsPerTile)) * sizeof(float))
            + PieceBytes;

    /// <summary>Reserves <paramref name="bytes"/>; false (and nothing reserved) when the budget cannot hold them.</summary>
    public bool TryReserve(long bytes, out Reservation reservation)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        while (true)
        {
            var inUse = Interlocked.Read(ref _inUse);
            if (inUse + bytes > _limit)
            {
                reservation = default;
                return false;
            }

            if (Interlocked.CompareExchange(ref _inUse, inUse + bytes, inUse) == inUse)
            {
                reservation = new Reservation(this, bytes);
                return true;
            }
        }
    }

    private void Release(long bytes) => Interlocked.Add(ref _inUse, -bytes);

    /// <summary>Bytes held for one request; disposing gives them back (once).</summary>
    internal readonly struct Reservation(MemoryBudget budget, long bytes) : IDisposable
    {
        public long Bytes => bytes;

        public void Dispose() => budget?.Release(bytes);
    }
}
