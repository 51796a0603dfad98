using System.Text.Json;
using Landslide.Training.Data;
using Landslide.Training.Modeling;
using TorchSharp;

namespace Landslide.Training;

/// <summary>
/// A checkpoint folder: <c>model.bin</c> (TorchSharp weights), <c>optimizer.bin</c> (Adam moments) and
/// <c>checkpoint.json</c> (<see cref="CheckpointState"/>). Written every epoch; files are replaced atomically.
/// </summary>
public static class TrainingCheckpoint
{
    public const string ModelFile = "model.bin";
    public const string OptimizerFile = "optimizer.bin";
    public const string StateFile = "checkpoint.json";

    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>True when <paramref name="directory"/> holds a complete checkpoint.</summary>
    public static bool Exists(string directory)
        => File.Exists(Path.Combine(directory, StateFile)) && File.Exists(Path.Combine(directory, ModelFile));

    /// <summary>Reads the state of the checkpoint in <paramref name="directory"/>.</summary>
    public static CheckpointState ReadState(string directory)
    {
        var path = Path.Combine(directory, StateFile);
        if (!File.Exists(path))
        {
            throw new TrainingDataException(TrainingDataError.FileNotFound, $"no checkpoint at {directory} ({StateFile} missing)");
        }

        return JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(path), Json)
            ?? throw new TrainingDataException(TrainingDataError.WrongShape, $"{path} is empty");
    }

    /// <summary>Builds the model the checkpoint describes and loads its weights (CPU, eval mode).</summary>
    public static RauNet LoadModel(string directory)
    {
        var state = ReadState(directory);
        var model = new RauNet(state.Model);
        model.load(Path.Combine(directory, ModelFile));
        model.eval();
        return model;
    }

    internal static void Save(string directory, RauNet model, TorchSharp.Modules.OptimizerHelper optimizer, CheckpointState state)
    {
        Directory.CreateDirectory(directory);
        ReplaceWith(Path.Combine(directory, ModelFile), tmp => model.save(tmp));
        ReplaceWith(Path.Combine(directory, OptimizerFile), optimizer.save_state_dict);
        ReplaceWith(Path.Combine(directory, StateFile), tmp => File.WriteAllText(tmp, JsonSerializer.Serialize(state, Json)));
    }

    internal static void LoadOptimizer(string directory, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        var path = Path.Combine(directory, OptimizerFile);
        if (File.Exists(path))
        {
            optimizer.load_state_dict(path);
        }
    }

    private static void ReplaceWith(string path, Action<string> write)
    {
        var tmp = path + ".tmp";
        write(tmp);
        File.Move(tmp, path, overwrite: true);
    }
}
