using Landslide.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// GDAL's block cache comes from configuration (Gdal__BlockCacheMiB, default 128 MiB) in the shared host wiring.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
FunctionsServices.Add(builder.Services, builder.Configuration);
FunctionsTelemetry.Add(builder.Services, builder.Configuration);
await builder.Build().RunAsync().ConfigureAwait(false);
