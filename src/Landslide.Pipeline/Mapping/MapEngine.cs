namespace Landslide.Pipeline.Mapping;

/// <summary>How <see cref="TileRowMapper"/> runs its stages.</summary>
public enum MapEngine
{
    /// <summary>
    /// Read, cut + features, inference and blend + write overlap as stages joined by bounded channels (the default):
    /// the model works on one batch while the CPU stages prepare the next and write the previous one.
    /// </summary>
    Pipelined,

    /// <summary>
    /// One stage after another on one thread: the mapper as it was before pipelining, kept as the benchmarks' baseline
    /// (in <see cref="SceneMapper"/> it also finishes the outputs as before: <c>CogWriteOptions.Baseline</c>, the COGs
    /// and the quicklook one after another).
    /// </summary>
    Sequential,
}
