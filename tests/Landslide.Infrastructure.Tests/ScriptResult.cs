namespace Landslide.Infrastructure.Tests;

/// <summary>Exit code and combined output of a script run.</summary>
internal sealed record ScriptResult(int ExitCode, string Output);
