namespace Landslide.Raster.Interop;

/// <summary>A vector layer, borrowed from its <see cref="GdalDataset"/> (never closed on its own).</summary>
internal readonly struct OgrLayer
{
    internal OgrLayer(nint handle) => Handle = handle;

    public string? Name => Gdal.PtrToString(Gdal.OGR_L_GetName(Handle));

    internal nint Handle { get; }

    /// <summary>Adds a field and returns it with the index OGR gave it.</summary>
    public OgrField AddField(string name, OgrFieldType type)
    {
        var definition = Gdal.OGR_Fld_Create(name, (int)type);
        try
        {
            if (Gdal.OGR_L_CreateField(Handle, definition, 1) != Gdal.OgrErrNone)
            {
                throw GdalRuntime.Failure($"creating field '{name}'");
            }
        }
        finally
        {
            Gdal.OGR_Fld_Destroy(definition);
        }

        return FindField(name) ?? throw GdalRuntime.Failure($"finding the new field '{name}'");
    }

    /// <summary>The field named <paramref name="name"/>; null when the layer has none.</summary>
    public OgrField? FindField(string name)
    {
        var index = Gdal.OGR_FD_GetFieldIndex(Gdal.OGR_L_GetLayerDefn(Handle), name);
        return index >= 0 ? new OgrField(name, index) : null;
    }

    /// <summary>The field named <paramref name="name"/>; a <see cref="GdalException"/> when the layer has none.</summary>
    public OgrField Field(string name) => FindField(name) ?? throw new GdalException(0, $"the layer '{Name}' has no field '{name}'");

    /// <summary>Sets (or, with null, clears) an OGR SQL WHERE filter.</summary>
    public void SetAttributeFilter(string? filter)
    {
        if (Gdal.OGR_L_SetAttributeFilter(Handle, filter) != Gdal.OgrErrNone)
        {
            throw GdalRuntime.Failure($"filtering layer with '{filter}'");
        }
    }

    /// <summary>Features passing the filter, counted (forced) by OGR.</summary>
    public long FeatureCount() => Gdal.OGR_L_GetFeatureCount(Handle, 1);

    /// <summary>The layer's features from the start, each disposed when the enumeration moves past it.</summary>
    public IEnumerable<OgrFeature> Features()
    {
        Gdal.OGR_L_ResetReading(Handle);
        while (true)
        {
            var handle = Gdal.OGR_L_GetNextFeature(Handle);
            if (handle.IsInvalid)
            {
                handle.Dispose();
                yield break;
            }

            using var feature = new OgrFeature(handle);
            yield return feature;
        }
    }

    /// <summary>A new, empty feature of this layer's schema (not yet in the layer: see <see cref="Add"/>).</summary>
    public OgrFeature NewFeature() => new(Gdal.OGR_F_Create(Gdal.OGR_L_GetLayerDefn(Handle)));

    /// <summary>Writes a new feature to the layer; false when OGR refuses.</summary>
    public bool Add(OgrFeature feature) => Gdal.OGR_L_CreateFeature(Handle, feature.Handle) == Gdal.OgrErrNone;

    /// <summary>Rewrites an existing feature (read from this layer); false when OGR refuses.</summary>
    public bool Update(OgrFeature feature) => Gdal.OGR_L_SetFeature(Handle, feature.Handle) == Gdal.OgrErrNone;
}
