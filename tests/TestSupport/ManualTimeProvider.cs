namespace Playbooks.TestSupport;

/// <summary>
/// A clock a test moves by hand. Timers created from it (<c>Task.Delay(delay, time)</c>, <c>PeriodicTimer</c>, Polly's
/// break durations) fire when <see cref="Advance"/> moves it past their due time, on the thread that advances it.
/// </summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _now;
    }

    // Timestamps follow the manual clock too, so elapsed-time measurements agree with GetUtcNow.
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), "Time only moves forward.");
        lock (_gate) _now += by;
        FireDueTimers();
    }

    public void AdvanceTo(DateTimeOffset moment) => Advance(moment - GetUtcNow());

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private void FireDueTimers()
    {
        while (true)
        {
            ManualTimer? due;
            lock (_gate)
            {
                due = _timers.Where(timer => timer.DueAt <= _now).MinBy(timer => timer.DueAt);
                if (due is null) return;
                due.DueAt = due.Period > TimeSpan.Zero ? due.DueAt + due.Period : null;
                if (due.DueAt is null) _timers.Remove(due);
            }
            due.Fire();
        }
    }

    private sealed class ManualTimer(ManualTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? DueAt { get; set; }

        public TimeSpan Period { get; private set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._gate)
            {
                clock._timers.Remove(this);
                Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : clock._now + dueTime;
                if (DueAt is not null) clock._timers.Add(this);
            }
            // Like a real timer, one due now fires on the thread pool rather than inside the caller.
            if (dueTime == TimeSpan.Zero) ThreadPool.QueueUserWorkItem(_ => clock.FireDueTimers());
            return true;
        }

        public void Dispose()
        {
            lock (clock._gate) clock._timers.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
