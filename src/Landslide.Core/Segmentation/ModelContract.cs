namespace Landslide.Core.Segmentation;

/// <summary>The fixed tensor contract of every segmentation model (docs/ARCHITECTURE.md, "Contracts").</summary>
public static class ModelContract
{
    public const int TileSize = 128;
    public const int InputBands = 14;
    public const int FeatureChannels = 23;
    public const string InputName = "features";
    public const string OutputName = "probability";

    /// <summary>Version of the 14 -> 23 feature definition in docs/MODEL.md; a model records the one it was trained on.</summary>
    public const string FeatureVersion = "l4s-23.v1";

    public const int PixelsPerTile = TileSize * TileSize;
    public const int FeatureValuesPerTile = FeatureChannels * PixelsPerTile;
    public const int BandValuesPerTile = InputBands * PixelsPerTile;
}
