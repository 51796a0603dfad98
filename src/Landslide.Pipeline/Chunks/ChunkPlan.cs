using Landslide.Pipeline.Runs;

namespace Landslide.Pipeline.Chunks;

/// <summary>The chunk messages of a run, derived from the run alone, so planning and the stall sweeper agree.</summary>
internal static class ChunkPlan
{
    public static ChunkMessage Message(RunEntity run, int index)
    {
        var perChunkRows = (run.TileRows + run.ChunkCount - 1) / run.ChunkCount;
        var first = index * perChunkRows;
        return new ChunkMessage(run.RunId, index, first, Math.Min(run.TileRows, first + perChunkRows));
    }
}
