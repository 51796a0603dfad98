namespace Landslide.Pipeline.Mapping;

/// <summary>How <see cref="TileRowMapper"/> runs its stages.</summary>
public enum MapEngine
{
    /// <summary>
    /// Read, cut + features, inference and blend + write overlap as stages joined by bounded channels (the default):
    /// the model works on one batch while the CPU stages prepare the next and write the previous one.
    /// </summary>
    Pipelined,

    /// <summary>One stage after another on one thread: the engine before pipelining, kept as the benchmarks' baseline.</summary>
    Sequential,
}
