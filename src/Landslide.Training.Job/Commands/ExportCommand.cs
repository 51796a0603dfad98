using System.CommandLine;
using Landslide.CommandLine;
using Landslide.Training;
using Landslide.Training.Export;

namespace Landslide.Training.Job.Commands;

/// <summary><c>landslide-train export --checkpoint DIR -o FILE</c>: a training checkpoint's network as ONNX (the model contract).</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<DirectoryInfo>("--checkpoint") { Description = "A checkpoint folder written by `landslide-train train`.", Required = true };
        var output = CommonOptions.OutFile("The .onnx file to write.");
        var command = new Command("export", "Export a training checkpoint to ONNX: input features [N,23,128,128], output probability [N,1,128,128].")
        {
            checkpoint, output,
        };

        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(
            _ =>
            {
                var folder = parse.GetRequiredValue(checkpoint).FullName;
                if (!TrainingCheckpoint.Exists(folder))
                {
                    throw new FileNotFoundException($"no checkpoint in {folder}", folder);
                }

                using var model = TrainingCheckpoint.LoadModel(folder);
                var path = parse.GetRequiredValue(output).FullName;
                OnnxExporter.Export(model, path);
                Console.WriteLine(path);
                return Task.CompletedTask;
            },
            cancellationToken));
        return command;
    }
}
