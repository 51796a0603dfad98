namespace Landslide.Training.Labels;

/// <summary>Stable codes for a labelled pair `training add` refuses (exit code 2 each).</summary>
public enum LabelError
{
    /// <summary>The labels file does not exist.</summary>
    LabelsNotFound = 1,

    /// <summary>GDAL reads the labels file neither as a raster nor as vector data.</summary>
    UnreadableLabels = 2,

    /// <summary>A label raster with more than one band.</summary>
    NotOneBand = 3,

    /// <summary>A label raster not on the scene's grid (size or geotransform).</summary>
    GridMismatch = 4,

    /// <summary>A label raster in another CRS than the scene.</summary>
    CrsMismatch = 5,

    /// <summary>Label pixels other than 0, 1 and 255.</summary>
    BadLabelValues = 6,

    /// <summary>No label at all: an all-255 raster, or a vector file without features.</summary>
    EmptyLabels = 7,

    /// <summary>Polygons that do not fall on the scene.</summary>
    NoOverlap = 8,

    /// <summary>A pair name that is not a plain blob folder name.</summary>
    BadName = 9,

    /// <summary>training/{name}/ already holds a pair.</summary>
    NameTaken = 10,
}
