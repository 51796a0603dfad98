using Landslide.Cli.Commands;
using Landslide.CommandLine;
using Landslide.Raster;

// The mapper reads every strip once: GDAL's default block cache (5 % of RAM) would only hold memory.
GdalSettings.BlockCacheBytes = 256L << 20;

var root = CommonOptions.Root("Maps landslides in Sentinel-2 + terrain scenes (training: landslide-train).");
root.Subcommands.Add(MapCommand.Create());
root.Subcommands.Add(SampleCommand.Create());
root.Subcommands.Add(ServeCommand.Create());

return await CommonOptions.InvokeAsync(root, args).ConfigureAwait(false);
