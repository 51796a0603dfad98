using System.Net.Http.Headers;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Landslide.Pipeline.Runs;
using Landslide.Pipeline.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Landslide.Pipeline.Alerts;

/// <summary>
/// Delivers a run's alert to every configured webhook: the stored body, signed per webhook, with a delivery key
/// fixed per run and slot; Polly retries with exponential backoff. A webhook that still fails goes to queue
/// "alerts-deadletter" with the last error. Slots already delivered (recorded on the run) are never sent again.
/// </summary>
public sealed partial class AlertDispatcher
{
    /// <summary>Name of the webhooks' HttpClient in <see cref="IHttpClientFactory"/>.</summary>
    public const string HttpClientName = "Landslide.Alerts";

    private readonly IHttpClientFactory _httpClients;
    private readonly PipelineStorage _storage;
    private readonly RunStore _runs;
    private readonly AlertOptions _options;
    private readonly ILogger<AlertDispatcher> _logger;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public AlertDispatcher(IHttpClientFactory httpClients, PipelineStorage storage, RunStore runs, IOptions<AlertOptions> options, ILogger<AlertDispatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _httpClients = httpClients;
        _storage = storage;
        _runs = runs;
        _options = options.Value;
        _logger = logger;
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = _options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryBaseDelay,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => !r.IsSuccessStatusCode),
                OnRetry = args =>
                {
                    LogRetry(args.AttemptNumber + 1, args.Outcome.Result?.StatusCode.ToString() ?? args.Outcome.Exception?.Message ?? "?");
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(_options.AttemptTimeout)
            .Build();
    }

    public async Task HandleAsync(string message, long dequeueCount, CancellationToken cancellationToken)
    {
        _ = dequeueCount;
        if (ModelEventMessage.TryParse(message, out var modelEvent))
        {
            await HandleModelEventAsync(modelEvent!, cancellationToken).ConfigureAwait(false);
            return;
        }

        var runId = PipelineMessages.Parse<RunMessage>(message).RunId;
        var run = await _runs.GetAsync(runId, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            LogUnknownRun(runId);
            return;
        }

        using var scope = _logger.BeginScope(new Dictionary<string, object> { ["Scene"] = run.Scene, ["RunId"] = runId });
        BinaryData body;
        try
        {
            body = (await _storage.Container(StorageNames.WorkContainer).GetBlobClient(AlertPayloads.BlobName(runId))
                .DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            LogNoBody(runId);
            return;
        }

        for (var slot = 0; slot < _options.Webhooks.Count; slot++)
        {
            var hook = _options.Webhooks[slot];
            if (!hook.IsEnabled || RunEntity.Contains(run.AlertsDelivered, slot) || RunEntity.Contains(run.AlertsDeadLettered, slot))
            {
                continue;
            }

            var delivery = AlertSignature.DeliveryKey(runId, slot);
            var signature = AlertSignature.Sign(body.ToMemory().Span, hook.Secret!);
            var (delivered, lastError) = await DeliverAsync(new Uri(hook.Url!), body, signature, delivery, cancellationToken).ConfigureAwait(false);
            if (delivered)
            {
                (run, _) = await _runs.UpdateAsync(runId, r =>
                {
                    r.AlertsDelivered = RunEntity.Add(r.AlertsDelivered, slot);
                    return true;
                }, cancellationToken).ConfigureAwait(false);
                LogDelivered(slot, delivery);
                continue;
            }

            await DeadLetterAsync(("run_id", runId), ("scene", run.Scene), slot, hook, delivery, lastError, cancellationToken).ConfigureAwait(false);
            (run, _) = await _runs.UpdateAsync(runId, r =>
            {
                r.AlertsDeadLettered = RunEntity.Add(r.AlertsDeadLettered, slot);
                return true;
            }, cancellationToken).ConfigureAwait(false);
            LogDeadLettered(slot, lastError);
        }
    }

    /// <summary>
    /// A retrain's model.promoted / model.rejected event: the same signing, delivery key per event and slot, retries and
    /// dead-letter queue as an alert; slots are recorded in table "runs" (partition model-events) so a redelivered
    /// message never re-sends to a slot already answered.
    /// </summary>
    private async Task HandleModelEventAsync(ModelEventMessage message, CancellationToken cancellationToken)
    {
        BinaryData body;
        try
        {
            body = (await _storage.Container(StorageNames.ModelsContainer).GetBlobClient(message.BlobName).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            LogNoBody(message.BlobName);
            return;
        }

        var table = _storage.Runs;
        var existing = await table.GetEntityIfExistsAsync<ModelEventEntity>(ModelEventEntity.PartitionKeyValue, message.Version, cancellationToken: cancellationToken).ConfigureAwait(false);
        var state = existing.HasValue ? existing.Value! : new ModelEventEntity { RowKey = message.Version, Type = message.Type };
        for (var slot = 0; slot < _options.Webhooks.Count; slot++)
        {
            var hook = _options.Webhooks[slot];
            if (!hook.IsEnabled || RunEntity.Contains(state.Delivered, slot) || RunEntity.Contains(state.DeadLettered, slot))
            {
                continue;
            }

            var delivery = ModelEventMessage.DeliveryKey(message.Version, slot);
            var signature = AlertSignature.Sign(body.ToMemory().Span, hook.Secret!);
            var (delivered, lastError) = await DeliverAsync(new Uri(hook.Url!), body, signature, delivery, cancellationToken).ConfigureAwait(false);
            if (delivered)
            {
                state.Delivered = RunEntity.Add(state.Delivered, slot);
                LogDelivered(slot, delivery);
            }
            else
            {
                await DeadLetterAsync(("model_version", message.Version), ("type", message.Type), slot, hook, delivery, lastError, cancellationToken)
                    .ConfigureAwait(false);
                state.DeadLettered = RunEntity.Add(state.DeadLettered, slot);
                LogDeadLettered(slot, lastError);
            }

            // One dispatcher per message; the upsert records each slot before the next is tried.
            await table.UpsertEntityAsync(state, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One dead letter for a webhook that failed every attempt: what it was about (a run or a model event, two fields),
    /// where it went and why it failed, in the same shape for both.
    /// </summary>
    private Task DeadLetterAsync(
        (string Name, object? Value) first,
        (string Name, object? Value) second,
        int slot,
        WebhookOptions hook,
        string delivery,
        string? lastError,
        CancellationToken cancellationToken) =>
        _storage.Queue(StorageNames.AlertsDeadLetterQueue).SendMessageAsync(
            JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                [first.Name] = first.Value,
                [second.Name] = second.Value,
                ["webhook_slot"] = slot,
                ["url"] = hook.Url,
                ["delivery"] = delivery,
                ["attempts"] = _options.MaxRetryAttempts + 1,
                ["last_error"] = lastError,
                ["at"] = DateTimeOffset.UtcNow,
            }),
            cancellationToken);

    private async Task<(bool Delivered, string? LastError)> DeliverAsync(Uri url, BinaryData body, string signature, string delivery, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _pipeline.ExecuteAsync(
                async token =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, url);
                    request.Content = new ReadOnlyMemoryContent(body.ToMemory());
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                    request.Headers.Add(AlertSignature.SignatureHeader, signature);
                    request.Headers.Add(AlertSignature.DeliveryHeader, delivery);
                    return await _httpClients.CreateClient(HttpClientName).SendAsync(request, token).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? (true, null)
                : (false, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException)
        {
            return (false, $"{e.GetType().Name}: {e.Message}");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert for run {RunId}, which is not recorded; dropping the message")]
    private partial void LogUnknownRun(string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert body of run {RunId} is missing; nothing to send")]
    private partial void LogNoBody(string runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert delivery retry {Attempt} after {Outcome}")]
    private partial void LogRetry(int attempt, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert delivered to webhook {Slot} (delivery {Delivery})")]
    private partial void LogDelivered(int slot, string delivery);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert to webhook {Slot} dead-lettered: {Error}")]
    private partial void LogDeadLettered(int slot, string? error);
}
