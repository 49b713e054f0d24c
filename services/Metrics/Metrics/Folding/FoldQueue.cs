using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Playbooks.Messaging;

namespace Playbooks.Metrics.Folding;

/// <summary>
/// Group commit. Bus handlers hand over their event and wait; one loop folds whatever has gathered meanwhile (up to
/// <see cref="BatchSize"/>) in one transaction and then releases them. A burst of events from several publishers
/// costs a few transactions instead of one each, and a handler still returns only once its event is committed,
/// so the bus's at-least-once delivery holds.
/// </summary>
internal sealed partial class FoldQueue(MetricsStore store, ILogger<FoldQueue> logger) : BackgroundService
{
    public const int BatchSize = 512;

    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    public Task FoldAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        var pending = new Pending(envelope);
        if (!_pending.Writer.TryWrite(pending))
            throw new OperationCanceledException("The metrics service is stopping; the bus will deliver the event again.");
        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(BatchSize);
        try
        {
            while (await _pending.Reader.WaitToReadAsync(stoppingToken))
            {
                // Let the handlers released by the last commit, already queued on the thread pool, hand over their next
                // events first: it costs microseconds and makes the batch as large as the burst really is.
                await Task.Yield();
                while (batch.Count < BatchSize && _pending.Reader.TryRead(out var next)) batch.Add(next);
                await FoldAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _pending.Writer.TryComplete();
            foreach (var left in batch) left.Done.TrySetCanceled();
            while (_pending.Reader.TryRead(out var left)) left.Done.TrySetCanceled();
        }
    }

    private async Task FoldAsync(List<Pending> batch, CancellationToken cancellationToken)
    {
        try
        {
            await store.FoldAsync(batch.Select(p => p.Envelope).ToList(), cancellationToken);
            foreach (var pending in batch) pending.Done.TrySetResult();
        }
        catch (Exception error) when (batch.Count > 1 && error is not OperationCanceledException)
        {
            // One bad event must not hold back the others that happened to share its batch: fold each alone,
            // so only the one that fails is refused (and redelivered by the bus).
            LogBatchFailed(logger, batch.Count, error);
            foreach (var pending in batch)
            {
                try
                {
                    await store.FoldAsync([pending.Envelope], cancellationToken);
                    pending.Done.TrySetResult();
                }
                catch (Exception single)
                {
                    pending.Done.TrySetException(single);
                }
            }
        }
        catch (Exception error)
        {
            foreach (var pending in batch) pending.Done.TrySetException(error);
        }
    }

    private sealed class Pending(EventEnvelope envelope)
    {
        public EventEnvelope Envelope { get; } = envelope;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Folding a batch of {Count} events failed; folding them one by one")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception error);
}
