using Landslide.InferenceServer;

await using var app = InferenceServerApp.Build(args);
await app.RunAsync().ConfigureAwait(false);
