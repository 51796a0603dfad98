namespace Landslide.Training.Data;

/// <summary>
/// The 5-fold cross-validation of docs/MODEL.md: ids in natural sort order, contiguous 20 % blocks; fold 1 tests on the
/// last block, fold 5 on the first. Other fold counts K use K contiguous blocks the same way (fold 1 = last block).
/// Holdout ids never appear in either part.
/// </summary>
public static class FoldSplit
{
    public const int FoldCount = 5;

    /// <summary>Splits <paramref name="ids"/> for fold <paramref name="fold"/> (1..<paramref name="foldCount"/>).</summary>
    public static (IReadOnlyList<string> Train, IReadOnlyList<string> Test) Split(IEnumerable<string> ids, int fold, int foldCount = FoldCount)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentOutOfRangeException.ThrowIfLessThan(foldCount, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(fold, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fold, foldCount);
        var ordered = ids.Order(NaturalComparer.Instance).ToList();
        if (ordered.Count < foldCount)
        {
            throw new TrainingDataException(TrainingDataError.NotEnoughData, $"{foldCount}-fold split needs at least {foldCount} tiles, found {ordered.Count}");
        }

        var block = foldCount - fold;
        var start = block * ordered.Count / foldCount;
        var end = (block + 1) * ordered.Count / foldCount;
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
