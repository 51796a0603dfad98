namespace Landslide.Plots;

/// <summary>Every plot is a PNG of this size (documented in README.md; the tests check it).</summary>
public static class PlotSize
{
    public const int Width = 800;
    public const int Height = 500;
}
