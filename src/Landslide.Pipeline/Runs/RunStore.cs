using Azure;
using Azure.Data.Tables;
using Landslide.Pipeline.Storage;

namespace Landslide.Pipeline.Runs;

/// <summary>Reads and changes runs in table "runs". Every change is an ETag-guarded replace retried on conflict.</summary>
public sealed class RunStore(PipelineStorage storage)
{
    private const int MaxConflictRetries = 50;

    private TableClient Table => storage.Runs;

    public async Task<RunEntity?> GetAsync(string runId, CancellationToken cancellationToken)
    {
        var response = await Table.GetEntityIfExistsAsync<RunEntity>(runId, RunEntity.RowKeyValue, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Adds a new run; false when a run with this id exists already (a redelivery or an identical upload).</summary>
    public async Task<bool> TryAddAsync(RunEntity run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            await Table.AddEntityAsync(run, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the current run and writes it if the ETag still matches, re-reading and
    /// re-applying on a conflict. <paramref name="change"/> returns false to leave the run as it is.
    /// </summary>
    public async Task<(RunEntity Run, bool Changed)> UpdateAsync(string runId, Func<RunEntity, bool> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 0; ; attempt++)
        {
            var run = await GetAsync(runId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"run {runId} is not in table '{StorageNames.RunsTable}'");
            if (!change(run))
            {
                return (run, false);
            }

            try
            {
                var response = await Table.UpdateEntityAsync(run, run.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                run.ETag = response.Headers.ETag ?? run.ETag;
                return (run, true);
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < MaxConflictRetries)
            {
                // Another worker changed the run first: read its version and apply ours on top.
            }
        }
    }

    /// <summary>Marks the run failed with a reason unless it already reached a final state.</summary>
    public async Task FailAsync(string runId, string reason, CancellationToken cancellationToken)
    {
        if (await GetAsync(runId, cancellationToken).ConfigureAwait(false) is null)
        {
            return;
        }

        await UpdateAsync(runId, run =>
        {
            if (RunStatus.IsFinal(run.Status))
            {
                return false;
            }

            run.Status = RunStatus.Failed;
            run.Reason = SecretRedactor.Redact(reason);
            run.FinishedAt = DateTimeOffset.UtcNow;
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task SetLatestAsync(string scene, string runId, string blobETag, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(
            new SceneEntity { RowKey = SceneKey(scene), LatestRunId = runId, BlobETag = blobETag }, TableUpdateMode.Replace, cancellationToken);

    public async Task<SceneEntity?> GetLatestAsync(string scene, CancellationToken cancellationToken)
    {
        var response = await Table.GetEntityIfExistsAsync<SceneEntity>(SceneEntity.PartitionKeyValue, SceneKey(scene), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Row keys may not hold / \ # ? or control characters.</summary>
    internal static string SceneKey(string scene) =>
        string.Concat(scene.Select(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c) ? '_' : c));
}
