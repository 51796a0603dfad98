namespace Landslide.Raster.Interop;

/// <summary>A GDAL <c>char**</c> option list (CSL), freed with CSLDestroy.</summary>
internal sealed class StringList : IDisposable
{
    private nint _list;

    public StringList(params IEnumerable<string> values)
    {
        foreach (var value in values)
        {
            _list = Gdal.CSLAddString(_list, value);
        }
    }

    public nint Handle => _list;

    public void Dispose()
    {
        if (_list != 0)
        {
            Gdal.CSLDestroy(_list);
            _list = 0;
        }
    }
}
