using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Playbooks.Engine.Accounts;

namespace Playbooks.Engine.Triggers;

/// <summary>Once a second (of the injected clock's time), fires due date-relative and cron triggers.</summary>
internal sealed partial class TriggerClock(DatePlanner dates, ScheduleRunner schedules, TriggerStarter starter, AccountStore accounts, ILogger<TriggerClock> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await dates.FireDueAsync(starter, accounts, stoppingToken);
                await schedules.FireDueAsync(starter, accounts, stoppingToken);
                await Task.Delay(TimeSpan.FromMilliseconds(250), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                LogFailed(logger, error);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Firing date and schedule triggers failed; retrying")]
    private static partial void LogFailed(ILogger logger, Exception error);
}
