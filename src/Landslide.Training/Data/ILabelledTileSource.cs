namespace Landslide.Training.Data;

/// <summary>
/// Where labelled tiles come from: the Landslide4Sense HDF5 patches (<see cref="L4sPatchSource"/>) or, for
/// retraining, scene + label rasters on the same grid cut into the same 128 x 128 tiles
/// (<see cref="SceneLabelTileSource"/>).
/// </summary>
public interface ILabelledTileSource
{
    /// <summary>Stable tile ids in natural order (the fold split and the data fingerprint use them).</summary>
    IReadOnlyList<string> Ids { get; }

    /// <summary>Loads one tile with its 23 features computed.</summary>
    LabelledTile Load(string id);

    /// <summary>A hash of the inputs (file names, sizes and content), recorded in the model manifest.</summary>
    string Fingerprint();
}
