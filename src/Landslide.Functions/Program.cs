using Landslide.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// GDAL's block cache defaults to 5 % of RAM; a Functions replica runs several chunks at once in 2-8 GB.
Landslide.Raster.GdalSettings.BlockCacheBytes = 128L << 20;
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
FunctionsServices.Add(builder.Services, builder.Configuration);
FunctionsTelemetry.Add(builder.Services, builder.Configuration);
await builder.Build().RunAsync().ConfigureAwait(false);
