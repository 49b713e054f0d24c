using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Playbooks.Engine.Triggers;

/// <summary>
/// On PostgreSQL, accounts' events are handled in lanes: each lane works through one account's claimed events in
/// order, and a lane that finishes is given the next account at once. Claiming a batch and waiting for its slowest
/// account before claiming the next kept 16 events in flight per claim when every event came from a different
/// account (a book of a thousand accounts at 200 events/s fell seconds behind). Handled events are marked processed
/// together, in one commit for whatever the lanes finished meanwhile; until then their claim keeps the account's later
/// events waiting, so one account's events are still handled in order.
/// <para>
/// An account's events that arrive while every lane is busy are claimed as they are stored all the same, and wait in
/// this replica's line for the next lane to finish. Left in the table, each had to be claimed later, in two round trips
/// under the claimers' lock that read every unprocessed event, so in a burst the claims grew with the backlog they were
/// to work off. At 200 events/s (distributed benchmark) a line of 64 took 922 of 2,000 events as they were stored, one
/// of 256 took 1,992. Beyond the line, events stay in the table for whichever replica frees a lane first; events that
/// waited in line for half a claim's lease are given back to it.
/// </para>
/// </summary>
internal sealed partial class AccountEventProcessor
{
    private const int CandidatesPerLane = 8;
    private const int PlacesInLine = Lanes * 16;

    /// <summary>Where an account's events go when claimed as they are stored: a free lane, a place in line, or nowhere (left to a claim).</summary>
    internal enum Place { None, Lane, Line }

    private sealed record InLine(IReadOnlyList<AccountEventLog.Stored> Events, string? Published, long ClaimedAt);

    private readonly ConcurrentQueue<InLine> _line = new();
    // Places taken, whether their events are in the line yet or still being stored.
    private int _placesTaken;

    // The claimed events this replica is working on, by seq: their claims are renewed until they are done.
    private readonly ConcurrentDictionary<long, AccountEventLog.Stored> _working = new();

    private readonly SemaphoreSlim _freeLanes = new(Lanes, Lanes);
    private readonly Channel<AccountEventLog.Stored> _handled = Channel.CreateUnbounded<AccountEventLog.Stored>();
    private CancellationToken _lanesStopping = new(canceled: true);

    /// <summary>Waits for a free lane, then claims the next accounts' events for every free lane. False when there was nothing to claim.</summary>
    private async Task<bool> ClaimIntoLanesAsync(CancellationToken cancellationToken)
    {
        await _freeLanes.WaitAsync(cancellationToken);
        var free = 1;
        while (free < Lanes && _freeLanes.Wait(0)) free++;
        IReadOnlyList<AccountEventLog.Stored> batch = [];
        try
        {
            // The claim locks every candidate it reads (200 when a backlog waits) to pick the first accounts' events:
            // reading a few per free lane is enough to fill them.
            (batch, var published) = await log.UnprocessedAsync(Math.Min(BatchSize, free * CandidatesPerLane), free, lease.Until(), cancellationToken);
            if (batch.Count > 0) await index.EnsureAsync(published, cancellationToken);
        }
        catch
        {
            // Claimed but not handed to a lane (the trigger index could not be read): given back, not held for a lease.
            if (batch.Count > 0) await log.ReleaseAsync(batch, CancellationToken.None);
            FreeLanes(free);
            throw;
        }
        if (batch.Count == 0)
        {
            FreeLanes(free);
            return false;
        }
        if (batch.Any(e => e.AccountId is null))
        {
            // An event naming several accounts goes after everything in flight and before anything after it: the batch
            // waits for every lane, then goes one event at a time. Its claims are renewed meanwhile: a lane may take
            // longer than a lease.
            using var waiting = WorkingOn(batch);
            for (; free < Lanes; free++) await _freeLanes.WaitAsync(CancellationToken.None);
            try
            {
                await ProcessInOrderAsync(batch, cancellationToken);
            }
            finally
            {
                FreeLanes(Lanes);
            }
            return true;
        }
        // The claim takes at most one account per free lane.
        var accounts = batch.GroupBy(e => e.AccountId!, StringComparer.Ordinal).Select(account => account.ToList()).ToList();
        if (free > accounts.Count) FreeLanes(free - accounts.Count);
        // A lane gives its slot back when it ends, so stopping waits for the lanes by taking every slot.
        foreach (var account in accounts) _ = Task.Run(() => RunLaneAsync(account, cancellationToken), CancellationToken.None);
        return true;
    }

    /// <summary>Takes a lane for one account's events as they are stored (<see cref="AccountEventLog"/>) if one is free, else a place in line if one is left.</summary>
    internal Place TryTakePlace()
    {
        if (_lanesStopping.IsCancellationRequested) return Place.None;
        if (_freeLanes.Wait(0)) return Place.Lane;
        if (Interlocked.Increment(ref _placesTaken) <= PlacesInLine) return Place.Line;
        Interlocked.Decrement(ref _placesTaken);
        return Place.None;
    }

    /// <summary>Gives back a lane or place taken for events that were not claimed after all.</summary>
    internal void GiveBack(Place place)
    {
        if (place == Place.Lane) FreeLanes(1);
        else if (place == Place.Line) Interlocked.Decrement(ref _placesTaken);
    }

    private void FreeLanes(int count)
    {
        _freeLanes.Release(count);
        StartFromLine();
    }

    /// <summary>Gives the accounts waiting in line the free lanes (a lane may have finished while they were being stored).</summary>
    private void StartFromLine()
    {
        while (!_line.IsEmpty && !_lanesStopping.IsCancellationRequested && _freeLanes.Wait(0))
        {
            if (_line.TryDequeue(out var next)) StartLane(next);
            else _freeLanes.Release();
        }
    }

    private void StartLane(InLine next)
    {
        Interlocked.Decrement(ref _placesTaken);
        _ = Task.Run(() => RunLaneAsync(next.Events, _lanesStopping, next.Published, inLineSince: next.ClaimedAt), CancellationToken.None);
    }

    internal long LeaseUntil() => lease.Until();

    /// <summary>
    /// What handling an account's event reads first (<see cref="AccountEventContext"/>), as the trigger index stands
    /// now; read in the round trip that stores the event, it is used if the index is still the same when the lane
    /// handles it. Null for an account change, which reads no context.
    /// </summary>
    internal sealed record ContextToRead(string EventId, string AccountId, string Key, string[] Triggered, DateTimeOffset At, TriggerIndex.Snapshot Snapshot)
    {
        public AccountEventContext? Context { get; init; }
    }

    internal ContextToRead? ContextFor(string eventId, string type, string accountId, DateTimeOffset at)
    {
        if (type == AccountChanges.EventType) return null;
        var snapshot = index.Current;
        return new(eventId, accountId, Execution.Bookmark.EventKey(type, accountId),
            [.. snapshot.ByEventType.GetValueOrDefault(type, []).Select(t => t.Playbook.DefinitionId)], at, snapshot);
    }

    /// <summary>
    /// Handles one account's events, claimed as they were stored, in the lane taken for them or the next lane free after
    /// the place in line: no claim, and no wait for the claiming loop. <paramref name="published"/> is the published set
    /// read with them, <paramref name="first"/> the first event's context if it was read with them.
    /// </summary>
    internal void Handle(Place place, IReadOnlyList<AccountEventLog.Stored> claimed, string? published, ContextToRead? first)
    {
        if (place == Place.Lane)
        {
            _ = Task.Run(() => RunLaneAsync(claimed, _lanesStopping, published, first), CancellationToken.None);
            return;
        }
        _line.Enqueue(new(claimed, published, Environment.TickCount64));
        StartFromLine();
    }

    /// <param name="inLineSince">When the events were claimed into the line (<see cref="Environment.TickCount64"/>), if they waited in it.</param>
    private async Task RunLaneAsync(IReadOnlyList<AccountEventLog.Stored> events, CancellationToken cancellationToken, string? published = null,
        ContextToRead? first = null, long? inLineSince = null)
    {
        var handled = 0;
        try
        {
            // A replica this far behind gives the events back rather than handle them near the end of their claim, when
            // another replica could take them over (and the account's next events) while this one is still on them.
            if (Environment.TickCount64 - inLineSince > lease.Duration.TotalMilliseconds / 2)
            {
                await log.ReleaseAsync(events, CancellationToken.None);
                log.Arrived.Raise();
                return;
            }
            // Renewed until marked processed (MarkHandledAsync) or given back, not only while the lane runs: the mark
            // follows the lane, and if it has to be retried, the claim must not lapse meanwhile.
            foreach (var stored in events) _working[stored.Seq] = stored;
            await index.EnsureAsync(published, cancellationToken);
            foreach (var stored in events)
            {
                await ProcessAsync(stored, cancellationToken, handled == 0 ? first : null);
                _handled.Writer.TryWrite(stored);
                handled++;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping (a rolling deploy): what the lane had not finished goes back to every replica now rather than
            // once the claim lapses; the event it was on is handled again, which every step tolerates.
            await log.ReleaseAsync(NoLongerWorkingOn(events.Skip(handled)), CancellationToken.None);
        }
        catch (Exception error)
        {
            LogProcessingFailed(logger, error);
            // The rest is tried again after a pause (the lane stays taken meanwhile), here or on another replica,
            // instead of once the claim lapses.
            try { await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken); } catch (OperationCanceledException) { }
            await log.ReleaseAsync(NoLongerWorkingOn(events.Skip(handled)), CancellationToken.None);
        }
        finally
        {
            // Through the semaphore, not straight to the next in line: the claiming loop, and an event naming several
            // accounts (which waits for every lane), wait on it, and a line kept full by a burst must not starve them.
            FreeLanes(1);
        }
    }

    /// <summary>
    /// Keeps the claims on <paramref name="events"/> renewed until disposed (the claiming loop's batches; the lanes add
    /// and remove theirs as they go). A run's first steps can take longer than a lease (a CRM that answers slowly,
    /// retried): with its claim lapsed, another replica would take the event over and start the run's steps again,
    /// calling the CRM a second time (<c>LeaseRenewalTests</c>).
    /// </summary>
    private WorkingScope WorkingOn(IReadOnlyList<AccountEventLog.Stored> events)
    {
        foreach (var stored in events) _working[stored.Seq] = stored;
        return new WorkingScope(this, events);
    }

    private List<AccountEventLog.Stored> NoLongerWorkingOn(IEnumerable<AccountEventLog.Stored> events)
    {
        var list = events.ToList();
        foreach (var stored in list) _working.TryRemove(stored.Seq, out _);
        return list;
    }

    private readonly struct WorkingScope(AccountEventProcessor processor, IReadOnlyList<AccountEventLog.Stored> events) : IDisposable
    {
        public void Dispose()
        {
            foreach (var stored in events) processor._working.TryRemove(stored.Seq, out _);
        }
    }

    /// <summary>
    /// Every third of a lease, extends the claims of what this replica is working on by a whole lease, until disposed
    /// after the lanes have stopped: lanes still finishing as the replica stops keep their claims too.
    /// </summary>
    private Instances.ClaimRenewal RenewWorkingClaims() => new(lease, async until =>
    {
        if (!_working.IsEmpty) await log.RenewAsync([.. _working.Values], until, CancellationToken.None);
        return true;
    }, error => LogRenewalFailed(logger, error));

    /// <summary>
    /// Marks what the lanes handled, in one commit for everything finished since the last, and wakes the claiming loop if
    /// one of the accounts has a next event waiting. If a commit fails the events are kept and tried again; if the
    /// process stops first, their claims lapse and they are handled again, which every step tolerates.
    /// </summary>
    private async Task MarkHandledAsync(CancellationToken stoppingToken)
    {
        var pending = new List<AccountEventLog.Stored>();
        while (pending.Count > 0 || await _handled.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (_handled.Reader.TryRead(out var stored)) pending.Add(stored);
            try
            {
                if (await MarkProcessedAsync([.. pending.OrderBy(e => e.Seq)], CancellationToken.None)) log.Arrived.Raise();
                NoLongerWorkingOn(pending);
                pending.Clear();
            }
            catch (Exception error)
            {
                LogProcessingFailed(logger, error);
                if (stoppingToken.IsCancellationRequested) return;
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
        }
    }

    /// <summary>Lets the lanes finish (their work is cancelled), gives back the claims of the accounts in line, then marks what the lanes handled.</summary>
    private async Task StopLanesAsync(Task marking)
    {
        for (var lane = 0; lane < Lanes; lane++) await _freeLanes.WaitAsync(CancellationToken.None);
        // A request that took its place before the stop may still be storing its events: it joins the line after this
        // began, so the line is emptied until every place is back (for a few seconds at most).
        for (var until = Environment.TickCount64 + 5_000; ; await Task.Delay(20))
        {
            var inLine = new List<AccountEventLog.Stored>();
            while (_line.TryDequeue(out var waiting))
            {
                Interlocked.Decrement(ref _placesTaken);
                inLine.AddRange(waiting.Events);
            }
            await log.ReleaseAsync(inLine, CancellationToken.None);
            if (Volatile.Read(ref _placesTaken) <= 0 || Environment.TickCount64 > until) break;
        }
        _handled.Writer.TryComplete();
        await marking;
    }
}
