using Azure;
using Landslide.Core.Segmentation;

namespace Landslide.Training.Registry;

/// <summary>The promoted model as read from models/current.json: its manifest, its training data (if recorded) and the pointer's ETag.</summary>
public sealed record CurrentModel(ModelManifest Manifest, TrainingDataRecord? TrainingData, ETag PointerETag);
