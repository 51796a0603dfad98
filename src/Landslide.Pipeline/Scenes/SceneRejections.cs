using System.Text;
using Azure.Storage.Blobs.Models;
using Landslide.Core.Scenes;
using Landslide.Pipeline.Runs;
using Landslide.Pipeline.Storage;

namespace Landslide.Pipeline.Scenes;

/// <summary>A refused scene: results/{scene}/error.json (code, message; no secrets), and the run's reason. The scene stays in scenes/.</summary>
internal static class SceneRejections
{
    public static async Task WriteErrorJsonAsync(PipelineStorage storage, RunEntity run, SceneRejectedException error, CancellationToken cancellationToken)
    {
        var body = PipelineMessages.ErrorJson(run.Scene, run.BlobName, run.BlobETag, error.Code, SecretRedactor.Redact(error.Message));
        var target = storage.Container(StorageNames.ResultsContainer).GetBlobClient($"{run.Scene}/{Mapping.OutputNames.Error}");
        await target.UploadAsync(
            BinaryData.FromBytes(Encoding.UTF8.GetBytes(body)),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
            cancellationToken).ConfigureAwait(false);
    }

    public static string Reason(SceneRejectedException error) => SecretRedactor.Redact($"{error.Code}: {error.Message}");

    /// <summary>Rejects a run that is already recorded (a chunk found its pixel data unreadable); false when it was final already.</summary>
    public static async Task<bool> RejectRunAsync(PipelineStorage storage, RunStore runs, RunEntity run, SceneRejectedException error, CancellationToken cancellationToken)
    {
        var (_, changed) = await runs.UpdateAsync(run.RunId, r =>
        {
            if (RunStatus.IsFinal(r.Status))
            {
                return false;
            }

            r.Status = RunStatus.Rejected;
            r.Reason = Reason(error);
            r.FinishedAt = DateTimeOffset.UtcNow;
            return true;
        }, cancellationToken).ConfigureAwait(false);
        if (changed)
        {
            await WriteErrorJsonAsync(storage, run, error, cancellationToken).ConfigureAwait(false);
        }

        return changed;
    }
}
