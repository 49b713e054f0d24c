namespace Playbooks.TestSupport;

/// <summary>
/// A clock that moves only when a test says so; timers created from it fire as <see cref="Advance"/> passes their due time.
/// (Microsoft.Extensions.TimeProvider.Testing is not in the registry here.)
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
    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), "Time only moves forward.");
        DateTimeOffset now;
        lock (_gate) now = _now += by;
        // Fire outside the lock: callbacks may read the clock or create timers.
        while (NextDue(now) is { } timer) timer.Fire();
    }

    /// <summary>Timers waiting to fire: a test waits for a background loop to start waiting before it moves the clock.</summary>
    public int PendingTimers
    {
        get
        {
            lock (_gate) return _timers.Count;
        }
    }

    public void AdvanceTo(DateTimeOffset moment) => Advance(moment - GetUtcNow());

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private ManualTimer? NextDue(DateTimeOffset now)
    {
        lock (_gate)
        {
            var due = _timers.Where(t => t.DueAt <= now).MinBy(t => t.DueAt);
            if (due is null) return null;
            if (due.Period > TimeSpan.Zero) due.DueAt += due.Period;
            else _timers.Remove(due);
            return due;
        }
    }

    private sealed class ManualTimer(ManualTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset DueAt { get; set; }

        public TimeSpan Period { get; private set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._gate)
            {
                clock._timers.Remove(this);
                if (dueTime == Timeout.InfiniteTimeSpan) return true;
                DueAt = clock._now + dueTime;
                Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
                clock._timers.Add(this);
            }
            // A timer due now fires at once, as a real one would, but not inside its creator's call.
            if (dueTime <= TimeSpan.Zero) ThreadPool.QueueUserWorkItem(_ => clock.Advance(TimeSpan.Zero));
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
