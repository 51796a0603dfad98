using Landslide.Core.Scenes;
using Landslide.Inference;
using Microsoft.Extensions.Options;

namespace Landslide.Cli.Commands;

/// <summary>Runs a command body and maps what went wrong to an exit code and one clear line on stderr.</summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(Func<CancellationToken, Task> body, CancellationToken cancellationToken)
    {
        try
        {
            await body(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (SceneRejectedException e)
        {
            await Console.Error.WriteLineAsync($"error: scene rejected ({e.Code}): {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (Landslide.Training.Labels.LabelRejectedException e)
        {
            await Console.Error.WriteLineAsync($"error: labels rejected ({e.Code}): {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (ModelContractException e)
        {
            await Console.Error.WriteLineAsync($"error: model refused ({e.Code}): {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync($"error: invalid option: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (FileNotFoundException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (Landslide.Pipeline.Storage.StorageUnreachableException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
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
            await Console.Error.WriteLineAsync($"error: {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }
}
