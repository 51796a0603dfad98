using System.Globalization;
using System.Security.Cryptography;
using Landslide.Core.Features;
using Landslide.Core.Scenes;
using Landslide.Core.Segmentation;
using Landslide.Core.Tiling;
using Landslide.Raster.Scenes;

namespace Landslide.Training.Data;

/// <summary>
/// Labelled tiles cut from a scene raster and a label raster on the same grid: how new labelled data arrives for
/// retraining (training/ in storage). The scene is cut into the same 128 x 128 tiles, with the same padding and
/// nodata handling, as inference cuts it (<see cref="TileCutter"/>), so training and inference see the same windows.
/// Label pixels: 1 landslide, 0 background; anything else, nodata, padding and invalid scene pixels are ignored.
/// Tiles without a single labelled pixel are skipped.
/// </summary>
public sealed class SceneLabelTileSource : ILabelledTileSource
{
    private readonly string _scenePath;
    private readonly string _labelPath;
    private readonly BandProfile _profile;
    private readonly TileGrid _grid;
    private readonly SceneInfo _scene;
    private readonly string _name;
    private readonly Dictionary<string, TileWindow> _tiles = [];

    /// <param name="scenePath">The scene: a file or any GDAL path (/vsicurl/ for a blob read in place).</param>
    /// <param name="labelPath">The label raster on the scene's grid.</param>
    /// <param name="profile">The scene's band profile.</param>
    /// <param name="overlap">Tile overlap (0: tiles do not share pixels).</param>
    /// <param name="name">Prefix of the tile ids (default: the scene's file name); a pair name keeps ids unique across pairs.</param>
    public SceneLabelTileSource(string scenePath, string labelPath, BandProfile profile, int overlap = 0, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        _scenePath = scenePath;
        _labelPath = labelPath;
        _profile = profile;
        _name = name ?? Path.GetFileNameWithoutExtension(scenePath);
        using var scene = RasterScene.Open(scenePath);
        using var label = RasterScene.Open(labelPath);
        new SceneValidator().Validate(scene.Info);
        CheckSameGrid(scene.Info, label.Info);
        _scene = scene.Info;
        _grid = new TileGrid(_scene.Width, _scene.Height, overlap);
        var labels = new float[ModelContract.PixelsPerTile];
        for (var row = 0; row < _grid.Rows; row++)
        {
            foreach (var tile in _grid.TilesInRow(row))
            {
                var (w, h) = Inside(tile);
                label.ReadWindow(tile.X, tile.Y, w, h, labels.AsSpan(0, w * h));
                if (labels.AsSpan(0, w * h).IndexOfAny(0f, 1f) >= 0)
                {
                    _tiles[TileId(tile)] = tile;
                }
            }
        }

        Ids = [.. _tiles.Keys.Order(new NaturalComparer())];
    }

    public IReadOnlyList<string> Ids { get; }

    public LabelledTile Load(string id)
    {
        if (!_tiles.TryGetValue(id, out var tile))
        {
            throw new TrainingDataException(TrainingDataError.FileNotFound, $"{id} is not a labelled tile of {_scenePath}");
        }

        using var scene = RasterScene.Open(_scenePath);
        using var label = RasterScene.Open(_labelPath);
        var cutter = new TileCutter(_scene.Width, _scene.Height, _profile, _scene.NoData ?? _profile.NoData);
        var (stripY, stripEnd) = cutter.SourceRows(tile.Y);
        var strip = new float[ModelContract.InputBands * (stripEnd - stripY) * _scene.Width];
        scene.ReadWindow(0, stripY, _scene.Width, stripEnd - stripY, strip);
        var bands = new float[ModelContract.BandValuesPerTile];
        var valid = new byte[ModelContract.PixelsPerTile];
        cutter.Cut(strip, stripY, stripEnd - stripY, tile, bands, valid);
        var features = new float[ModelContract.FeatureValuesPerTile];
        FeatureExtractor.Compute(bands, features);

        var (w, h) = Inside(tile);
        var labels = new float[w * h];
        label.ReadWindow(tile.X, tile.Y, w, h, labels);
        var mask = new byte[ModelContract.PixelsPerTile];
        mask.AsSpan().Fill(LabelledTile.IgnoreLabel);
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var i = (y * ModelContract.TileSize) + x;
                var value = labels[(y * w) + x];
                mask[i] = valid[i] == 1 && value is 0f or 1f ? (byte)value : LabelledTile.IgnoreLabel;
            }
        }

        LabelledTile.Validate(id, features, mask);
        return new LabelledTile(id, features, mask);
    }

    public string Fingerprint()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in new[] { _scenePath, _labelPath })
        {
            using var stream = File.OpenRead(path);
            var buffer = new byte[1 << 20];
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }

        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void CheckSameGrid(SceneInfo scene, SceneInfo label)
    {
        if (label.BandCount != 1 || scene.Width != label.Width || scene.Height != label.Height || scene.GeoTransform != label.GeoTransform)
        {
            throw new TrainingDataException(
                TrainingDataError.SizeMismatch,
                $"the label raster must be one band on the scene's grid: scene {scene.Width} x {scene.Height} at {scene.GeoTransform}, label {label.BandCount} band(s) {label.Width} x {label.Height} at {label.GeoTransform}");
        }
    }

    private (int Width, int Height) Inside(TileWindow tile) =>
        (Math.Min(ModelContract.TileSize, _scene.Width - tile.X), Math.Min(ModelContract.TileSize, _scene.Height - tile.Y));

    private string TileId(TileWindow tile) =>
        string.Create(CultureInfo.InvariantCulture, $"{_name}_r{tile.Row}_c{tile.Column}");
}
