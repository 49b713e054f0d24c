using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Playbooks.Engine.Execution;
using Playbooks.Engine.Storage;
using Playbooks.Messaging;
using Playbooks.Storage;

namespace Playbooks.Engine.Instances;

/// <summary>
/// Fires due timers (Delay, WaitUntil, timeouts). Timers are bookmark rows, so they survive restarts; each fires once
/// because resuming consumes its bookmark under the instance's lock and revision check.
/// <para>
/// Timers are claimed a little ahead of their due time and each then fires at its own moment, so neither a claim
/// round trip nor a slow resume in the same batch makes the next timer late. With several replicas (PostgreSQL) each
/// claims a disjoint set under a lease (<see cref="WorkLease"/>); a replica that dies leaves its claims to lapse and be
/// taken by another, and one that stops hands back what it had not fired yet.
/// </para>
/// </summary>
internal sealed partial class TimerWorker(InstanceStore store, InstanceRuntime runtime, WorkLease lease, TimerAlarm alarm, TimeProvider clock,
    ILogger<TimerWorker> logger) : BackgroundService
{
    /// <summary>How far ahead timers are claimed: more than a claim round trip under load, far less than a lease.</summary>
    private static readonly TimeSpan Lookahead = TimeSpan.FromMilliseconds(500);
    // Only this replica's own commits ring its alarm. Timers a stopping replica hands back (due within the lookahead),
    // those another replica committed while its worker was full, and those whose commit took longer than the horizon
    // less the lookahead are found by polling: a longer sleep (500 ms was tried) would make them that much later.
    private static readonly TimeSpan MaxSleep = TimeSpan.FromMilliseconds(100);
    // Nothing new was claimed although timers are near (held by another replica, or already scheduled here): look again soon rather than spin.
    private static readonly TimeSpan NothingNew = TimeSpan.FromMilliseconds(20);
    // Claimed and not yet fired: bounds memory when a backlog is due at once (after downtime, say).
    private const int MaxScheduled = 1_000;

    // Claimed timers not fired yet, each with the lease it was claimed under (to hand back only a claim still ours).
    private readonly ConcurrentDictionary<string, long> _scheduled = new();
    private int _resuming;
    private readonly Doorbell _fired = new();
    private volatile bool _failed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var postgres = store.Database.Provider == DatabaseProvider.Postgres;
        var batchSize = postgres ? 200 : 500;
        // SQLite serialises writers anyway; on PostgreSQL a few resumes in flight hide each commit's fsync. Not disposed:
        // a resume still finishing at shutdown releases it.
        var firing = new SemaphoreSlim(postgres ? 8 : 1);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var room = Math.Min(batchSize, MaxScheduled - _scheduled.Count);
                    if (room <= 0)
                    {
                        await _fired.WaitAsync(MaxSleep, stoppingToken);
                        continue;
                    }
                    var dueBy = clock.GetUtcNow() + Lookahead;
                    var leaseUntil = lease.Until();
                    var (claimed, next) = await store.ClaimDueTimersAsync(dueBy, leaseUntil, room, stoppingToken);
                    var scheduled = 0;
                    foreach (var timer in claimed)
                        if (_scheduled.TryAdd(timer.BookmarkId, leaseUntil))
                        {
                            scheduled++;
                            _ = FireAtAsync(timer, firing, stoppingToken);
                        }
                    if (_failed)
                    {
                        _failed = false;
                        await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                        continue;
                    }
                    if (claimed.Count == room && scheduled > 0) continue;
                    var sleep = next is { } at ? EngineJson.At(at) - Lookahead - clock.GetUtcNow() : MaxSleep;
                    if (sleep <= TimeSpan.Zero && scheduled == 0) sleep = NothingNew;
                    await alarm.Rang.WaitAsync(sleep < TimeSpan.Zero ? TimeSpan.Zero : sleep > MaxSleep ? MaxSleep : sleep, stoppingToken);
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
        finally
        {
            await HandBackAsync();
        }
    }

    private async Task FireAtAsync((string InstanceId, string BookmarkId, long DueAt) timer, SemaphoreSlim firing, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            // Never before its time: a timer wakes no earlier than asked, but the clock is read again to be sure.
            for (var wait = EngineJson.At(timer.DueAt) - clock.GetUtcNow(); wait > TimeSpan.Zero; wait = EngineJson.At(timer.DueAt) - clock.GetUtcNow())
                await Task.Delay(wait, clock, cancellationToken);
            await firing.WaitAsync(cancellationToken);
            Interlocked.Increment(ref _resuming);
            try
            {
                await FireAsync(timer, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _resuming);
                firing.Release();
            }
            _scheduled.TryRemove(timer.BookmarkId, out _);
            _fired.Raise();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: left in _scheduled, so HandBackAsync returns its claim.
        }
    }

    // One timer failing (its instance's database write, say) must not hold up the others; its claim lapses and it is tried again.
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

    // A replica shutting down (a rolling deploy) returns the timers it claimed but did not fire, so another replica
    // fires them on time instead of after the lease; resumes already under way finish first (for a few seconds at most).
    // Best effort: if the database is gone too, the lease still lapses.
    private async Task HandBackAsync()
    {
        if (_scheduled.IsEmpty || store.Database.Provider != DatabaseProvider.Postgres) return;
        for (var waited = 0; Volatile.Read(ref _resuming) > 0 && waited < 50; waited++) await Task.Delay(100);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await store.ReleaseTimerClaimsAsync(_scheduled.ToList(), timeout.Token);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            LogHandBackFailed(logger, _scheduled.Count, error);
        }
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Firing a timer of instance {InstanceId} failed; it fires again when its claim lapses")]
    private static partial void LogTimerFailed(ILogger logger, string instanceId, Exception error);

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Firing due timers failed; retrying")]
    private static partial void LogTimerFailure(ILogger logger, Exception error);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Could not hand back {Count} claimed timers on shutdown; they fire when their claims lapse")]
    private static partial void LogHandBackFailed(ILogger logger, int count, Exception error);
}
