using Landslide.InferenceServer;

try
{
    await using var app = InferenceServerApp.Build(args);
    await app.RunAsync().ConfigureAwait(false);
    return 0;
}
catch (Exception ex) when (StartupFailure.Describe(ex) is { } line)
{
    // Settings the operator must fix: one line saying what to set, no stack trace.
    await Console.Error.WriteLineAsync(line).ConfigureAwait(false);
    return StartupFailure.ExitCode;
}
