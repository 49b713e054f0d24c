using System.Threading.Channels;

namespace Playbooks.Engine.Triggers;

/// <summary>
/// On PostgreSQL, accounts' events are handled in lanes: each lane works through one account's claimed events in
/// order, and a lane that finishes is given the next account at once. Claiming a batch and waiting for its slowest
/// account before claiming the next kept 16 events in flight per claim when every event came from a different
/// account (a book of a thousand accounts at 200 events/s fell seconds behind). Handled events are marked processed
/// together, in one commit for whatever the lanes finished meanwhile; until then their claim keeps the account's later
/// events waiting, so one account's events are still handled in order.
/// </summary>
internal sealed partial class AccountEventProcessor
{
    private const int CandidatesPerLane = 8;

    private readonly SemaphoreSlim _freeLanes = new(Lanes, Lanes);
    private readonly Channel<AccountEventLog.Stored> _handled = Channel.CreateUnbounded<AccountEventLog.Stored>();
    private CancellationToken _lanesStopping = new(canceled: true);

    /// <summary>Waits for a free lane, then claims the next accounts' events for every free lane. False when there was nothing to claim.</summary>
    private async Task<bool> ClaimIntoLanesAsync(CancellationToken cancellationToken)
    {
        await _freeLanes.WaitAsync(cancellationToken);
        var free = 1;
        while (free < Lanes && _freeLanes.Wait(0)) free++;
        IReadOnlyList<AccountEventLog.Stored> batch;
        try
        {
            // The claim locks every candidate it reads (200 when a backlog waits) to pick the first accounts' events:
            // reading a few per free lane is enough to fill them.
            (batch, var published) = await log.UnprocessedAsync(Math.Min(BatchSize, free * CandidatesPerLane), free, lease.Until(), cancellationToken);
            if (batch.Count > 0) await index.EnsureAsync(published, cancellationToken);
        }
        catch
        {
            _freeLanes.Release(free);
            throw;
        }
        if (batch.Count == 0)
        {
            _freeLanes.Release(free);
            return false;
        }
        if (batch.Any(e => e.AccountId is null))
        {
            // An event naming several accounts goes after everything in flight and before anything after it: the batch
            // waits for every lane, then goes one event at a time.
            for (; free < Lanes; free++) await _freeLanes.WaitAsync(CancellationToken.None);
            try
            {
                await ProcessInOrderAsync(batch, cancellationToken);
            }
            finally
            {
                _freeLanes.Release(Lanes);
            }
            return true;
        }
        // The claim takes at most one account per free lane.
        var accounts = batch.GroupBy(e => e.AccountId!, StringComparer.Ordinal).Select(account => account.ToList()).ToList();
        if (free > accounts.Count) _freeLanes.Release(free - accounts.Count);
        // A lane gives its slot back when it ends, so stopping waits for the lanes by taking every slot.
        foreach (var account in accounts) _ = Task.Run(() => RunLaneAsync(account, cancellationToken), CancellationToken.None);
        return true;
    }

    /// <summary>Takes a lane for one account's events as they are stored (<see cref="AccountEventLog"/>), if one is free.</summary>
    internal bool TryTakeLane() => !_lanesStopping.IsCancellationRequested && _freeLanes.Wait(0);

    internal void ReleaseLane() => _freeLanes.Release();

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
    /// Handles one account's events, claimed as they were stored, in the lane taken for them: no claim, and no wait for
    /// the claiming loop. <paramref name="published"/> is the published set read with them, <paramref name="first"/>
    /// the first event's context if it was read with them.
    /// </summary>
    internal void Handle(IReadOnlyList<AccountEventLog.Stored> claimed, string? published, ContextToRead? first) =>
        _ = Task.Run(() => RunLaneAsync(claimed, _lanesStopping, published, first), CancellationToken.None);

    private async Task RunLaneAsync(IReadOnlyList<AccountEventLog.Stored> events, CancellationToken cancellationToken, string? published = null,
        ContextToRead? first = null)
    {
        var handled = 0;
        try
        {
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
        }
        catch (Exception error)
        {
            LogProcessingFailed(logger, error);
            // The rest is tried again after a pause (the lane stays taken meanwhile), here or on another replica,
            // instead of once the claim lapses.
            try { await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken); } catch (OperationCanceledException) { }
            await log.ReleaseAsync(events.Skip(handled).Select(e => e.Seq).ToList(), CancellationToken.None);
        }
        finally
        {
            _freeLanes.Release();
        }
    }

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

    /// <summary>Lets the lanes finish (their work is cancelled), then marks what they handled.</summary>
    private async Task StopLanesAsync(Task marking)
    {
        for (var lane = 0; lane < Lanes; lane++) await _freeLanes.WaitAsync(CancellationToken.None);
        _handled.Writer.TryComplete();
        await marking;
    }
}
