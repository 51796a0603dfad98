using System.CommandLine;
using Landslide.CommandLine;
using Landslide.Pipeline.Samples;

namespace Landslide.Cli.Commands;

/// <summary><c>landslide sample -o DIR [--size N] [--seed S]</c>: writes the synthetic sample scene and its truth mask.</summary>
internal static class SampleCommand
{
    public static Command Create()
    {
        var output = CommonOptions.OutDirectory("Folder for scene.tif and truth.tif.");
        var json = CommonOptions.Json();
        var size = new Option<int>("--size") { Description = "Width and height in pixels.", DefaultValueFactory = _ => 1024 };
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic terrain and scars.", DefaultValueFactory = _ => 7 };
        var command = new Command("sample", "Write a synthetic 14-band sample scene (UTM 45N, 10 m) with planted landslide scars and its truth mask.")
        {
            output, size, seed, json,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(
            _ =>
            {
                var path = SampleSceneWriter.Write(parse.GetRequiredValue(output).FullName, parse.GetValue(size), parse.GetValue(seed), cancellationToken);
                if (parse.GetValue(json))
                {
                    JsonOutput.Write(new SampleFiles(path, Path.Combine(Path.GetDirectoryName(path)!, SampleSceneWriter.TruthFileName)));
                }
                else
                {
                    Console.WriteLine(path);
                }

                return Task.CompletedTask;
            },
            cancellationToken));
        return command;
    }

    /// <summary>`sample --json`: the files written.</summary>
    private sealed record SampleFiles(string Scene, string Truth);
}
