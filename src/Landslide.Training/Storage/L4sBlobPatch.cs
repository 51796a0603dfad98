namespace Landslide.Training.Storage;

/// <summary>A Landslide4Sense patch in training/ (img/image_N.h5 + mask/mask_N.h5) and its content hash (blob MD5s).</summary>
public sealed record L4sBlobPatch(int Id, string ImageBlob, string MaskBlob, string ContentHash)
{
    public string Name => $"l4s/{Id}";
}
