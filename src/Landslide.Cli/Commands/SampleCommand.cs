using System.CommandLine;
using Landslide.Pipeline.Samples;

namespace Landslide.Cli.Commands;

/// <summary><c>landslide sample --out DIR [--size N] [--seed S]</c>: writes the synthetic sample scene and its truth mask.</summary>
internal static class SampleCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for scene.tif and truth.tif.", Required = true };
        var size = new Option<int>("--size") { Description = "Width and height in pixels.", DefaultValueFactory = _ => 1024 };
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic terrain and scars.", DefaultValueFactory = _ => 7 };
        var command = new Command("sample", "Write a synthetic 14-band sample scene (UTM 45N, 10 m) with planted landslide scars and its truth mask.")
        {
            output, size, seed,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(
            _ =>
            {
                var path = SampleSceneWriter.Write(parse.GetRequiredValue(output).FullName, parse.GetValue(size), parse.GetValue(seed), cancellationToken);
                Console.WriteLine(path);
                return Task.CompletedTask;
            },
            cancellationToken));
        return command;
    }
}
