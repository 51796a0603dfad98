namespace Landslide.Core.Scenes;

/// <summary>Why a scene was refused. Stable codes: they appear in error.json and in CLI messages.</summary>
public enum SceneError
{
    NotARaster,
    WrongBandCount,
    NonNumericType,
    MissingCrs,
    GeographicCrs,
    EmptySize,
    AbsurdSize,
    AllNodata,
    UnknownBandProfile,
    InvalidManifest,

    /// <summary>The header is valid but the pixel data is damaged or cut short: GDAL cannot decode it.</summary>
    UnreadableData,
}
