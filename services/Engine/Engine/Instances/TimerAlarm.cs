using Playbooks.Messaging;

namespace Playbooks.Engine.Instances;

/// <summary>
/// Rung when a run commits a timer due before the timer worker would next look (a short Delay, a timeout a few seconds
/// out), so it is claimed and scheduled at once instead of up to one poll late.
/// </summary>
public sealed class TimerAlarm
{
    /// <summary>Timers due within this window of now ring the alarm; later ones are found by the worker's own polling.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromSeconds(1);

    public Doorbell Rang { get; } = new();

    public void TimersCommitted(IEnumerable<DateTimeOffset?> dueTimes, DateTimeOffset now)
    {
        if (dueTimes.Any(due => due is { } at && at - now < Horizon)) Rang.Raise();
    }
}
