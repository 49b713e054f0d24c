using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Playbooks.Engine.Execution;
using Playbooks.Engine.Storage;

namespace Playbooks.Engine.Instances;

/// <summary>
/// Fires due timers (Delay, WaitUntil, timeouts). Timers are bookmark rows, so they survive restarts; each fires once
/// because resuming consumes its bookmark under the instance's revision check.
/// </summary>
internal sealed partial class TimerWorker(InstanceStore store, InstanceRuntime runtime, TimeProvider clock, ILogger<TimerWorker> logger) : BackgroundService
{
    private const int BatchSize = 500;
    private static readonly TimeSpan MaxSleep = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var due = await store.DueTimersAsync(clock.GetUtcNow(), BatchSize, stoppingToken);
                foreach (var (instanceId, bookmarkId, dueAt) in due)
                    await runtime.ResumeAsync(instanceId, bookmarkId, new Stimulus(Stimulus.TimerDue, Bookmark.Timer, null, EngineJson.At(dueAt)), null, stoppingToken);
                if (due.Count == BatchSize) continue;
                var next = await store.NextTimerAsync(stoppingToken);
                var sleep = next is { } at ? EngineJson.At(at) - clock.GetUtcNow() : MaxSleep;
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

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Firing due timers failed; retrying")]
    private static partial void LogTimerFailure(ILogger logger, Exception error);
}
