namespace Landslide.Raster.Writers;

/// <summary>How COG overviews are computed.</summary>
public enum OverviewResampling
{
    /// <summary>Keeps class values intact: use for masks.</summary>
    Nearest,

    /// <summary>Smooth averages: use for probabilities.</summary>
    Average,
}
