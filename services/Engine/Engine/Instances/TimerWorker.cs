using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Playbooks.Engine.Execution;
using Playbooks.Engine.Storage;
using Playbooks.Storage;

namespace Playbooks.Engine.Instances;

/// <summary>
/// Fires due timers (Delay, WaitUntil, timeouts). Timers are bookmark rows, so they survive restarts; each fires once
/// because resuming consumes its bookmark under the instance's lock and revision check. With several replicas
/// (PostgreSQL) each claims a disjoint batch of due timers under a lease (<see cref="WorkLease"/>) and fires it with a
/// few resumes in flight; a replica that dies mid-batch leaves its claims to lapse and be taken by another.
/// </summary>
internal sealed partial class TimerWorker(InstanceStore store, InstanceRuntime runtime, WorkLease lease, TimeProvider clock, ILogger<TimerWorker> logger) : BackgroundService
{
    private static readonly TimeSpan MaxSleep = TimeSpan.FromMilliseconds(100);
    // Claimed timers whose next neighbour is held by another replica: look again soon rather than spin.
    private static readonly TimeSpan HeldElsewhere = TimeSpan.FromMilliseconds(20);

    private volatile bool _failed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var postgres = store.Database.Provider == DatabaseProvider.Postgres;
        // SQLite serialises writers anyway; on PostgreSQL a few resumes in flight hide each commit's fsync.
        var batchSize = postgres ? 200 : 500;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = postgres ? 8 : 1, CancellationToken = stoppingToken };
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var due = await store.ClaimDueTimersAsync(clock.GetUtcNow(), lease.Until(), batchSize, stoppingToken);
                if (parallel.MaxDegreeOfParallelism == 1)
                    foreach (var timer in due) await FireAsync(timer, stoppingToken);
                else
                    await Parallel.ForEachAsync(due, parallel, (timer, token) => new ValueTask(FireAsync(timer, token)));
                if (_failed)
                {
                    _failed = false;
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                    continue;
                }
                if (due.Count == batchSize) continue;
                var next = await store.NextTimerAsync(stoppingToken);
                var sleep = next is { } at ? EngineJson.At(at) - clock.GetUtcNow() : MaxSleep;
                if (sleep <= TimeSpan.Zero && due.Count == 0) sleep = HeldElsewhere;
                await Task.Delay(sleep < TimeSpan.Zero ? TimeSpan.Zero : sleep > MaxSleep ? MaxSleep : sleep, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                LogTimerFailure(logger, error);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    // One timer failing (its instance's database write, say) must not hold up the rest of the batch; its claim lapses and it is tried again.
    private async Task FireAsync((string InstanceId, string BookmarkId, long DueAt) timer, CancellationToken cancellationToken)
    {
        try
        {
            await runtime.ResumeAsync(timer.InstanceId, timer.BookmarkId, new Stimulus(Stimulus.TimerDue, Bookmark.Timer, null, EngineJson.At(timer.DueAt)), null, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _failed = true;
            LogTimerFailed(logger, timer.InstanceId, error);
        }
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Firing a timer of instance {InstanceId} failed; it fires again when its claim lapses")]
    private static partial void LogTimerFailed(ILogger logger, string instanceId, Exception error);

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Firing due timers failed; retrying")]
    private static partial void LogTimerFailure(ILogger logger, Exception error);
}
