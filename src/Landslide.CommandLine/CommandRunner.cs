using Landslide.Core;
using Microsoft.Extensions.Options;

namespace Landslide.CommandLine;

/// <summary>Runs a command body and maps what went wrong to an exit code and one clear line on stderr.</summary>
public static class CommandRunner
{
    public static async Task<int> RunAsync(Func<CancellationToken, Task> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            await body(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is IRejectedInput rejected)
        {
            await Console.Error.WriteLineAsync($"error: {rejected.Rejection} ({rejected.Code}): {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync($"error: invalid option: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (FileNotFoundException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("cancelled").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
#pragma warning disable CA1031 // The command's last line of defence: any other failure becomes exit code 1 with its message.
        catch (Exception e)
#pragma warning restore CA1031
        {
            // Our own exceptions (storage unreachable, a training job that failed) carry a message written for a
            // person; anything else is named by its type so a bug report says what broke.
            var ours = e.GetType().Namespace?.StartsWith("Landslide.", StringComparison.Ordinal) == true;
            await Console.Error.WriteLineAsync(ours ? $"error: {e.Message}" : $"error: {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }
}
