namespace Landslide.Raster.Interop;

/// <summary>A field of an <see cref="OgrLayer"/>: its name and the index OGR gave it, looked up once by name.</summary>
internal readonly record struct OgrField(string Name, int Index);
