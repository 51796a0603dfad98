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

    /// <summary>The pixel values do not fit the chosen band profile (digital numbers under l4s, fractions under s2-l2a-dn).</summary>
    ProfileMismatch,
}
