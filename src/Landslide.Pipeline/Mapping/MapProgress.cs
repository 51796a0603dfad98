namespace Landslide.Pipeline.Mapping;

/// <summary>Where a mapping run is: the stage, and tiles done out of all tiles.</summary>
public readonly record struct MapProgress(string Stage, long TilesDone, long TilesTotal);
