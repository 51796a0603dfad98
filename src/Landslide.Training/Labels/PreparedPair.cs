namespace Landslide.Training.Labels;

/// <summary>A checked labelled pair ready to upload: the scene as given, the label raster on its grid, the manifest.</summary>
public sealed record PreparedPair(string ScenePath, string LabelsPath, LabelledPairManifest Manifest);
