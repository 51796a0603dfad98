namespace Landslide.Training.Data;

/// <summary>
/// The 5-fold cross-validation of MODEL.md: ids in natural sort order, contiguous 20 % blocks; fold 1 tests on the
/// last block, fold 5 on the first. Holdout ids never appear in either part.
/// </summary>
public static class FoldSplit
{
    public const int FoldCount = 5;

    /// <summary>Splits <paramref name="ids"/> for fold <paramref name="fold"/> (1..5).</summary>
    public static (IReadOnlyList<string> Train, IReadOnlyList<string> Test) Split(IEnumerable<string> ids, int fold)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentOutOfRangeException.ThrowIfLessThan(fold, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fold, FoldCount);
        var ordered = ids.Order(NaturalComparer.Instance).ToList();
        if (ordered.Count < FoldCount)
        {
            throw new TrainingDataException(TrainingDataError.NotEnoughData, $"{FoldCount}-fold split needs at least {FoldCount} tiles, found {ordered.Count}");
        }

        var block = FoldCount - fold;
        var start = block * ordered.Count / FoldCount;
        var end = (block + 1) * ordered.Count / FoldCount;
        var test = ordered.GetRange(start, end - start);
        var train = ordered.Take(start).Concat(ordered.Skip(end)).ToList();
        return (train, test);
    }

    /// <summary>Throws when any training id is in the holdout list.</summary>
    public static void EnsureNoHoldout(IEnumerable<string> trainingIds, IEnumerable<string> holdoutIds)
    {
        var leaked = trainingIds.Intersect(holdoutIds, StringComparer.Ordinal).ToList();
        if (leaked.Count > 0)
        {
            throw new TrainingDataException(TrainingDataError.HoldoutLeak, $"holdout tiles must never be trained on: {string.Join(", ", leaked)}");
        }
    }
}
