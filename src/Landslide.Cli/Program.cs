using System.CommandLine;
using Landslide.Cli.Commands;
using Landslide.Raster;

// The mapper reads every strip once: GDAL's default block cache (5 % of RAM) would only hold memory.
GdalSettings.BlockCacheBytes = 256L << 20;

var root = new RootCommand("Maps landslides in Sentinel-2 + terrain scenes.")
{
    MapCommand.Create(),
    SampleCommand.Create(),
    ServeCommand.Create(),
    TrainCommand.Create(),
    TrainingCommand.Create(),
    EvaluateCommand.Create(),
    ExportCommand.Create(),
    FiltersCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
