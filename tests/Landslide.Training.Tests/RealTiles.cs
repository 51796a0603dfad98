using Landslide.TestSupport;
using Landslide.Training.Data;

namespace Landslide.Training.Tests;

/// <summary>Real patches with features computed once per test run (the files are read, never copied).</summary>
internal static class RealTiles
{
    private static readonly Lazy<IReadOnlyList<LabelledTile>> Train = new(() => Load(SharedData.TrainIds));
    private static readonly Lazy<IReadOnlyList<LabelledTile>> Holdout = new(() => Load(SharedData.HoldoutIds));

    public static IReadOnlyList<LabelledTile> TrainTiles => Train.Value;

    public static IReadOnlyList<LabelledTile> HoldoutTiles => Holdout.Value;

    private static List<LabelledTile> Load(IEnumerable<int> ids)
    {
        var source = new L4sPatchSource(SharedData.Folder!, ids);
        return [.. source.Ids.Select(source.Load)];
    }
}
