using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Playbooks.Tasks.Storage;

namespace Playbooks.Tasks.Overdue;

/// <summary>
/// Marks tasks overdue at their due time and ends snoozes. It keeps no timers of its own worth saving: each round it
/// asks the database for the next due time and sleeps until then, so after a restart it catches up on everything
/// that fell due while the service was down.
/// </summary>
internal sealed partial class OverdueSweeper(ITaskStore store, DueSchedule schedule, TimeProvider time, ILogger<OverdueSweeper> logger) : BackgroundService
{
    private const int BatchSize = 500;

    // Also the longest a task created by another replica waits for this one to notice it (distributed mode).
    private static readonly TimeSpan LongestSleep = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                schedule.Sweeping();
                var now = time.GetUtcNow();
                await SweepAsync(stoppingToken);
                var next = await store.NextDueAsync(stoppingToken);
                await schedule.WaitAsync(next is { } due && due < now + LongestSleep ? due : now + LongestSleep, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                LogSweepFailed(logger, error);
                // Real time, not the injected clock: a stopped test clock must not stop the retries.
                await Task.WhenAny(Task.Delay(TimeSpan.FromSeconds(5), stoppingToken));
            }
        }
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        int count;
        do
        {
            count = await store.WakeSnoozedAsync(BatchSize, cancellationToken);
            if (count > 0) LogWoke(logger, count);
        } while (count == BatchSize);
        do
        {
            count = await store.MarkOverdueAsync(BatchSize, cancellationToken);
            if (count > 0) LogMarkedOverdue(logger, count);
        } while (count == BatchSize);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Marked {Count} tasks overdue")]
    private static partial void LogMarkedOverdue(ILogger logger, int count);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Ended the snooze of {Count} tasks")]
    private static partial void LogWoke(ILogger logger, int count);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Sweeping due tasks failed; retrying in 5 s")]
    private static partial void LogSweepFailed(ILogger logger, Exception error);
}
