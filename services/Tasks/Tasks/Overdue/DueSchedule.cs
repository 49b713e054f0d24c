using System.Threading.Channels;

namespace Playbooks.Tasks.Overdue;

/// <summary>
/// When the sweeper plans to look next, and a bell to wake it sooner: a task created or snoozed with an earlier time
/// rings it, any other change does not, so creating thousands of tasks due next week costs the sweeper nothing.
/// </summary>
public sealed class DueSchedule
{
    private readonly Channel<bool> _bell = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private long _plannedMs = long.MinValue;

    /// <summary>Wakes the sweeper if <paramref name="at"/> comes before its next planned look.</summary>
    public void Consider(DateTimeOffset? at)
    {
        if (at is { } time && time.ToUnixTimeMilliseconds() < Interlocked.Read(ref _plannedMs)) _bell.Writer.TryWrite(true);
    }

    /// <summary>While a sweep reads the database, every new time counts: the sweep may already have read past it.</summary>
    internal void Sweeping() => Interlocked.Exchange(ref _plannedMs, long.MaxValue);

    /// <summary>Waits until <paramref name="wakeAt"/> on <paramref name="time"/>'s clock, or until the bell rings.</summary>
    internal async Task WaitAsync(DateTimeOffset wakeAt, TimeProvider time, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _plannedMs, wakeAt.ToUnixTimeMilliseconds());
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = wakeAt - time.GetUtcNow();
        if (delay <= TimeSpan.Zero) return;
        var sleeping = Task.Delay(delay, time, stop.Token);
        try
        {
            // The clock may have moved between reading it and arming the timer (a test advancing it); the timer would then be late.
            if (time.GetUtcNow() >= wakeAt) return;
            await Task.WhenAny(sleeping, _bell.Reader.ReadAsync(stop.Token).AsTask());
        }
        finally
        {
            // Disarms the loser, so no timer or read outlives the wait.
            await stop.CancelAsync();
        }
        cancellationToken.ThrowIfCancellationRequested();
    }
}
