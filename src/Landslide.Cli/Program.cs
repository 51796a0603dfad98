using System.CommandLine;
using Landslide.Cli.Commands;

var root = new RootCommand("Maps landslides in Sentinel-2 + terrain scenes.")
{
    MapCommand.Create(),
    SampleCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
