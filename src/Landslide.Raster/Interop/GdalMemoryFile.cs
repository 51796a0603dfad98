namespace Landslide.Raster.Interop;

/// <summary>Files in GDAL's /vsimem/ file system: bytes GDAL opens by name without touching the disk.</summary>
internal static unsafe class GdalMemoryFile
{
    /// <summary>Copies <paramref name="bytes"/> into <paramref name="path"/> (a /vsimem/ name); GDAL owns the copy until <see cref="Delete"/>.</summary>
    public static void Create(string path, ReadOnlySpan<byte> bytes, string name)
    {
        GdalRuntime.EnsureInitialized();

        // GDAL takes ownership of a VSIMalloc'd copy and frees it on VSIUnlink.
        var buffer = (byte*)Gdal.VSIMalloc((nuint)bytes.Length);
        if (buffer is null)
        {
            throw new OutOfMemoryException($"cannot allocate {bytes.Length} bytes for '{name}'");
        }

        bytes.CopyTo(new Span<byte>(buffer, bytes.Length));
        var file = Gdal.VSIFileFromMemBuffer(path, buffer, (ulong)bytes.Length, takeOwnership: 1);
        if (file == 0)
        {
            Gdal.VSIFree(buffer);
            throw GdalRuntime.Failure($"creating {path}");
        }

        _ = Gdal.VSIFCloseL(file);
    }

    public static void Delete(string path) => _ = Gdal.VSIUnlink(path);
}
