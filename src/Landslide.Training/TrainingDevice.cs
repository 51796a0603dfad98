namespace Landslide.Training;

/// <summary>Where the model trains. <see cref="Auto"/>: CUDA when libtorch sees a GPU, else CPU.</summary>
public enum TrainingDevice
{
    Auto = 0,
    Cpu = 1,
    Cuda = 2,
}
