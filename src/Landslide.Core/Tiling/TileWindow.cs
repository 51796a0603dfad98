namespace Landslide.Core.Tiling;

/// <summary>One 128 x 128 tile of the grid: its top-left pixel in scene coordinates (may lie past the edge on the last row/column only if the scene is smaller than a tile).</summary>
public readonly record struct TileWindow(int Column, int Row, int X, int Y);
